package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/oklog/ulid/v2"

	ics "github.com/arran4/golang-ical"

	"portico/backend/api"
	"portico/backend/portal/db"
	"portico/backend/portal/mail"
	"portico/backend/slots"
)

type slotDay struct {
	Label string
	Slots []slotChoice
}

type slotChoice struct{ Value, Label string }

type bookingLine struct {
	ID, Type, When, Client string
	Cancelled, CanCancel   bool
}

type scheduleData struct {
	Types       []api.AppointmentType
	Type        *api.AppointmentType
	Days        []slotDay
	Bookings    []bookingLine
	Clients     []db.ClientName
	Zone        string
	CancelHours int
}

// schedule loads the firm's schedule, answering 404 when the firm does not take bookings.
func (w *Web) scheduleOf(rw http.ResponseWriter, r *http.Request, s db.Session) (api.Schedule, *time.Location, bool) {
	sch, err := w.DB.Schedule(r.Context(), s.User.FirmID)
	if err != nil {
		w.fail(rw, r, err)
		return sch, nil, false
	}
	loc, err := time.LoadLocation(sch.TimeZone)
	if !sch.Enabled || err != nil {
		w.notFound(rw, r, &s.User)
		return sch, nil, false
	}
	return sch, loc, true
}

func (w *Web) schedulePage(rw http.ResponseWriter, r *http.Request, s db.Session) {
	w.showSchedule(rw, r, s, http.StatusOK, r.URL.Query().Get("type"), "", notices[r.URL.Query().Get("done")])
}

func (w *Web) showSchedule(rw http.ResponseWriter, r *http.Request, s db.Session, status int, typeID, errMsg, notice string) {
	sch, loc, ok := w.scheduleOf(rw, r, s)
	if !ok {
		return
	}
	now := w.Now()
	d := scheduleData{Types: sch.Types, Zone: loc.String(), CancelHours: sch.CancelHours}
	if len(sch.Types) == 1 {
		typeID = sch.Types[0].ID
	}
	for i := range sch.Types {
		if sch.Types[i].ID == typeID {
			d.Type = &sch.Types[i]
		}
	}
	if d.Type != nil {
		from, to := now.Add(time.Hour), now.AddDate(0, 0, sch.HorizonDays)
		busy, err := w.DB.Busy(r.Context(), s.User.FirmID, from, to)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		for _, t := range slots.Open(sch, loc, d.Type.Minutes, from, to, busy) {
			label := t.In(loc).Format("Monday, January 2")
			if len(d.Days) == 0 || d.Days[len(d.Days)-1].Label != label {
				d.Days = append(d.Days, slotDay{Label: label})
			}
			day := &d.Days[len(d.Days)-1]
			day.Slots = append(day.Slots, slotChoice{Value: t.UTC().Format(time.RFC3339), Label: t.In(loc).Format("3:04 PM")})
		}
	}
	bookings, err := w.DB.UserBookings(r.Context(), s.User, now)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, b := range bookings {
		d.Bookings = append(d.Bookings, bookingLine{ID: b.ID, Type: b.TypeName, Client: b.ClientName,
			When:      b.Start.In(loc).Format("Monday, January 2, 3:04 PM") + " (" + loc.String() + ")",
			Cancelled: b.State == api.BookingCancelled,
			CanCancel: b.State == api.BookingBooked && !b.Start.Before(now.Add(time.Duration(sch.CancelHours)*time.Hour))})
	}
	d.Clients, _ = w.DB.ClientNames(r.Context(), s.User)
	w.render(rw, r, status, "schedule", page{Title: "Schedule", User: &s.User, Error: errMsg, Notice: notice, Data: d})
}

