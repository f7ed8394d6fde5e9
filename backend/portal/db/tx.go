package db

import (
	"context"
	"database/sql"
	"time"
)

// Tx is one transaction of a portal service: the reads and writes its rules are made of.
// The service decides; Tx only reads and writes. When the transaction commits, the firms
// whose feed grew wake their long polls and a queued notice wakes the mail worker.
type Tx struct {
	sql    *sql.Tx
	now    time.Time
	firms  map[string]bool
	mailed bool
}

// Applier applies one op whose effects a portal service decides (an invitation, a
// packet): it answers the sequence number of its last change. A Rejected error records the
// op as rejected and the batch goes on.
type Applier func(ctx context.Context, tx *Tx, firmID string, op Op) (seq int64, err error)

// Appliers are the appliers by op kind, for the kinds the database does not store as sent.
type Appliers map[string]Applier

// Rejected says an op passed its checks but cannot apply to what the database holds.
func Rejected(why string) error { return rejection(why) }

// Update runs fn in one transaction.
func (d *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	t := &Tx{now: d.Now().UTC(), firms: map[string]bool{}}
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		t.sql = tx
		return fn(t)
	})
	if err != nil {
		return err
	}
	d.woke(t)
	return nil
}

func (d *DB) woke(t *Tx) {
	for f := range t.firms {
		d.changed(f)
	}
	if t.mailed {
		d.mailQueued()
	}
}

// Now is the time of the transaction: everything it writes happens at once.
func (t *Tx) Now() time.Time { return t.now }

func (t *Tx) nowText() string { return t.now.Format(time.RFC3339Nano) }

// grew notes that the firm's feed grows: its long polls wake if the transaction commits.
func (t *Tx) grew(firmID string) { t.firms[firmID] = true }

// LastSeq is the firm's last change, for an op that changed nothing.
func (t *Tx) LastSeq(ctx context.Context, firmID string) (int64, error) {
	var last int64
	err := t.sql.QueryRowContext(ctx, `SELECT last_seq FROM firms WHERE id = ?`, firmID).Scan(&last)
	return last, err
}

// Audit records a security event of a user and puts it in the feed for staff.
func (t *Tx) Audit(ctx context.Context, firmID, userID string, ev Event) error {
	t.grew(firmID)
	_, err := audit(ctx, t.sql, firmID, userID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, t.nowText())
	return err
}

// Notice queues a notice of kind to toName <toAddr> with its facts; it answers the mail's id.
func (t *Tx) Notice(ctx context.Context, firmID, kind, toName, toAddr string, facts any) (int64, error) {
	id, err := enqueueNotice(ctx, t.sql, firmID, kind, toName, toAddr, facts, t.nowText())
	if err == nil {
		t.mailed = true
	}
	return id, err
}
