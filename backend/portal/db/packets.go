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

// PacketSealing is a packet every signer signed whose seal is being made: portald's own
// state, which desktops see as sent until it completes.
const PacketSealing = "sealing"

// Signer is a packet's signer as stored.
type Signer struct {
	api.Recipient
	State     string
	Reminders int
}

// PacketRow is a packet as stored, with its signers in signing order.
type PacketRow struct {
	FirmID, FirmName, ClientName, ID string
	Packet                           api.Packet
	State, Reason                    string
	SignedFileID, SignedSHA256       string
	ExpiresAt                        *time.Time
	SealTries                        int
	SealError                        string
	Signers                          []Signer
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

type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// readPacket reads the packet the where clause (over packets p) finds, and its signers.
func readPacket(ctx context.Context, q querier, where string, args ...any) (PacketRow, error) {
	var p PacketRow
	var data string
	var expires sql.NullString
	err := q.QueryRowContext(ctx, `SELECT p.firm_id, f.name, c.name, p.id, p.data, p.state, p.reason, p.signed_file_id,
		p.signed_sha256, p.expires_at, p.seal_tries, p.seal_error FROM packets p
		JOIN firms f ON f.id = p.firm_id
		JOIN clients c ON c.firm_id = p.firm_id AND c.id = p.client_id `+where, args...).Scan(
		&p.FirmID, &p.FirmName, &p.ClientName, &p.ID, &data, &p.State, &p.Reason, &p.SignedFileID,
		&p.SignedSHA256, &expires, &p.SealTries, &p.SealError)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(data), &p.Packet); err != nil {
		return p, fmt.Errorf("packet %s: %w", p.ID, err)
	}
	p.ExpiresAt = timePtr(expires)
	rows, err := q.QueryContext(ctx, `SELECT recipient_id, name, email, state, reminders FROM packet_signers
		WHERE firm_id = ? AND packet_id = ? ORDER BY position`, p.FirmID, p.ID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var s Signer
		if err := rows.Scan(&s.ID, &s.Name, &s.Email, &s.State, &s.Reminders); err != nil {
			return p, err
		}
		p.Signers = append(p.Signers, s)
	}
	return p, rows.Err()
}

// PacketByLink is the packet a signing link was sent for, and the signer it was sent to.
func (d *DB) PacketByLink(ctx context.Context, hash []byte) (p PacketRow, recipientID string, err error) {
	var firmID, packetID string
	err = d.sql.QueryRowContext(ctx, `SELECT firm_id, packet_id, recipient_id FROM packet_links WHERE token_hash = ?`,
		hash).Scan(&firmID, &packetID, &recipientID)
	if errors.Is(err, sql.ErrNoRows) {
		return p, "", ErrNotFound
	}
	if err != nil {
		return p, "", err
	}
	p, err = readPacket(ctx, d.sql, `WHERE p.firm_id = ? AND p.id = ?`, firmID, packetID)
	return p, recipientID, err
}

// PacketOfUser is a packet of one of the user's clients, and the signer who is the user.
func (d *DB) PacketOfUser(ctx context.Context, u User, packetID string) (p PacketRow, recipientID string, err error) {
	filter, args := clientFilter("p", u.ClientIDs)
	p, err = readPacket(ctx, d.sql, `WHERE p.firm_id = ? AND p.id = ? AND `+filter,
		append([]any{u.FirmID, packetID}, args...)...)
	if err != nil {
		return p, "", err
	}
	for _, s := range p.Signers {
		if s.Email == u.Email {
			return p, s.ID, nil
		}
	}
	return PacketRow{}, "", ErrNotFound
}

// Packet reads a packet in the transaction; ErrNotFound if the portal has none.
func (t *Tx) Packet(ctx context.Context, firmID, id string) (PacketRow, error) {
	return readPacket(ctx, t.sql, `WHERE p.firm_id = ? AND p.id = ?`, firmID, id)
}

