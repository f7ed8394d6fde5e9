package seal_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"portico/backend/seal"
)

// TestMain points HOME (and the XDG directories) at an empty directory and fails the run
// if anything was written there: pdfcpu keeps its config and fonts under the user's
// config dir unless told not to, and a server must not grow files in a home directory.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "seal-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"} {
		os.Setenv(v, filepath.Join(home, v))
	}
	// Once, before any test: setting it while a seal runs (TestConcurrentSeals) is a race.
	api.DisableConfigDir()
	code := m.Run()
	if dir := seal.InstalledFontDir(); dir != "" {
		os.RemoveAll(dir)
	}
	var written []string
	filepath.WalkDir(home, func(path string, d os.DirEntry, err error) error {
		if path != home {
			written = append(written, path)
		}
		return nil
	})
	os.RemoveAll(home)
	if len(written) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the tests wrote under $HOME: %v\n", written)
		code = 1
	}
	os.Exit(code)
}
