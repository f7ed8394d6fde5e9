package syncer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"portico/backend/api"
	"portico/backend/desktop/files"
	"portico/backend/desktop/tusclient"
)

// Blobs moves file contents: the portal's tus endpoint up, its blob API down. It implements
// files.Portal.
type Blobs struct {
	c   *Client
	hc  *http.Client
	tus *tusclient.Client
}

// Blobs returns the file-content side of the API. Its HTTP client has no overall timeout (a
// 5 GB file takes what it takes); the transport's dial and header timeouts still apply.
func (c *Client) Blobs() *Blobs {
	hc := &http.Client{}
	if c.HTTP != nil {
		hc.Transport = c.HTTP.Transport
	}
	return &Blobs{c: c, hc: hc, tus: &tusclient.Client{HTTP: hc, Endpoint: c.BaseURL + api.PathUploads,
		Header: func(h http.Header) { h.Set("Authorization", "Bearer "+c.Token) }}}
}

var _ files.Portal = (*Blobs)(nil)

func (b *Blobs) HasBlob(ctx context.Context, sha string) (bool, error) {
	resp, err := b.blob(ctx, http.MethodHead, sha, 0)
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) && se.Status == http.StatusNotFound {
			return false, nil
		}
		return false, err
	}
	resp.Body.Close()
	return true, nil
}

func (b *Blobs) CreateUpload(ctx context.Context, size int64, sha string) (string, error) {
	url, err := b.tus.Create(ctx, size, map[string]string{api.UploadMetaSHA256: sha})
	return url, tusError(err)
}

func (b *Blobs) SendUpload(ctx context.Context, url string, src io.ReaderAt, size int64, progress func(int64)) error {
	return tusError(b.tus.Upload(ctx, url, src, size, progress))
}

// tusError sorts tus failures the way the files service decides on them.
func tusError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tusclient.ErrGone):
		return fmt.Errorf("%w: %w", files.ErrUploadGone, err)
	case tusclient.Retryable(err), errors.Is(err, context.Canceled):
		return &UnreachableError{URL: "tus", Err: err}
	}
	var se *tusclient.StatusError
	if errors.As(err, &se) && se.Code == http.StatusRequestEntityTooLarge {
		return &files.PermanentError{Err: errors.New("the file is larger than the portal accepts")}
	}
	if errors.As(err, &se) && se.Code == 460 {
		return fmt.Errorf("the portal received different bytes than were sent; sending again: %w", err)
	}
	return &files.PermanentError{Err: err}
}

func (b *Blobs) Blob(ctx context.Context, sha string, offset int64) (io.ReadCloser, error) {
	resp, err := b.blob(ctx, http.MethodGet, sha, offset)
	if err != nil {
		return nil, err
	}
	if offset > 0 && resp.StatusCode != http.StatusPartialContent {
		resp.Body.Close()
		return nil, fmt.Errorf("the portal did not resume the download at %d", offset)
	}
	return resp.Body, nil
}

func (b *Blobs) blob(ctx context.Context, method, sha string, offset int64) (*http.Response, error) {
	if _, err := hex.DecodeString(sha); err != nil || len(sha) != 64 {
		return nil, fmt.Errorf("%q is not a SHA-256", sha)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.c.BaseURL+api.PathBlobs+sha, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.c.Token)
	if offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(offset, 10)+"-")
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnreachableError{URL: b.c.BaseURL, Err: unwrapURLError(err)}
	}
	if resp.StatusCode/100 != 2 {
		resp.Body.Close()
		return nil, &StatusError{Status: resp.StatusCode}
	}
	return resp, nil
}

// Offline tells a connection error (the portal is unreachable or overloaded: everything
// waits) from a problem with one file.
func (b *Blobs) Offline(err error) bool { return Retryable(err) }
