package slots

import (
	"strings"
	"testing"
	"time"

	"portico/backend/api"
)

func week(start, end string, days ...time.Weekday) []api.DayHours {
	w := make([]api.DayHours, 7)
	for _, d := range days {
		w[d] = api.DayHours{Start: start, End: end}
	}
	return w
}

func TestOpen(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	s := api.Schedule{TimeZone: "America/New_York", Weekly: week("09:00", "11:00", time.Monday, time.Wednesday)}
	mon := time.Date(2027, 1, 4, 0, 0, 0, 0, ny) // a Monday
	at := func(day, h, m int) time.Time { return time.Date(2027, 1, day, h, m, 0, 0, ny) }
	tests := []struct {
		name     string
		minutes  int
		from, to time.Time
		busy     []Interval
		want     []time.Time
	}{
		{"hour slots over a week", 60, mon, mon.AddDate(0, 0, 7), nil,
			[]time.Time{at(4, 9, 0), at(4, 10, 0), at(6, 9, 0), at(6, 10, 0)}},
		{"from mid-morning", 60, at(4, 9, 30), at(5, 0, 0), nil, []time.Time{at(4, 10, 0)}},
		{"a booking takes its slot and the overlapping one", 45, mon, at(5, 0, 0),
			[]Interval{{at(4, 9, 30), at(4, 10, 0)}}, nil}, // 9:00 and 9:45 overlap; 10:30 would end after 11:00
		{"half hours", 30, mon, at(5, 0, 0), []Interval{{at(4, 9, 30), at(4, 10, 0)}},
			[]time.Time{at(4, 9, 0), at(4, 10, 0), at(4, 10, 30)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Open(s, ny, tt.minutes, tt.from, tt.to, tt.busy)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Fatalf("slot %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestOpenFollowsTheWallClockAcrossDST(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	s := api.Schedule{Weekly: week("09:00", "10:00", time.Sunday, time.Monday)}
	// DST began on Sunday 14 March 2027 at 2:00.
	got := Open(s, ny, 60, time.Date(2027, 3, 14, 0, 0, 0, 0, ny), time.Date(2027, 3, 16, 0, 0, 0, 0, ny), nil)
	if len(got) != 2 || got[0].In(ny).Hour() != 9 || got[1].In(ny).Hour() != 9 || got[1].Sub(got[0]) != 24*time.Hour {
		t.Fatalf("got %v", got)
	}
	if _, off := got[0].In(ny).Zone(); off != -4*3600 {
		t.Fatalf("Sunday 9:00 offset %d, want EDT", off)
	}
}

func TestCheck(t *testing.T) {
	good := api.Schedule{Enabled: true, TimeZone: "Europe/Madrid", Weekly: week("09:00", "17:00", time.Monday),
		Types: []api.AppointmentType{{ID: "a", Name: "Tax review", Minutes: 60}}, CancelHours: 24, HorizonDays: 30}
	if err := Check(good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*api.Schedule)
		want   string
	}{
		{"zone", func(s *api.Schedule) { s.TimeZone = "Mars/Olympus" }, "unknown time zone"},
		{"six days", func(s *api.Schedule) { s.Weekly = s.Weekly[:6] }, "7 days"},
		{"bad time", func(s *api.Schedule) { s.Weekly[1].End = "25:00" }, "not a time of day"},
		{"backwards", func(s *api.Schedule) { s.Weekly[1] = api.DayHours{Start: "17:00", End: "09:00"} }, "ends before it starts"},
		{"no types", func(s *api.Schedule) { s.Types = nil }, "at least one appointment type"},
		{"short type", func(s *api.Schedule) { s.Types[0].Minutes = 1 }, "5 to 480 minutes"},
		{"horizon", func(s *api.Schedule) { s.HorizonDays = 0 }, "booking ahead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			s.Weekly = append([]api.DayHours(nil), good.Weekly...)
			s.Types = append([]api.AppointmentType(nil), good.Types...)
			tt.change(&s)
			if err := Check(s); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Check = %v, want %q", err, tt.want)
			}
		})
	}
}
