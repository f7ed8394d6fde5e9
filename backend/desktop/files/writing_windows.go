package files

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// heldForWriting tells whether another process has the file open for writing: Windows
// refuses an open that shares only reading while a handle with write access is open.
func heldForWriting(f *os.File) bool {
	name, err := windows.UTF16PtrFromString(f.Name())
	if err != nil {
		return false
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return errors.Is(err, windows.ERROR_SHARING_VIOLATION)
	}
	windows.CloseHandle(h)
	return false
}
