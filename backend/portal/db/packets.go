package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
)

// MaxReminders is how many reminders a signer gets at most.
const MaxReminders = 5

// Packet events, as the audit trail names them.
// PacketSealing is a packet every signer signed whose seal is being made: portald's own
// state, which desktops see as sent until it completes.
const PacketSealing = "sealing"

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

// SignMail is what a request for signature (or a reminder of one) is written from: the
// facts of a NoticeSign.
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

// Errors the signing pages decide on.
var (
	ErrNotYourTurn   = errors.New("an earlier signer has not signed yet")
	ErrPacketEnded   = errors.New("this request is no longer open")
	ErrAlreadySigned = errors.New("you have already signed")
)

// Signing is one signer's view of a packet.
type Signing struct {
	FirmID, FirmName, ClientName string
	PacketID                     string
	Packet                       api.Packet
	State                        string // the packet's: sent, sealing, completed, ...
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
func (s Signing) Open() bool {
	return s.State == api.PacketSent && s.WaitingFor == "" &&
		(s.SignerState == api.SignerSent || s.SignerState == api.SignerViewed)
}

// SignValue is what a signer put in one field: text, or the PNG of a drawn signature.
type SignValue struct {
	Text  string `json:"text,omitempty"`
	Image []byte `json:"image,omitempty"`
}

// PacketEvent is one line of a packet's audit trail.
type PacketEvent struct {
	At                    time.Time
	What, Who             string
	IP, UserAgent, Detail string
}

// SealJob is a packet whose signers have all signed: everything sealing needs.
type SealJob struct {
	FirmID, FirmName, PacketID string
	Packet                     api.Packet
	Values                     map[string]SignValue // by field id
	SignedAt                   map[string]time.Time // by recipient id
	Events                     []PacketEvent
}

const expiryGrace = 36 * time.Hour // after the due day's midnight UTC: the day is over everywhere

// putPacket takes a packet staff sent: its PDF must be here. The signers whose turn it is
// get their email in the same transaction.
func (d *DB) putPacket(ctx context.Context, tx *sql.Tx, firmID, opID, id string, p *api.Packet) (int64, error) {
	if err := clientExists(ctx, tx, firmID, p.ClientID); err != nil {
		return 0, err
	}
	if err := blobExists(ctx, tx, firmID, p.SHA256, p.Size); err != nil {
		return 0, err
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM packets WHERE firm_id = ? AND id = ?`, firmID, id).Scan(&one)
	if err == nil {
		return 0, rejection("this request was sent already")
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	now := d.Now().UTC()
	nowText := now.Format(time.RFC3339Nano)
	var expires any
	if p.Due != "" {
		due, _ := time.Parse(time.DateOnly, p.Due) // checked by api.Packet.Check
		expires = due.Add(expiryGrace).Format(time.RFC3339Nano)
	}
	data, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO packets (firm_id, id, client_id, data, state, expires_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'sent', ?, ?, ?)`, firmID, id, p.ClientID, string(data), expires, nowText, nowText); err != nil {
		return 0, fmt.Errorf("put packet: %w", err)
	}
	for i, r := range p.Recipients {
		state := api.SignerWaiting
		if !p.Ordered || i == 0 {
			state = api.SignerSent
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO packet_signers (firm_id, packet_id, recipient_id, position, name, email, state)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, firmID, id, r.ID, i, r.Name, strings.TrimSpace(r.Email), state); err != nil {
			return 0, fmt.Errorf("packet signer: %w", err)
		}
		if state == api.SignerSent {
			if err := d.mailSigner(ctx, tx, firmID, id, *p, r, now, mailRequest); err != nil {
				return 0, err
			}
		}
	}
	return emitPacket(ctx, tx, firmID, opID, id, nowText)
}

// mailKind is why a signer gets an email.
type mailKind int

const (
	mailRequest   mailKind = iota // their turn to sign
	mailReminder                  // still waiting for them
	mailCompleted                 // everyone signed: their copy is ready
)

// mailSigner queues an email with a new link, records it, and schedules the next reminder.
func (d *DB) mailSigner(ctx context.Context, tx *sql.Tx, firmID, packetID string, p api.Packet, r api.Recipient, now time.Time, kind mailKind) error {
	var firmName, clientName string
	if err := tx.QueryRowContext(ctx, `SELECT f.name, c.name FROM firms f JOIN clients c ON c.firm_id = f.id
		WHERE f.id = ? AND c.id = ?`, firmID, p.ClientID).Scan(&firmName, &clientName); err != nil {
		return fmt.Errorf("firm and client of packet %s: %w", packetID, err)
	}
	nowText := now.Format(time.RFC3339Nano)
	token, hash := auth.NewToken()
	if _, err := tx.ExecContext(ctx, `INSERT INTO packet_links (token_hash, firm_id, packet_id, recipient_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, hash, firmID, packetID, r.ID, nowText); err != nil {
		return fmt.Errorf("signing link: %w", err)
	}
	m := SignMail{FirmName: firmName, ClientName: clientName, Signer: r, Title: p.Title, Subject: p.Subject,
		Message: p.Message, Token: token, Due: p.Due, Reminder: kind == mailReminder, Completed: kind == mailCompleted}
	if _, err := enqueueNotice(ctx, tx, firmID, NoticeSign, r.Name, r.Email, m, nowText); err != nil {
		return err
	}
	if kind == mailCompleted {
		return nil // the trail is sealed already
	}
	var remindAt any
	if p.RemindDays > 0 {
		remindAt = now.Add(time.Duration(p.RemindDays) * 24 * time.Hour).Format(time.RFC3339Nano)
	}
	q := `UPDATE packet_signers SET sent_at = COALESCE(sent_at, ?), remind_at = ? WHERE firm_id = ? AND packet_id = ? AND recipient_id = ?`
	what := EventSent
	if kind == mailReminder {
		q = `UPDATE packet_signers SET sent_at = COALESCE(sent_at, ?), remind_at = ?, reminders = reminders + 1
			WHERE firm_id = ? AND packet_id = ? AND recipient_id = ?`
		what = EventReminded
	}
	if _, err := tx.ExecContext(ctx, q, nowText, remindAt, firmID, packetID, r.ID); err != nil {
		return err
	}
	return packetEvent(ctx, tx, firmID, packetID, nowText, what, who(r), "", "", "email to "+r.Email)
}

func who(r api.Recipient) string { return r.Name + " <" + r.Email + ">" }

func packetEvent(ctx context.Context, tx *sql.Tx, firmID, packetID, at, what, who, ip, ua, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO packet_events (firm_id, packet_id, at, what, who, ip, user_agent, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, firmID, packetID, at, what, who, ip, ua, detail)
	if err != nil {
		return fmt.Errorf("packet event %s: %w", what, err)
	}
	return nil
}

// emitPacket tells staff how the packet stands now.
func emitPacket(ctx context.Context, tx *sql.Tx, firmID, opID, id, now string) (int64, error) {
	var st api.PacketState
	var state string
	err := tx.QueryRowContext(ctx, `SELECT client_id, state, reason, signed_file_id, seal_error FROM packets
		WHERE firm_id = ? AND id = ?`, firmID, id).Scan(&st.ClientID, &state, &st.Reason, &st.SignedFileID, &st.Problem)
	if err != nil {
		return 0, fmt.Errorf("packet %s: %w", id, err)
	}
	st.State, st.At = state, parseTime(now)
	if state == PacketSealing {
		st.State = api.PacketSent // every signer signed; the seal is on its way
	}
	rows, err := tx.QueryContext(ctx, `SELECT recipient_id, state, viewed_at, signed_at FROM packet_signers
		WHERE firm_id = ? AND packet_id = ? ORDER BY position`, firmID, id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var s api.SignerState
		var viewed, signed sql.NullString
		if err := rows.Scan(&s.RecipientID, &s.State, &viewed, &signed); err != nil {
			return 0, err
		}
		s.ViewedAt, s.SignedAt = timePtr(viewed), timePtr(signed)
		st.Signers = append(st.Signers, s)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return appendChange(ctx, tx, firmID, opID, api.KindPacketState, id, st, now)
}

// voidPacket stops a packet staff voided; its links stop working and its task goes away.
func (d *DB) voidPacket(ctx context.Context, tx *sql.Tx, firmID, opID, id string, v *api.PacketVoid) (int64, error) {
	var state string
	err := tx.QueryRowContext(ctx, `SELECT state FROM packets WHERE firm_id = ? AND id = ?`, firmID, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		// Never taken (refused, say): nothing to stop, but no task may be left asking for it.
		now := d.now()
		if err := closePacketTodo(ctx, tx, firmID, id, now, func(t *api.Todo) { t.Deleted = true }); err != nil {
			return 0, err
		}
		var last int64
		err := tx.QueryRowContext(ctx, `SELECT last_seq FROM firms WHERE id = ?`, firmID).Scan(&last)
		return last, err
	}
	if err != nil {
		return 0, err
	}
	now := d.now()
	if state != api.PacketSent && state != PacketSealing {
		return emitPacket(ctx, tx, firmID, opID, id, now) // ended already: say how
	}
	if err := d.endPacket(ctx, tx, firmID, id, api.PacketVoided, v.Reason, now); err != nil {
		return 0, err
	}
	if err := packetEvent(ctx, tx, firmID, id, now, EventVoided, "the firm", "", "", v.Reason); err != nil {
		return 0, err
	}
	return emitPacket(ctx, tx, firmID, opID, id, now)
}

// endPacket ends a packet that did not complete; its links only say so from now on, and its
// task is withdrawn.
func (d *DB) endPacket(ctx context.Context, tx *sql.Tx, firmID, id, state, reason, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE packets SET state = ?, reason = ?, updated_at = ? WHERE firm_id = ? AND id = ?`,
		state, reason, now, firmID, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE packet_signers SET remind_at = NULL WHERE firm_id = ? AND packet_id = ?`,
		firmID, id); err != nil {
		return err
	}
	return closePacketTodo(ctx, tx, firmID, id, now, func(t *api.Todo) { t.Deleted = true })
}

func closePacketTodo(ctx context.Context, tx *sql.Tx, firmID, packetID, now string, change func(*api.Todo)) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, client_id, title, description, due, state, done_at, done_by, deleted
		FROM todos WHERE firm_id = ? AND packet_id = ?`, firmID, packetID)
	if err != nil {
		return err
	}
	type todo struct {
		id string
		api.Todo
	}
	var todos []todo
	for rows.Next() {
		var t todo
		var doneAt sql.NullString
		if err := rows.Scan(&t.id, &t.ClientID, &t.Title, &t.Description, &t.Due, &t.State, &doneAt, &t.DoneBy, &t.Deleted); err != nil {
			rows.Close()
			return err
		}
		t.DoneAt, t.PacketID = timePtr(doneAt), packetID
		todos = append(todos, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range todos {
		change(&t.Todo)
		var doneAt any
		if t.DoneAt != nil {
			doneAt = t.DoneAt.UTC().Format(time.RFC3339Nano)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE todos SET state = ?, done_at = ?, done_by = ?, deleted = ?, updated_at = ?
			WHERE firm_id = ? AND id = ?`, t.State, doneAt, t.DoneBy, t.Deleted, now, firmID, t.id); err != nil {
			return err
		}
		if _, err := appendChange(ctx, tx, firmID, "", api.KindTodoPut, t.id, t.Todo, now); err != nil {
			return err
		}
	}
	return nil
}

const signingCols = `p.firm_id, f.name, c.name, p.id, p.data, p.state, p.reason, p.signed_file_id, p.signed_sha256, p.expires_at,
	s.recipient_id, s.name, s.email, s.state, s.position`

func (d *DB) signing(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, where string, args ...any) (Signing, error) {
	var s Signing
	var data string
	var position int
	var expires sql.NullString
	err := q.QueryRowContext(ctx, `SELECT `+signingCols+` FROM packet_signers s
		JOIN packets p ON p.firm_id = s.firm_id AND p.id = s.packet_id
		JOIN firms f ON f.id = p.firm_id
		JOIN clients c ON c.firm_id = p.firm_id AND c.id = p.client_id `+where, args...).Scan(
		&s.FirmID, &s.FirmName, &s.ClientName, &s.PacketID, &data, &s.State, &s.Reason, &s.SignedFileID, &s.SignedSHA256, &expires,
		&s.Signer.ID, &s.Signer.Name, &s.Signer.Email, &s.SignerState, &position)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(data), &s.Packet); err != nil {
		return s, fmt.Errorf("packet %s: %w", s.PacketID, err)
	}
	s.ExpiresAt = timePtr(expires)
	if s.State == api.PacketSent && s.ExpiresAt != nil && !d.Now().Before(*s.ExpiresAt) {
		s.State = api.PacketExpired // the scheduler has not got to it yet
	}
	if s.Packet.Ordered && s.SignerState == api.SignerWaiting {
		err := q.QueryRowContext(ctx, `SELECT name FROM packet_signers WHERE firm_id = ? AND packet_id = ? AND position < ?
			AND state <> 'signed' ORDER BY position LIMIT 1`, s.FirmID, s.PacketID, position).Scan(&s.WaitingFor)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s, err
		}
	}
	return s, nil
}

// SigningByToken finds the signer a link was sent to; the packet's state tells whether it
// can still be signed.
func (d *DB) SigningByToken(ctx context.Context, hash []byte) (Signing, error) {
	return d.signing(ctx, d.sql, `JOIN packet_links l ON l.firm_id = s.firm_id AND l.packet_id = s.packet_id
		AND l.recipient_id = s.recipient_id WHERE l.token_hash = ?`, hash)
}

// SigningForUser finds the packet's signer who is this portal user, for a packet of one
// of the user's clients.
func (d *DB) SigningForUser(ctx context.Context, u User, packetID string) (Signing, error) {
	filter, args := clientFilter("p", u.ClientIDs)
	return d.signing(ctx, d.sql, `WHERE p.firm_id = ? AND p.id = ? AND s.email = ? AND `+filter,
		append([]any{u.FirmID, packetID, u.Email}, args...)...)
}

// Viewed records that the signer opened the document (the first time).
func (d *DB) Viewed(ctx context.Context, s Signing, ev Event) error {
	if s.SignerState != api.SignerSent || s.State != api.PacketSent {
		return nil
	}
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		res, err := tx.ExecContext(ctx, `UPDATE packet_signers SET state = 'viewed', viewed_at = ?
			WHERE firm_id = ? AND packet_id = ? AND recipient_id = ? AND state = 'sent'`, now, s.FirmID, s.PacketID, s.Signer.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if err := packetEvent(ctx, tx, s.FirmID, s.PacketID, now, EventViewed, who(s.Signer), ev.IP, ev.UserAgent, ""); err != nil {
			return err
		}
		_, err = emitPacket(ctx, tx, s.FirmID, "", s.PacketID, now)
		return err
	})
	if err == nil {
		d.changed(s.FirmID)
	}
	return err
}

// Sign records the signer's consent and values. The next signer in order gets their email;
// when everyone has signed, the packet waits for its seal (done tells).
func (d *DB) Sign(ctx context.Context, s Signing, adopted string, vals map[string]SignValue, ev Event) (done bool, err error) {
	var mailed bool
	err = d.withTx(ctx, func(tx *sql.Tx) error {
		cur, err := d.signing(ctx, tx, `WHERE s.firm_id = ? AND s.packet_id = ? AND s.recipient_id = ?`,
			s.FirmID, s.PacketID, s.Signer.ID)
		if err != nil {
			return err
		}
		switch {
		case cur.SignerState == api.SignerSigned:
			return ErrAlreadySigned
		case cur.State != api.PacketSent:
			return ErrPacketEnded
		case cur.WaitingFor != "" || cur.SignerState == api.SignerWaiting:
			return ErrNotYourTurn
		}
		body, err := json.Marshal(vals)
		if err != nil {
			return err
		}
		now := d.Now().UTC()
		nowText := now.Format(time.RFC3339Nano)
		if _, err := tx.ExecContext(ctx, `UPDATE packet_signers SET state = 'signed', signed_at = ?, viewed_at = COALESCE(viewed_at, ?),
			adopted_name = ?, vals = ?, remind_at = NULL WHERE firm_id = ? AND packet_id = ? AND recipient_id = ?`,
			nowText, nowText, adopted, string(body), s.FirmID, s.PacketID, s.Signer.ID); err != nil {
			return err
		}
		w := who(s.Signer)
		if err := packetEvent(ctx, tx, s.FirmID, s.PacketID, nowText, EventConsented, w, ev.IP, ev.UserAgent,
			"agreed to use electronic records and signatures"); err != nil {
			return err
		}
		if err := packetEvent(ctx, tx, s.FirmID, s.PacketID, nowText, EventSigned, w, ev.IP, ev.UserAgent,
			"adopted the name "+adopted); err != nil {
			return err
		}
		var next api.Recipient
		err = tx.QueryRowContext(ctx, `SELECT recipient_id, name, email FROM packet_signers WHERE firm_id = ? AND packet_id = ?
			AND state <> 'signed' ORDER BY position LIMIT 1`, s.FirmID, s.PacketID).Scan(&next.ID, &next.Name, &next.Email)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			done = true
			if _, err := tx.ExecContext(ctx, `UPDATE packets SET state = 'sealing', updated_at = ? WHERE firm_id = ? AND id = ?`,
				nowText, s.FirmID, s.PacketID); err != nil {
				return err
			}
		case err != nil:
			return err
		case cur.Packet.Ordered:
			res, err := tx.ExecContext(ctx, `UPDATE packet_signers SET state = 'sent' WHERE firm_id = ? AND packet_id = ?
				AND recipient_id = ? AND state = 'waiting'`, s.FirmID, s.PacketID, next.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				if err := d.mailSigner(ctx, tx, s.FirmID, s.PacketID, cur.Packet, next, now, mailRequest); err != nil {
					return err
				}
				mailed = true
			}
		}
		_, err = emitPacket(ctx, tx, s.FirmID, "", s.PacketID, nowText)
		return err
	})
	if err == nil {
		d.changed(s.FirmID)
		if mailed {
			d.mailQueued()
		}
	}
	return done, err
}

// Decline ends the packet: the signer will not sign, and says why.
func (d *DB) Decline(ctx context.Context, s Signing, reason string, ev Event) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		cur, err := d.signing(ctx, tx, `WHERE s.firm_id = ? AND s.packet_id = ? AND s.recipient_id = ?`,
			s.FirmID, s.PacketID, s.Signer.ID)
		if err != nil {
			return err
		}
		if cur.State != api.PacketSent {
			return ErrPacketEnded
		}
		if cur.SignerState == api.SignerSigned {
			return ErrAlreadySigned
		}
		now := d.now()
		if _, err := tx.ExecContext(ctx, `UPDATE packet_signers SET state = 'declined' WHERE firm_id = ? AND packet_id = ? AND recipient_id = ?`,
			s.FirmID, s.PacketID, s.Signer.ID); err != nil {
			return err
		}
		if err := d.endPacket(ctx, tx, s.FirmID, s.PacketID, api.PacketDeclined, reason, now); err != nil {
			return err
		}
		if err := packetEvent(ctx, tx, s.FirmID, s.PacketID, now, EventDeclined, who(s.Signer), ev.IP, ev.UserAgent, reason); err != nil {
			return err
		}
		_, err = emitPacket(ctx, tx, s.FirmID, "", s.PacketID, now)
		return err
	})
	if err == nil {
		d.changed(s.FirmID)
	}
	return err
}

// SealTries is how many times a packet's seal is tried before it waits for staff.
const SealTries = 6

// sealBackoff is the wait before the next try of a seal that has been tried n times.
func sealBackoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	return min(time.Minute<<min(n-1, 10), time.Hour)
}

// SealJobs are the packets every signer has signed, waiting for their seal, whose next try
// is due.
func (d *DB) SealJobs(ctx context.Context, limit int) ([]SealJob, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT p.firm_id, f.name, p.id, p.data FROM packets p JOIN firms f ON f.id = p.firm_id
		WHERE p.state = 'sealing' AND p.seal_tries < ? AND p.seal_after <= ? ORDER BY p.updated_at LIMIT ?`,
		SealTries, d.Now().Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("packets to seal: %w", err)
	}
	var jobs []SealJob
	for rows.Next() {
		var j SealJob
		var data string
		if err := rows.Scan(&j.FirmID, &j.FirmName, &j.PacketID, &data); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &j.Packet); err != nil {
			rows.Close()
			return nil, fmt.Errorf("packet %s: %w", j.PacketID, err)
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range jobs {
		if err := d.fillJob(ctx, &jobs[i]); err != nil {
			return nil, err
		}
	}
	return jobs, nil
}

func (d *DB) fillJob(ctx context.Context, j *SealJob) error {
	j.Values, j.SignedAt = map[string]SignValue{}, map[string]time.Time{}
	rows, err := d.sql.QueryContext(ctx, `SELECT recipient_id, vals, signed_at FROM packet_signers WHERE firm_id = ? AND packet_id = ?`,
		j.FirmID, j.PacketID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rid, vals string
		var signed sql.NullString
		if err := rows.Scan(&rid, &vals, &signed); err != nil {
			rows.Close()
			return err
		}
		var m map[string]SignValue
		if vals != "" {
			if err := json.Unmarshal([]byte(vals), &m); err != nil {
				rows.Close()
				return fmt.Errorf("values of %s: %w", rid, err)
			}
		}
		for k, v := range m {
			j.Values[k] = v
		}
		if signed.Valid {
			j.SignedAt[rid] = parseTime(signed.String)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	j.Events, err = d.packetEvents(ctx, j.FirmID, j.PacketID)
	return err
}

func (d *DB) packetEvents(ctx context.Context, firmID, packetID string) ([]PacketEvent, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT at, what, who, ip, user_agent, detail FROM packet_events
		WHERE firm_id = ? AND packet_id = ? ORDER BY id`, firmID, packetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PacketEvent
	for rows.Next() {
		var e PacketEvent
		var at string
		if err := rows.Scan(&at, &e.What, &e.Who, &e.IP, &e.UserAgent, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Sealed completes a packet: the sealed PDF (a blob already stored) becomes a file in the
// client's "Signed" folder, the task is done and staff hear of it.
func (d *DB) Sealed(ctx context.Context, j SealJob, f api.File) (fileID string, err error) {
	fileID = ulid.Make().String()
	err = d.withTx(ctx, func(tx *sql.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM packets WHERE firm_id = ? AND id = ?`, j.FirmID, j.PacketID).Scan(&state); err != nil {
			return err
		}
		if state != PacketSealing {
			return ErrPacketEnded
		}
		now := d.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO firm_blobs (firm_id, sha256, size, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, j.FirmID, f.SHA256, f.Size, now); err != nil {
			return err
		}
		if _, err := d.putFile(ctx, tx, j.FirmID, "", fileID, &f); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE packets SET state = 'completed', signed_sha256 = ?, signed_file_id = ?,
			seal_error = '', updated_at = ? WHERE firm_id = ? AND id = ?`, f.SHA256, fileID, now, j.FirmID, j.PacketID); err != nil {
			return err
		}
		if err := packetEvent(ctx, tx, j.FirmID, j.PacketID, now, EventCompleted, "", "", "", "sealed, sha256 "+f.SHA256); err != nil {
			return err
		}
		done := parseTime(now)
		if err := closePacketTodo(ctx, tx, j.FirmID, j.PacketID, now, func(t *api.Todo) {
			if t.State != api.TodoDone {
				t.State, t.DoneAt, t.DoneBy = api.TodoDone, &done, "eSign"
			}
		}); err != nil {
			return err
		}
		// Every signer gets their copy, portal user or not.
		for _, r := range j.Packet.Recipients {
			if err := d.mailSigner(ctx, tx, j.FirmID, j.PacketID, j.Packet, r, parseTime(now), mailCompleted); err != nil {
				return err
			}
		}
		_, err := emitPacket(ctx, tx, j.FirmID, "", j.PacketID, now)
		return err
	})
	if err == nil {
		d.changed(j.FirmID)
		d.mailQueued()
	}
	return fileID, err
}

// ClaimSeal counts a try of the packet's seal before it is made and puts off the next one,
// so a try that never returns (a crash, a kill) still counts. It answers the tries so far;
// ErrPacketEnded when the packet no longer waits for its seal.
func (d *DB) ClaimSeal(ctx context.Context, j SealJob) (tries int, err error) {
	var told bool
	err = d.withTx(ctx, func(tx *sql.Tx) error {
		var problem string
		err := tx.QueryRowContext(ctx, `SELECT seal_tries, seal_error FROM packets WHERE firm_id = ? AND id = ? AND state = 'sealing'`,
			j.FirmID, j.PacketID).Scan(&tries, &problem)
		if errors.Is(err, sql.ErrNoRows) || err == nil && tries >= SealTries {
			return ErrPacketEnded
		}
		if err != nil {
			return err
		}
		if tries > 0 && problem == "" {
			// The last try neither sealed nor failed: the process stopped in the middle.
			problem = fmt.Sprintf("Try %d of %d to seal this document was interrupted (portald stopped while sealing it); it is being tried again.",
				tries, SealTries)
			told = true
		}
		tries++
		if _, err = tx.ExecContext(ctx, `UPDATE packets SET seal_tries = ?, seal_after = ?, seal_error = ? WHERE firm_id = ? AND id = ?`,
			tries, d.Now().Add(sealBackoff(tries)).Unix(), problem, j.FirmID, j.PacketID); err != nil || !told {
			return err
		}
		_, err = emitPacket(ctx, tx, j.FirmID, "", j.PacketID, d.now())
		return err
	})
	if told {
		d.changed(j.FirmID)
	}
	return tries, err
}

// SealFailed keeps the reason a seal could not be made and tells staff, once per new
// reason. A packet that is not to be tried again (final, or out of tries) says so and waits
// for staff; the others are tried again after a pause.
func (d *DB) SealFailed(ctx context.Context, j SealJob, why string, final bool) error {
	var told bool
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		var tries int
		if err := tx.QueryRowContext(ctx, `SELECT seal_tries FROM packets WHERE firm_id = ? AND id = ?`,
			j.FirmID, j.PacketID).Scan(&tries); err != nil {
			return err
		}
		if final || tries >= SealTries {
			why = fmt.Sprintf("The sealed PDF could not be made (%d %s, stopped trying): %s. Void the packet and send the document again, or contact the portal's operator.",
				tries, map[bool]string{true: "try", false: "tries"}[tries == 1], why)
			tries = SealTries
		}
		res, err := tx.ExecContext(ctx, `UPDATE packets SET seal_error = ?, seal_tries = ?, updated_at = ? WHERE firm_id = ? AND id = ?
			AND state = 'sealing' AND seal_error <> ?`, why, tries, now, j.FirmID, j.PacketID, why)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		told = true
		_, err = emitPacket(ctx, tx, j.FirmID, "", j.PacketID, now)
		return err
	})
	if told {
		d.changed(j.FirmID)
	}
	return err
}

// RemindAndExpire sends the reminders that are due and ends packets past their due day.
func (d *DB) RemindAndExpire(ctx context.Context) (reminded, expired int, err error) {
	now := d.Now().UTC()
	nowText := now.Format(time.RFC3339Nano)
	var touched []string
	err = d.withTx(ctx, func(tx *sql.Tx) error {
		type ended struct{ firm, id string }
		var ends []ended
		rows, err := tx.QueryContext(ctx, `SELECT firm_id, id FROM packets WHERE state = 'sent' AND expires_at IS NOT NULL
			AND expires_at <= ?`, nowText)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e ended
			if err := rows.Scan(&e.firm, &e.id); err != nil {
				rows.Close()
				return err
			}
			ends = append(ends, e)
		}
		rows.Close()
		for _, e := range ends {
			if err := d.endPacket(ctx, tx, e.firm, e.id, api.PacketExpired, "the due date passed", nowText); err != nil {
				return err
			}
			if err := packetEvent(ctx, tx, e.firm, e.id, nowText, EventExpired, "", "", "", ""); err != nil {
				return err
			}
			if _, err := emitPacket(ctx, tx, e.firm, "", e.id, nowText); err != nil {
				return err
			}
			touched = append(touched, e.firm)
			expired++
		}
		type due struct {
			firm, packet string
			r            api.Recipient
			data         string
			reminders    int
		}
		var dues []due
		rows, err = tx.QueryContext(ctx, `SELECT s.firm_id, s.packet_id, s.recipient_id, s.name, s.email, p.data, s.reminders
			FROM packet_signers s JOIN packets p ON p.firm_id = s.firm_id AND p.id = s.packet_id
			WHERE s.remind_at IS NOT NULL AND s.remind_at <= ? AND s.state IN ('sent', 'viewed') AND p.state = 'sent'`, nowText)
		if err != nil {
			return err
		}
		for rows.Next() {
			var x due
			if err := rows.Scan(&x.firm, &x.packet, &x.r.ID, &x.r.Name, &x.r.Email, &x.data, &x.reminders); err != nil {
				rows.Close()
				return err
			}
			dues = append(dues, x)
		}
		rows.Close()
		for _, x := range dues {
			if x.reminders >= MaxReminders {
				if _, err := tx.ExecContext(ctx, `UPDATE packet_signers SET remind_at = NULL WHERE firm_id = ? AND packet_id = ?
					AND recipient_id = ?`, x.firm, x.packet, x.r.ID); err != nil {
					return err
				}
				continue
			}
			var p api.Packet
			if err := json.Unmarshal([]byte(x.data), &p); err != nil {
				return err
			}
			if err := d.mailSigner(ctx, tx, x.firm, x.packet, p, x.r, now, mailReminder); err != nil {
				return err
			}
			reminded++
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	for _, f := range touched {
		d.changed(f)
	}
	if reminded > 0 {
		d.mailQueued()
	}
	return reminded, expired, nil
}

// SealRecord is a firm's sealing certificate as stored: PEM, the key encrypted.
type SealRecord struct {
	CertPEM, ChainPEM string
	KeySealed         []byte
	Source            string // generated or uploaded
}

// FirmSeal is a firm's sealing certificate; ErrNotFound if it has none.
func (d *DB) FirmSeal(ctx context.Context, firmID string) (SealRecord, error) {
	var r SealRecord
	err := d.sql.QueryRowContext(ctx, `SELECT cert_pem, chain_pem, key_sealed, source FROM firm_seals WHERE firm_id = ?`,
		firmID).Scan(&r.CertPEM, &r.ChainPEM, &r.KeySealed, &r.Source)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return r, err
}

// SetFirmSeal stores a firm's sealing certificate; uploaded replaces generated.
func (d *DB) SetFirmSeal(ctx context.Context, firmID, certPEM, chainPEM string, keySealed []byte, source string) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO firm_seal_history (firm_id, cert_pem, retired_at)
			SELECT firm_id, cert_pem, ? FROM firm_seals WHERE firm_id = ? AND cert_pem <> ?`, now, firmID, certPEM); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO firm_seals (firm_id, cert_pem, key_sealed, chain_pem, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (firm_id) DO UPDATE SET cert_pem = excluded.cert_pem,
			key_sealed = excluded.key_sealed, chain_pem = excluded.chain_pem, source = excluded.source, created_at = excluded.created_at`,
			firmID, certPEM, keySealed, chainPEM, source, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("firm seal: %w", err)
	}
	return nil
}

// FirmsWithoutSeal are firms made before sealing existed, or whose certificate was not made.
func (d *DB) FirmsWithoutSeal(ctx context.Context) ([]api.Firm, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, name FROM firms WHERE id NOT IN (SELECT firm_id FROM firm_seals)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []api.Firm
	for rows.Next() {
		var f api.Firm
		if err := rows.Scan(&f.ID, &f.Name); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FirmOfSealCert is the firm that sealed with this certificate, now or before; "" for none
// of this portal's.
func (d *DB) FirmOfSealCert(ctx context.Context, certPEM string) (string, error) {
	var name string
	err := d.sql.QueryRowContext(ctx, `SELECT f.name FROM firms f WHERE f.id IN (
		SELECT firm_id FROM firm_seals WHERE cert_pem = ? UNION SELECT firm_id FROM firm_seal_history WHERE cert_pem = ?)
		LIMIT 1`, certPEM, certPEM).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}
