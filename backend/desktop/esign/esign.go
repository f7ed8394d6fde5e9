// Package esign is the staff side of eSignature: packets prepared on the desktop, offline if
// need be, sent with the next sync, and followed as the portal reports on them.
package esign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
	"portico/backend/seal"
	"portico/backend/wakeup"
)

// MaxPDFSize bounds a document the editor opens: it travels to the UI in one piece.
const MaxPDFSize = 100 << 20

// Files finds a client's file on disk.
type Files interface {
	AbsPath(ctx context.Context, id string) (string, error)
}

type Service struct {
	Store *store.Store
	Files Files
	Dir   string // the sent PDFs, one copy per packet
	Now   func() time.Time
	Wake  func()
	Emit  func(clientIDs []string) // packets of these clients changed
	Staff func() string

	kick wakeup.Bell
}

// Document is a PDF as the editor shows it.
type Document struct {
	FileID string `json:"fileId"`
	Name   string `json:"name"`
	Pages  []Page `json:"pages"`
	PDF    string `json:"pdf"` // base64
}

// Page is a page's size in points as a viewer displays it (the CropBox, turned by /Rotate).
type Page struct {
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Draft is a packet as staff prepare it; ID "" makes a new one.
type Draft struct {
	ID         string          `json:"id"`
	ClientID   string          `json:"clientId"`
	FileID     string          `json:"fileId"`
	Title      string          `json:"title"`
	Recipients []api.Recipient `json:"recipients"`
	Fields     []api.Field     `json:"fields"`
	Ordered    bool            `json:"ordered"`
	Due        string          `json:"due"`
	RemindDays int             `json:"remindDays"`
	Subject    string          `json:"subject"`
	Message    string          `json:"message"`
}

// View is a packet as the client record lists it.
type View struct {
	Draft
	State        string       `json:"state"` // draft, queued, sent, completed, declined, voided, expired
	Signers      []SignerView `json:"signers"`
	TodoID       string       `json:"todoId"`
	SignedFileID string       `json:"signedFileId"`
	Reason       string       `json:"reason"`
	Error        string       `json:"error"`
	Pages        int          `json:"pages"`
	CreatedAt    time.Time    `json:"createdAt" ts_type:"string"`
	SentAt       *time.Time   `json:"sentAt,omitempty" ts_type:"string"`
	UpdatedAt    time.Time    `json:"updatedAt" ts_type:"string"`
}

type SignerView struct {
	api.Recipient
	State    string     `json:"state"`
	ViewedAt *time.Time `json:"viewedAt,omitempty" ts_type:"string"`
	SignedAt *time.Time `json:"signedAt,omitempty" ts_type:"string"`
}

// Open reads a PDF of a client's files for the editor, and says in words what is wrong with
// one that cannot be signed.
func (s *Service) Open(ctx context.Context, fileID string) (Document, error) {
	data, name, doc, err := s.read(ctx, fileID)
	if err != nil {
		return Document{}, err
	}
	pages := make([]Page, len(doc.Pages))
	for i, p := range doc.Pages {
		pages[i] = Page{W: p.W, H: p.H}
	}
	return Document{FileID: fileID, Name: name, Pages: pages, PDF: base64.StdEncoding.EncodeToString(data)}, nil
}

func (s *Service) read(ctx context.Context, fileID string) ([]byte, string, seal.Document, error) {
	path, err := s.Files.AbsPath(ctx, fileID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", seal.Document{}, invalid.New("that file is no longer in the client's folder")
	}
	if err != nil {
		return nil, "", seal.Document{}, err
	}
	name := filepath.Base(path)
	info, err := os.Stat(path)
	if err != nil {
		return nil, "", seal.Document{}, invalid.New("%s cannot be read: %v", name, err)
	}
	if info.Size() > MaxPDFSize {
		return nil, "", seal.Document{}, invalid.New("%s is larger than %d MB; split it before asking for signatures", name, MaxPDFSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", seal.Document{}, invalid.New("%s cannot be read: %v", name, err)
	}
	doc, err := seal.Inspect(bytes.NewReader(data))
	if err != nil {
		return nil, "", seal.Document{}, invalid.New("%s cannot be sent for signature: %v", name, err)
	}
	return data, name, doc, nil
}

// Recipients suggests the people on the client record who have an email address.
func (s *Service) Recipients(ctx context.Context, clientID string) ([]api.Recipient, error) {
	c, err := s.Store.Client(ctx, clientID)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", clientID, err)
	}
	out := []api.Recipient{}
	for _, p := range c.People {
		if strings.TrimSpace(p.Email) != "" {
			out = append(out, api.Recipient{ID: p.ID, Name: p.Name, Email: p.Email})
		}
	}
	return out, nil
}

// Message is the default email of a request for signatures, for staff to edit.
func (s *Service) Message(title string) (subject, message string) {
	title = strings.TrimSuffix(strings.TrimSpace(title), ".pdf")
	from := "us"
	if s.Staff != nil && s.Staff() != "" {
		from = s.Staff()
	}
	return "Please sign: " + title, "Hello,\n\nPlease review and sign \"" + title + "\". The link below opens it; " +
		"signing takes a minute and works on your phone.\n\nThank you,\n" + from
}

// Save keeps a draft; nothing leaves the desktop.
func (s *Service) Save(ctx context.Context, d Draft) (View, error) {
	return s.save(ctx, d, false)
}

// Send saves the packet and queues it: it goes out with the next sync, now if the portal is
// reachable. The client gets a task for it at once.
func (s *Service) Send(ctx context.Context, d Draft) (View, error) {
	return s.save(ctx, d, true)
}

func (s *Service) save(ctx context.Context, d Draft, send bool) (View, error) {
	d.Title = strings.Join(strings.Fields(d.Title), " ")
	if d.Title == "" {
		return View{}, invalid.New("give the document a name")
	}
	if len(d.Title) > 200 {
		return View{}, invalid.New("the document's name is too long (at most 200 characters)")
	}
	if len(d.Message) > 10000 || len(d.Subject) > 200 {
		return View{}, invalid.New("the message is too long")
	}
	for i := range d.Recipients {
		r := &d.Recipients[i]
		r.Name, r.Email = strings.Join(strings.Fields(r.Name), " "), strings.TrimSpace(r.Email)
		if r.ID == "" {
			r.ID = ulid.Make().String()
		}
	}
	for i := range d.Fields {
		if d.Fields[i].ID == "" {
			d.Fields[i].ID = ulid.Make().String()
		}
	}
	now := s.Now().UTC()
	var p store.Packet
	var data []byte
	var doc seal.Document
	if send {
		var err error
		if data, _, doc, err = s.read(ctx, d.FileID); err != nil {
			return View{}, err
		}
		if err := s.packet(d, "", hash(data), int64(len(data)), len(doc.Pages)).Check(); err != nil {
			return View{}, err
		}
		if d.Due != "" && d.Due < now.Local().Format(time.DateOnly) {
			return View{}, invalid.New("the due date %s has passed", d.Due)
		}
	}
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if d.ID != "" {
			old, err := tx.Packet(ctx, d.ID)
			if err != nil {
				return fmt.Errorf("packet %s: %w", d.ID, err)
			}
			if old.State != store.PacketDraft {
				return invalid.New("this request was sent already; void it and send a new one to change it")
			}
			p = old
		} else {
			if _, err := tx.Client(ctx, d.ClientID); err != nil {
				return fmt.Errorf("client %s: %w", d.ClientID, err)
			}
			p = store.Packet{ID: ulid.Make().String(), ClientID: d.ClientID, State: store.PacketDraft, CreatedAt: now}
			d.ID = p.ID
		}
		p.FileID, p.UpdatedAt = d.FileID, now
		if send {
			if err := s.keep(p.ID, data); err != nil {
				return err
			}
			p.State, p.SHA256, p.Size, p.Pages, p.SentAt = store.PacketQueued, hash(data), int64(len(data)), len(doc.Pages), &now
			p.TodoID = ulid.Make().String()
			todo := store.Todo{ID: p.TodoID, UpdatedAt: now, Todo: api.Todo{ClientID: p.ClientID, Title: "Sign " + d.Title,
				Description: "Waiting for " + names(d.Recipients) + " to sign.", Due: d.Due, State: api.TodoOpen, PacketID: p.ID}}
			if err := tx.PutTodo(ctx, todo); err != nil {
				return err
			}
		}
		draft, err := json.Marshal(d)
		if err != nil {
			return err
		}
		p.Draft = draft
		return tx.PutPacket(ctx, p)
	})
	if err != nil {
		return View{}, err
	}
	s.changed(p.ClientID)
	if send {
		s.kickSoon()
	}
	return view(p)
}

