// Package sms sends text messages (sign-in codes) through a provider. Twilio's Messages API
// is the adapter here; other providers with the same shape work through BaseURL.
package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Sender delivers one text message to a phone number in E.164 form (+15551234567).
type Sender interface {
	Send(ctx context.Context, to, body string) error
}

// Twilio posts to {BaseURL}/2010-04-01/Accounts/{AccountSID}/Messages.json with basic auth.
type Twilio struct {
	BaseURL    string // https://api.twilio.com unless testing
	AccountSID string
	AuthToken  string
	From       string // the sending number or messaging service
	HTTP       *http.Client
}

// Error is a refusal by the provider, with its own code and message.
type Error struct {
	Status  int
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("sms provider refused (HTTP %d, code %d): %s", e.Status, e.Code, e.Message)
}

func (t *Twilio) Send(ctx context.Context, to, body string) error {
	base := strings.TrimRight(t.BaseURL, "/")
	if base == "" {
		base = "https://api.twilio.com"
	}
	endpoint := base + "/2010-04-01/Accounts/" + url.PathEscape(t.AccountSID) + "/Messages.json"
	form := url.Values{"To": {to}, "From": {t.From}, "Body": {body}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("sms: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(t.AccountSID, t.AuthToken)
	hc := t.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("sms: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	e := &Error{Status: resp.StatusCode}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(e); err != nil || e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}
