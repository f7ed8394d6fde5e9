package layout

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"testing"
)

// TestTheImportGraphKeepsTheRules reads the module's import graph with go list and fails on
// any import the rules forbid.
func TestTheImportGraphKeepsTheRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "portico/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p Package
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 30 {
		t.Fatalf("go list found %d packages: not the whole module", len(pkgs))
	}
	for _, broken := range Check(pkgs) {
		t.Error(broken)
	}
}

// Each rule catches the import it forbids, and lets the allowed ones through.
func TestRules(t *testing.T) {
	for _, tt := range []struct {
		from, imp string
		broken    bool
	}{
		{"portico/backend/desktop/files", "github.com/wailsapp/wails/v2/pkg/runtime", true},
		{"portico/app", "github.com/wailsapp/wails/v2/pkg/runtime", false},
		{"portico/backend/desktop/syncer", "portico/backend/portal/db", true},
		{"portico/backend/portal/web", "portico/backend/desktop/store", true},
		{"portico/backend/seal", "portico/backend/portal/auth", true},
		{"portico/backend/seal", "portico/backend/api", false},
		{"portico/backend/api", "portico/backend/slots", true},
		{"portico/backend/api", "golang.org/x/text/unicode/norm", false},
		{"portico/backend/api", "github.com/oklog/ulid/v2", true},
		{"portico/backend/api", "unicode/utf8", false},
		{"portico/backend/desktop", "portico/backend/testkit/pdftest", true},
		{"portico/backend/testkit/mailpittest", "portico/backend/testkit/testtool", false},
		{"portico/cmd/portald", "portico/backend/portal/web", false},
	} {
		got := Check([]Package{{ImportPath: tt.from, Imports: []string{tt.imp}}})
		if (len(got) > 0) != tt.broken {
			t.Errorf("%s importing %s: %v, want broken %v", tt.from, tt.imp, got, tt.broken)
		}
	}
}
