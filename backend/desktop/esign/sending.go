package esign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/files"
	"portico/backend/desktop/store"
)

// Portal is what sending a packet's PDF needs from the portal.
type Portal interface {
	HasBlob(ctx context.Context, sha string) (bool, error)
	CreateUpload(ctx context.Context, size int64, sha string) (string, error)
	SendUpload(ctx context.Context, url string, src io.ReaderAt, size int64, progress func(int64)) error
	Offline(err error) bool
}

// RetryEvery is how often a packet whose PDF could not be sent is tried again.
var RetryEvery = 30 * time.Second

// Run sends queued packets while the desktop is signed in: the PDF first, then the packet
// and its task as ops, so the portal never sees a packet without its document.
func (s *Service) Run(ctx context.Context, p Portal) {
	retry := time.NewTicker(RetryEvery)
	defer retry.Stop()
	for {
		if err := s.pushAll(ctx, p); err != nil && ctx.Err() == nil {
			slog.Warn("esign: sending packets", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.kick.C():
		case <-retry.C:
		}
	}
}

func (s *Service) kickSoon() { s.kick.Ring() }

func (s *Service) pushAll(ctx context.Context, p Portal) error {
	queued, err := s.Store.UnpushedPackets(ctx)
	if err != nil {
		return err
	}
	for _, pk := range queued {
		if err := s.push(ctx, p, pk); err != nil {
			if p.Offline(err) || ctx.Err() != nil {
				return err // everything waits for the connection
			}
			if errors.Is(err, files.ErrUploadGone) {
				s.kickSoon() // start this one over on the next round
				continue
			}
			s.fail(ctx, pk, err)
		}
	}
	return nil
}

// push sends one packet's PDF and queues its ops.
func (s *Service) push(ctx context.Context, p Portal, pk store.Packet) error {
	has, err := p.HasBlob(ctx, pk.SHA256)
	if err != nil {
		return err
	}
	if !has {
		f, err := os.Open(s.pdfPath(pk.ID))
		if err != nil {
			return fmt.Errorf("the copy of the document kept for sending is gone: %w", err)
		}
		defer f.Close()
		url := pk.UploadURL
		if url == "" {
			if url, err = p.CreateUpload(ctx, pk.Size, pk.SHA256); err != nil {
				return err
			}
			if err := s.update(ctx, pk.ID, func(q *store.Packet) { q.UploadURL = url }); err != nil {
				return err
			}
		}
		err = p.SendUpload(ctx, url, f, pk.Size, nil)
		if errors.Is(err, files.ErrUploadGone) {
			// Finished or forgotten: the next round starts over, unless the portal has the
			// blob by then.
			s.update(ctx, pk.ID, func(q *store.Packet) { q.UploadURL = "" })
			return err
		}
		if err != nil {
			return err
		}
	}
	var clientID string
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.Packet(ctx, pk.ID)
		if err != nil {
			return err
		}
		if cur.State != store.PacketQueued || cur.Pushed {
			return nil // voided meanwhile: it never leaves
		}
		clientID = cur.ClientID
		var d Draft
		if err := json.Unmarshal(cur.Draft, &d); err != nil {
			return err
		}
		now := s.Now().UTC()
		if err := tx.Queue(ctx, api.KindPacketPut, cur.ID, s.packet(d, cur.TodoID, cur.SHA256, cur.Size, cur.Pages), now); err != nil {
			return err
		}
		// The task follows its packet, so the portal never shows a task without it.
		td, err := tx.Todo(ctx, cur.TodoID)
		if err != nil {
			return fmt.Errorf("the packet's task: %w", err)
		}
		if err := tx.Queue(ctx, api.KindTodoPut, td.ID, td.Todo, now); err != nil {
			return err
		}
		cur.Pushed, cur.Error, cur.UploadURL, cur.UpdatedAt = true, "", "", now
		return tx.PutPacket(ctx, cur)
	})
	if err != nil {
		return err
	}
	s.changed(clientID)
	if s.Wake != nil {
		s.Wake()
	}
	return nil
}

func (s *Service) update(ctx context.Context, id string, change func(*store.Packet)) error {
	return s.Store.WithTx(ctx, func(tx *store.Tx) error {
		p, err := tx.Packet(ctx, id)
		if err != nil {
			return err
		}
		change(&p)
		return tx.PutPacket(ctx, p)
	})
}

func (s *Service) fail(ctx context.Context, pk store.Packet, err error) {
	slog.Warn("esign: packet not sent", "packet", pk.ID, "err", err)
	s.update(ctx, pk.ID, func(q *store.Packet) { q.Error = err.Error() })
	s.changed(pk.ClientID)
}

// Acked tells the UI that packets left the outbox (or were refused: List shows why).
func (s *Service) Acked(ops []store.Op) {
	var ids []string
	for _, op := range ops {
		if op.Kind != api.KindPacketPut && op.Kind != api.KindPacketVoid {
			continue
		}
		if p, err := s.Store.Packet(context.Background(), op.EntityID); err == nil {
			ids = append(ids, p.ClientID)
		}
	}
	if len(ids) > 0 {
		s.changed(ids...)
	}
}

// Apply writes a packet.state from the portal's feed: sent, viewed, signed, completed,
// declined, voided or expired. An ended packet closes its task here too.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	var st api.PacketState
	if err := json.Unmarshal(ch.Data, &st); err != nil {
		return fmt.Errorf("change %d: %w", ch.Seq, err)
	}
	p, err := tx.Packet(ctx, ch.EntityID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // another desktop's packet: its own desktop follows it
	}
	if err != nil {
		return err
	}
	lateVoid := false
	if p.State == api.PacketVoided && st.State != api.PacketVoided {
		if !final(st.State) {
			return nil // voided here; the void is on its way
		}
		lateVoid = true // it ended on the portal before the void arrived: that is what happened
	}
	if p.Status, err = json.Marshal(st); err != nil {
		return err
	}
	p.State, p.UpdatedAt, p.Error = st.State, ch.At, ""
	if st.Problem != "" && st.State == api.PacketSent {
		p.Error = "Everyone signed, but the portal could not seal the document yet: " + st.Problem
	}
	if lateVoid {
		p.Error = "The void reached the portal too late: the request had already ended as " + st.State + "."
	}
	if err := tx.PutPacket(ctx, p); err != nil {
		return err
	}
	if final(st.State) {
		// The copy kept for sending has served its purpose.
		if err := os.Remove(s.pdfPath(p.ID)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			slog.Warn("esign: removing a sent packet's copy", "packet", p.ID, "err", err)
		}
		return s.closeTodo(ctx, tx, p, ch.At, "eSign: "+st.State, false)
	}
	return nil
}

// final tells whether a packet in this state is over.
func final(state string) bool {
	switch state {
	case api.PacketCompleted, api.PacketDeclined, api.PacketVoided, api.PacketExpired:
		return true
	}
	return false
}

// Pulled tells the UI a pull brought packet changes.
func (s *Service) Pulled(clientIDs ...string) { s.changed(clientIDs...) }
