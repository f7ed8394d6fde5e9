// Package schedule is the staff side of appointments: the firm's schedule (set in Settings,
// pushed to the portal) and the bookings clients make there.
package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
	"portico/backend/slots"
)

const settingKey = "schedule"

type Service struct {
	Store *store.Store
	Now   func() time.Time
	Wake  func()
	Zone  string // this computer's time zone, the default for a new schedule
}

// Get returns the firm's schedule, or a sensible start: weekdays 9 to 5, one hour-long type.
func (s *Service) Get(ctx context.Context) (api.Schedule, error) {
	text, err := s.Store.Setting(ctx, settingKey)
	if err != nil {
		return api.Schedule{}, err
	}
	if text != "" {
		var sch api.Schedule
		err := json.Unmarshal([]byte(text), &sch)
		return sch, err
	}
	zone := s.Zone
	if zone == "" {
		zone = "UTC"
	}
	week := make([]api.DayHours, 7)
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = api.DayHours{Start: "09:00", End: "17:00"}
	}
	return api.Schedule{TimeZone: zone, Weekly: week, CancelHours: 24, HorizonDays: 30,
		Types: []api.AppointmentType{{ID: "meeting", Name: "Meeting", Minutes: 60}}}, nil
}

// Save checks and stores the schedule and queues it for the portal.
func (s *Service) Save(ctx context.Context, sch api.Schedule) (api.Schedule, error) {
	for i := range sch.Types {
		sch.Types[i].Name = strings.Join(strings.Fields(sch.Types[i].Name), " ")
		if sch.Types[i].ID == "" {
			sch.Types[i].ID = strings.ToLower(ulid.Make().String())
		}
	}
	if err := slots.Check(sch); err != nil {
		return sch, invalid.New("%s", err.Error())
	}
	data, err := json.Marshal(sch)
	if err != nil {
		return sch, err
	}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, settingKey, string(data)); err != nil {
			return err
		}
		return tx.AppendOp(ctx, store.Op{ID: ulid.Make().String(), Kind: api.KindSchedulePut, EntityID: api.ScheduleID,
			Data: data, CreatedAt: s.Now()})
	})
	if err != nil {
		return sch, err
	}
	if s.Wake != nil {
		s.Wake()
	}
	return sch, nil
}

// Upcoming lists the bookings that have not ended.
func (s *Service) Upcoming(ctx context.Context) ([]store.Booking, error) {
	return s.Store.Bookings(ctx, s.Now())
}

// Apply writes the schedule (saved on another desktop) or a booking from the feed.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	switch ch.Kind {
	case api.KindSchedulePut:
		return tx.SetSetting(ctx, settingKey, string(ch.Data))
	case api.KindBookingPut:
		var b api.Booking
		if err := json.Unmarshal(ch.Data, &b); err != nil {
			return fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		return tx.PutBooking(ctx, store.Booking{ID: ch.EntityID, Booking: b})
	}
	return fmt.Errorf("schedule: unknown change kind %q", ch.Kind)
}
