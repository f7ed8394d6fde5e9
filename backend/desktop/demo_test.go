package desktop_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"portico/backend/desktop"
	"portico/backend/desktop/files"
)

// mapKeyring keeps secrets in memory: this test never signs in.
type mapKeyring map[string]string

func (m mapKeyring) Get(service, user string) (string, error) { return m[service+"/"+user], nil }
func (m mapKeyring) Set(service, user, secret string) error   { m[service+"/"+user] = secret; return nil }
func (m mapKeyring) Delete(service, user string) error        { delete(m, service+"/"+user); return nil }

// The demo firm of make run shows the product at work: clients with a to-do, an invoice and
// a shared document, all queued for the portal; a second run adds nothing.
func TestDemoFirmHasSomethingToShow(t *testing.T) {
	ctx := context.Background()
	d, err := desktop.Open(ctx, desktop.Config{DataDir: filepath.Join(t.TempDir(), "demo"), Keyring: mapKeyring{},
		DeviceName: "demo", LibraryDir: filepath.Join(t.TempDir(), "library")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	for range 2 {
		if err := d.SeedDemo(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	list, err := d.Clients.List(ctx, "", true)
	if err != nil || len(list) != 3 {
		t.Fatalf("demo clients: %d, %v", len(list), err)
	}
	for _, c := range list {
		todos, _ := d.Todos.List(ctx, c.ID)
		invoices, _ := d.Store.InvoicesOfClient(ctx, c.ID)
		if len(todos) != 1 || len(invoices) != 1 {
			t.Errorf("%s: %d to-dos, %d invoices; want one each", c.Name, len(todos), len(invoices))
		}
		waitFor(t, 10*time.Second, c.Name+"'s shared document", func() bool {
			fs, _ := d.Files.List(ctx, c.ID)
			return len(fs) == 1 && fs[0].Visible && fs[0].Path[:len(files.SharedDir)] == files.SharedDir
		})
	}
	if st, _ := d.Sync.Status(ctx); st.Pending < 9 {
		t.Fatalf("demo writes waiting for the portal: %d, want at least 9", st.Pending)
	}
}
