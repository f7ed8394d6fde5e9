package files

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// heldForWriting tells whether another open of the file may still write to it: Linux refuses
// a read lease while any descriptor has the file open for writing. A file system without
// leases (some network shares) says nothing here; the settle time and the check after
// sending cover it.
func heldForWriting(f *os.File) bool {
	_, err := unix.FcntlInt(f.Fd(), unix.F_SETLEASE, unix.F_RDLCK)
	if err == nil {
		unix.FcntlInt(f.Fd(), unix.F_SETLEASE, unix.F_UNLCK)
		return false
	}
	return errors.Is(err, unix.EAGAIN)
}
