package tusclient

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tus/tusd/v2/pkg/filestore"
	"github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	"golang.org/x/exp/slog"
)

const token = "Bearer t0ken"

// newTusd serves a tusd handler over a filestore in dir under /files/, the way the
// portal does, wrapped in the given middleware (innermost first).
func newTusd(t *testing.T, dir string, maxSize int64, wrap ...func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	composer := handler.NewStoreComposer()
	filestore.New(dir).UseIn(composer)
	memorylocker.New().UseIn(composer)
	h, err := handler.NewHandler(handler.Config{
		BasePath:      "/files/",
		StoreComposer: composer,
		MaxSize:       maxSize,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var hh http.Handler = http.StripPrefix("/files", h)
	for _, w := range wrap {
		hh = w(hh)
	}
	srv := httptest.NewServer(hh)
	t.Cleanup(srv.Close)
	return srv
}

// flaky is server middleware that notes each PATCH's Upload-Offset and can drop
// the connection of the cutNth PATCH once tusd has stored cutAt bytes of its body.
//
// The cut happens on the server, after tusd is done with the request, so what the
// server has is settled before the client notices. A cut on the client side races
// the server: the dead PATCH may still be writing when the resume's HEAD arrives,
// and tusd v2.9.1's lock hand-over in that case trips the race detector inside tusd.
type flaky struct {
	mu      sync.Mutex
	patches []int64 // Upload-Offset of each PATCH
	lengths []int64 // and its Content-Length (-1: unknown, i.e. chunked)
	cutNth  int     // 1-based; 0: never cut
	cutAt   int64   // bytes of that PATCH's body tusd gets
	kept    int64   // the server's offset after the cut
}

func (f *flaky) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch {
			h.ServeHTTP(w, r)
			return
		}
		off, _ := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64)
		f.mu.Lock()
		f.patches = append(f.patches, off)
		f.lengths = append(f.lengths, r.ContentLength)
		cut := len(f.patches) == f.cutNth
		if cut {
			f.kept = off + f.cutAt
		}
		f.mu.Unlock()
		if !cut {
			h.ServeHTTP(w, r)
			return
		}
		r.Body = &cutBody{ReadCloser: r.Body, left: f.cutAt}
		h.ServeHTTP(mute{w}, r)
		// Close the connection without an answer, as a dying link or server would.
		panic(http.ErrAbortHandler)
	})
}

func (f *flaky) offsets() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.patches...)
}

func (f *flaky) contentLengths() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.lengths...)
}

func (f *flaky) reset() {
	f.mu.Lock()
	f.patches, f.lengths, f.cutNth = nil, nil, 0
	f.mu.Unlock()
}

// cutBody ends the request body early, as the server sees a connection that dropped.
type cutBody struct {
	io.ReadCloser
	left int64
}

