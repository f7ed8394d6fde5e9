//go:build !windows

package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// entryPath is where the OS looks for the app's autostart entry.
func entryPath(a App) (string, error) {
	if runtime.GOOS == "darwin" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "LaunchAgents", a.ID+".plist"), nil
	}
	cfg, err := os.UserConfigDir() // $XDG_CONFIG_HOME or ~/.config
	if err != nil {
		return "", err
	}
	return filepath.Join(cfg, "autostart", a.ID+".desktop"), nil
}

func entry(a App) string {
	if runtime.GOOS == "darwin" {
		return launchAgent(a)
	}
	return desktopEntry(a)
}

// Enabled tells whether the app starts at sign-in.
func Enabled(a App) (bool, error) {
	p, err := entryPath(a)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Enable makes the app start at sign-in; it rewrites the entry so a moved app still starts.
func Enable(a App) error {
	p, err := entryPath(a)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := os.WriteFile(p, []byte(entry(a)), 0o644); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// Disable stops starting the app at sign-in.
func Disable(a App) error {
	p, err := entryPath(a)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}
