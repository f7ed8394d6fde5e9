// Package invalid is the error the staff-side services return for a mistake in what staff
// entered: its text is written for them, and the UI shows it as it is.
package invalid

import "fmt"

// Error is a mistake in staff input.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// New words an Error like fmt.Sprintf.
func New(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }
