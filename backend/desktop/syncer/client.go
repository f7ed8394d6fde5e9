// Package syncer moves the desktop's writes to the portal and the portal's changes back:
// the API client, the pusher that drains the outbox, and the puller that follows the feed.
package syncer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"portico/backend/api"
)

// StatusError is a non-2xx answer from the portal.
type StatusError struct {
	Status     int
	Code       string
	Msg        string
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.Msg != "" {
		return fmt.Sprintf("portal answered %d: %s", e.Status, e.Msg)
	}
	return fmt.Sprintf("portal answered %d %s", e.Status, http.StatusText(e.Status))
}

// UnreachableError means no answer came back: wrong address, portal down, network gone.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the portal at %s: %v", e.URL, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// Retryable tells whether sending the same request again later may succeed.
func Retryable(err error) bool {
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return true
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status >= 500 || se.Status == http.StatusTooManyRequests || se.Status == http.StatusRequestTimeout
	}
	return false
}

// Client speaks the portal's sync API.
type Client struct {
	BaseURL string // e.g. https://portal.example.com
	Token   string // device token; empty before sign-in
	HTTP    *http.Client
}

// ParseBaseURL checks a portal address typed by staff and returns it without a trailing slash.
func ParseBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not a portal address; enter one like https://portal.example.com", s)
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimRight(u.String(), "/"), nil
}

func (c *Client) SignIn(ctx context.Context, email, password, deviceName string) (api.SignInResponse, error) {
	var out api.SignInResponse
	err := c.do(ctx, http.MethodPost, api.PathDevices, api.SignInRequest{Email: email, Password: password, DeviceName: deviceName}, &out)
	return out, err
}

// Revoke ends the device token on the portal.
func (c *Client) Revoke(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, api.PathDeviceCurrent, nil, nil)
}

func (c *Client) Me(ctx context.Context) (api.Me, error) {
	var out api.Me
	err := c.do(ctx, http.MethodGet, api.PathMe, nil, &out)
	return out, err
}

func (c *Client) Push(ctx context.Context, ops []api.Op) (api.PushResponse, error) {
	var out api.PushResponse
	err := c.do(ctx, http.MethodPost, api.PathOps, api.PushRequest{Ops: ops}, &out)
	return out, err
}

// SealCert is the firm's sealing certificate.
func (c *Client) SealCert(ctx context.Context) (api.SealCert, error) {
	var out api.SealCert
	err := c.do(ctx, http.MethodGet, api.PathSeal, nil, &out)
	return out, err
}

// UploadSeal makes the firm seal with its own certificate (PKCS#12).
func (c *Client) UploadSeal(ctx context.Context, in api.SealUpload) (api.SealCert, error) {
	var out api.SealCert
	err := c.do(ctx, http.MethodPut, api.PathSeal, in, &out)
	return out, err
}

// Changes asks for the feed after cursor, waiting up to wait for something new.
func (c *Client) Changes(ctx context.Context, after int64, limit int, wait time.Duration) (api.ChangesResponse, error) {
	q := url.Values{}
	q.Set("after", strconv.FormatInt(after, 10))
	q.Set("limit", strconv.Itoa(limit))
	q.Set("wait", strconv.Itoa(int(wait/time.Second)))
	var out api.ChangesResponse
	err := c.do(ctx, http.MethodGet, api.PathChanges+"?"+q.Encode(), nil, &out)
	return out, err
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return fmt.Errorf("portal request: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{URL: c.BaseURL, Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		se := &StatusError{Status: resp.StatusCode}
		var e api.Error
		if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e) == nil {
			se.Code, se.Msg = e.Code, e.Error
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			se.RetryAfter = time.Duration(s) * time.Second
		}
		return se
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		// A cut-off body is the network's fault, not the request's: retry it.
		return &UnreachableError{URL: c.BaseURL, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	return nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
