package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
)

type fixture struct {
	t      *testing.T
	srv    *httptest.Server
	server *Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	auth.ArgonMemory, auth.ArgonTime = 1024, 1
	d, err := db.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	for _, f := range []struct{ firm, email string }{{"Alpha CPA", "a@alpha.test"}, {"Beta Tax", "b@beta.test"}} {
		hash, _ := auth.HashPassword("password-123")
		if _, _, err := d.CreateFirm(context.Background(), f.firm, api.Staff{Name: "S", Email: f.email}, hash); err != nil {
			t.Fatal(err)
		}
	}
	s := New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &fixture{t: t, srv: srv, server: s}
}

func (f *fixture) do(method, path, token string, body any, out any) int {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func (f *fixture) signIn(email string) string {
	f.t.Helper()
	var out api.SignInResponse
	if code := f.do("POST", api.PathDevices, "", api.SignInRequest{Email: email, Password: "password-123"}, &out); code != http.StatusCreated {
		f.t.Fatalf("sign-in %s: %d", email, code)
	}
	return out.Token
}

func clientOp(name string) api.Op {
	id := ulid.Make().String()
	data, _ := json.Marshal(api.Client{Name: name, People: []api.Person{{ID: "p-" + id, Role: api.RolePrimary, Name: "P"}}})
	return api.Op{ID: id, Kind: api.KindClientPut, EntityID: "c-" + id, Data: data}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	if code := f.do("GET", api.PathHealth, "", nil, nil); code != http.StatusOK {
		t.Fatalf("healthz = %d", code)
	}
}

func TestSignInAndRevoke(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, email, password string
		want                  int
	}{
		{"right", "a@alpha.test", "password-123", http.StatusCreated},
		{"email case differs", "A@Alpha.test", "password-123", http.StatusCreated},
		{"wrong password", "a@alpha.test", "password-124", http.StatusUnauthorized},
		{"unknown email", "nobody@alpha.test", "password-123", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e api.Error
			code := f.do("POST", api.PathDevices, "", api.SignInRequest{Email: tt.email, Password: tt.password}, &e)
			if code != tt.want {
				t.Fatalf("status %d, want %d", code, tt.want)
			}
			if code == http.StatusUnauthorized && e.Code != api.CodeBadCredentials {
				t.Fatalf("error code %q", e.Code)
			}
		})
	}
	tok := f.signIn("a@alpha.test")
	var me api.Me
	if code := f.do("GET", api.PathMe, tok, nil, &me); code != http.StatusOK || me.Firm.Name != "Alpha CPA" {
		t.Fatalf("me = %d %+v", code, me)
	}
	if code := f.do("DELETE", api.PathDeviceCurrent, tok, nil, nil); code != http.StatusNoContent {
		t.Fatalf("revoke = %d", code)
	}
	if code := f.do("GET", api.PathMe, tok, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", code)
	}
	if code := f.do("GET", api.PathMe, "made-up", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("made-up token: %d", code)
	}
}

func TestPushAppliesOnceAndRejectsInvalid(t *testing.T) {
	f := newFixture(t)
	tok := f.signIn("a@alpha.test")
	good := clientOp("Good Co")
	bad := clientOp("")
	unknown := api.Op{ID: ulid.Make().String(), Kind: "planet.destroy", EntityID: "x", Data: []byte(`{}`)}
	var first api.PushResponse
	if code := f.do("POST", api.PathOps, tok, api.PushRequest{Ops: []api.Op{good, bad, unknown}}, &first); code != http.StatusOK {
		t.Fatalf("push = %d", code)
	}
	want := []string{api.OpApplied, api.OpRejected, api.OpRejected}
	for i, r := range first.Results {
		if r.Status != want[i] {
			t.Fatalf("result %d = %+v, want %s", i, r, want[i])
		}
	}
	if !strings.Contains(first.Results[1].Error, "client name is required") {
		t.Fatalf("rejection reason: %q", first.Results[1].Error)
	}
	// The same ops again: the good one is a duplicate with its first seq, nothing new applies.
	var again api.PushResponse
	f.do("POST", api.PathOps, tok, api.PushRequest{Ops: []api.Op{good, bad}}, &again)
	if again.Results[0].Status != api.OpDuplicate || again.Results[0].Seq != first.Results[0].Seq {
		t.Fatalf("repeat: %+v", again.Results[0])
	}
	if again.Results[1].Status != api.OpRejected {
		t.Fatalf("repeat of a rejected op: %+v", again.Results[1])
	}
	var feed api.ChangesResponse
	f.do("GET", api.PathChanges+"?after=0&limit=100", tok, nil, &feed)
	if len(feed.Changes) != 1 || feed.Cursor != 1 || feed.More {
		t.Fatalf("feed after repeats: %+v", feed)
	}
	if code := f.do("POST", api.PathOps, tok, api.PushRequest{Ops: []api.Op{{ID: "not-a-ulid", Kind: api.KindClientPut}}}, nil); code != http.StatusBadRequest {
		t.Fatalf("bad op id: %d", code)
	}
	if code := f.do("POST", api.PathOps, "", api.PushRequest{Ops: []api.Op{good}}, nil); code != http.StatusUnauthorized {
		t.Fatalf("push without token: %d", code)
	}
}

