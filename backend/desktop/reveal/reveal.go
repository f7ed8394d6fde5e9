// Package reveal hands a file to the operating system: open it in the app the user chose
// for its type, or show it selected in Explorer or Finder.
package reveal

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Open opens path with the system's app for it.
func Open(path string) error { return run(openCommand(path)) }

// Show shows path in the system's file manager, selected where the OS can.
func Show(path string) error { return run(showCommand(path)) }

func run(argv []string) error {
	if len(argv) == 0 {
		return fmt.Errorf("this system cannot open files")
	}
	if _, err := os.Stat(argv[len(argv)-1]); err != nil && filepath.IsAbs(argv[len(argv)-1]) {
		return fmt.Errorf("the file is not there any more: %w", err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening %s: %w", filepath.Base(argv[len(argv)-1]), err)
	}
	go cmd.Wait() // the viewer lives on; only its exit status is collected
	return nil
}
