package auth

import (
	"errors"
	"testing"
	"time"
)

// With every slot taken, a check waits at most MaxWait and a full queue answers at once:
// a flood of sign-ins makes the portal say "busy", never stall everyone for half a minute.
func TestChecksAreBusyRatherThanQueuedForEver(t *testing.T) {
	ArgonMemory, ArgonTime = 1024, 1
	hash, err := HashPassword("right password")
	if err != nil {
		t.Fatal(err)
	}
	defer func(w time.Duration, n int) { MaxWait, MaxWaiting = w, n }(MaxWait, MaxWaiting)
	MaxWait = 50 * time.Millisecond
	for range cap(hashing) {
		hashing <- struct{}{}
	}
	start := time.Now()
	if _, err := CheckPassword(hash, "right password"); !errors.Is(err, ErrBusy) {
		t.Fatalf("with every slot taken: %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("busy after %v", d)
	}
	MaxWaiting = 0
	if _, err := CheckPassword(hash, "right password"); !errors.Is(err, ErrBusy) {
		t.Fatalf("with a full queue: %v, want ErrBusy", err)
	}
	// Made-up emails do not wait for a slot at all.
	done := make(chan struct{})
	go func() { Pretend("anything"); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Pretend queued for a slot")
	}
	for range cap(hashing) {
		<-hashing
	}
	MaxWaiting = 8
	if ok, err := CheckPassword(hash, "right password"); !ok || err != nil {
		t.Fatalf("with slots free again: %v %v", ok, err)
	}
}