func (w *Web) book(rw http.ResponseWriter, r *http.Request, s db.Session) {
	sch, loc, ok := w.scheduleOf(rw, r, s)
	if !ok {
		return
	}
	typeID := r.PostFormValue("type")
	var typ *api.AppointmentType
	for i := range sch.Types {
		if sch.Types[i].ID == typeID {
			typ = &sch.Types[i]
		}
	}
	start, err := time.Parse(time.RFC3339, r.PostFormValue("start"))
	if typ == nil || err != nil {
		w.showSchedule(rw, r, s, http.StatusUnprocessableEntity, typeID, "Choose the kind of appointment and a time.", "")
		return
	}
	clientID := r.PostFormValue("client")
	if clientID == "" && len(s.User.ClientIDs) > 0 {
		clientID = s.User.ClientIDs[0]
	}
	clientName, err := w.DB.ClientName(r.Context(), s.User.FirmID, clientID)
	if err != nil || !containsID(s.User.ClientIDs, clientID) {
		w.showSchedule(rw, r, s, http.StatusUnprocessableEntity, typeID, "Choose whom the appointment is for.", "")
		return
	}
	// Only a time the schedule offers right now can be booked.
	now := w.Now()
	offered := false
	for _, t := range slots.Open(sch, loc, typ.Minutes, now.Add(time.Hour), now.AddDate(0, 0, sch.HorizonDays), nil) {
		offered = offered || t.Equal(start)
	}
	if !offered {
		w.showSchedule(rw, r, s, http.StatusUnprocessableEntity, typeID, "That time is not offered. Choose one of the times below.", "")
		return
	}
	b := api.Booking{ClientID: clientID, ClientName: clientName, Email: s.User.Email, TypeID: typ.ID, TypeName: typ.Name,
		Start: start.UTC(), End: start.Add(time.Duration(typ.Minutes) * time.Minute).UTC(), State: api.BookingBooked}
	id := ulid.Make().String()
	confirmation, err := w.bookingMail(s.User, b, loc, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	err = w.DB.Book(r.Context(), s.User, id, b, confirmation, event(r, "booking.made", typ.Name+" "+start.In(loc).Format("2006-01-02 15:04")))
	if errors.Is(err, db.ErrSlotTaken) {
		w.showSchedule(rw, r, s, http.StatusConflict, typeID, "Someone booked that time a moment ago. Choose another.", "")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/schedule?done=booked", http.StatusSeeOther)
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (w *Web) cancelBooking(rw http.ResponseWriter, r *http.Request, s db.Session) {
	sch, _, ok := w.scheduleOf(rw, r, s)
	if !ok {
		return
	}
	err := w.DB.CancelBooking(r.Context(), s.User, r.PathValue("id"), w.Now().Add(time.Duration(sch.CancelHours)*time.Hour),
		event(r, "booking.cancelled", r.PathValue("id")))
	switch {
	case errors.Is(err, db.ErrNotFound):
		w.notFound(rw, r, &s.User)
	case errors.Is(err, db.ErrTooLate):
		w.showSchedule(rw, r, s, http.StatusConflict, "", fmt.Sprintf(
			"Appointments can be cancelled online until %d hours before. Please call %s.", sch.CancelHours, s.User.FirmName), "")
	case err != nil:
		w.fail(rw, r, err)
	default:
		http.Redirect(rw, r, "/schedule?done=cancelled", http.StatusSeeOther)
	}
}

// bookingMail is the confirmation, with the appointment as an iCalendar file in the
// firm's time zone.
func (w *Web) bookingMail(u db.User, b api.Booking, loc *time.Location, id string) (mail.Message, error) {
	when := b.Start.In(loc).Format("Monday, January 2, 2006 at 3:04 PM") + " (" + loc.String() + ")"
	msg, err := w.composeMail(u.FirmName, u.Name, u.Email, "Appointment confirmed: "+b.TypeName+", "+b.Start.In(loc).Format("Jan 2 3:04 PM"),
		"booking", struct{ Firm, Type, When, Client, Link string }{u.FirmName, b.TypeName, when, b.ClientName, w.BaseURL + "/schedule"})
	if err != nil {
		return msg, err
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Portico//Client portal//EN")
	ev := cal.AddEvent(id + "@portico")
	ev.SetDtStampTime(w.Now().UTC())
	ev.SetProperty(ics.ComponentPropertyDtStart, b.Start.In(loc).Format("20060102T150405"), ics.WithTZID(loc.String()))
	ev.SetProperty(ics.ComponentPropertyDtEnd, b.End.In(loc).Format("20060102T150405"), ics.WithTZID(loc.String()))
	ev.SetSummary(b.TypeName + " with " + u.FirmName)
	ev.SetDescription(b.TypeName + " for " + b.ClientName + ". Booked in the client portal: " + w.BaseURL + "/schedule")
	msg.Attachments = []mail.Attachment{{Name: "appointment.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
		Data: []byte(cal.Serialize())}}
	return msg, nil
}
