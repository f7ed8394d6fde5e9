package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portico/backend/testkit/pdftest"
)

// A check creates nothing: portald verify without --data, in a folder that holds no
// portal, says where it looked and leaves the folder as it was.
func TestVerifyCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	pdf := filepath.Join(dir, "return.pdf")
	if err := os.WriteFile(pdf, pdftest.Make(pdftest.Letter("Return")), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{{"return.pdf"}, {"--data", filepath.Join(dir, "elsewhere"), "return.pdf"}} {
		err := verify(args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "no portal database") || !strings.Contains(err.Error(), "--data") {
			t.Errorf("verify %v: %v", args, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the folder after the checks holds %d entries, want only the PDF", len(entries))
	}
}
