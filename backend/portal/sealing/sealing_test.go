package sealing

import (
	"context"
	"errors"
	"strings"
	"testing"

	"portico/backend/portal/db"
)

// A panic while sealing one document is that document's failure, never the process's.
func TestSealRecoversFromPanics(t *testing.T) {
	w := &Worker{} // no database: FirmSealer dereferences nil
	_, err := w.sealRecovering(context.Background(), db.SealJob{FirmID: "f", PacketID: "p"})
	var crash *crashError
	if !errors.As(err, &crash) || !strings.Contains(crash.stack, "FirmSealer") {
		t.Fatalf("error %v, want a crashError with its stack", err)
	}
}
