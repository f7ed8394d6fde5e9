package sms

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorder is a stand-in provider on loopback that keeps what it was sent.
type recorder struct {
	mu       sync.Mutex
	requests []*http.Request
	forms    []map[string][]string
	status   int
	body     string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	rec.mu.Lock()
	rec.requests = append(rec.requests, r)
	rec.forms = append(rec.forms, r.PostForm)
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rec.status)
	w.Write([]byte(rec.body))
}

func TestTwilio(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantErr   bool
		wantCode  int
		wantInMsg string
	}{
		{"accepted", http.StatusCreated, `{"sid":"SM1","status":"queued"}`, false, 0, ""},
		{"refused number", http.StatusBadRequest, `{"code":21211,"message":"The 'To' number is not valid."}`, true, 21211, "not valid"},
		{"provider down", http.StatusBadGateway, `oops`, true, 0, "Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{status: tt.status, body: tt.body}
			srv := httptest.NewServer(rec)
			defer srv.Close()
			tw := &Twilio{BaseURL: srv.URL, AccountSID: "AC123", AuthToken: "secret", From: "+15550000000"}
			err := tw.Send(context.Background(), "+15551234567", "Your code is 123456")
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send err = %v", err)
			}
			if tt.wantErr {
				var e *Error
				if !errors.As(err, &e) || e.Code != tt.wantCode || !strings.Contains(e.Message, tt.wantInMsg) {
					t.Fatalf("err = %#v", err)
				}
			}
			if len(rec.requests) != 1 {
				t.Fatalf("%d requests", len(rec.requests))
			}
			r, f := rec.requests[0], rec.forms[0]
			if r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" || r.Method != http.MethodPost {
				t.Errorf("request %s %s", r.Method, r.URL.Path)
			}
			if u, p, ok := r.BasicAuth(); !ok || u != "AC123" || p != "secret" {
				t.Errorf("basic auth %q %q %v", u, p, ok)
			}
			if f["To"][0] != "+15551234567" || f["From"][0] != "+15550000000" || f["Body"][0] != "Your code is 123456" {
				t.Errorf("form %v", f)
			}
		})
	}
}
