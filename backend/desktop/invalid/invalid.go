// Package invalid is the error the staff-side services return for a mistake in what staff
// entered: its text is written for them, and the UI shows it as it is. It is the contract's
// own error, so what the portal's rules refuse reads the same as what the desktop's do.
package invalid

import (
	"fmt"

	"portico/backend/api"
)

// Error is a mistake in staff input.
type Error = api.Invalid

// New words an Error like fmt.Sprintf.
func New(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }
