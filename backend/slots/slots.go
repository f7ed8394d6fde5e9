// Package slots works out (for the portal, and for the desktop to check what staff set) when a client can book: the firm's weekly hours, in its time
// zone, cut into appointments of one length, less what is already booked.
package slots

import (
	"fmt"
	"time"

	"portico/backend/api"
)

// Interval is a booked stretch of time.
type Interval struct{ Start, End time.Time }

// clock parses "HH:MM".
func clock(s string) (h, m int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	return t.Hour(), t.Minute(), nil
}

// Check says what is wrong with a schedule, in words for staff.
func Check(s api.Schedule) error {
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" {
		return fmt.Errorf("unknown time zone %q", s.TimeZone)
	}
	if len(s.Weekly) != 7 {
		return fmt.Errorf("the week needs 7 days, has %d", len(s.Weekly))
	}
	for i, d := range s.Weekly {
		if d.Start == "" && d.End == "" {
			continue
		}
		sh, sm, err := clock(d.Start)
		if err != nil {
			return fmt.Errorf("%s: %w", time.Weekday(i), err)
		}
		eh, em, err := clock(d.End)
		if err != nil {
			return fmt.Errorf("%s: %w", time.Weekday(i), err)
		}
		if eh*60+em <= sh*60+sm {
			return fmt.Errorf("%s: the day ends before it starts", time.Weekday(i))
		}
	}
	if s.Enabled && len(s.Types) == 0 {
		return fmt.Errorf("add at least one appointment type")
	}
	ids := map[string]bool{}
	for _, t := range s.Types {
		if t.ID == "" || ids[t.ID] || t.Name == "" || len(t.Name) > 100 || t.Minutes < 5 || t.Minutes > 8*60 {
			return fmt.Errorf("appointment type %q needs a name and 5 to 480 minutes", t.Name)
		}
		ids[t.ID] = true
	}
	if s.CancelHours < 0 || s.CancelHours > 24*30 || s.HorizonDays < 1 || s.HorizonDays > 365 {
		return fmt.Errorf("cancellation notice must be 0 to 720 hours and booking ahead 1 to 365 days")
	}
	return nil
}

// Open lists the start times of free appointments of the given length that begin at or
// after from and end by to. Each day's slots start at its opening time; a slot that
// overlaps a busy interval is left out. Days follow the wall clock of loc, across DST.
func Open(s api.Schedule, loc *time.Location, minutes int, from, to time.Time, busy []Interval) []time.Time {
	length := time.Duration(minutes) * time.Minute
	if length <= 0 || len(s.Weekly) != 7 {
		return nil
	}
	var out []time.Time
	day := time.Date(from.In(loc).Year(), from.In(loc).Month(), from.In(loc).Day(), 0, 0, 0, 0, loc)
	for ; day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		hours := s.Weekly[day.Weekday()]
		sh, sm, err1 := clock(hours.Start)
		eh, em, err2 := clock(hours.End)
		if err1 != nil || err2 != nil {
			continue // closed
		}
		end := time.Date(day.Year(), day.Month(), day.Day(), eh, em, 0, 0, loc)
		for t := time.Date(day.Year(), day.Month(), day.Day(), sh, sm, 0, 0, loc); !t.Add(length).After(end); t = t.Add(length) {
			if t.Before(from) || t.Add(length).After(to) || overlaps(t, t.Add(length), busy) {
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

func overlaps(start, end time.Time, busy []Interval) bool {
	for _, b := range busy {
		if start.Before(b.End) && b.Start.Before(end) {
			return true
		}
	}
	return false
}