func (b *cutBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// mute swallows tusd's answer; Unwrap keeps its read deadlines working.
type mute struct{ http.ResponseWriter }

func (m mute) Header() http.Header         { return http.Header{} }
func (m mute) WriteHeader(int)             {}
func (m mute) Write(p []byte) (int, error) { return len(p), nil }
func (m mute) Unwrap() http.ResponseWriter { return m.ResponseWriter }

// pattern is a deterministic io.ReaderAt of any size that lives in 1 MiB: a block of
// pseudo-random bytes of odd length repeated, so chunk boundaries never line up with
// the same bytes and a byte sent at the wrong offset changes the hash.
type pattern struct {
	block []byte
	size  int64
}

func newPattern(size int64) *pattern {
	block := make([]byte, 1<<20+7)
	rng := rand.New(rand.NewPCG(1, uint64(size)))
	for i := range block {
		block[i] = byte(rng.Uint32())
	}
	return &pattern{block: block, size: size}
}

func (p *pattern) ReadAt(b []byte, off int64) (int, error) {
	if off >= p.size {
		return 0, io.EOF
	}
	want := int(min(int64(len(b)), p.size-off))
	n := 0
	for n < want {
		n += copy(b[n:want], p.block[(off+int64(n))%int64(len(p.block)):])
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// sourceFile writes size pattern bytes to a temp file, so tests read an *os.File as
// the desktop does, and returns it with its SHA-256.
func sourceFile(t *testing.T, size int64) (*os.File, [32]byte) {
	t.Helper()
	p := newPattern(size)
	f, err := os.Create(filepath.Join(t.TempDir(), "source.bin"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := io.Copy(f, io.NewSectionReader(p, 0, size)); err != nil {
		t.Fatal(err)
	}
	return f, hashOf(t, io.NewSectionReader(p, 0, size))
}

func hashOf(t *testing.T, r io.Reader) [32]byte {
	t.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

// stored is tusd's view of an upload: its FileInfo and the SHA-256 of its bytes.
func stored(t *testing.T, dir, uploadURL string) (handler.FileInfo, [32]byte) {
	t.Helper()
	id := path.Base(uploadURL)
	up, err := filestore.New(dir).GetUpload(context.Background(), id)
	if err != nil {
		t.Fatalf("upload %s on the server: %v", id, err)
	}
	info, err := up.GetInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, id))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return info, hashOf(t, f)
}

func TestRoundTrip(t *testing.T) {
	meta := map[string]string{
		"filename": "Jahresabschluss 2024 – Müller, GmbH.pdf",
		"filetype": "application/pdf",
		"note":     "", // sent as a bare key
	}
	relative := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(&relativeLocation{ResponseWriter: w}, r)
		})
	}
	tests := []struct {
		name  string
		size  int64
		chunk int64
		wrap  func(http.Handler) http.Handler
	}{
		{"empty file", 0, 0, nil},
		{"one byte", 1, 0, nil},
		{"one streamed PATCH", 3<<20 + 5, 0, nil},
		{"64 KiB chunks", 1<<20 + 3, 64 << 10, nil},
		{"chunk equals size", 1 << 20, 1 << 20, nil},
		{"relative Location", 100_000, 0, relative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var unauth atomic.Int32
			auth := func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Header.Get("Authorization") != token {
						unauth.Add(1)
					}
					h.ServeHTTP(w, r)
				})
			}
			f := &flaky{}
			wraps := []func(http.Handler) http.Handler{f.wrap, auth}
			if tt.wrap != nil {
				wraps = append(wraps, tt.wrap)
			}
			srv := newTusd(t, dir, 0, wraps...)
			c := &Client{
				Endpoint:  srv.URL + "/files/",
				Header:    func(h http.Header) { h.Set("Authorization", token) },
				ChunkSize: tt.chunk,
			}
			src, want := sourceFile(t, tt.size)
			ctx := context.Background()

			u, err := c.Create(ctx, tt.size, meta)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(u, srv.URL+"/files/") {
				t.Fatalf("Create = %q, want an absolute URL under %s/files/", u, srv.URL)
			}
			var calls []int64
			start := time.Now()
			if err := c.Send(ctx, u, src, tt.size, func(n int64) { calls = append(calls, n) }); err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(start)

			info, got := stored(t, dir, u)
			if got != want {
				t.Errorf("server bytes differ from the source (sha256 %x, want %x)", got, want)
			}
			if info.Offset != tt.size || info.Size != tt.size {
				t.Errorf("server offset/size = %d/%d, want %d", info.Offset, info.Size, tt.size)
			}
			if !maps.Equal(info.MetaData, handler.MetaData(meta)) {
				t.Errorf("server metadata = %q, want %q", info.MetaData, meta)
			}
			if n := unauth.Load(); n > 0 {
				t.Errorf("%d requests arrived without the Authorization header", n)
			}
			if len(calls) == 0 || calls[len(calls)-1] != tt.size {
				t.Errorf("progress calls %v, want the last to be %d", calls, tt.size)
			}
			if limit := int(elapsed/progressEvery) + 2; len(calls) > limit {
				t.Errorf("%d progress calls in %v, want at most %d", len(calls), elapsed, limit)
			}
			wantPatches := 0
			if tt.size > 0 {
				wantPatches = 1
				if tt.chunk > 0 {
					wantPatches = int((tt.size + tt.chunk - 1) / tt.chunk)
				}
			}
			if got := len(f.offsets()); got != wantPatches {
				t.Errorf("%d PATCH requests, want %d", got, wantPatches)
			}
			// An exact Content-Length on every PATCH: streamed as is, never chunked.
			offs, lens := f.offsets(), f.contentLengths()
			for i, n := range lens {
				want := tt.size - offs[i]
				if tt.chunk > 0 {
					want = min(want, tt.chunk)
				}
				if n != want {
					t.Errorf("PATCH at %d has Content-Length %d, want %d", offs[i], n, want)
				}
			}
			// Sending a finished upload again is a HEAD and nothing else.
			f.reset()
			if err := c.Send(ctx, u, src, tt.size, nil); err != nil || len(f.offsets()) != 0 {
				t.Errorf("Send on a complete upload: err %v, PATCHes %v", err, f.offsets())
			}
		})
	}
}

