package esign

import (
	"errors"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/portal/db"
)

func signers(states ...string) []db.Signer {
	out := make([]db.Signer, len(states))
	for i, s := range states {
		id := string(rune('a' + i))
		out[i] = db.Signer{Recipient: api.Recipient{ID: id, Name: strings.ToUpper(id)}, State: s}
	}
	return out
}

func TestFirstStates(t *testing.T) {
	three := []api.Recipient{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	tests := []struct {
		name    string
		ordered bool
		want    string
	}{
		{"in order: the first signs first", true, "sent waiting waiting"},
		{"any order: everyone at once", false, "sent sent sent"},
	}
	for _, tt := range tests {
		got := strings.Join(FirstStates(api.Packet{Ordered: tt.ordered, Recipients: three}), " ")
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestWhoSignsNext(t *testing.T) {
	const S, W, V = api.SignerSigned, api.SignerWaiting, api.SignerViewed
	tests := []struct {
		name      string
		ordered   bool
		signers   []db.Signer
		signed    string
		wantNext  string
		wantAsk   bool
		waitingOf string // WaitingFor of signer c before the signature
		wantWait  string
	}{
		{"in order: the next waiting signer is asked", true, signers(V, W, W), "a", "b", true, "c", "A"},
		{"in order: the last signature completes", true, signers(S, S, V), "c", "", false, "c", ""},
		{"any order: the others were asked already", false, signers(V, V, V), "a", "b", false, "c", ""},
		{"any order: the last completes", false, signers(S, V, S), "b", "", false, "c", ""},
	}
	for _, tt := range tests {
		p := db.PacketRow{Packet: api.Packet{Ordered: tt.ordered}, Signers: tt.signers}
		if got := WaitingFor(p, tt.waitingOf); got != tt.wantWait {
			t.Errorf("%s: %s waits for %q, want %q", tt.name, tt.waitingOf, got, tt.wantWait)
		}
		next, ask := Next(p, tt.signed)
		got := ""
		if next != nil {
			got = next.ID
		}
		if got != tt.wantNext || ask != tt.wantAsk {
			t.Errorf("%s: next %q ask %v, want %q %v", tt.name, got, ask, tt.wantNext, tt.wantAsk)
		}
	}
}

func TestWhoMaySignOrDecline(t *testing.T) {
	tests := []struct {
		name                 string
		state, signer, wait  string
		wantSign, wantRefuse error
	}{
		{"their turn", api.PacketSent, api.SignerViewed, "", nil, nil},
		{"signed already", api.PacketSent, api.SignerSigned, "", ErrAlreadySigned, ErrAlreadySigned},
		{"an earlier signer first", api.PacketSent, api.SignerWaiting, "Ada", ErrNotYourTurn, nil},
		{"voided", api.PacketVoided, api.SignerViewed, "", ErrPacketEnded, ErrPacketEnded},
		{"expired", api.PacketExpired, api.SignerSent, "", ErrPacketEnded, ErrPacketEnded},
		{"everyone signed, sealing", db.PacketSealing, api.SignerSigned, "", ErrAlreadySigned, ErrPacketEnded},
	}
	for _, tt := range tests {
		s := Signing{State: tt.state, SignerState: tt.signer, WaitingFor: tt.wait}
		if err := CanSign(s); !errors.Is(err, tt.wantSign) || (err == nil) != (tt.wantSign == nil) {
			t.Errorf("%s: sign = %v, want %v", tt.name, err, tt.wantSign)
		}
		if err := CanDecline(s); !errors.Is(err, tt.wantRefuse) || (err == nil) != (tt.wantRefuse == nil) {
			t.Errorf("%s: decline = %v, want %v", tt.name, err, tt.wantRefuse)
		}
		if s.Open() != (tt.wantSign == nil) {
			t.Errorf("%s: Open() = %v", tt.name, s.Open())
		}
	}
}

func TestExpiryAndState(t *testing.T) {
	exp := Expiry("2026-12-10")
	if exp == nil || !exp.Equal(time.Date(2026, 12, 11, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("Expiry(2026-12-10) = %v, want the 11th at noon UTC: the day is over everywhere", exp)
	}
	if Expiry("") != nil {
		t.Error("a packet with no due day expires")
	}
	tests := []struct {
		name, state string
		at          time.Time
		want        string
	}{
		{"before", api.PacketSent, exp.Add(-time.Nanosecond), api.PacketSent},
		{"at expiry, not yet ended by the scheduler", api.PacketSent, *exp, api.PacketExpired},
		{"completed stays completed", api.PacketCompleted, exp.Add(time.Hour), api.PacketCompleted},
	}
	for _, tt := range tests {
		if got := State(db.PacketRow{State: tt.state, ExpiresAt: exp}, tt.at); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestRemindersAndVoid(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if r := RemindAt(api.Packet{RemindDays: 3}, now); r == nil || !r.Equal(now.Add(72*time.Hour)) {
		t.Errorf("RemindAt 3 days = %v", r)
	}
	if RemindAt(api.Packet{}, now) != nil {
		t.Error("a packet without reminders schedules one")
	}
	if !Remind(MaxReminders-1) || Remind(MaxReminders) {
		t.Errorf("Remind stops at %d reminders", MaxReminders)
	}
	for state, want := range map[string]bool{api.PacketSent: true, db.PacketSealing: true, api.PacketCompleted: false,
		api.PacketDeclined: false, api.PacketVoided: false, api.PacketExpired: false} {
		if Voidable(state) != want {
			t.Errorf("Voidable(%s) = %v", state, !want)
		}
	}
}

func TestSealTries(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		tries       int
		problem     string
		wantTries   int
		wantWait    time.Duration
		wantTold    bool
		wantProblem string
		wantErr     error
	}{
		{"first try", 0, "", 1, time.Minute, false, "", nil},
		{"after a failure", 2, "bad font", 3, 4 * time.Minute, false, "bad font", nil},
		{"after a try cut off by a stop", 1, "", 2, 2 * time.Minute, true, "interrupted", nil},
		{"out of tries", SealTries, "bad font", SealTries, 0, false, "bad font", ErrPacketEnded},
	}
	for _, tt := range tests {
		n, after, problem, told, err := Claim(tt.tries, tt.problem, now)
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if n != tt.wantTries || after.Sub(now) != tt.wantWait || told != tt.wantTold || !strings.Contains(problem, tt.wantProblem) {
			t.Errorf("%s: tries %d wait %v told %v problem %q", tt.name, n, after.Sub(now), told, problem)
		}
	}
	if why, n := Failure(2, "bad font", false); why != "bad font" || n != 2 {
		t.Errorf("a failure with tries left = %q, %d", why, n)
	}
	if why, n := Failure(1, "bad font", true); n != SealTries || !strings.Contains(why, "1 try, stopped trying") {
		t.Errorf("a final failure = %q, %d", why, n)
	}
	if why, n := Failure(SealTries, "bad font", false); n != SealTries || !strings.Contains(why, "6 tries") {
		t.Errorf("the last failure = %q, %d", why, n)
	}
}
