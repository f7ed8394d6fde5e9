package server

import (
	"encoding/json"
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
	results, err := s.DB.ApplyOps(r.Context(), dev.Firm.ID, dev.ID, ops)
	if err != nil {
		s.internal(w, "push", err)
		return
	}
	writeJSON(w, http.StatusOK, api.PushResponse{Results: results})
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

// prepare decodes and checks an op; what is wrong with it goes in Invalid.
func prepare(op api.Op) db.Op {
	p := db.Op{Op: op}
	if strings.TrimSpace(op.EntityID) == "" || len(op.EntityID) > 64 {
		p.Invalid = "missing or over-long entity id"
		return p
	}
	switch op.Kind {
	case api.KindClientPut:
		var c api.Client
		if err := json.Unmarshal(op.Data, &c); err != nil {
			p.Invalid = "client data: " + err.Error()
			return p
		}
		if msg := api.CheckClient(c); msg != "" {
			p.Invalid = msg
			return p
		}
		p.Client = &c
	case api.KindPortalInvite:
		var inv api.Invite
		if err := json.Unmarshal(op.Data, &inv); err != nil {
			p.Invalid = "invitation data: " + err.Error()
			return p
		}
		if msg := checkInvite(&inv); msg != "" {
			p.Invalid = msg
			return p
		}
		p.Invite = &inv
	case api.KindPortalRevoke:
		var rv api.Revoke
		if err := json.Unmarshal(op.Data, &rv); err != nil {
			p.Invalid = "remove access data: " + err.Error()
			return p
		}
		if err := api.CheckEmail(rv.Email); err != nil {
			p.Invalid = err.Error()
			return p
		}
		p.Revoke = &rv
	case api.KindTodoPut:
		p.Todo = &api.Todo{}
		p.Invalid = decode(op.Data, p.Todo, checkTodo)
	case api.KindInvoicePut:
		p.Invoice = &api.Invoice{}
		p.Invalid = decode(op.Data, p.Invoice, func(inv *api.Invoice) string { return api.CheckInvoice(*inv) })
	case api.KindPaymentPut:
		p.Payment = &api.Payment{}
		p.Invalid = decode(op.Data, p.Payment, checkPayment)
	case api.KindHelpPut:
		p.Help = &api.Help{}
		p.Invalid = decode(op.Data, p.Help, func(h *api.Help) string {
			if op.EntityID != api.HelpID {
				return "help links' entity id is " + api.HelpID
			}
			return api.CheckHelp(*h)
		})
	case api.KindSchedulePut:
		p.Schedule = &api.Schedule{}
		p.Invalid = decode(op.Data, p.Schedule, func(s *api.Schedule) string {
			if op.EntityID != api.ScheduleID {
				return "a schedule's entity id is " + api.ScheduleID
			}
			if err := slots.Check(*s); err != nil {
				return "schedule: " + err.Error()
			}
			return ""
		})
	case api.KindFilePut:
		p.File = &api.File{}
		p.Invalid = decode(op.Data, p.File, func(f *api.File) string {
			// Desktops name trash folders and partial downloads after file ids.
			if _, err := ulid.ParseStrict(op.EntityID); err != nil {
				return "a file's id is a ULID"
			}
			if f.Source != api.SourceFirm {
				return "staff put files of the firm; client uploads come from the portal"
			}
			return api.CheckFile(*f)
		})
	case api.KindPacketPut:
		p.Packet = &api.Packet{}
		p.Invalid = decode(op.Data, p.Packet, func(pk *api.Packet) string {
			if _, err := ulid.ParseStrict(op.EntityID); err != nil {
				return "a packet's id is a ULID"
			}
			return api.CheckPacket(*pk)
		})
	case api.KindPacketVoid:
		p.PacketVoid = &api.PacketVoid{}
		p.Invalid = decode(op.Data, p.PacketVoid, func(v *api.PacketVoid) string {
			if len(v.Reason) > 500 {
				return "the reason is at most 500 characters"
			}
			return ""
		})
	default:
		p.Invalid = fmt.Sprintf("unknown op kind %q", op.Kind)
	}
	return p
}

// decode unmarshals an op's data into v and checks it; the result is why it is invalid, or "".
func decode[T any](data []byte, v *T, check func(*T) string) string {
	if err := json.Unmarshal(data, v); err != nil {
		return "data: " + err.Error()
	}
	return check(v)
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func checkTodo(t *api.Todo) string {
	switch {
	case t.ClientID == "":
		return "a to-do needs a client"
	case strings.TrimSpace(t.Title) == "" || len(t.Title) > 200:
		return "a to-do needs a title of 1 to 200 characters"
	case len(t.Description) > 10000:
		return "the description is too long (at most 10,000 characters)"
	case t.Due != "" && !validDate(t.Due):
		return fmt.Sprintf("due date %q is not a date (YYYY-MM-DD)", t.Due)
	case t.State != api.TodoOpen && t.State != api.TodoDone:
		return fmt.Sprintf("unknown to-do state %q", t.State)
	}
	return ""
}

func checkPayment(p *api.Payment) string {
	switch {
	case p.ClientID == "":
		return "a payment needs a client"
	case !validDate(p.Date):
		return fmt.Sprintf("payment date %q is not a date (YYYY-MM-DD)", p.Date)
	case p.AmountCents <= 0 || p.AmountCents > api.MaxInvoiceCents:
		return "a payment needs an amount above 0"
	case len(p.Method) > 100:
		return "the payment method is too long"
	}
	return ""
}

// MaxInvitees bounds one invitation op: a client's people and a few others.
const MaxInvitees = 50

// checkInvite checks an invitation and fills in the default template.
func checkInvite(inv *api.Invite) string {
	if len(inv.People) == 0 || len(inv.People) > MaxInvitees {
		return fmt.Sprintf("invite 1 to %d people at a time", MaxInvitees)
	}
	seen := map[string]bool{}
	for i, p := range inv.People {
		if strings.TrimSpace(p.Name) == "" {
			return fmt.Sprintf("person %d: a name is required", i+1)
		}
		if err := api.CheckLine(fmt.Sprintf("person %d's name", i+1), p.Name, api.MaxNameLen); err != nil {
			return err.Error()
		}
		if err := api.CheckEmail(p.Email); err != nil {
			return fmt.Sprintf("person %d: %v", i+1, err)
		}
		key := strings.ToLower(p.Email)
		if seen[key] {
			return fmt.Sprintf("%s is invited twice", p.Email)
		}
		seen[key] = true
	}
	if inv.Subject == "" && inv.Message == "" {
		inv.Subject, inv.Message = invitetext.DefaultSubject, invitetext.DefaultBody
	}
	if err := invitetext.Check(inv.Subject, inv.Message); err != nil {
		return "invitation template: " + err.Error()
	}
	return ""
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