// relativeLocation turns tusd's absolute Location into a path, as a server behind a
// proxy might send it.
type relativeLocation struct{ http.ResponseWriter }

func (w *relativeLocation) WriteHeader(code int) {
	if loc := w.Header().Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			w.Header().Set("Location", u.Path)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func TestResumeAfterCut(t *testing.T) {
	const size = 4<<20 + 11
	tests := []struct {
		name   string
		chunk  int64
		cutNth int
		cutAt  int64
	}{
		{"one streamed PATCH cut halfway", 0, 1, size / 2},
		{"second 1 MiB chunk cut", 1 << 20, 2, 300 << 10},
		{"cut before any byte", 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := &flaky{cutNth: tt.cutNth, cutAt: tt.cutAt}
			srv := newTusd(t, dir, 0, f.wrap)
			c := &Client{Endpoint: srv.URL + "/files/", ChunkSize: tt.chunk}
			src, want := sourceFile(t, size)
			ctx := context.Background()
			u, err := c.Create(ctx, size, nil)
			if err != nil {
				t.Fatal(err)
			}

			err = c.Send(ctx, u, src, size, nil)
			if err == nil || !Retryable(err) {
				t.Fatalf("Send over a dropped connection = %v, want a retryable error", err)
			}
			if have, err := c.Offset(ctx, u); err != nil || have != f.kept {
				t.Fatalf("Offset after the cut = %d, %v; the server kept %d", have, err, f.kept)
			}

			f.reset()
			if err := c.Send(ctx, u, src, size, nil); err != nil {
				t.Fatal(err)
			}
			if p := f.offsets(); len(p) == 0 || p[0] != f.kept {
				t.Errorf("resumed PATCH offsets %v, want the first at the server's %d", p, f.kept)
			}
			if tt.cutAt > 0 && f.kept == 0 {
				t.Error("the server kept nothing, so nothing was resumed")
			}
			if _, got := stored(t, dir, u); got != want {
				t.Error("server bytes differ from the source")
			}
		})
	}
}

