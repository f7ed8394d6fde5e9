// Package testtool finds the outside programs tests check their results with (pdfsig, qpdf,
// oathtool, Mailpit). Without one a developer's go test skips the test; make test (and CI)
// sets PORTICO_REQUIRE_TOOLS, and there a missing tool fails it: a check that silently did
// not run is not a check.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Required tells whether a missing tool fails the test rather than skipping it.
func Required() bool { return os.Getenv("PORTICO_REQUIRE_TOOLS") != "" || os.Getenv("CI") != "" }

// Need returns the path of name, or ends the test: skipped, or failed when tools are required.
func Need(t testing.TB, name, from string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if Required() {
		t.Fatalf("%s is not installed (%s); make test installs it", name, from)
	}
	t.Skipf("%s is not installed (%s); make test installs it", name, from)
	return ""
}
