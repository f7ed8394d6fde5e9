// Package layout holds the rules that keep Portico's two programs apart, checked against
// the import graph by its test (make test runs it):
//
//   - only app/ (and the root package) imports Wails;
//   - backend/desktop/… and backend/portal/… never import each other;
//   - the shared packages directly in backend/ import neither program's packages;
//   - backend/api, the contract, imports nothing of ours: the standard library, and
//     golang.org/x/text for Unicode normalization of file names;
//   - only tests import backend/testkit/….
package layout

import (
	"fmt"
	"strings"
)

// Package is what the rules read of one package.
type Package struct {
	ImportPath string
	Imports    []string // of the package itself, tests excluded
}

const module = "portico/"

// area names where a package of ours lives.
func area(path string) string {
	rel, ok := strings.CutPrefix(path, module)
	if !ok {
		if path == "portico" {
			return "root"
		}
		return "outside"
	}
	switch {
	case rel == "app" || strings.HasPrefix(rel, "app/"):
		return "app"
	case strings.HasPrefix(rel, "cmd/"):
		return "cmd"
	case rel == "backend/api":
		return "api"
	case rel == "backend/desktop" || strings.HasPrefix(rel, "backend/desktop/"):
		return "desktop"
	case rel == "backend/portal" || strings.HasPrefix(rel, "backend/portal/"):
		return "portal"
	case strings.HasPrefix(rel, "backend/testkit/"):
		return "testkit"
	case strings.HasPrefix(rel, "backend/"):
		return "shared"
	}
	return "other"
}

// Check returns every broken rule, one line each.
func Check(pkgs []Package) []string {
	var broken []string
	for _, p := range pkgs {
		from := area(p.ImportPath)
		for _, imp := range p.Imports {
			to := area(imp)
			why := ""
			switch {
			case strings.HasPrefix(imp, "github.com/wailsapp/") && from != "app" && from != "root":
				why = "only app/ talks to Wails"
			case from == "desktop" && to == "portal", from == "portal" && to == "desktop":
				why = "the desktop and portald share only what is directly in backend/"
			case from == "shared" && (to == "desktop" || to == "portal"):
				why = "a shared package belongs to neither program"
			case from == "api" && to != "outside",
				from == "api" && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") && !strings.HasPrefix(imp, "golang.org/x/text/"):
				why = "the contract imports nothing of ours, and of others only golang.org/x/text"
			case to == "testkit" && from != "testkit":
				why = "test kits are for tests"
			}
			if why != "" {
				broken = append(broken, fmt.Sprintf("%s imports %s: %s", p.ImportPath, imp, why))
			}
		}
	}
	return broken
}
