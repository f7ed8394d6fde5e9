package esign

import (
	"context"
	"errors"
	"time"

	"portico/backend/api"
	"portico/backend/portal/db"
)

// Packets applies the signing rules to the packets in DB.
type Packets struct{ DB *db.DB }

// SignMail is what a request for signature (or a reminder of one) is written from: the
// facts of a db.NoticeSign.
type SignMail struct {
	FirmName, ClientName string
	Signer               api.Recipient
	Title                string
	Subject, Message     string // the staff's words
	Token                string
	Due                  string
	Reminder             bool
	Completed            bool // everyone signed: the link gives the signed copy
}

// Signing is one signer's view of a packet.
type Signing struct {
	FirmID, FirmName, ClientName string
	PacketID                     string
	Packet                       api.Packet
	State                        string // the packet's as the signer sees it: sent, sealing, completed, ...
	Reason                       string
	Signer                       api.Recipient
	SignerState                  string
	WaitingFor                   string // the earlier signer whose turn it is
	SignedFileID                 string
	SignedSHA256                 string
	ExpiresAt                    *time.Time
}

// Mine are the fields this signer fills in.
func (s Signing) Mine() []api.Field {
	var out []api.Field
	for _, f := range s.Packet.Fields {
		if f.RecipientID == s.Signer.ID {
			out = append(out, f)
		}
	}
	return out
}

// Open tells whether the signer can sign now.
func (s Signing) Open() bool { return CanSign(s) == nil }

// signing is the view of recipientID, a signer of p, at now.
func signing(p db.PacketRow, recipientID string, now time.Time) (Signing, error) {
	s := Signing{FirmID: p.FirmID, FirmName: p.FirmName, ClientName: p.ClientName, PacketID: p.ID, Packet: p.Packet,
		State: State(p, now), Reason: p.Reason, SignedFileID: p.SignedFileID, SignedSHA256: p.SignedSHA256,
		ExpiresAt: p.ExpiresAt, WaitingFor: WaitingFor(p, recipientID)}
	for _, r := range p.Signers {
		if r.ID == recipientID {
			s.Signer, s.SignerState = r.Recipient, r.State
			return s, nil
		}
	}
	return s, db.ErrNotFound
}

// ByToken finds the signer a link was sent to; the packet's state tells whether it can
// still be signed.
func (ps Packets) ByToken(ctx context.Context, hash []byte) (Signing, error) {
	p, rid, err := ps.DB.PacketByLink(ctx, hash)
	if err != nil {
		return Signing{}, err
	}
	return signing(p, rid, ps.DB.Now())
}

// ForUser finds the packet's signer who is this portal user, for a packet of one of the
// user's clients.
func (ps Packets) ForUser(ctx context.Context, u db.User, packetID string) (Signing, error) {
	p, rid, err := ps.DB.PacketOfUser(ctx, u, packetID)
	if err != nil {
		return Signing{}, err
	}
	return signing(p, rid, ps.DB.Now())
}

// current reads the signer's view again inside tx: what they saw may have changed.
func current(ctx context.Context, tx *db.Tx, s Signing) (db.PacketRow, Signing, error) {
	p, err := tx.Packet(ctx, s.FirmID, s.PacketID)
	if err != nil {
		return p, Signing{}, err
	}
	cur, err := signing(p, s.Signer.ID, tx.Now())
	return p, cur, err
}

// Put takes a packet staff sent (an op of kind api.KindPacketPut): its PDF must be here.
// The signers whose turn it is get their email in the same transaction.
func (ps Packets) Put(ctx context.Context, tx *db.Tx, firmID string, op db.Op) (int64, error) {
	p, id := op.Packet, op.EntityID
	if sent, err := tx.HasPacket(ctx, firmID, id); err != nil || sent {
		if err == nil {
			err = db.Rejected("this request was sent already")
		}
		return 0, err
	}
	states := FirstStates(*p)
	if err := tx.InsertPacket(ctx, firmID, id, p, Expiry(p.Due), states); err != nil {
		return 0, err
	}
	row, err := tx.Packet(ctx, firmID, id)
	if err != nil {
		return 0, err
	}
	for i, r := range row.Signers {
		if states[i] == api.SignerSent {
			if err := ask(ctx, tx, row, r, mailRequest); err != nil {
				return 0, err
			}
		}
	}
	return tx.EmitPacket(ctx, firmID, op.ID, id)
}

