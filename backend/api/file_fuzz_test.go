package api

import (
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCheckFile: whatever a desktop sends, a file that passes File.Check lands inside its
// client's folder, under a name every OS accepts.
func FuzzCheckFile(f *testing.F) {
	for _, seed := range [][2]string{{"", "Return.pdf"}, {"2025/Q1", "a.pdf"}, {"..", "x"}, {"a/../..", "b"},
		{"", "CON"}, {"", "a:b"}, {"x//y", "c"}, {"", "..."}, {`a\b`, "c"}, {"", " spaced "}} {
		f.Add(seed[0], seed[1])
	}
	sha := strings.Repeat("ab", 32)
	f.Fuzz(func(t *testing.T, dir, name string) {
		file := File{ClientID: "c1", Dir: dir, Name: name, SHA256: sha, Source: SourceFirm}
		if file.Check() != nil {
			return
		}
		p := path.Join(dir, name)
		if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, `\`) || strings.HasPrefix(p, "/") {
			t.Fatalf("File.Check accepted dir %q name %q: %q leaves the folder", dir, name, p)
		}
		for _, part := range strings.Split(p, "/") {
			if part == "" || part == "." || part == ".." || strings.ContainsAny(part, `<>:"|?*`) {
				t.Fatalf("File.Check accepted the part %q of %q", part, p)
			}
		}
	})
}