func names(rs []api.Recipient) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return strings.Join(out, ", ")
}

func hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// keep stores the PDF as sent: later edits of the file in the folder do not change it.
func (s *Service) keep(id string, data []byte) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.Dir, ".packet-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.pdfPath(id))
}

func (s *Service) pdfPath(id string) string { return filepath.Join(s.Dir, id+".pdf") }

// packet is what goes to the portal.
func (s *Service) packet(d Draft, todoID, sha string, size int64, pages int) api.Packet {
	staff := ""
	if s.Staff != nil {
		staff = s.Staff()
	}
	return api.Packet{ClientID: d.ClientID, TodoID: todoID, Title: d.Title, SHA256: sha, Size: size, Pages: pages,
		Recipients: d.Recipients, Fields: d.Fields, Ordered: d.Ordered, Due: d.Due, RemindDays: d.RemindDays,
		Subject: d.Subject, Message: d.Message, SentBy: staff}
}

// Get is one packet.
func (s *Service) Get(ctx context.Context, id string) (View, error) {
	p, err := s.Store.Packet(ctx, id)
	if err != nil {
		return View{}, fmt.Errorf("packet %s: %w", id, err)
	}
	return view(p)
}

// List is a client's packets, newest first.
func (s *Service) List(ctx context.Context, clientID string) ([]View, error) {
	ps, err := s.Store.PacketsOfClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	unsent, err := s.Store.UnsentOps(ctx, api.KindPacketPut)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(ps))
	for _, p := range ps {
		if why := unsent[p.ID]; why != "" && p.State == store.PacketQueued {
			p.Error = why
		}
		v, err := view(p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Discard deletes a draft.
func (s *Service) Discard(ctx context.Context, id string) error {
	var clientID string
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		p, err := tx.Packet(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.State != store.PacketDraft {
			return invalid.New("only a draft can be discarded; void a sent request instead")
		}
		clientID = p.ClientID
		return tx.DeletePacket(ctx, id)
	})
	if err == nil && clientID != "" {
		s.changed(clientID)
	}
	return err
}

// Void stops a packet before it completes: signers' links stop working. One that has not
// left the desktop yet is simply not sent.
func (s *Service) Void(ctx context.Context, id, reason string) (View, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) > 500 {
		return View{}, invalid.New("the reason is too long (at most 500 characters)")
	}
	var p store.Packet
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = tx.Packet(ctx, id); err != nil {
			return fmt.Errorf("packet %s: %w", id, err)
		}
		switch p.State {
		case store.PacketDraft:
			return invalid.New("a draft is not sent: discard it instead")
		case api.PacketCompleted, api.PacketDeclined, api.PacketVoided, api.PacketExpired:
			return invalid.New("this request is %s already", p.State)
		}
		now := s.Now().UTC()
		if p.Pushed {
			if err := tx.Queue(ctx, api.KindPacketVoid, p.ID, api.PacketVoid{Reason: reason}, now); err != nil {
				return err
			}
		}
		st := status(p)
		st.State, st.Reason, st.At = api.PacketVoided, reason, now
		if p.Status, err = json.Marshal(st); err != nil {
			return err
		}
		p.State, p.UpdatedAt = api.PacketVoided, now
		if err := tx.PutPacket(ctx, p); err != nil {
			return err
		}
		return s.closeTodo(ctx, tx, p, now, "voided", !p.Pushed)
	})
	if err != nil {
		return View{}, err
	}
	s.changed(p.ClientID)
	if s.Wake != nil {
		s.Wake()
	}
	return view(p)
}

