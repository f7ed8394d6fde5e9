package seal

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// DejaVu Sans covers Latin, Greek and Cyrillic, so a signer's typed name renders as real
// glyphs whatever their alphabet; the oblique face stands in for handwriting on typed
// signatures and initials. License: fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Oblique.ttf
	dejaVuSansOblique []byte
)

// pdfcpu names an installed font by its PostScript name.
const (
	fontRegular = "DejaVuSans"
	fontOblique = "DejaVuSans-Oblique"
)

// metrics is what layout needs of a font, read once so that rendering a string never
// goes back to pdfcpu's font registry (which copies the whole glyph map on every call).
type metrics struct {
	name       string
	unitsPerEm float64
	ascent     float64 // per unit of font size, positive
	descent    float64 // per unit of font size, positive
	widths     []int
	chars      map[uint32]uint16
}

// gid returns the glyph of r, and false for a rune the font lacks (it is left out:
// DejaVu has no CJK, for one).
func (m *metrics) gid(r rune) (uint16, bool) {
	g, ok := m.chars[uint32(r)]
	return g, ok && g != 0
}

// width is the advance of s at size 1.
func (m *metrics) width(s string) float64 {
	var w int
	for _, r := range s {
		g, ok := m.gid(r)
		if !ok {
			continue
		}
		if int(g) < len(m.widths) {
			w += m.widths[g]
		} else if len(m.widths) > 0 {
			w += m.widths[len(m.widths)-1] // glyphs past hmtx's long metrics share the last advance
		}
	}
	return float64(w) / m.unitsPerEm
}

type fontSet struct {
	regular, oblique *metrics
}

// pdfcpu takes user fonts only from a directory, font.UserFontDir, a package variable.
// Left alone it would be ~/.config/pdfcpu/fonts and pdfcpu would write its config there,
// so every entry point first disables the config dir, and the first Seal installs the
// embedded fonts into a private directory (0700, from os.MkdirTemp) that this process
// owns. The setup runs once under sync.Once; after it pdfcpu only reads the directory,
// so concurrent Seals are safe. The directory (about 2 MB) stays for the life of the
// process because pdfcpu rereads the font program from it each time it embeds a subset.
var (
	configOnce     sync.Once
	fontsOnce      = sync.OnceValues(installFonts)
	fontsInstalled atomic.Bool
)

// FontDir is the parent of the directory the fonts are installed into; "" means
// os.TempDir(). Set it before the first Seal if the temporary directory is unsuitable.
var FontDir string

// newConf returns the pdfcpu configuration every operation here uses.
func newConf() *model.Configuration {
	configOnce.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	// Real-world PDFs are often slightly off the spec; relaxed is what viewers do too.
	conf.ValidationMode = model.ValidationRelaxed
	// Deduplicating fonts and images costs a full pass over the file and changes nothing
	// a signer sees; sealing must be fast on long documents.
	conf.Optimize = false
	conf.OptimizeBeforeWriting = false
	conf.OptimizeResourceDicts = false
	conf.CreateBookmarks = false
	conf.Offline = true
	conf.Limits.MaxDecodeBytes = maxDecoded
	return conf
}

func installFonts() (*fontSet, error) {
	configOnce.Do(api.DisableConfigDir)
	dir, err := os.MkdirTemp(FontDir, "portico-seal-fonts-")
	if err != nil {
		return nil, fmt.Errorf("seal: font directory: %w", err)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{fontRegular, dejaVuSans}, {fontOblique, dejaVuSansOblique}} {
		if err := font.InstallFontFromBytesQuiet(dir, f.name, f.data); err != nil {
			return nil, fmt.Errorf("seal: install font %s: %w", f.name, err)
		}
	}
	font.UserFontDir = dir
	fontsInstalled.Store(true)
	if err := font.ReloadUserFonts(); err != nil {
		return nil, fmt.Errorf("seal: load fonts: %w", err)
	}
	var fs fontSet
	for _, f := range []struct {
		name string
		dst  **metrics
	}{{fontRegular, &fs.regular}, {fontOblique, &fs.oblique}} {
		ttf, ok, err := font.UserFont(f.name)
		if err != nil {
			return nil, fmt.Errorf("seal: font %s: %w", f.name, err)
		}
		if !ok || len(ttf.GlyphWidths) == 0 {
			return nil, errors.New("seal: font " + f.name + " did not install")
		}
		// pdfcpu stores widths and vertical metrics in PDF glyph space, 1000 to the em,
		// whatever the font's own units.
		const upm = 1000.0
		*f.dst = &metrics{
			name:       f.name,
			unitsPerEm: upm,
			ascent:     float64(ttf.Ascent) / upm,
			descent:    -float64(ttf.Descent) / upm,
			widths:     ttf.GlyphWidths,
			chars:      ttf.Chars,
		}
	}
	return &fs, nil
}
