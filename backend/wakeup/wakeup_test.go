package wakeup

import (
	"testing"
	"time"
)

func TestRingsWhileBusyFoldIntoOneWakeUp(t *testing.T) {
	var b Bell
	for range 3 {
		b.Ring() // never blocks, worker or not
	}
	select {
	case <-b.C():
	case <-time.After(time.Second):
		t.Fatal("no wake-up after rings")
	}
	select {
	case <-b.C():
		t.Fatal("three rings made two wake-ups")
	default:
	}
}
