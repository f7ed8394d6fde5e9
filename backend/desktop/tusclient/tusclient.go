// Package tusclient sends files to the portal with the tus 1.0.0 resumable upload
// protocol (core + creation extension). A dropped connection costs one HEAD and a
// PATCH from where the server stopped, not the whole file, and the source is always
// streamed from disk, so a multi-gigabyte archive needs no more memory than a small PDF.
//
// Typical use: Create once, store the returned URL next to the file's path, then
// Upload (or Send, with your own retry policy). After a restart, Send with the stored
// URL continues; if it fails with ErrGone the server dropped the upload, so Create anew.
package tusclient

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const tusVersion = "1.0.0"

// ErrGone means the server no longer knows the upload (404/410): it expired, was
// deleted, or the URL is wrong. Resuming is impossible; create a new upload.
var ErrGone = errors.New("tus upload is gone from the server")

// Client talks tus to one creation endpoint. The zero value (plus an Endpoint for
// Create) is ready to use, and a Client is safe for concurrent use as long as its
// fields are not changed.
type Client struct {
	HTTP      *http.Client        // nil: http.DefaultClient
	Endpoint  string              // the tus creation URL, e.g. "https://portal.example/api/v1/uploads/"
	Header    func(h http.Header) // adds auth (e.g. Authorization: Bearer …) to every request; may be nil
	ChunkSize int64               // bytes per PATCH; 0 = the whole rest of the file in one streamed PATCH (fastest on a good link); >0 bounds what a dropped connection can lose
}

// StatusError is an HTTP status the protocol did not expect at that point.
type StatusError struct {
	Method     string
	Code       int
	Body       string        // start of the response body; tusd puts its error code there
	RetryAfter time.Duration // from a Retry-After header in seconds; 0 if absent
}

func (e *StatusError) Error() string {
	if e.Body != "" {
		return fmt.Sprintf("%s answered %d: %s", e.Method, e.Code, e.Body)
	}
	return fmt.Sprintf("%s answered %d %s", e.Method, e.Code, http.StatusText(e.Code))
}

// Is makes errors.Is(err, ErrGone) true for a 404 or 410, so callers need not
// know which status codes mean "start over".
func (e *StatusError) Is(target error) bool {
	return target == ErrGone && (e.Code == http.StatusNotFound || e.Code == http.StatusGone)
}

// sourceError is a failure to read the local file. Retrying the network won't fix it.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return "reading the source: " + e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// Retryable tells whether calling Send again (after a pause) may succeed: the
// network failed, the server had a temporary problem (5xx, 408, 423 locked, 429), or the
// offsets disagreed (409), which the HEAD at the start of the next Send resolves.
// Other 4xx, ErrGone, a cancelled context and local read errors are final.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		switch se.Code {
		case http.StatusConflict, http.StatusLocked, http.StatusTooManyRequests, http.StatusRequestTimeout:
			return true
		}
		return se.Code >= 500
	}
	var src *sourceError
	if errors.As(err, &src) {
		return false
	}
	// A certificate the system does not trust stays untrusted however often we dial.
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return false
	}
	// Everything else http.Client.Do returns is about the connection: refused,
	// reset, timed out, closed mid-body.
	var ue *url.Error
	return errors.As(err, &ue)
}

// Create starts an upload of size bytes with the given metadata (tus Upload-Metadata:
// keys, base64 values) and returns its absolute URL.
func (c *Client) Create(ctx context.Context, size int64, meta map[string]string) (string, error) {
	if c.Endpoint == "" {
		return "", errors.New("tus create: no Endpoint")
	}
	if size < 0 {
		return "", fmt.Errorf("tus create: negative size %d", size)
	}
	md, err := encodeMetadata(meta)
	if err != nil {
		return "", fmt.Errorf("tus create: %w", err)
	}
	req, err := c.newRequest(ctx, http.MethodPost, c.Endpoint, nil)
	if err != nil {
		return "", fmt.Errorf("tus create: %w", err)
	}
	req.Header.Set("Upload-Length", strconv.FormatInt(size, 10))
	if md != "" {
		req.Header.Set("Upload-Metadata", md)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return "", fmt.Errorf("tus create: %w", err)
	}
	defer discard(resp)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("tus create: %w", newStatusError(resp))
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", errors.New("tus create: the server answered 201 without a Location")
	}
	// Location may be relative; resp.Request.URL is the Endpoint (or where it redirected to).
	u, err := resp.Request.URL.Parse(loc)
	if err != nil {
		return "", fmt.Errorf("tus create: bad Location %q: %w", loc, err)
	}
	return u.String(), nil
}

// Offset asks the server how many bytes of the upload it has (HEAD). A 404/410
// returns an error that errors.Is(err, ErrGone) so the caller creates a new upload.
func (c *Client) Offset(ctx context.Context, uploadURL string) (int64, error) {
	off, _, err := c.head(ctx, uploadURL)
	return off, err
}

// Send uploads src (exactly size bytes) from the server's current offset to the end.
// It reads through io.NewSectionReader, so the file is never held in memory, and it
// does not touch src after returning.
//
// progress, if not nil, gets the number of bytes sent, at most about ten times a
// second and never concurrently. While a PATCH is in flight that number counts
// bytes handed to the connection; after each PATCH, and at the end, it is the offset
// the server confirmed, so after a dropped connection it can step back.
//
// A dropped connection or a 409 is returned, not retried: see Retryable and Upload.
func (c *Client) Send(ctx context.Context, uploadURL string, src io.ReaderAt, size int64, progress func(int64)) error {
	_, err := c.send(ctx, uploadURL, src, size, newReporter(progress))
	return err
}

// Upload calls Send until the upload is complete, pausing with growing, jittered
// delays after errors Retryable accepts, and gives up after a few failures in a
// row or when ctx ends. An attempt that moved the server's offset forward resets
// the count, so a long upload over a flaky link is not abandoned for dropping a few times.
func (c *Client) Upload(ctx context.Context, uploadURL string, src io.ReaderAt, size int64, progress func(int64)) error {
	rep := newReporter(progress)
	best, failures := int64(-1), 0
	for {
		off, err := c.send(ctx, uploadURL, src, size, rep)
		if err == nil {
			return nil
		}
		if off > best {
			best, failures = off, 0
		}
		failures++
		if failures > maxRetries || !Retryable(err) || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(retryDelay(failures, err))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (while waiting to retry after: %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

// Retry tuning for Upload; variables so tests need not wait for real.
var (
	maxRetries    = 5
	firstDelay    = time.Second
	maxDelay      = 30 * time.Second
	progressEvery = 100 * time.Millisecond
)

// retryDelay doubles from firstDelay, capped, with jitter so that desktops that lost
// the portal at the same moment do not all come back at the same moment.
func retryDelay(failures int, err error) time.Duration {
	d := min(firstDelay<<(failures-1), maxDelay)
	d = d/2 + rand.N(d/2+1)
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > d {
		d = min(se.RetryAfter, maxDelay)
	}
	return d
}

// send is Send returning the last offset the server confirmed, which Upload uses to
// tell a failing attempt that still made progress from one that did not.
func (c *Client) send(ctx context.Context, uploadURL string, src io.ReaderAt, size int64, rep *reporter) (int64, error) {
	offset, length, err := c.head(ctx, uploadURL)
	if err != nil {
		return -1, err
	}
	// Guards against resuming with a different file than the upload was created for.
	if length >= 0 && length != size {
		return offset, fmt.Errorf("tus send: the upload is %d bytes but the source has %d", length, size)
	}
	if offset > size {
		return offset, fmt.Errorf("tus send: the server has %d bytes, more than the source's %d", offset, size)
	}
	rep.report(offset, offset == size)
	for offset < size {
		n := size - offset
		if c.ChunkSize > 0 && n > c.ChunkSize {
			n = c.ChunkSize
		}
		next, err := c.patch(ctx, uploadURL, src, offset, n, rep)
		if err != nil {
			return offset, err
		}
		// Without progress the loop would never end; past the chunk the server lies.
		if next <= offset || next > offset+n {
			return offset, fmt.Errorf("tus patch: the server moved the offset from %d to %d after %d bytes", offset, next, n)
		}
		offset = next
		rep.report(offset, offset == size)
	}
	return offset, nil
}

// head returns the server's offset and the upload's length (-1 if it did not say).
func (c *Client) head(ctx context.Context, uploadURL string) (offset, length int64, err error) {
	req, err := c.newRequest(ctx, http.MethodHead, uploadURL, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("tus head: %w", err)
	}
	resp, err := c.client().Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("tus head: %w", err)
	}
	defer discard(resp)
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return 0, 0, fmt.Errorf("tus head: %w", newStatusError(resp))
	}
	offset, err = headerInt(resp.Header, "Upload-Offset")
	if err != nil {
		return 0, 0, fmt.Errorf("tus head: %w", err)
	}
	length = -1
	if resp.Header.Get("Upload-Length") != "" {
		if length, err = headerInt(resp.Header, "Upload-Length"); err != nil {
			return 0, 0, fmt.Errorf("tus head: %w", err)
		}
	}
	return offset, length, nil
}

// patch streams n bytes of src starting at offset and returns the server's new offset.
func (c *Client) patch(ctx context.Context, uploadURL string, src io.ReaderAt, offset, n int64, rep *reporter) (int64, error) {
	body := &body{r: io.NewSectionReader(src, offset, n), at: offset, rep: rep}
	// The transport may go on reading the body after Do returns (an early answer, an
	// error); stopping it keeps src and progress untouched once Send has returned.
	defer body.Close()
	req, err := c.newRequest(ctx, http.MethodPatch, uploadURL, body)
	if err != nil {
		return 0, fmt.Errorf("tus patch: %w", err)
	}
	// An exact Content-Length streams the body as is, without chunked encoding,
	// and lets the server reject a chunk that does not fit before reading it.
	req.ContentLength = n
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	req.Header.Set("Upload-Offset", strconv.FormatInt(offset, 10))
	resp, err := c.client().Do(req)
	if err != nil {
		return 0, fmt.Errorf("tus patch at %d: %w", offset, err)
	}
	defer discard(resp)
	if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("tus patch at %d: %w", offset, newStatusError(resp))
	}
	next, err := headerInt(resp.Header, "Upload-Offset")
	if err != nil {
		return 0, fmt.Errorf("tus patch at %d: %w", offset, err)
	}
	return next, nil
}

