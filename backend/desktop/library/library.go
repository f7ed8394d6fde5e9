// Package library finds the firm library: the folder on disk with a folder per client.
package library

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// FolderName is the library's name inside the user's documents folder.
const FolderName = "Portico"

// DefaultDir is Portico inside the user's documents folder: the Documents known folder on
// Windows (wherever IT redirected it), ~/Documents on macOS, the XDG documents dir on Linux.
func DefaultDir() (string, error) {
	docs, err := documentsDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(docs, FolderName), nil
}

// xdgDocuments reads XDG_DOCUMENTS_DIR from user-dirs.dirs, as xdg-user-dir does.
func xdgDocuments(home, configHome string) string {
	if configHome == "" {
		configHome = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(configHome, "user-dirs.dirs"))
	if err != nil {
		return filepath.Join(home, "Documents")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		v, ok := strings.CutPrefix(line, "XDG_DOCUMENTS_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if filepath.IsAbs(v) && filepath.Clean(v) != filepath.Clean(home) {
			return v
		}
	}
	return filepath.Join(home, "Documents")
}
