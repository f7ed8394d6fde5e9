package reveal

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCommandsNameTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "Smith Household", "2025 Return (final) ñ.pdf")
	open, show := openCommand(p), showCommand(p)
	if open[len(open)-1] != p {
		t.Fatalf("open %v does not end with the file", open)
	}
	last := show[len(show)-1]
	switch runtime.GOOS {
	case "windows":
		if last != "/select,"+p {
			t.Fatalf("show %v", show)
		}
	case "darwin":
		if show[1] != "-R" || last != p {
			t.Fatalf("show %v", show)
		}
	default:
		if last != filepath.Dir(p) || !strings.Contains(show[0], "xdg-open") {
			t.Fatalf("show %v", show)
		}
	}
}

func TestMissingFileIsAClearError(t *testing.T) {
	err := Open(filepath.Join(t.TempDir(), "gone.pdf"))
	if err == nil || !strings.Contains(err.Error(), "not there") {
		t.Fatalf("got %v", err)
	}
}
