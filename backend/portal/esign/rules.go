// Package esign is portald's signing service: the rules a packet follows from the moment
// staff send it (who signs when, reminders, expiry, decline and void, the seal's tries),
// over portal/db, which only reads and writes. The rules are pure functions of what was
// read, so they are tested without a database.
package esign

import (
	"errors"
	"fmt"
	"time"

	"portico/backend/api"
	"portico/backend/portal/db"
)

// MaxReminders is how many reminders a signer gets at most.
const MaxReminders = 5

// SealTries is how many times a packet's seal is tried before it waits for staff.
const SealTries = 6

// Packet events, as the audit trail names them.
const (
	EventSent      = "sent"
	EventViewed    = "viewed"
	EventConsented = "consented"
	EventSigned    = "signed"
	EventDeclined  = "declined"
	EventReminded  = "reminded"
	EventVoided    = "voided"
	EventExpired   = "expired"
	EventCompleted = "completed"
)

// Errors the signing pages decide on.
var (
	ErrNotYourTurn   = errors.New("an earlier signer has not signed yet")
	ErrPacketEnded   = errors.New("this request is no longer open")
	ErrAlreadySigned = errors.New("you have already signed")
)

// expiryGrace is counted from the due day's midnight UTC: by then the day is over everywhere.
const expiryGrace = 36 * time.Hour

// Expiry is when a packet due on the day due (YYYY-MM-DD, checked by api.Packet.Check)
// stops; nil when it has no due day.
func Expiry(due string) *time.Time {
	if due == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, due)
	if err != nil {
		return nil
	}
	t := d.Add(expiryGrace)
	return &t
}

// FirstStates are the signers' states when a packet is sent: in order, only the first may
// sign; otherwise everyone at once.
func FirstStates(p api.Packet) []string {
	out := make([]string, len(p.Recipients))
	for i := range out {
		out[i] = api.SignerWaiting
		if !p.Ordered || i == 0 {
			out[i] = api.SignerSent
		}
	}
	return out
}

// RemindAt is when a signer mailed at now is reminded next; nil when the packet asks for
// no reminders.
func RemindAt(p api.Packet, now time.Time) *time.Time {
	if p.RemindDays <= 0 {
		return nil
	}
	t := now.Add(time.Duration(p.RemindDays) * 24 * time.Hour)
	return &t
}

// Remind tells whether a signer who had n reminders gets another.
func Remind(n int) bool { return n < MaxReminders }

// State is the packet's state as signers see it at now: a sent packet past its expiry is
// expired even before the scheduler ends it.
func State(p db.PacketRow, now time.Time) string {
	if p.State == api.PacketSent && p.ExpiresAt != nil && !now.Before(*p.ExpiresAt) {
		return api.PacketExpired
	}
	return p.State
}

// WaitingFor is the earlier signer whose turn it is, for a signer of an ordered packet
// who waits; "" when it is nobody's but theirs.
func WaitingFor(p db.PacketRow, recipientID string) string {
	if !p.Packet.Ordered {
		return ""
	}
	for _, s := range p.Signers {
		if s.ID == recipientID {
			if s.State != api.SignerWaiting {
				return ""
			}
			break
		}
	}
	for _, s := range p.Signers {
		if s.ID == recipientID {
			return ""
		}
		if s.State != api.SignerSigned {
			return s.Name
		}
	}
	return ""
}

// CanSign says why the signer may not sign now, or nil.
func CanSign(s Signing) error {
	switch {
	case s.SignerState == api.SignerSigned:
		return ErrAlreadySigned
	case s.State != api.PacketSent:
		return ErrPacketEnded
	case s.WaitingFor != "" || s.SignerState == api.SignerWaiting:
		return ErrNotYourTurn
	}
	return nil
}

// CanDecline says why the signer may not decline now, or nil.
func CanDecline(s Signing) error {
	switch {
	case s.State != api.PacketSent:
		return ErrPacketEnded
	case s.SignerState == api.SignerSigned:
		return ErrAlreadySigned
	}
	return nil
}

// Voidable tells whether staff can still stop a packet in this (stored) state.
func Voidable(state string) bool { return state == api.PacketSent || state == db.PacketSealing }

// Next is who signs after recipientID signed: the first signer in order who has not signed;
// nil when everyone has. Release tells whether they must now be asked (an ordered packet's
// next signer, who was waiting).
func Next(p db.PacketRow, recipientID string) (next *db.Signer, release bool) {
	for i, s := range p.Signers {
		if s.ID == recipientID || s.State == api.SignerSigned {
			continue
		}
		return &p.Signers[i], p.Packet.Ordered && s.State == api.SignerWaiting
	}
	return nil, false
}

// sealBackoff is the wait before the next try of a seal that has been tried n times.
func sealBackoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	return min(time.Minute<<min(n-1, 10), time.Hour)
}

// Claim is a new try of a packet's seal that has been tried tries times and shows problem:
// the tries it makes, when the next may start, and the problem to show. A try that neither
// sealed nor failed (no problem was recorded) was cut off by a stop, and staff are told.
func Claim(tries int, problem string, now time.Time) (n int, after time.Time, shown string, told bool, err error) {
	if tries >= SealTries {
		return tries, time.Time{}, problem, false, ErrPacketEnded
	}
	if tries > 0 && problem == "" {
		problem = fmt.Sprintf("Try %d of %d to seal this document was interrupted (portald stopped while sealing it); it is being tried again.",
			tries, SealTries)
		told = true
	}
	n = tries + 1
	return n, now.Add(sealBackoff(n)), problem, told, nil
}

// Failure is what staff are shown when try number tries of a seal failed for why, and the
// tries to record: a final failure, or the last try, stops the tries.
func Failure(tries int, why string, final bool) (string, int) {
	if !final && tries < SealTries {
		return why, tries
	}
	word := "tries"
	if tries == 1 {
		word = "try"
	}
	return fmt.Sprintf("The sealed PDF could not be made (%d %s, stopped trying): %s. Void the packet and send the document again, or contact the portal's operator.",
		tries, word, why), SealTries
}