// closeTodo closes the packet's task on this desktop; the portal closes its own copy. A
// task that never reached the portal is just deleted.
func (s *Service) closeTodo(ctx context.Context, tx *store.Tx, p store.Packet, now time.Time, why string, local bool) error {
	if p.TodoID == "" {
		return nil
	}
	td, err := tx.Todo(ctx, p.TodoID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if local {
		td.Deleted = true
	} else if td.State != api.TodoDone {
		td.State, td.DoneAt, td.DoneBy = api.TodoDone, &now, why
	}
	td.UpdatedAt = now
	return tx.PutTodo(ctx, td)
}

func status(p store.Packet) api.PacketState {
	var st api.PacketState
	if len(p.Status) > 0 {
		json.Unmarshal(p.Status, &st)
	}
	st.ClientID = p.ClientID
	return st
}

func view(p store.Packet) (View, error) {
	var d Draft
	if err := json.Unmarshal(p.Draft, &d); err != nil {
		return View{}, fmt.Errorf("packet %s: %w", p.ID, err)
	}
	d.ID, d.ClientID = p.ID, p.ClientID
	st := status(p)
	v := View{Draft: d, State: p.State, TodoID: p.TodoID, SignedFileID: st.SignedFileID, Reason: st.Reason,
		Error: p.Error, Pages: p.Pages, CreatedAt: p.CreatedAt, SentAt: p.SentAt, UpdatedAt: p.UpdatedAt}
	byID := map[string]api.SignerState{}
	for _, ss := range st.Signers {
		byID[ss.RecipientID] = ss
	}
	for _, r := range d.Recipients {
		sv := SignerView{Recipient: r, State: api.SignerSent}
		if p.State == store.PacketDraft || p.State == store.PacketQueued {
			sv.State = p.State
		}
		if ss, ok := byID[r.ID]; ok {
			sv.State, sv.ViewedAt, sv.SignedAt = ss.State, ss.ViewedAt, ss.SignedAt
		}
		v.Signers = append(v.Signers, sv)
	}
	return v, nil
}

func (s *Service) changed(clientIDs ...string) {
	if s.Emit != nil {
		s.Emit(clientIDs)
	}
}
