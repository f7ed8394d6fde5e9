package clients

import (
	"context"
	"path/filepath"
	"time"

	"portico/backend/desktop/store"
)

var timeNow = time.Now

func storeOpen(dir string) (*store.Store, error) {
	return store.Open(context.Background(), filepath.Join(dir, "d.db"))
}
