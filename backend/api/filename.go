// Package filename makes file names safe on every OS a firm's staff or clients use: a name
// legal on one (a colon from a Mac, "CON.pdf" from anywhere) must not break another.
package api

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameBytes is the longest name most file systems take (NTFS counts UTF-16 units, ext4 and
// APFS bytes; 255 bytes of UTF-8 fits all three).
const MaxNameBytes = 255

// Safe returns name changed as little as possible so that Windows, macOS and Linux all
// accept it and reads it as it is: characters Windows forbids and control characters become
// "_", bidi controls and zero-width marks go, trailing dots
// and spaces go, reserved device names get a "_" prefix, the name is NFC (macOS hands out
// NFD), and an over-long name is cut, keeping its extension.
func SafeName(name string) string {
	name = norm.NFC.String(strings.ToValidUTF8(name, "_"))
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"/\|?*`, r) {
			b.WriteRune('_')
			continue
		}
		if invisible(r) {
			continue
		}
		b.WriteRune(r)
	}
	name = strings.TrimRightFunc(b.String(), func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
	name = strings.TrimLeftFunc(name, unicode.IsSpace)
	if name == "" {
		return "_"
	}
	if reserved(name) {
		name = "_" + name
	}
	return truncate(name, MaxNameBytes)
}

// invisible tells the characters that change how a name reads without showing: bidi
// controls ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf") and zero-width marks. The
// zero-width joiner and non-joiner stay: Persian, Indic scripts and emoji need them, and
// they cannot reorder what is shown.
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u2061', '\u2062', '\u2063', '\u2064':
		return true
	}
	return unicode.Is(unicode.Bidi_Control, r)
}

// reserved tells whether Windows treats the name as a device, with or without extension.
func reserved(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		c := base[3]
		return c >= '0' && c <= '9'
	}
	if strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT") {
		// Superscript digits count too: COM¹, LPT³.
		rest := strings.TrimPrefix(strings.TrimPrefix(base, "COM"), "LPT")
		return rest == "¹" || rest == "²" || rest == "³"
	}
	return false
}

// truncate cuts name to at most max bytes on a rune boundary, keeping a short extension.
func truncate(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
		ext = name[i:]
		name = name[:i]
	}
	keep := max - len(ext)
	for keep > 0 && !utf8.RuneStart(name[keep]) {
		keep--
	}
	return strings.TrimRight(name[:keep], ". ") + ext
}

// ErrUnsafePath is returned for a relative path that would leave its folder.
type ErrUnsafePath struct{ Path string }

func (e *ErrUnsafePath) Error() string {
	return "refusing the path " + e.Path + ": it leaves its folder"
}

// SafeRelPath makes every element of a slash- or backslash-separated relative path Safe and
// refuses absolute paths and any ".." element, so nothing lands outside its folder.
func SafeRelPath(p string) (string, error) {
	parts := strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' })
	if strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) || (len(p) > 1 && p[1] == ':') || len(parts) == 0 {
		return "", &ErrUnsafePath{Path: p}
	}
	for i, part := range parts {
		if part == ".." || part == "." {
			return "", &ErrUnsafePath{Path: p}
		}
		parts[i] = SafeName(part)
	}
	return strings.Join(parts, "/"), nil
}
