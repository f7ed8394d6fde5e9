package api

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	tests := []struct {
		os, in, want string
	}{
		// Names Windows refuses.
		{"windows", `Q3: "final" <draft>?.pdf`, `Q3_ _final_ _draft__.pdf`},
		{"windows", `a/b\c|d*e.txt`, `a_b_c_d_e.txt`},
		{"windows", "CON", "_CON"},
		{"windows", "con.txt", "_con.txt"},
		{"windows", "Lpt1.tar.gz", "_Lpt1.tar.gz"},
		{"windows", "COM¹.log", "_COM¹.log"},
		{"windows", "CONSOLE.txt", "CONSOLE.txt"},
		{"windows", "COM10.txt", "COM10.txt"},
		{"windows", "report.", "report"},
		{"windows", "report . . ", "report"},
		{"windows", "tab\there", "tab_here"},
		// Names that disguise their type or hide characters.
		{"any", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"any", "\u2067report\u2069.pdf\u200E", "report.pdf"},
		{"any", "tax\u200Breturn\uFEFF.pdf", "taxreturn.pdf"},
		{"any", "می\u200Cخواهم.pdf", "می\u200Cخواهم.pdf"},
		// Names macOS makes: NFD from the file system, colons that Finder shows as slashes.
		{"darwin", "Mu\u0308ller.pdf", "Müller.pdf"},
		{"darwin", "2026:11:26 scan.pdf", "2026_11_26 scan.pdf"},
		{"darwin", ".DS_Store", ".DS_Store"},
		// Names Linux allows and others do not.
		{"linux", "new\nline.txt", "new_line.txt"},
		{"linux", "   ", "_"},
		{"linux", "...", "_"},
		{"linux", "bad\xffutf8.txt", "bad_utf8.txt"},
		// Everyday names stay as they are.
		{"any", "2025 Form 1040 – Smith, J. (signed).pdf", "2025 Form 1040 – Smith, J. (signed).pdf"},
		{"any", "Ελληνικά Кириллица 日本.docx", "Ελληνικά Кириллица 日本.docx"},
	}
	for _, tt := range tests {
		t.Run(tt.os+"/"+tt.in, func(t *testing.T) {
			if got := SafeName(tt.in); got != tt.want {
				t.Fatalf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := SafeName(tt.want); again != tt.want {
				t.Fatalf("Safe is not idempotent: %q -> %q", tt.want, again)
			}
		})
	}
}

func TestSafeNameTruncatesKeepingExtension(t *testing.T) {
	long := strings.Repeat("ä", 200) + ".pdf" // 404 bytes
	got := SafeName(long)
	if len(got) > MaxNameBytes || !strings.HasSuffix(got, ".pdf") || !utf8.ValidString(got) {
		t.Fatalf("SafeName(long) = %q (%d bytes)", got, len(got))
	}
}

func TestSafeRelPath(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"Taxes/2025/W-2.pdf", "Taxes/2025/W-2.pdf", false},
		{`Taxes\2025\aux.pdf`, "Taxes/2025/_aux.pdf", false},
		{"a//b", "a/b", false},
		{"../etc/passwd", "", true},
		{"a/../../b", "", true},
		{"/etc/passwd", "", true},
		{`C:\Windows\win.ini`, "", true},
		{`\\server\share`, "", true},
		{"./a", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := SafeRelPath(tt.in)
		var unsafe *ErrUnsafePath
		if tt.bad != errors.As(err, &unsafe) || got != tt.want {
			t.Errorf("SafeRelPath(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"CON", "a:b", "x.", "Mu\u0308ller", strings.Repeat("é", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeName(s)
		if got == "" || len(got) > MaxNameBytes || !utf8.ValidString(got) || strings.ContainsAny(got, `<>:"/\|?*`) ||
			strings.HasSuffix(got, ".") || strings.HasSuffix(got, " ") || reserved(got) {
			t.Fatalf("SafeName(%q) = %q is not safe", s, got)
		}
	})
}
