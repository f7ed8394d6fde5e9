package seal

import (
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/font"
)

// SetTSABackoff shortens the wait between TSA tries for a test; it returns the undo.
func SetTSABackoff(d time.Duration) func() {
	old := tsaBackoff
	tsaBackoff = d
	return func() { tsaBackoff = old }
}

// UnclosedSaves exposes the content scanner to tests.
var UnclosedSaves = unclosedSaves

// InstalledFontDir is the directory the fonts were installed into, "" before the first
// Seal; tests remove it when they finish.
func InstalledFontDir() string {
	if fontsInstalled.Load() {
		return font.UserFontDir
	}
	return ""
}
