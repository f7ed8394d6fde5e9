// Package wakeup is a doorbell for a background worker: rings while the worker is busy
// fold into one wake-up, and ringing never blocks the caller.
package wakeup

import "sync"

// Bell is ready to use as its zero value.
type Bell struct {
	once sync.Once
	ch   chan struct{}
}

func (b *Bell) c() chan struct{} {
	b.once.Do(func() { b.ch = make(chan struct{}, 1) })
	return b.ch
}

// Ring wakes the worker now, or as soon as it next waits.
func (b *Bell) Ring() {
	select {
	case b.c() <- struct{}{}:
	default:
	}
}

// C is what the worker waits on.
func (b *Bell) C() <-chan struct{} { return b.c() }
