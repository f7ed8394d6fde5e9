// Package auth holds portald's credentials: argon2id password hashes and random tokens
// that are stored only as hashes.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (RFC 9106's second recommendation, lighter on time). Not meant to be
// changed, but changeable for tests; hashes record their own parameters.
var (
	ArgonTime    uint32 = 2
	ArgonMemory  uint32 = 64 * 1024 // KiB
	ArgonThreads uint8  = 2
)

const saltLen, keyLen = 16, 32

// hashing bounds how many argon2 computations run at once: each takes ArgonMemory, and a
// burst of sign-ins must queue rather than exhaust memory.
var hashing = make(chan struct{}, max(2, runtime.NumCPU()))

// The queue for a slot is bounded too, in length and in time: past them a sign-in is told
// the portal is busy at once, instead of every sign-in waiting behind a flood.
var (
	MaxWaiting = 4 * cap(hashing)
	MaxWait    = 3 * time.Second
	waiting    atomic.Int32
	lastCost   atomic.Int64 // nanoseconds the last computation took
	ErrBusy    = errors.New("the portal is busy; try again in a moment")
)

func idKey(password, salt []byte, t, m uint32, p uint8, n uint32) ([]byte, error) {
	if waiting.Add(1) > int32(MaxWaiting) {
		waiting.Add(-1)
		return nil, ErrBusy
	}
	timer := time.NewTimer(MaxWait)
	defer timer.Stop()
	select {
	case hashing <- struct{}{}:
		waiting.Add(-1)
	case <-timer.C:
		waiting.Add(-1)
		return nil, ErrBusy
	}
	defer func() { <-hashing }()
	return compute(password, salt, t, m, p, n), nil
}

func compute(password, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	start := time.Now()
	key := argon2.IDKey(password, salt, t, m, p, n)
	lastCost.Store(int64(time.Since(start)))
	return key
}

// Pretend costs about as long as checking a password, for an email with no account, so the
// answer's timing does not tell whether the account exists. It computes only on a slot that
// is free now and otherwise waits as long as a computation takes: made-up emails never
// queue ahead of real people's sign-ins. Its result is thrown away, so any salt will do.
func Pretend(password string) {
	select {
	case hashing <- struct{}{}:
		defer func() { <-hashing }()
		compute([]byte(password), pretendSalt, ArgonTime, ArgonMemory, ArgonThreads, keyLen)
	default:
		time.Sleep(time.Duration(lastCost.Load()))
	}
}

var pretendSalt = make([]byte, saltLen)

var b64 = base64.RawStdEncoding

// HashPassword returns a PHC-format argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := idKey([]byte(password), salt, ArgonTime, ArgonMemory, ArgonThreads, keyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, ArgonMemory, ArgonTime, ArgonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var ErrBadHash = errors.New("not an argon2id hash")

// CheckPassword tells whether password matches hash, comparing in constant time. ErrBusy
// means it could not be checked now.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, ErrBadHash
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got, err := idKey([]byte(password), salt, t, m, p, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
