//go:build !windows

package library

import (
	"os"
	"path/filepath"
	"runtime"
)

func documentsDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Documents"), nil
	}
	return xdgDocuments(home, os.Getenv("XDG_CONFIG_HOME")), nil
}

// LongPath is p itself: only Windows limits paths to 260 characters.
func LongPath(p string) string { return p }
