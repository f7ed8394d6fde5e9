package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters (RFC 6238 defaults, which every authenticator app supports).
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	totpSkew   = 1 // steps either side of now: phone clocks drift
)

// TOTPKey is a new authenticator secret with what the user scans.
type TOTPKey struct {
	Secret string // base32, to store encrypted and to type by hand
	URL    string // otpauth:// URL
	QRPNG  []byte // the URL as a QR code
}

// NewTOTP makes a 160-bit secret for account at issuer (the firm's portal).
func NewTOTP(issuer, account string) (TOTPKey, error) {
	return totpKey(issuer, account, nil)
}

// TOTPKeyFor shows an existing secret again (the user typed a wrong first code).
func TOTPKeyFor(issuer, account, secret string) (TOTPKey, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return TOTPKey{}, fmt.Errorf("totp secret: %w", err)
	}
	return totpKey(issuer, account, raw)
}

func totpKey(issuer, account string, secret []byte) (TOTPKey, error) {
	if secret == nil {
		secret = make([]byte, 20)
		if _, err := rand.Read(secret); err != nil {
			return TOTPKey{}, fmt.Errorf("totp: %w", err)
		}
	}
	key, err := otp.NewKeyFromURL(otpauthURL(issuer, account, secret))
	if err != nil {
		return TOTPKey{}, fmt.Errorf("totp: %w", err)
	}
	img, err := qrImage(key.URL())
	if err != nil {
		return TOTPKey{}, fmt.Errorf("totp qr: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPKey{}, fmt.Errorf("totp qr: %w", err)
	}
	return TOTPKey{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// qrImage draws text as a QR code with every module the same whole number of pixels (at
// least 256 across) and the four-module white border the standard asks for: a code scaled
// to uneven modules, or drawn to its edge, is one readers miss now and then.
func qrImage(text string) (image.Image, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx()
	k := max(4, (256+n-1)/n)
	scaled, err := barcode.Scale(code, n*k, n*k)
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, (n+8)*k, (n+8)*k))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, scaled.Bounds().Add(image.Pt(4*k, 4*k)), scaled, image.Point{}, draw.Src)
	return img, nil
}

// otpauthURL is the Key URI authenticator apps read. pquerna/otp's Generate leaves "&",
// "+" and ":" of a firm's name as they are in the label, where apps cut the name short
// ("Harbor & Finch CPAs" showed as "Harbor "): here label and issuer are escaped whole,
// spaces as %20 (a "+" would read as a space in some apps).
func otpauthURL(issuer, account string, secret []byte) string {
	return "otpauth://totp/" + esc(issuer) + ":" + esc(account) +
		"?secret=" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret) +
		"&issuer=" + esc(issuer) + "&period=" + strconv.Itoa(totpPeriod) + "&algorithm=SHA1&digits=" +
		strconv.Itoa(totpDigits.Length())
}

// esc percent-encodes all but unreserved characters and "@" (an email reads better whole).
func esc(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~@", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// CheckTOTP tells whether code is valid for secret at time at, and returns its time step.
// A code is single use: the caller stores the step and passes it back as lastStep, and a
// code of that step or an earlier one is refused (Gitea does the same with a conditional
// UPDATE, so two requests racing with one code cannot both win).
func CheckTOTP(secret, code string, at time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	now := at.Unix() / totpPeriod
	for s := now - totpSkew; s <= now+totpSkew; s++ {
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// NewCode returns a 6-digit one-time code (sign-in by email or text message) and the hash
// to store.
func NewCode() (code string, hash []byte) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	code = fmt.Sprintf("%06d", n.Int64())
	return code, HashToken(code)
}

// CheckCode compares a typed code with a stored hash in constant time.
func CheckCode(hash []byte, typed string) bool {
	return subtle.ConstantTimeCompare(HashToken(strings.TrimSpace(typed)), hash) == 1
}

// NewRecoveryCodes returns n codes to show once (xxxxx-xxxxx, 50 bits each) and their hashes.
func NewRecoveryCodes(n int) (codes []string, hashes [][]byte) {
	enc := base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)
	for i := 0; i < n; i++ {
		b := make([]byte, 7)
		rand.Read(b)
		s := enc.EncodeToString(b)[:10]
		code := s[:5] + "-" + s[5:]
		codes = append(codes, code)
		hashes = append(hashes, HashToken(code))
	}
	return codes, hashes
}