// Void stops a packet staff voided (an op of kind api.KindPacketVoid); its links stop
// working and its task goes away.
func (ps Packets) Void(ctx context.Context, tx *db.Tx, firmID string, op db.Op) (int64, error) {
	id := op.EntityID
	p, err := tx.Packet(ctx, firmID, id)
	if errors.Is(err, db.ErrNotFound) {
		// Never taken (refused, say): nothing to stop, but no task may be left asking for it.
		if err := tx.ChangePacketTodos(ctx, firmID, id, func(t *api.Todo) { t.Deleted = true }); err != nil {
			return 0, err
		}
		return tx.LastSeq(ctx, firmID)
	}
	if err != nil {
		return 0, err
	}
	if !Voidable(p.State) {
		return tx.EmitPacket(ctx, firmID, op.ID, id) // ended already: say how
	}
	if err := end(ctx, tx, p, api.PacketVoided, op.PacketVoid.Reason); err != nil {
		return 0, err
	}
	if err := tx.PacketEvent(ctx, firmID, id, db.PacketEvent{What: EventVoided, Who: "the firm", Detail: op.PacketVoid.Reason}); err != nil {
		return 0, err
	}
	return tx.EmitPacket(ctx, firmID, op.ID, id)
}

// mailKind is why a signer gets an email.
type mailKind int

const (
	mailRequest   mailKind = iota // their turn to sign
	mailReminder                  // still waiting for them
	mailCompleted                 // everyone signed: their copy is ready
)

// ask mails the signer a new link, records it, and schedules their next reminder.
func ask(ctx context.Context, tx *db.Tx, p db.PacketRow, r db.Signer, kind mailKind) error {
	token, err := tx.SignLink(ctx, p.FirmID, p.ID, r.ID)
	if err != nil {
		return err
	}
	m := SignMail{FirmName: p.FirmName, ClientName: p.ClientName, Signer: r.Recipient, Title: p.Packet.Title,
		Subject: p.Packet.Subject, Message: p.Packet.Message, Token: token, Due: p.Packet.Due,
		Reminder: kind == mailReminder, Completed: kind == mailCompleted}
	if _, err := tx.Notice(ctx, p.FirmID, db.NoticeSign, r.Name, r.Email, m); err != nil {
		return err
	}
	if kind == mailCompleted {
		return nil // the trail is sealed already
	}
	if err := tx.SignerMailed(ctx, p.FirmID, p.ID, r.ID, RemindAt(p.Packet, tx.Now()), kind == mailReminder); err != nil {
		return err
	}
	what := EventSent
	if kind == mailReminder {
		what = EventReminded
	}
	return tx.PacketEvent(ctx, p.FirmID, p.ID, db.PacketEvent{What: what, Who: who(r.Recipient), Detail: "email to " + r.Email})
}

func who(r api.Recipient) string { return r.Name + " <" + r.Email + ">" }

// end ends a packet that did not complete: its links only say so from now on, no one is
// reminded, and its task is withdrawn.
func end(ctx context.Context, tx *db.Tx, p db.PacketRow, state, reason string) error {
	if err := tx.SetPacketState(ctx, p.FirmID, p.ID, state, reason); err != nil {
		return err
	}
	if err := tx.StopReminders(ctx, p.FirmID, p.ID, ""); err != nil {
		return err
	}
	return tx.ChangePacketTodos(ctx, p.FirmID, p.ID, func(t *api.Todo) { t.Deleted = true })
}

// Viewed records that the signer opened the document (the first time).
func (ps Packets) Viewed(ctx context.Context, s Signing, ev db.Event) error {
	if s.SignerState != api.SignerSent || s.State != api.PacketSent {
		return nil
	}
	return ps.DB.Update(ctx, func(tx *db.Tx) error {
		moved, err := tx.MoveSigner(ctx, s.FirmID, s.PacketID, s.Signer.ID, api.SignerSent, api.SignerViewed)
		if err != nil || !moved {
			return err
		}
		if err := tx.PacketEvent(ctx, s.FirmID, s.PacketID, db.PacketEvent{What: EventViewed, Who: who(s.Signer),
			IP: ev.IP, UserAgent: ev.UserAgent}); err != nil {
			return err
		}
		_, err = tx.EmitPacket(ctx, s.FirmID, "", s.PacketID)
		return err
	})
}

