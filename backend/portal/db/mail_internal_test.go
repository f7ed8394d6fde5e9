package db

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"portico/backend/api"
)

// A sent notice forgets its facts: the link in them is only the recipient's.
func TestASentNoticeForgetsItsFacts(t *testing.T) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	firm, _, err := d.CreateFirm(ctx, "Acme CPA", api.Staff{Email: "sam@acme.test", Name: "Sam"}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := d.withTx(ctx, func(tx *sql.Tx) (err error) {
		id, err = enqueueNotice(ctx, tx, firm.ID, NoticeInvite, "Ada", "ada@example.com", map[string]string{"Token": "secret"}, d.now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := d.MailSent(ctx, id, time.Now()); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := d.sql.QueryRowContext(ctx, `SELECT data FROM mail_queue WHERE id = ?`, id).Scan(&data); err != nil || data != "" {
		t.Fatalf("a sent notice keeps %q (%v)", data, err)
	}
}
