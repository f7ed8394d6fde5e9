package library

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestXDGDocuments(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name, dirs, want string
	}{
		{"no user-dirs file", "", filepath.Join(home, "Documents")},
		{"relative to home", `XDG_DOCUMENTS_DIR="$HOME/Dokumente"`, filepath.Join(home, "Dokumente")},
		{"absolute with spaces and accents", `XDG_DOCUMENTS_DIR="/srv/Mes Documents – Société"`, "/srv/Mes Documents – Société"},
		{"disabled (points at home)", `XDG_DOCUMENTS_DIR="$HOME/"`, filepath.Join(home, "Documents")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := t.TempDir()
			if tt.dirs != "" {
				os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("# written by xdg-user-dirs-update\n"+tt.dirs+"\n"), 0o600)
			}
			if got := xdgDocuments(home, cfg); got != tt.want {
				t.Fatalf("xdgDocuments = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDefaultDirIsUsable(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Linux layout")
	}
	home := t.TempDir()
	t.Setenv("HOME", filepath.Join(home, "Ånna Şahin's home"))
	t.Setenv("XDG_CONFIG_HOME", "")
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "Ånna Şahin's home", "Documents", "Portico"); dir != want {
		t.Fatalf("DefaultDir = %q, want %q", dir, want)
	}
	client := filepath.Join(dir, "Müller & Söhne GmbH", "Shared with client")
	if err := os.MkdirAll(LongPath(client), 0o755); err != nil {
		t.Fatalf("a client folder with spaces and non-ASCII: %v", err)
	}
}
