package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/invitetext"
	"portico/backend/portal/db"
	"portico/backend/portal/esign"
	"portico/backend/portal/invites"
	"portico/backend/seal"
	"portico/backend/slots"
)

func (s *Server) push(w http.ResponseWriter, r *http.Request) {
	var req api.PushRequest
	if !readJSON(w, r, 16<<20, &req) {
		return
	}
	if len(req.Ops) > api.MaxPushOps {
		writeError(w, http.StatusRequestEntityTooLarge, api.CodeBadRequest,
			fmt.Sprintf("at most %d ops per request", api.MaxPushOps))
		return
	}
	ops := make([]db.Op, len(req.Ops))
	for i, op := range req.Ops {
		if _, err := ulid.ParseStrict(op.ID); err != nil {
			writeError(w, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("op %d: id %q is not a ULID", i, op.ID))
			return
		}
		ops[i] = prepare(op)
		if ops[i].Packet != nil && ops[i].Invalid == "" {
			ops[i].Invalid = s.checkDocument(*ops[i].Packet)
		}
	}
	dev := deviceOf(r)
	results, err := s.DB.ApplyOps(r.Context(), dev.Firm.ID, dev.ID, ops, s.rules())
	if err != nil {
		s.internal(w, "push", err)
		return
	}
	writeJSON(w, http.StatusOK, api.PushResponse{Results: results})
}

// rules apply the ops whose effects the portal's services decide.
func (s *Server) rules() db.Appliers {
	inv, packets := invites.Invitations{DB: s.DB, TTL: s.InviteTTL}, esign.Packets{DB: s.DB}
	return db.Appliers{
		api.KindPortalInvite: inv.Invite,
		api.KindPortalRevoke: inv.Revoke,
		api.KindPacketPut:    packets.Put,
		api.KindPacketVoid:   packets.Void,
	}
}

// checkDocument reads a packet's PDF as sealing will, when it arrives: a document that
// cannot be sealed (signed already, damaged, a decompression bomb) is refused now, with
// the words staff see, instead of failing after every signer has signed. The desktop
// checks too, but the portal does not take its word for it. A document not yet received
// is refused later, as any missing file is.
func (s *Server) checkDocument(pk api.Packet) string {
	if s.Blobs == nil {
		return ""
	}
	f, err := s.Blobs.Open(pk.SHA256)
	if err != nil {
		return ""
	}
	defer f.Close()
	doc, err := seal.Inspect(f)
	if err != nil {
		return err.Error()
	}
	if len(doc.Pages) != pk.Pages {
		return fmt.Sprintf("the document has %d pages, the packet says %d", len(doc.Pages), pk.Pages)
	}
	for _, fl := range pk.Fields {
		if fl.Box.Page >= len(doc.Pages) {
			return fmt.Sprintf("a field is on page %d of a %d-page document", fl.Box.Page+1, len(doc.Pages))
		}
	}
	return ""
}

