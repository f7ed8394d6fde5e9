package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestMigrateAppliesInOrderOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	fsys := fstest.MapFS{
		"m/01-a.sql":  {Data: []byte(`CREATE TABLE a (id INTEGER PRIMARY KEY);`)},
		"m/02-b.sql":  {Data: []byte(`CREATE TABLE b (a_id INTEGER REFERENCES a(id)); INSERT INTO a VALUES (1);`)},
		"m/README.md": {Data: []byte(`not a migration`)},
	}
	for i := 0; i < 2; i++ { // the second run must be a no-op
		v, err := Migrate(ctx, db, fsys, "m")
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if v != 2 {
			t.Fatalf("run %d: version %d, want 2", i, v)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM a`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows in a = %d (%v), want 1", n, err)
	}

	fsys["m/03-c.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE c (`)}
	if _, err := Migrate(ctx, db, fsys, "m"); err == nil {
		t.Fatal("broken migration applied without error")
	}
	v, _ := Migrate(ctx, db, fstest.MapFS{"m/01-a.sql": fsys["m/01-a.sql"]}, "m")
	if v != 2 {
		t.Fatalf("failed migration changed the version to %d", v)
	}
}

func TestMigrateRejectsBadNames(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = Migrate(context.Background(), db, fstest.MapFS{"m/first.sql": {Data: []byte(`SELECT 1`)}}, "m")
	if err == nil {
		t.Fatal("want an error for a migration without a number")
	}
}
