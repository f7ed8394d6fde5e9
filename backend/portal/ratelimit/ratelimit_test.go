package ratelimit

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLockoutAndRecovery(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	l := New(3, 10*time.Minute)
	l.Now = func() time.Time { return now }
	steps := []struct {
		advance   time.Duration
		fail      bool
		wantAllow bool
		wantWait  time.Duration
	}{
		{0, true, true, 0},
		{time.Minute, true, true, 0},
		{time.Minute, true, false, 8 * time.Minute}, // third failure: locked until the first expires
		{7 * time.Minute, false, false, time.Minute},
		{time.Minute, false, true, 0}, // the first failure has aged out
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if s.fail {
			l.Fail("ann@x.test")
		}
		ok, wait := l.Allow("ann@x.test")
		if ok != s.wantAllow || wait != s.wantWait {
			t.Fatalf("step %d: Allow = %v, %v; want %v, %v", i, ok, wait, s.wantAllow, s.wantWait)
		}
	}
	if ok, _ := l.Allow("bob@x.test"); !ok {
		t.Fatal("one key's failures locked out another")
	}
}

func TestFailReportsTheLockingFailureOnce(t *testing.T) {
	l := New(2, time.Hour)
	got := []bool{l.Fail("k"), l.Fail("k"), l.Fail("k")}
	if got[0] || !got[1] || got[2] {
		t.Fatalf("Fail = %v, want [false true false]", got)
	}
	l.Reset("k")
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("Reset did not clear the lockout")
	}
}

// Made-up keys cost no memory beyond the bounds: long keys are hashed, expired ones swept,
// and the map never holds more than MaxKeys.
func TestKeysAreBounded(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	l := New(3, 10*time.Minute)
	l.Now = func() time.Time { return now }
	long := strings.Repeat("a", 62<<10) + "@x.test"
	for range 5 {
		l.Fail(long)
	}
	if ok, _ := l.Allow(long); ok {
		t.Fatal("a long key was not counted")
	}
	for k := range l.failures {
		if len(k) > MaxKeyLen+8 {
			t.Fatalf("a key of %d bytes is held", len(k))
		}
		if n := len(l.failures[k]); n > l.Max+1 {
			t.Fatalf("%d failures held for one key", n)
		}
	}
	for i := range MaxKeys + 50 {
		l.Fail(fmt.Sprintf("guess%d@x.test", i))
	}
	if n := l.Len(); n > MaxKeys {
		t.Fatalf("%d keys held, at most %d", n, MaxKeys)
	}
	now = now.Add(l.Window)
	l.Fail("late@x.test")
	if n := l.Len(); n != 1 {
		t.Fatalf("%d keys held after every other failure expired", n)
	}
}
