// Package ratelimit slows down guessing: after too many failures for one key (an email, an
// address) within a window, that key is locked out until the window has passed.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter counts failures per key in a sliding window. The zero value is not usable; use New.
type Limiter struct {
	Max    int           // failures allowed within Window
	Window time.Duration // how long a failure counts
	Now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

func New(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, Now: time.Now, failures: map[string][]time.Time{}}
}

// Allow tells whether key may try now and, when not, how long until it may.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	recent := l.prune(key, now)
	if len(recent) < l.Max {
		return true, 0
	}
	return false, recent[0].Add(l.Window).Sub(now)
}

// Fail records a failed attempt for key and tells whether this failure locked it out.
func (l *Limiter) Fail(key string) (lockedNow bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	recent := append(l.prune(key, now), now)
	l.failures[key] = recent
	return len(recent) == l.Max
}

// Reset forgets key's failures, after a success.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// prune drops failures older than the window; callers hold mu.
func (l *Limiter) prune(key string, now time.Time) []time.Time {
	list := l.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= l.Window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = list
	return list
}
