//go:build !windows && !darwin

package reveal

import "path/filepath"

// xdg-open picks the desktop's app; file managers differ in how they select a file, so the
// folder is opened instead.
func openCommand(path string) []string { return []string{"xdg-open", path} }
func showCommand(path string) []string { return []string{"xdg-open", filepath.Dir(path)} }