func TestChangesArePagedAndScopedByFirm(t *testing.T) {
	f := newFixture(t)
	alpha, beta := f.signIn("a@alpha.test"), f.signIn("b@beta.test")
	var ops []api.Op
	for i := 0; i < 5; i++ {
		ops = append(ops, clientOp("Alpha client"))
	}
	f.do("POST", api.PathOps, alpha, api.PushRequest{Ops: ops}, nil)
	var page api.ChangesResponse
	f.do("GET", api.PathChanges+"?after=0&limit=2", alpha, nil, &page)
	if len(page.Changes) != 2 || !page.More || page.Cursor != 2 {
		t.Fatalf("first page: %+v", page)
	}
	f.do("GET", api.PathChanges+"?after=4&limit=2", alpha, nil, &page)
	if len(page.Changes) != 1 || page.More || page.Cursor != 5 {
		t.Fatalf("last page: %+v", page)
	}
	f.do("GET", api.PathChanges+"?after=0&limit=100", beta, nil, &page)
	if len(page.Changes) != 0 {
		t.Fatalf("another firm sees %d of Alpha's changes", len(page.Changes))
	}
	for _, q := range []string{"?after=-1&limit=1", "?after=x&limit=1", "?after=0&limit=0", "?after=0&limit=1&wait=-2"} {
		if code := f.do("GET", api.PathChanges+q, alpha, nil, nil); code != http.StatusBadRequest {
			t.Fatalf("%s: %d, want 400", q, code)
		}
	}
}

func TestLongPollWakesOnPush(t *testing.T) {
	f := newFixture(t)
	tok := f.signIn("a@alpha.test")
	got := make(chan api.ChangesResponse, 1)
	waiting := make(chan struct{}, 10)
	f.server.feed.waited = func(string) { waiting <- struct{}{} }
	start := time.Now()
	go func() {
		var page api.ChangesResponse
		f.do("GET", api.PathChanges+"?after=0&limit=10&wait=20", tok, nil, &page)
		got <- page
	}()
	<-waiting // the poll found nothing and waits
	f.do("POST", api.PathOps, tok, api.PushRequest{Ops: []api.Op{clientOp("Woken")}}, nil)
	select {
	case page := <-got:
		if len(page.Changes) != 1 {
			t.Fatalf("woken poll: %+v", page)
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the poll waited for its deadline instead of waking")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("long poll never answered")
	}
}

func TestSignInLockout(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < SignInFailures; i++ {
		if code := f.do("POST", api.PathDevices, "", api.SignInRequest{Email: "a@alpha.test", Password: "guess"}, nil); code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	// Locked: even the right password is refused, with a clear message and Retry-After.
	var e api.Error
	if code := f.do("POST", api.PathDevices, "", api.SignInRequest{Email: "A@alpha.test", Password: "password-123"}, &e); code != http.StatusTooManyRequests {
		t.Fatalf("locked sign-in: %d", code)
	}
	if e.Code != api.CodeLockedOut || !strings.Contains(e.Error, "try again in 15 minute") {
		t.Fatalf("lockout error: %+v", e)
	}
	// Another staff user is not locked out by someone guessing at Alpha's email.
	f.signIn("b@beta.test")
}