// prepare decodes and checks an op; what is wrong with it goes in Invalid. Every op's data
// passes its type's Check, the rule the desktop applies before it queues the op.
func prepare(op api.Op) db.Op {
	p := db.Op{Op: op}
	if strings.TrimSpace(op.EntityID) == "" || len(op.EntityID) > 64 {
		p.Invalid = "missing or over-long entity id"
		return p
	}
	var err error
	switch op.Kind {
	case api.KindClientPut:
		p.Client, err = decode[api.Client](op.Data, "client data")
	case api.KindPortalInvite:
		if p.Invite, err = decode[api.Invite](op.Data, "invitation data"); err == nil {
			err = fillTemplate(p.Invite)
		}
	case api.KindPortalRevoke:
		p.Revoke, err = decode[api.Revoke](op.Data, "remove access data")
	case api.KindTodoPut:
		p.Todo, err = decode[api.Todo](op.Data, "data")
	case api.KindInvoicePut:
		p.Invoice, err = decode[api.Invoice](op.Data, "data")
	case api.KindPaymentPut:
		p.Payment, err = decode[api.Payment](op.Data, "data")
	case api.KindHelpPut:
		if op.EntityID != api.HelpID {
			err = errors.New("help links' entity id is " + api.HelpID)
			break
		}
		p.Help, err = decode[api.Help](op.Data, "data")
	case api.KindSchedulePut:
		if op.EntityID != api.ScheduleID {
			err = errors.New("a schedule's entity id is " + api.ScheduleID)
			break
		}
		p.Schedule = &api.Schedule{}
		if err = json.Unmarshal(op.Data, p.Schedule); err != nil {
			err = fmt.Errorf("data: %w", err)
		} else if err = slots.Check(*p.Schedule); err != nil {
			err = fmt.Errorf("schedule: %w", err)
		}
	case api.KindFilePut:
		// Desktops name trash folders and partial downloads after file ids.
		if _, e := ulid.ParseStrict(op.EntityID); e != nil {
			err = errors.New("a file's id is a ULID")
			break
		}
		if p.File, err = decode[api.File](op.Data, "data"); err == nil && p.File.Source != api.SourceFirm {
			err = errors.New("staff put files of the firm; client uploads come from the portal")
		}
	case api.KindPacketPut:
		if _, e := ulid.ParseStrict(op.EntityID); e != nil {
			err = errors.New("a packet's id is a ULID")
			break
		}
		p.Packet, err = decode[api.Packet](op.Data, "data")
	case api.KindPacketVoid:
		p.PacketVoid, err = decode[api.PacketVoid](op.Data, "data")
	default:
		err = fmt.Errorf("unknown op kind %q", op.Kind)
	}
	if err != nil {
		p.Invalid = err.Error()
	}
	return p
}

// checked is a wire type with its one rule.
type checked interface{ Check() error }

// decode unmarshals an op's data and checks it.
func decode[T any, PT interface {
	*T
	checked
}](data []byte, what string) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		return v, fmt.Errorf("%s: %w", what, err)
	}
	return v, PT(v).Check()
}

// fillTemplate gives an invitation without text the default one and checks its text.
func fillTemplate(inv *api.Invite) error {
	if inv.Subject == "" && inv.Message == "" {
		inv.Subject, inv.Message = invitetext.DefaultSubject, invitetext.DefaultBody
	}
	if err := invitetext.Check(inv.Subject, inv.Message); err != nil {
		return fmt.Errorf("invitation template: %w", err)
	}
	return nil
}

func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err1 := strconv.ParseInt(q.Get("after"), 10, 64)
	limit, err2 := strconv.Atoi(q.Get("limit"))
	waitSec, err3 := strconv.Atoi(q.Get("wait"))
	if q.Get("wait") == "" {
		waitSec, err3 = 0, nil
	}
	if err1 != nil || err2 != nil || err3 != nil || after < 0 || limit <= 0 || waitSec < 0 {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "after, limit and wait must be non-negative numbers")
		return
	}
	limit = min(limit, api.MaxChangesLimit)
	wait := min(time.Duration(waitSec)*time.Second, api.MaxWait)
	firm := deviceOf(r).Firm.ID

	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		// Subscribe before reading so a change between the read and the wait is not missed.
		woken := s.feed.wait(firm)
		list, more, err := s.DB.Changes(r.Context(), firm, after, limit)
		if err != nil {
			s.internal(w, "changes", err)
			return
		}
		if len(list) > 0 || wait == 0 {
			cursor := after
			if len(list) > 0 {
				cursor = list[len(list)-1].Seq
			}
			writeJSON(w, http.StatusOK, api.ChangesResponse{Changes: list, Cursor: cursor, More: more})
			return
		}
		select {
		case <-woken:
		case <-deadline.C:
			wait = 0
		case <-s.stopping:
			wait = 0
		case <-r.Context().Done():
			return
		}
	}
}

// feed wakes long polls of a firm when its change feed grows.
type feed struct {
	mu      sync.Mutex
	waiters map[string]chan struct{}
	waited  func(firm string) // a long poll of firm now waits; for tests
}

func (f *feed) wait(firm string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.waiters == nil {
		f.waiters = map[string]chan struct{}{}
	}
	ch, ok := f.waiters[firm]
	if !ok {
		ch = make(chan struct{})
		f.waiters[firm] = ch
	}
	if f.waited != nil {
		f.waited(firm)
	}
	return ch
}

func (f *feed) changed(firm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ch, ok := f.waiters[firm]; ok {
		close(ch)
		delete(f.waiters, firm)
	}
}
