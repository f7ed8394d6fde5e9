package files

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"portico/backend/desktop/watch"
)

// New clients get their folders once no client has been added for FolderDelay, and at most
// FolderMaxDelay after the first waited: a burst (an import, another desktop's 10,000) is
// one batch made after it, not mkdirs competing with every write of it.
var (
	FolderDelay    = 300 * time.Millisecond
	FolderMaxDelay = 5 * time.Second
)

// ClientsChanged tells the watcher that clients were added: their folders are due.
func (s *Service) ClientsChanged() {
	s.mu.Lock()
	if s.clientsDirty == nil {
		s.clientsDirty = make(chan struct{}, 1)
	}
	ch := s.clientsDirty
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Watch keeps the database in step with the library until ctx ends: client folders made,
// everything checked at start and after lost events, and each calm batch of changes scanned.
func (s *Service) Watch(ctx context.Context, opts watch.Options) error {
	if err := os.MkdirAll(s.Root, 0o755); err != nil {
		return fmt.Errorf("firm library %s: %w", s.Root, err)
	}
	s.ClientsChanged()
	s.mu.Lock()
	dirty := s.clientsDirty
	s.mu.Unlock()
	if err := s.EnsureFolders(ctx); err != nil {
		return err
	}
	w, err := watch.New(s.Root, opts)
	if err != nil {
		return fmt.Errorf("watching %s: %w", s.Root, err)
	}
	batches := make(chan watch.Batch, 16)
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, batches) }()
	settle := time.NewTicker(MoveGrace / 3)
	defer settle.Stop()
	// The trash is emptied of what is older than TrashDays at start and then daily.
	purge := time.NewTicker(24 * time.Hour)
	defer purge.Stop()
	if err := s.PurgeTrash(ctx); err != nil {
		slog.Warn("files: emptying the trash", "err", err)
	}
	// Clients come in bursts (an import, the first sync of another desktop's 10,000): their
	// folders are made in batches, not one round of queries per client.
	folders := time.NewTimer(0)
	<-folders.C
	var foldersDue time.Time // the latest the waiting clients' folders are made; zero if none wait
	for {
		select {
		case <-folders.C:
			foldersDue = time.Time{}
			if err := s.EnsureFolders(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("files: client folders", "err", err)
			}
		case <-purge.C:
			if err := s.PurgeTrash(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("files: emptying the trash", "err", err)
			}
		case <-settle.C:
			if err := s.settleMissing(ctx, MoveGrace); err != nil && ctx.Err() == nil {
				slog.Warn("files: settling deleted files", "err", err)
			}
		case <-ctx.Done():
			<-done
			return nil
		case err := <-done:
			return err
		case <-dirty:
			now := time.Now()
			if foldersDue.IsZero() {
				foldersDue = now.Add(FolderMaxDelay)
			}
			folders.Reset(min(FolderDelay, foldersDue.Sub(now)))
		case b := <-batches:
			var err error
			if b.Rescan {
				err = s.Rescan(ctx)
			} else {
				err = s.Scan(ctx, b.Paths)
			}
			if err != nil && ctx.Err() == nil {
				slog.Warn("files: scanning the library", "err", err)
			}
			s.kickSoon()
		}
	}
}