// Sign records the signer's consent and values. The next signer in order gets their email;
// when everyone has signed, the packet waits for its seal (done tells).
func (ps Packets) Sign(ctx context.Context, s Signing, adopted string, vals map[string]db.SignValue, ev db.Event) (done bool, err error) {
	err = ps.DB.Update(ctx, func(tx *db.Tx) error {
		p, cur, err := current(ctx, tx, s)
		if err != nil {
			return err
		}
		if err := CanSign(cur); err != nil {
			return err
		}
		if err := tx.SignerSigned(ctx, s.FirmID, s.PacketID, s.Signer.ID, adopted, vals); err != nil {
			return err
		}
		w := who(s.Signer)
		for _, e := range []db.PacketEvent{
			{What: EventConsented, Who: w, IP: ev.IP, UserAgent: ev.UserAgent, Detail: "agreed to use electronic records and signatures"},
			{What: EventSigned, Who: w, IP: ev.IP, UserAgent: ev.UserAgent, Detail: "adopted the name " + adopted},
		} {
			if err := tx.PacketEvent(ctx, s.FirmID, s.PacketID, e); err != nil {
				return err
			}
		}
		next, release := Next(p, s.Signer.ID)
		switch {
		case next == nil:
			done = true
			if err := tx.SetPacketState(ctx, s.FirmID, s.PacketID, db.PacketSealing, p.Reason); err != nil {
				return err
			}
		case release:
			if _, err := tx.MoveSigner(ctx, s.FirmID, s.PacketID, next.ID, api.SignerWaiting, api.SignerSent); err != nil {
				return err
			}
			if err := ask(ctx, tx, p, *next, mailRequest); err != nil {
				return err
			}
		}
		_, err = tx.EmitPacket(ctx, s.FirmID, "", s.PacketID)
		return err
	})
	return done, err
}

// Decline ends the packet: the signer will not sign, and says why.
func (ps Packets) Decline(ctx context.Context, s Signing, reason string, ev db.Event) error {
	return ps.DB.Update(ctx, func(tx *db.Tx) error {
		p, cur, err := current(ctx, tx, s)
		if err != nil {
			return err
		}
		if err := CanDecline(cur); err != nil {
			return err
		}
		if _, err := tx.MoveSigner(ctx, s.FirmID, s.PacketID, s.Signer.ID, cur.SignerState, api.SignerDeclined); err != nil {
			return err
		}
		if err := end(ctx, tx, p, api.PacketDeclined, reason); err != nil {
			return err
		}
		if err := tx.PacketEvent(ctx, s.FirmID, s.PacketID, db.PacketEvent{What: EventDeclined, Who: who(s.Signer),
			IP: ev.IP, UserAgent: ev.UserAgent, Detail: reason}); err != nil {
			return err
		}
		_, err = tx.EmitPacket(ctx, s.FirmID, "", s.PacketID)
		return err
	})
}

// SealJobs are the packets waiting for their seal whose next try is due.
func (ps Packets) SealJobs(ctx context.Context, limit int) ([]db.SealJob, error) {
	return ps.DB.SealJobs(ctx, SealTries, limit)
}

// sealing reads the packet of a seal job; ErrPacketEnded when it no longer waits for its seal.
func sealing(ctx context.Context, tx *db.Tx, j db.SealJob) (db.PacketRow, error) {
	p, err := tx.Packet(ctx, j.FirmID, j.PacketID)
	if errors.Is(err, db.ErrNotFound) || err == nil && p.State != db.PacketSealing {
		return p, ErrPacketEnded
	}
	return p, err
}