func (c *Client) client() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

func (c *Client) newRequest(ctx context.Context, method, target string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	if c.Header != nil {
		c.Header(req.Header)
	}
	req.Header.Set("Tus-Resumable", tusVersion)
	return req, nil
}

// body is one PATCH's request body: a window on the source that reports progress
// and goes dead once closed.
type body struct {
	mu     sync.Mutex
	r      *io.SectionReader
	at     int64 // offset of the window in the upload
	sent   int64
	rep    *reporter
	closed bool
}

var errBodyClosed = errors.New("tus patch body read after the request ended")

func (b *body) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, errBodyClosed
	}
	n, err := b.r.Read(p)
	b.sent += int64(n)
	switch {
	case err == io.EOF && b.sent < b.r.Size():
		// The file shrank since its size was taken; the server must not get a short upload.
		err = &sourceError{fmt.Errorf("it ended at %d bytes, before the expected %d", b.at+b.sent, b.at+b.r.Size())}
	case err != nil && err != io.EOF:
		err = &sourceError{err}
	}
	if n > 0 {
		b.rep.report(b.at+b.sent, false)
	}
	return n, err
}

func (b *body) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return nil
}

// reporter throttles progress calls and serialises them: the transport reads the
// body on its own goroutine while Send reports confirmed offsets on the caller's.
type reporter struct {
	fn   func(int64)
	mu   sync.Mutex
	last time.Time
}

func newReporter(fn func(int64)) *reporter { return &reporter{fn: fn} }

// report calls fn unless it was called less than progressEvery ago; final always gets through.
func (r *reporter) report(n int64, final bool) {
	if r.fn == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if !final && now.Sub(r.last) < progressEvery {
		return
	}
	r.last = now
	r.fn(n)
}

// encodeMetadata builds an Upload-Metadata header: "key base64(value)" pairs joined by
// commas, keys sorted so the header is stable, a bare key for an empty value.
func encodeMetadata(meta map[string]string) (string, error) {
	keys := make([]string, 0, len(meta))
	for k := range meta {
		if k == "" || strings.ContainsAny(k, " ,") {
			return "", fmt.Errorf("metadata key %q must be non-empty without spaces or commas", k)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k
		if v := meta[k]; v != "" {
			pairs[i] += " " + base64.StdEncoding.EncodeToString([]byte(v))
		}
	}
	return strings.Join(pairs, ","), nil
}

func headerInt(h http.Header, name string) (int64, error) {
	v, err := strconv.ParseInt(h.Get(name), 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad or missing %s header %q", name, h.Get(name))
	}
	return v, nil
}

func newStatusError(resp *http.Response) *StatusError {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	e := &StatusError{Method: resp.Request.Method, Code: resp.StatusCode, Body: strings.TrimSpace(string(b))}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// discard reads a little of what is left so the connection can be reused, then closes.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	_ = resp.Body.Close()
}
