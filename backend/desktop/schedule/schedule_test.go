package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

func TestScheduleSaveAndBookings(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	s := &Service{Store: st, Now: func() time.Time { return now }, Zone: "Europe/Madrid"}
	sch, err := s.Get(ctx)
	if err != nil || sch.Enabled || sch.TimeZone != "Europe/Madrid" || sch.Weekly[time.Monday].Start != "09:00" {
		t.Fatalf("default %+v, %v", sch, err)
	}
	sch.Enabled = true
	sch.Types = append(sch.Types, api.AppointmentType{Name: "  Tax   review ", Minutes: 45})
	sch.Weekly[time.Saturday] = api.DayHours{Start: "12:00", End: "10:00"}
	_, err = s.Save(ctx, sch)
	var inv *invalid.Error
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "ends before it starts") {
		t.Fatalf("Save backwards day = %v", err)
	}
	sch.Weekly[time.Saturday] = api.DayHours{}
	saved, err := s.Save(ctx, sch)
	if err != nil || saved.Types[1].ID == "" || saved.Types[1].Name != "Tax review" {
		t.Fatalf("Save = %+v, %v", saved, err)
	}
	if got, _ := s.Get(ctx); !got.Enabled || len(got.Types) != 2 {
		t.Fatalf("Get after save %+v", got)
	}
	if ops, _ := st.PendingOpsOf(ctx, api.KindSchedulePut, api.ScheduleID); len(ops) != 1 {
		t.Fatalf("%d ops", len(ops))
	}
	b := api.Booking{ClientID: "c1", ClientName: "Ana & Luis", Email: "ana@x.test", TypeName: "Tax review",
		Start: now.Add(48 * time.Hour), End: now.Add(49 * time.Hour), State: api.BookingBooked}
	data, _ := json.Marshal(b)
	if err := st.WithTx(ctx, func(tx *store.Tx) error {
		return s.Apply(ctx, tx, api.Change{Kind: api.KindBookingPut, EntityID: "b1", Data: data})
	}); err != nil {
		t.Fatal(err)
	}
	up, err := s.Upcoming(ctx)
	if err != nil || len(up) != 1 || up[0].ClientName != "Ana & Luis" || !up[0].Start.Equal(b.Start) {
		t.Fatalf("Upcoming = %+v, %v", up, err)
	}
}
