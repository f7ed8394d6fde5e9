// Package winstate remembers the main window's size and position between launches.
package winstate

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// State is the window as it was when the app closed.
type State struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
	Known     bool `json:"-"` // false: nothing was saved, let the OS place the window
}

// Sizes the app opens with, and the smallest it can be used at.
const (
	DefaultWidth, DefaultHeight = 1200, 800
	MinWidth, MinHeight         = 900, 600
	maxSide                     = 16384
)

// Load reads the saved state; a missing or damaged file gives the defaults.
func Load(path string) State {
	def := State{Width: DefaultWidth, Height: DefaultHeight}
	b, err := os.ReadFile(path)
	if err != nil {
		return def
	}
	var s State
	if json.Unmarshal(b, &s) != nil {
		return def
	}
	if s.Width < MinWidth || s.Height < MinHeight || s.Width > maxSide || s.Height > maxSide {
		s.Width, s.Height = DefaultWidth, DefaultHeight
	}
	// A window saved on a monitor since unplugged must not open out of reach.
	if s.X < -s.Width/2 || s.Y < 0 || s.X > maxSide || s.Y > maxSide {
		s.X, s.Y = 0, 0
		return State{Width: s.Width, Height: s.Height, Maximised: s.Maximised}
	}
	s.Known = true
	return s
}

// Save writes the state atomically so a crash mid-write leaves the old file.
func Save(path string, s State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