// HasPacket tells whether the portal took a packet with this id, whatever became of it.
func (t *Tx) HasPacket(ctx context.Context, firmID, id string) (bool, error) {
	var one int
	err := t.sql.QueryRowContext(ctx, `SELECT 1 FROM packets WHERE firm_id = ? AND id = ?`, firmID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// InsertPacket stores a packet staff sent, with each signer's first state (by position).
// Its client and its PDF must be here.
func (t *Tx) InsertPacket(ctx context.Context, firmID, id string, p *api.Packet, expires *time.Time, states []string) error {
	if err := clientExists(ctx, t.sql, firmID, p.ClientID); err != nil {
		return err
	}
	if err := blobExists(ctx, t.sql, firmID, p.SHA256, p.Size); err != nil {
		return err
	}
	now := t.nowText()
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if _, err := t.sql.ExecContext(ctx, `INSERT INTO packets (firm_id, id, client_id, data, state, expires_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'sent', ?, ?, ?)`, firmID, id, p.ClientID, string(data), timeText(expires), now, now); err != nil {
		return fmt.Errorf("put packet: %w", err)
	}
	for i, r := range p.Recipients {
		if _, err := t.sql.ExecContext(ctx, `INSERT INTO packet_signers (firm_id, packet_id, recipient_id, position, name, email, state)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, firmID, id, r.ID, i, r.Name, strings.TrimSpace(r.Email), states[i]); err != nil {
			return fmt.Errorf("packet signer: %w", err)
		}
	}
	return nil
}

// SignLink makes a new link for the signer and answers its token.
func (t *Tx) SignLink(ctx context.Context, firmID, packetID, recipientID string) (string, error) {
	token, hash := auth.NewToken()
	if _, err := t.sql.ExecContext(ctx, `INSERT INTO packet_links (token_hash, firm_id, packet_id, recipient_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, hash, firmID, packetID, recipientID, t.nowText()); err != nil {
		return "", fmt.Errorf("signing link: %w", err)
	}
	return token, nil
}

// SignerMailed records that the signer was sent their link (first or again) and when the
// next reminder is due; nil for none. A reminder counts.
func (t *Tx) SignerMailed(ctx context.Context, firmID, packetID, recipientID string, remindAt *time.Time, reminder bool) error {
	more := 0
	if reminder {
		more = 1
	}
	_, err := t.sql.ExecContext(ctx, `UPDATE packet_signers SET sent_at = COALESCE(sent_at, ?), remind_at = ?,
		reminders = reminders + ? WHERE firm_id = ? AND packet_id = ? AND recipient_id = ?`,
		t.nowText(), timeText(remindAt), more, firmID, packetID, recipientID)
	return err
}

// StopReminders cancels the signer's next reminder; every signer's for recipientID "".
func (t *Tx) StopReminders(ctx context.Context, firmID, packetID, recipientID string) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE packet_signers SET remind_at = NULL WHERE firm_id = ? AND packet_id = ?
		AND (? = '' OR recipient_id = ?)`, firmID, packetID, recipientID, recipientID)
	return err
}

// MoveSigner changes a signer's state if it is still from; it tells whether it was. The
// first move to viewed records when.
func (t *Tx) MoveSigner(ctx context.Context, firmID, packetID, recipientID, from, to string) (bool, error) {
	res, err := t.sql.ExecContext(ctx, `UPDATE packet_signers SET state = ?,
		viewed_at = CASE WHEN ? = 'viewed' THEN COALESCE(viewed_at, ?) ELSE viewed_at END
		WHERE firm_id = ? AND packet_id = ? AND recipient_id = ? AND state = ?`,
		to, to, t.nowText(), firmID, packetID, recipientID, from)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// SignerSigned records a signer's signature: the name they adopted and their values.
func (t *Tx) SignerSigned(ctx context.Context, firmID, packetID, recipientID, adopted string, vals map[string]SignValue) error {
	body, err := json.Marshal(vals)
	if err != nil {
		return err
	}
	now := t.nowText()
	_, err = t.sql.ExecContext(ctx, `UPDATE packet_signers SET state = 'signed', signed_at = ?, viewed_at = COALESCE(viewed_at, ?),
		adopted_name = ?, vals = ?, remind_at = NULL WHERE firm_id = ? AND packet_id = ? AND recipient_id = ?`,
		now, now, adopted, string(body), firmID, packetID, recipientID)
	return err
}

// SetPacketState moves a packet to state, saying why.
func (t *Tx) SetPacketState(ctx context.Context, firmID, id, state, reason string) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE packets SET state = ?, reason = ?, updated_at = ? WHERE firm_id = ? AND id = ?`,
		state, reason, t.nowText(), firmID, id)
	return err
}

// PacketEvent adds a line to the packet's audit trail, now.
func (t *Tx) PacketEvent(ctx context.Context, firmID, packetID string, e PacketEvent) error {
	_, err := t.sql.ExecContext(ctx, `INSERT INTO packet_events (firm_id, packet_id, at, what, who, ip, user_agent, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, firmID, packetID, t.nowText(), e.What, e.Who, e.IP, e.UserAgent, e.Detail)
	if err != nil {
		return fmt.Errorf("packet event %s: %w", e.What, err)
	}
	return nil
}

// EmitPacket tells staff how the packet stands now.
func (t *Tx) EmitPacket(ctx context.Context, firmID, opID, id string) (int64, error) {
	var st api.PacketState
	var state string
	err := t.sql.QueryRowContext(ctx, `SELECT client_id, state, reason, signed_file_id, seal_error FROM packets
		WHERE firm_id = ? AND id = ?`, firmID, id).Scan(&st.ClientID, &state, &st.Reason, &st.SignedFileID, &st.Problem)
	if err != nil {
		return 0, fmt.Errorf("packet %s: %w", id, err)
	}
	st.State, st.At = state, t.now
	if state == PacketSealing {
		st.State = api.PacketSent // every signer signed; the seal is on its way
	}
	rows, err := t.sql.QueryContext(ctx, `SELECT recipient_id, state, viewed_at, signed_at FROM packet_signers
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
	t.grew(firmID)
	return appendChange(ctx, t.sql, firmID, opID, api.KindPacketState, id, st, t.nowText())
}

// ChangePacketTodos changes the packet's to-dos and tells staff.
func (t *Tx) ChangePacketTodos(ctx context.Context, firmID, packetID string, change func(*api.Todo)) error {
	rows, err := t.sql.QueryContext(ctx, `SELECT id, client_id, title, description, due, state, done_at, done_by, deleted
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
		var td todo
		var doneAt sql.NullString
		if err := rows.Scan(&td.id, &td.ClientID, &td.Title, &td.Description, &td.Due, &td.State, &doneAt, &td.DoneBy, &td.Deleted); err != nil {
			rows.Close()
			return err
		}
		td.DoneAt, td.PacketID = timePtr(doneAt), packetID
		todos = append(todos, td)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := t.nowText()
	for _, td := range todos {
		change(&td.Todo)
		var doneAt any
		if td.DoneAt != nil {
			doneAt = td.DoneAt.UTC().Format(time.RFC3339Nano)
		}
		if _, err := t.sql.ExecContext(ctx, `UPDATE todos SET state = ?, done_at = ?, done_by = ?, deleted = ?, updated_at = ?
			WHERE firm_id = ? AND id = ?`, td.State, doneAt, td.DoneBy, td.Deleted, now, firmID, td.id); err != nil {
			return err
		}
		t.grew(firmID)
		if _, err := appendChange(ctx, t.sql, firmID, "", api.KindTodoPut, td.id, td.Todo, now); err != nil {
			return err
		}
	}
	return nil
}

// SealJobs are the packets every signer has signed, waiting for their seal, tried fewer
// than tries times, whose next try is due.
func (d *DB) SealJobs(ctx context.Context, tries, limit int) ([]SealJob, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT p.firm_id, f.name, p.id, p.data FROM packets p JOIN firms f ON f.id = p.firm_id
		WHERE p.state = 'sealing' AND p.seal_tries < ? AND p.seal_after <= ? ORDER BY p.updated_at LIMIT ?`,
		tries, d.Now().Unix(), limit)
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

// CompletePacket files the sealed PDF (a blob already stored) in the client's folder and
// marks the packet completed; it answers the new file's id.
func (t *Tx) CompletePacket(ctx context.Context, firmID, packetID string, f api.File) (string, error) {
	fileID := ulid.Make().String()
	now := t.nowText()
	if _, err := t.sql.ExecContext(ctx, `INSERT INTO firm_blobs (firm_id, sha256, size, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, firmID, f.SHA256, f.Size, now); err != nil {
		return "", err
	}
	t.grew(firmID)
	if _, err := putFileAt(ctx, t.sql, firmID, "", fileID, &f, now); err != nil {
		return "", err
	}
	if _, err := t.sql.ExecContext(ctx, `UPDATE packets SET state = 'completed', signed_sha256 = ?, signed_file_id = ?,
		seal_error = '', updated_at = ? WHERE firm_id = ? AND id = ?`, f.SHA256, fileID, now, firmID, packetID); err != nil {
		return "", err
	}
	return fileID, nil
}

// SealTried records the tries of a packet's seal, when the next may start, and the problem
// staff are shown ("" for none).
func (t *Tx) SealTried(ctx context.Context, firmID, id string, tries int, after time.Time, problem string) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE packets SET seal_tries = ?, seal_after = ?, seal_error = ? WHERE firm_id = ? AND id = ?`,
		tries, after.Unix(), problem, firmID, id)
	return err
}

// SealProblem records why a packet's seal could not be made; it tells whether that is news
// (a packet still waiting for its seal, and a new reason).
func (t *Tx) SealProblem(ctx context.Context, firmID, id string, tries int, why string) (bool, error) {
	res, err := t.sql.ExecContext(ctx, `UPDATE packets SET seal_error = ?, seal_tries = ?, updated_at = ? WHERE firm_id = ? AND id = ?
		AND state = 'sealing' AND seal_error <> ?`, why, tries, t.nowText(), firmID, id, why)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// PacketKey names one packet of one firm.
type PacketKey struct{ FirmID, ID string }

// PacketsPast are the packets still sent whose expiry has come.
func (t *Tx) PacketsPast(ctx context.Context) ([]PacketKey, error) {
	rows, err := t.sql.QueryContext(ctx, `SELECT firm_id, id FROM packets WHERE state = 'sent' AND expires_at IS NOT NULL
		AND expires_at <= ?`, t.nowText())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PacketKey
	for rows.Next() {
		var k PacketKey
		if err := rows.Scan(&k.FirmID, &k.ID); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Reminder is a signer of a sent packet whose next reminder has come.
type Reminder struct {
	PacketKey
	Signer Signer
}

// RemindersDue are the signers who have not signed a sent packet and whose reminder has come.
func (t *Tx) RemindersDue(ctx context.Context) ([]Reminder, error) {
	rows, err := t.sql.QueryContext(ctx, `SELECT s.firm_id, s.packet_id, s.recipient_id, s.name, s.email, s.state, s.reminders
		FROM packet_signers s JOIN packets p ON p.firm_id = s.firm_id AND p.id = s.packet_id
		WHERE s.remind_at IS NOT NULL AND s.remind_at <= ? AND s.state IN ('sent', 'viewed') AND p.state = 'sent'`, t.nowText())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		if err := rows.Scan(&r.FirmID, &r.ID, &r.Signer.ID, &r.Signer.Name, &r.Signer.Email, &r.Signer.State,
			&r.Signer.Reminders); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func timeText(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
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