func TestResumeWithNewClient(t *testing.T) {
	const size = 2<<20 + 1
	dir := t.TempDir()
	f := &flaky{cutNth: 1, cutAt: 700 << 10}
	srv := newTusd(t, dir, 0, f.wrap)
	first := &Client{Endpoint: srv.URL + "/files/", Header: func(h http.Header) { h.Set("Authorization", token) }}
	src, want := sourceFile(t, size)
	ctx := context.Background()
	u, err := first.Create(ctx, size, map[string]string{"filename": "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Send(ctx, u, src, size, nil); err == nil {
		t.Fatal("Send over a dropped connection succeeded")
	}

	// After a desktop restart only the stored URL is left.
	f.reset()
	var last int64
	if err := (&Client{}).Send(ctx, u, src, size, func(n int64) { last = n }); err != nil {
		t.Fatal(err)
	}
	if p := f.offsets(); len(p) != 1 || p[0] != 700<<10 {
		t.Errorf("PATCH offsets of the new client %v, want one at %d", p, 700<<10)
	}
	if last != size {
		t.Errorf("last progress %d, want %d", last, size)
	}
	if _, got := stored(t, dir, u); got != want {
		t.Error("server bytes differ from the source")
	}
}

func TestResumeAfterServerRestart(t *testing.T) {
	const size = 4 << 20
	dir := t.TempDir()
	fA := &flaky{cutNth: 1, cutAt: size / 2}
	srvA := newTusd(t, dir, 0, fA.wrap)
	c := &Client{Endpoint: srvA.URL + "/files/"}
	src, want := sourceFile(t, size)
	ctx := context.Background()
	uA, err := c.Create(ctx, size, map[string]string{"filename": "big.zip"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, uA, src, size, nil); err == nil || !Retryable(err) {
		t.Fatalf("Send while the server dies = %v, want a retryable error", err)
	}
	srvA.Close()
	if info, _ := stored(t, dir, uA); info.Offset != size/2 {
		t.Fatalf("server kept %d bytes before the restart, want %d", info.Offset, size/2)
	}

	// Same directory, new process, new address.
	fB := &flaky{}
	srvB := newTusd(t, dir, 0, fB.wrap)
	uB := strings.Replace(uA, srvA.URL, srvB.URL, 1)
	if err := c.Send(ctx, uB, src, size, nil); err != nil {
		t.Fatal(err)
	}
	if p := fB.offsets(); len(p) != 1 || p[0] != size/2 {
		t.Errorf("PATCH offsets after the restart %v, want one at %d", p, size/2)
	}
	info, got := stored(t, dir, uB)
	if got != want || info.MetaData["filename"] != "big.zip" {
		t.Errorf("after the restart: bytes match %v, metadata %q", got == want, info.MetaData)
	}
}

func TestUploadRetries(t *testing.T) {
	old := firstDelay
	firstDelay = 10 * time.Millisecond
	t.Cleanup(func() { firstDelay = old })

	const size = 1<<20 + 9
	dir := t.TempDir()
	f := &flaky{cutNth: 2, cutAt: 100 << 10}
	srv := newTusd(t, dir, 0, f.wrap)
	c := &Client{Endpoint: srv.URL + "/files/", ChunkSize: 256 << 10}
	src, want := sourceFile(t, size)
	ctx := context.Background()
	u, err := c.Create(ctx, size, nil)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := c.Upload(ctx, u, src, size, func(n int64) { last = n }); err != nil {
		t.Fatal(err)
	}
	if p := f.offsets(); len(p) < 3 || p[1] != 256<<10 || p[2] != f.kept {
		t.Errorf("PATCH offsets %v, want the retry at %d", p, f.kept)
	}
	if last != size {
		t.Errorf("last progress %d, want %d", last, size)
	}
	if _, got := stored(t, dir, u); got != want {
		t.Error("server bytes differ from the source")
	}

	// A cancelled context stops Upload at once and is not worth retrying.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.Upload(cctx, u, src, size, nil); !errors.Is(err, context.Canceled) || Retryable(err) {
		t.Errorf("Upload with a cancelled context = %v", err)
	}
}

func TestGone(t *testing.T) {
	dir := t.TempDir()
	srv := newTusd(t, dir, 0)
	c := &Client{Endpoint: srv.URL + "/files/"}
	ctx := context.Background()
	src, _ := sourceFile(t, 10)

	deleted, err := c.Create(ctx, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodDelete, deleted, nil)
	req.Header.Set("Tus-Resumable", "1.0.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	resp.Body.Close()

	for name, u := range map[string]string{
		"never existed": srv.URL + "/files/0123456789abcdef",
		"terminated":    deleted,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Offset(ctx, u); !errors.Is(err, ErrGone) || Retryable(err) {
				t.Errorf("Offset = %v, want ErrGone, not retryable", err)
			}
			if err := c.Upload(ctx, u, src, 10, nil); !errors.Is(err, ErrGone) {
				t.Errorf("Upload = %v, want ErrGone", err)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	srv := newTusd(t, t.TempDir(), 1<<20)
	c := &Client{Endpoint: srv.URL + "/files/"}
	_, err := c.Create(context.Background(), 1<<20+1, map[string]string{"filename": "huge.iso"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusRequestEntityTooLarge || Retryable(err) {
		t.Fatalf("Create over MaxSize = %v, want a non-retryable 413 StatusError", err)
	}
	if !strings.Contains(se.Body, "ERR_MAX_SIZE_EXCEEDED") {
		t.Errorf("StatusError body %q, want tusd's error code", se.Body)
	}
}

func TestSourceMismatch(t *testing.T) {
	srv := newTusd(t, t.TempDir(), 0)
	c := &Client{Endpoint: srv.URL + "/files/"}
	ctx := context.Background()
	u, err := c.Create(ctx, 1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := sourceFile(t, 1000)
	if err := c.Send(ctx, u, src, 999, nil); err == nil || Retryable(err) {
		t.Errorf("Send with the wrong size = %v, want a final error", err)
	}
	// The file shrank after its size was taken: the short read must not look like a network error.
	short, _ := sourceFile(t, 600)
	if err := c.Send(ctx, u, short, 1000, nil); err == nil || Retryable(err) {
		t.Errorf("Send from a short file = %v, want a final error", err)
	}
}

func TestRetryable(t *testing.T) {
	netErr := &url.Error{Op: "Patch", URL: "https://portal.example/u/1", Err: &net.OpError{Op: "write", Net: "tcp", Err: syscall.ECONNRESET}}
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{netErr, true},
		{fmt.Errorf("tus patch at 5: %w", netErr), true},
		{&url.Error{Op: "Head", URL: "x", Err: io.ErrUnexpectedEOF}, true},
		{&url.Error{Op: "Head", URL: "x", Err: context.Canceled}, false},
		{&url.Error{Op: "Head", URL: "x", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, false},
		{&url.Error{Op: "Patch", URL: "x", Err: &sourceError{io.ErrUnexpectedEOF}}, false},
		{&StatusError{Code: 500}, true},
		{&StatusError{Code: 503}, true},
		{&StatusError{Code: 409}, true},
		{&StatusError{Code: 423}, true},
		{&StatusError{Code: 429}, true},
		{&StatusError{Code: 400}, false},
		{&StatusError{Code: 401}, false},
		{&StatusError{Code: 404}, false},
		{&StatusError{Code: 410}, false},
		{&StatusError{Code: 413}, false},
		{errors.New("something else"), false},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestEncodeMetadata(t *testing.T) {
	got, err := encodeMetadata(map[string]string{"b": "x", "a": "hello", "empty": ""})
	if want := "a aGVsbG8=,b eA==,empty"; err != nil || got != want {
		t.Errorf("encodeMetadata = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"", "with space", "with,comma"} {
		if _, err := encodeMetadata(map[string]string{bad: "v"}); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}

// TestMemory sends 256 MiB generated on the fly and checks that neither the client
// nor (in this same process) tusd ever holds much of it.
func TestMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 256 MiB")
	}
	const size = 256 << 20
	const limit = 64 << 20
	for _, chunk := range []int64{0, 64 << 20} {
		t.Run(fmt.Sprintf("chunk %d MiB", chunk>>20), func(t *testing.T) {
			dir := t.TempDir()
			srv := newTusd(t, dir, 0)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			c := &Client{HTTP: &http.Client{Transport: tr}, Endpoint: srv.URL + "/files/", ChunkSize: chunk}
			src := newPattern(size)
			ctx := context.Background()
			u, err := c.Create(ctx, size, nil)
			if err != nil {
				t.Fatal(err)
			}

			runtime.GC()
			var peak atomic.Uint64
			sample := func() {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						sample()
					}
				}
			}()
			start := time.Now()
			err = c.Send(ctx, u, src, size, nil)
			close(stop)
			<-sampled
			sample()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("256 MiB in %v, peak heap in use %.1f MiB", time.Since(start).Round(time.Millisecond), float64(peak.Load())/(1<<20))
			if p := peak.Load(); p > limit {
				t.Errorf("peak heap in use %d MiB, want under %d MiB", p>>20, limit>>20)
			}
			if _, got := stored(t, dir, u); got != hashOf(t, io.NewSectionReader(src, 0, size)) {
				t.Error("server bytes differ from the source")
			}
		})
	}
}
