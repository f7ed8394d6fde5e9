// Package ratelimit slows down guessing: after too many failures for one key (an email, an
// address) within a window, that key is locked out until the window has passed.
package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Bounds on what a limiter holds, whatever visitors send: keys are emails and addresses
// that anyone may make up.
const (
	// MaxKeyLen is the longest key kept as it is; longer ones are kept as their hash.
	MaxKeyLen = 256
	// MaxKeys is how many keys a limiter holds at most. Past it, keys whose failures have
	// all expired are swept, and if that is not enough the oldest failures are forgotten:
	// a flood of made-up keys costs the flooder its own counts, never memory.
	MaxKeys = 100_000
)

// Limiter counts failures per key in a sliding window. The zero value is not usable; use New.
type Limiter struct {
	Max    int           // failures allowed within Window
	Window time.Duration // how long a failure counts
	Now    func() time.Time

	mu        sync.Mutex
	failures  map[string][]time.Time
	lastSweep time.Time
}

func New(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, Now: time.Now, failures: map[string][]time.Time{}}
}

// Key is how a limiter stores key: as it is when short, else its hash.
func Key(key string) string {
	if len(key) <= MaxKeyLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Allow tells whether key may try now and, when not, how long until it may.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	recent := l.prune(Key(key), now)
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
	key = Key(key)
	recent := l.prune(key, now)
	if recent == nil {
		l.makeRoom(now)
	}
	recent = append(recent, now)
	lockedNow = len(recent) == l.Max
	if len(recent) > l.Max+1 {
		recent = recent[len(recent)-l.Max-1:] // a locked key's count stays bounded
	}
	l.failures[key] = recent
	return lockedNow
}

// Reset forgets key's failures, after a success.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, Key(key))
}

// Len is how many keys the limiter holds.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.failures)
}

// makeRoom sweeps expired keys once a window, or whenever the map is full, and then
// forgets keys until there is room for one more; callers hold mu.
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.failures) < MaxKeys && now.Sub(l.lastSweep) < l.Window {
		return
	}
	l.lastSweep = now
	for k, list := range l.failures {
		if len(list) == 0 || now.Sub(list[len(list)-1]) >= l.Window {
			delete(l.failures, k)
		}
	}
	for k := range l.failures { // map order: no key is safe from being forgotten first
		if len(l.failures) < MaxKeys {
			break
		}
		delete(l.failures, k)
	}
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