// ClaimSeal counts a try of the packet's seal before it is made and puts off the next one,
// so a try that never returns (a crash, a kill) still counts. It answers the tries so far;
// ErrPacketEnded when the packet no longer waits for its seal.
func (ps Packets) ClaimSeal(ctx context.Context, j db.SealJob) (tries int, err error) {
	err = ps.DB.Update(ctx, func(tx *db.Tx) error {
		p, err := sealing(ctx, tx, j)
		if err != nil {
			return err
		}
		n, after, problem, told, err := Claim(p.SealTries, p.SealError, tx.Now())
		if err != nil {
			return err
		}
		tries = n
		if err := tx.SealTried(ctx, j.FirmID, j.PacketID, n, after, problem); err != nil || !told {
			return err
		}
		_, err = tx.EmitPacket(ctx, j.FirmID, "", j.PacketID)
		return err
	})
	return tries, err
}

// SealFailed keeps the reason a seal could not be made and tells staff, once per new
// reason. A packet that is not to be tried again (final, or out of tries) says so and waits
// for staff; the others are tried again after a pause.
func (ps Packets) SealFailed(ctx context.Context, j db.SealJob, why string, final bool) error {
	return ps.DB.Update(ctx, func(tx *db.Tx) error {
		p, err := tx.Packet(ctx, j.FirmID, j.PacketID)
		if err != nil {
			return err
		}
		shown, tries := Failure(p.SealTries, why, final)
		news, err := tx.SealProblem(ctx, j.FirmID, j.PacketID, tries, shown)
		if err != nil || !news {
			return err
		}
		_, err = tx.EmitPacket(ctx, j.FirmID, "", j.PacketID)
		return err
	})
}

// Sealed completes a packet: the sealed PDF (a blob already stored) becomes a file in the
// client's "Signed" folder, the task is done, every signer gets their copy and staff hear
// of it.
func (ps Packets) Sealed(ctx context.Context, j db.SealJob, f api.File) (fileID string, err error) {
	err = ps.DB.Update(ctx, func(tx *db.Tx) error {
		p, err := sealing(ctx, tx, j)
		if err != nil {
			return err
		}
		if fileID, err = tx.CompletePacket(ctx, j.FirmID, j.PacketID, f); err != nil {
			return err
		}
		if err := tx.PacketEvent(ctx, j.FirmID, j.PacketID, db.PacketEvent{What: EventCompleted, Detail: "sealed, sha256 " + f.SHA256}); err != nil {
			return err
		}
		done := tx.Now()
		if err := tx.ChangePacketTodos(ctx, j.FirmID, j.PacketID, func(t *api.Todo) {
			if t.State != api.TodoDone {
				t.State, t.DoneAt, t.DoneBy = api.TodoDone, &done, "eSign"
			}
		}); err != nil {
			return err
		}
		// Every signer gets their copy, portal user or not.
		for _, r := range p.Signers {
			if err := ask(ctx, tx, p, r, mailCompleted); err != nil {
				return err
			}
		}
		_, err = tx.EmitPacket(ctx, j.FirmID, "", j.PacketID)
		return err
	})
	return fileID, err
}

// RemindAndExpire ends packets past their due day and sends the reminders that are due.
func (ps Packets) RemindAndExpire(ctx context.Context) (reminded, expired int, err error) {
	err = ps.DB.Update(ctx, func(tx *db.Tx) error {
		reminded, expired = 0, 0
		past, err := tx.PacketsPast(ctx)
		if err != nil {
			return err
		}
		for _, k := range past {
			p, err := tx.Packet(ctx, k.FirmID, k.ID)
			if err != nil {
				return err
			}
			if err := end(ctx, tx, p, api.PacketExpired, "the due date passed"); err != nil {
				return err
			}
			if err := tx.PacketEvent(ctx, k.FirmID, k.ID, db.PacketEvent{What: EventExpired}); err != nil {
				return err
			}
			if _, err := tx.EmitPacket(ctx, k.FirmID, "", k.ID); err != nil {
				return err
			}
			expired++
		}
		due, err := tx.RemindersDue(ctx)
		if err != nil {
			return err
		}
		for _, d := range due {
			if !Remind(d.Signer.Reminders) {
				if err := tx.StopReminders(ctx, d.FirmID, d.ID, d.Signer.ID); err != nil {
					return err
				}
				continue
			}
			p, err := tx.Packet(ctx, d.FirmID, d.ID)
			if err != nil {
				return err
			}
			if err := ask(ctx, tx, p, d.Signer, mailReminder); err != nil {
				return err
			}
			reminded++
		}
		return nil
	})
	return reminded, expired, err
}
