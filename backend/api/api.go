// Package api is the wire contract between the desktop app and portald: paths, request and
// response types, and op kinds. Both sides import it so they cannot drift apart.
package api

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// Paths, versioned as a whole.
const (
	PathHealth        = "/healthz"
	PathDevices       = "/api/v1/devices"         // POST SignInRequest -> SignInResponse
	PathDeviceCurrent = "/api/v1/devices/current" // DELETE: revoke the calling device's token
	PathMe            = "/api/v1/me"              // GET -> Me
	PathOps           = "/api/v1/ops"             // POST PushRequest -> PushResponse
	PathChanges       = "/api/v1/changes"         // GET ?after=SEQ&limit=N&wait=SECONDS -> ChangesResponse
	PathUploads       = "/api/v1/uploads/"        // tus 1.0.0 (core + creation): a blob's bytes, resumable
	PathSeal          = "/api/v1/firm/seal"       // GET -> SealCert; PUT SealUpload -> SealCert: the firm's sealing certificate
	PathBlobs         = "/api/v1/blobs/"          // HEAD/GET PathBlobs+SHA256: whether the firm has a blob; its bytes (Range works)
)

// Upload-Metadata keys of a tus upload.
const (
	UploadMetaSHA256 = "sha256" // hex SHA-256 of the whole file: the portal checks it when the upload ends
)

// MaxFileSize is the largest file either side sends: 5 GiB.
const MaxFileSize int64 = 5 << 30

// Limits both sides agree on.
const (
	MaxPushOps      = 1000
	MaxChangesLimit = 5000
	MaxWait         = 60 * time.Second
)

// Error is the body of every non-2xx answer.
type Error struct {
	Error string `json:"error"`
	Code  string `json:"code,omitempty"`
}

// Error codes a client decides on.
const (
	CodeBadCredentials = "bad_credentials"
	CodeUnauthorized   = "unauthorized"
	CodeBadRequest     = "bad_request"
	CodeLockedOut      = "locked_out" // too many failures; Retry-After says for how long
	CodeBusy           = "busy"       // the portal cannot take this now; Retry-After says when to try again
)

type SignInRequest struct {
	Email      string `json:"email"`
	Password   string `json:"password"`
	DeviceName string `json:"deviceName"`
}

type SignInResponse struct {
	Token string `json:"token"`
	Me
}

type Me struct {
	Firm  Firm  `json:"firm"`
	Staff Staff `json:"staff"`
}

type Firm struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type Staff struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Op is one staff write. ID is a ULID made on the desktop when the write happened; it is
// the op's idempotency key for life.
type Op struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	EntityID string          `json:"entityId"`
	Data     json.RawMessage `json:"data"`
}

type PushRequest struct {
	Ops []Op `json:"ops"`
}

// Op result states.
const (
	OpApplied   = "applied"
	OpDuplicate = "duplicate" // applied before; Seq is the original one
	OpRejected  = "rejected"  // invalid; will never apply, Error says why
)

type OpResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Seq    int64  `json:"seq,omitempty"`
	Error  string `json:"error,omitempty"`
}

type PushResponse struct {
	Results []OpResult `json:"results"`
}

// Change is one entry of a firm's change feed, in the order the portal applied it.
type Change struct {
	Seq      int64           `json:"seq"`
	OpID     string          `json:"opId"`
	Kind     string          `json:"kind"`
	EntityID string          `json:"entityId"`
	Data     json.RawMessage `json:"data"`
	At       time.Time       `json:"at" ts_type:"string"`
}

type ChangesResponse struct {
	Changes []Change `json:"changes"`
	Cursor  int64    `json:"cursor"` // ask for changes after this next time
	More    bool     `json:"more"`   // more are waiting: ask again at once
}

// Op kinds (staff writes) and change kinds (the feed). client.put is both.
const (
	KindClientPut    = "client.put"    // Data: Client, the whole record; the last put wins
	KindPortalInvite = "portal.invite" // op; EntityID: the client; Data: Invite
	KindPortalRevoke = "portal.revoke" // op; EntityID: the client; Data: Revoke
	KindPortalUser   = "portal.user"   // change; EntityID: the portal user; Data: PortalUser
	KindPortalAudit  = "portal.audit"  // change; EntityID: the event; Data: AuditEvent
	KindTodoPut      = "todo.put"      // op and change; EntityID: the to-do; Data: Todo
	KindInvoicePut   = "invoice.put"   // op and change; EntityID: the invoice; Data: Invoice
	KindPaymentPut   = "payment.put"   // op and change; EntityID: the payment; Data: Payment
	KindSchedulePut  = "schedule.put"  // op and change; EntityID: ScheduleID; Data: Schedule
	KindBookingPut   = "booking.put"   // change; EntityID: the booking; Data: Booking
	KindHelpPut      = "help.put"      // op and change; EntityID: HelpID; Data: Help
	KindFilePut      = "file.put"      // op and change; EntityID: the file; Data: File
	KindPacketPut    = "packet.put"    // op; EntityID: the packet; Data: Packet; sends it
	KindPacketVoid   = "packet.void"   // op; EntityID: the packet; Data: PacketVoid
	KindPacketState  = "packet.state"  // change; EntityID: the packet; Data: PacketState
)

// Where a file came from.
const (
	SourceFirm   = "firm"
	SourceClient = "client"
)

// File is one file the firm shared with a client, or a client uploaded. Its bytes are the
// blob named SHA256, sent before the op that names it. Files the firm keeps to itself never
// reach the portal; one that stops being visible is put again with Visible false.
type File struct {
	ClientID string    `json:"clientId"`
	Dir      string    `json:"dir"`  // folders inside the shared area, "/"-separated; "" at its top
	Name     string    `json:"name"` // a name every OS accepts (package filename)
	SHA256   string    `json:"sha256"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified" ts_type:"string"`
	Source   string    `json:"source"`            // SourceFirm or SourceClient
	AddedBy  string    `json:"addedBy,omitempty"` // staff name or the client's email
	Visible  bool      `json:"visible"`           // the client sees it (client uploads always)
	TodoID   string    `json:"todoId,omitempty"`  // a to-do it was attached to when done
	Deleted  bool      `json:"deleted"`           // in the trash on the side that deleted it
}

// HelpID is the entity id of a firm's one list of help links.
const HelpID = "help"

// Help is the firm's own help resources, shown to clients above the portal's help page.
type Help struct {
	Links []HelpLink `json:"links"`
}

type HelpLink struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// MaxHelpLinks bounds the list.
const MaxHelpLinks = 10

// Check says what is wrong with a firm's help links, in words for staff.
func (h Help) Check() error {
	if len(h.Links) > MaxHelpLinks {
		return invalid("at most %d help links", MaxHelpLinks)
	}
	for i, l := range h.Links {
		u, err := url.Parse(l.URL)
		switch {
		case strings.TrimSpace(l.Label) == "" || len(l.Label) > 80:
			return invalid("link %d needs a label of 1 to 80 characters", i+1)
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			return invalid("link %d: %q is not a web address (https://…)", i+1, l.URL)
		}
	}
	return nil
}

// ScheduleID is the entity id of a firm's one schedule.
const ScheduleID = "schedule"

// Schedule is when clients may book appointments with the firm.
type Schedule struct {
	Enabled     bool              `json:"enabled"`
	TimeZone    string            `json:"timeZone"` // IANA, e.g. America/New_York
	Weekly      []DayHours        `json:"weekly"`   // 7 entries, Sunday first
	Types       []AppointmentType `json:"types"`
	CancelHours int               `json:"cancelHours"` // clients may cancel until this long before
	HorizonDays int               `json:"horizonDays"` // how far ahead clients may book
}

// DayHours is one weekday's opening, "HH:MM" to "HH:MM"; both empty when closed.
type DayHours struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type AppointmentType struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Minutes int    `json:"minutes"`
}

// Booking states.
const (
	BookingBooked    = "booked"
	BookingCancelled = "cancelled"
)

// Booking is an appointment a client booked in the portal.
type Booking struct {
	ClientID   string    `json:"clientId"`
	ClientName string    `json:"clientName"`
	Email      string    `json:"email"` // who booked
	TypeID     string    `json:"typeId"`
	TypeName   string    `json:"typeName"`
	Start      time.Time `json:"start" ts_type:"string"`
	End        time.Time `json:"end" ts_type:"string"`
	State      string    `json:"state"`
}

// To-do states.
const (
	TodoOpen = "open"
	TodoDone = "done"
)

// Todo is a task the firm gives a client; the client marks it done in the portal.
type Todo struct {
	ClientID    string     `json:"clientId"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Due         string     `json:"due"` // YYYY-MM-DD, or "" for no due date
	State       string     `json:"state"`
	DoneAt      *time.Time `json:"doneAt,omitempty" ts_type:"string"`
	DoneBy      string     `json:"doneBy,omitempty"`   // the portal user's email, or "staff"
	PacketID    string     `json:"packetId,omitempty"` // the eSignature packet it asks to sign
	Deleted     bool       `json:"deleted"`
}

// Invoice states; "paid" is not stored: an open invoice whose payments cover it is paid.
const (
	InvoiceOpen = "open"
	InvoiceVoid = "void"
	InvoicePaid = "paid"
)

// Invoice amounts are in cents of the firm's currency.
type Invoice struct {
	ClientID string        `json:"clientId"`
	Number   string        `json:"number"`
	Date     string        `json:"date"` // YYYY-MM-DD
	Due      string        `json:"due"`  // YYYY-MM-DD or ""
	Lines    []InvoiceLine `json:"lines"`
	State    string        `json:"state"` // open or void
}

type InvoiceLine struct {
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitCents   int64  `json:"unitCents"`
}

// Total is the sum of the lines, in cents.
func (inv Invoice) Total() int64 {
	var t int64
	for _, l := range inv.Lines {
		t += l.Quantity * l.UnitCents
	}
	return t
}

// Payment is money received from a client, against one invoice or on account.
type Payment struct {
	ClientID    string `json:"clientId"`
	InvoiceID   string `json:"invoiceId,omitempty"`
	Date        string `json:"date"` // YYYY-MM-DD
	AmountCents int64  `json:"amountCents"`
	Method      string `json:"method"`
	Deleted     bool   `json:"deleted"`
}

// Invite asks the portal to email an invitation to each person. Subject and Message are a
// template (see package invitetext); empty means the default one.
type Invite struct {
	People  []Invitee `json:"people"`
	Subject string    `json:"subject"`
	Message string    `json:"message"`
}

// Invitee is someone invited to a client's portal: a person on the client record
// (PersonID set) or anyone else the client wants to give access, such as a bookkeeper.
type Invitee struct {
	PersonID string `json:"personId,omitempty"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// Revoke removes a person's portal access: their sessions end and their links stop working.
type Revoke struct {
	Email string `json:"email"`
}

// Portal user states.
const (
	PortalInvited = "invited" // invited, has not set a password yet
	PortalActive  = "active"
	PortalRemoved = "removed" // access removed by staff
)

// Invitation states; a pending one past ExpiresAt is expired.
const (
	InvitationPending  = "pending"
	InvitationAccepted = "accepted"
	InvitationRevoked  = "revoked" // replaced by a newer one, or access removed
	// InvitationUndelivered: the mail server refused the mail, or never took it after every
	// retry; Error says why.
	InvitationUndelivered = "undelivered"
)

// PortalUser is a person with (or invited to) portal access, as staff see it.
type PortalUser struct {
	Email        string           `json:"email"`
	Name         string           `json:"name"`
	State        string           `json:"state"`
	ClientIDs    []string         `json:"clientIds"`        // clients the person has access to
	RemovedIDs   []string         `json:"removedClientIds"` // clients whose access staff removed
	SecondFactor string           `json:"secondFactor"`     // email, sms or totp
	Invitations  []InvitationSent `json:"invitations"`      // newest first
	AcceptedAt   *time.Time       `json:"acceptedAt,omitempty" ts_type:"string"`
	RemovedAt    *time.Time       `json:"removedAt,omitempty" ts_type:"string"`
	LinkAskedAt  *time.Time       `json:"linkAskedAt,omitempty" ts_type:"string"` // the person asked for a new link
}

type InvitationSent struct {
	SentAt    time.Time `json:"sentAt" ts_type:"string"`
	ExpiresAt time.Time `json:"expiresAt" ts_type:"string"`
	State     string    `json:"state"`
	Error     string    `json:"error,omitempty"` // why it was not delivered
}

// AuditEvent is one security event of a portal user, shown on the client record.
type AuditEvent struct {
	UserID    string    `json:"userId"`
	Email     string    `json:"email"`
	ClientIDs []string  `json:"clientIds"`
	Event     string    `json:"event"`
	Detail    string    `json:"detail,omitempty"`
	IP        string    `json:"ip,omitempty"`
	UserAgent string    `json:"userAgent,omitempty"`
	At        time.Time `json:"at" ts_type:"string"`
}

// Client is the whole client record as it travels.
type Client struct {
	Name     string   `json:"name"`
	Archived bool     `json:"archived"`
	People   []Person `json:"people"`
}

// Person roles.
const (
	RolePrimary = "primary"
	RoleSpouse  = "spouse"
	RoleContact = "contact"
)

type Person struct {
	ID    string `json:"id"`
	Role  string `json:"role"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Check says what is wrong with a file's description, or "". Names and folders must be
// what package filename makes them, so a name can never climb out of a client's folder.
func (f File) Check() error {
	switch {
	case f.ClientID == "":
		return invalid("a file needs its client")
	case f.Name == "" || SafeName(f.Name) != f.Name || f.Name == "." || f.Name == "..":
		return invalid("%q is not a safe file name", f.Name)
	case !ValidSHA256(f.SHA256):
		return invalid("sha256 must be 64 lowercase hex digits")
	case f.Size < 0 || f.Size > MaxFileSize:
		return invalid("a file is at most %d bytes", MaxFileSize)
	case f.Source != SourceFirm && f.Source != SourceClient:
		return invalid("unknown file source %q", f.Source)
	}
	if f.Dir != "" {
		for _, part := range strings.Split(f.Dir, "/") {
			if part == "" || part == "." || part == ".." || SafeName(part) != part {
				return invalid("%q is not a safe folder", f.Dir)
			}
		}
	}
	return nil
}

// ValidSHA256 tells whether s names a blob: 64 lowercase hex digits.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Field types of an eSignature packet.
const (
	FieldSignature = "signature"
	FieldInitials  = "initials"
	FieldDate      = "date" // filled in with the day the recipient signs
	FieldText      = "text" // free text the recipient types
	FieldName      = "name" // the recipient's name, as they adopt it
)

// Box is where a field sits: page-relative, 0..1 from the top-left corner of the page as
// displayed (after /Rotate, inside the CropBox). Only the renderer converts it to PDF space.
type Box struct {
	Page int     `json:"page"` // 0-based
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// Packet is a document sent for eSignature: one PDF (the blob SHA256), the fields each
// recipient fills in, and how the request goes out. It is put once, when staff send it.
type Packet struct {
	ClientID   string      `json:"clientId"`
	TodoID     string      `json:"todoId"` // the task sending made; completion closes it
	Title      string      `json:"title"`  // the document's name as signers see it
	SHA256     string      `json:"sha256"`
	Size       int64       `json:"size"`
	Pages      int         `json:"pages"`
	Recipients []Recipient `json:"recipients"`
	Fields     []Field     `json:"fields"`
	Ordered    bool        `json:"ordered"`    // recipients sign one after another, in order
	Due        string      `json:"due"`        // YYYY-MM-DD; the packet expires after that day
	RemindDays int         `json:"remindDays"` // a reminder every N days until done; 0: none
	Subject    string      `json:"subject"`
	Message    string      `json:"message"`
	SentBy     string      `json:"sentBy"` // the staff member's name
}

type Recipient struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type Field struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	RecipientID string `json:"recipientId"`
	Box         Box    `json:"box"`
}

// PacketVoid stops a packet before it completes; its links stop working.
type PacketVoid struct {
	Reason string `json:"reason"`
}

// Packet and signer states.
const (
	PacketSent      = "sent"
	PacketCompleted = "completed"
	PacketDeclined  = "declined"
	PacketVoided    = "voided"
	PacketExpired   = "expired"

	SignerWaiting  = "waiting" // an earlier signer has not signed yet
	SignerSent     = "sent"
	SignerViewed   = "viewed"
	SignerSigned   = "signed"
	SignerDeclined = "declined"
)

// PacketState is how a packet stands, as the portal tells the desktop after each event.
type PacketState struct {
	ClientID     string        `json:"clientId"`
	State        string        `json:"state"`
	Signers      []SignerState `json:"signers"`
	SignedFileID string        `json:"signedFileId,omitempty"` // the sealed PDF, a file.put
	Reason       string        `json:"reason,omitempty"`       // why it was declined or voided
	Problem      string        `json:"problem,omitempty"`      // why sealing waits (a timestamp authority down, say)
	At           time.Time     `json:"at" ts_type:"string"`
}

type SignerState struct {
	RecipientID string     `json:"recipientId"`
	State       string     `json:"state"`
	ViewedAt    *time.Time `json:"viewedAt,omitempty" ts_type:"string"`
	SignedAt    *time.Time `json:"signedAt,omitempty" ts_type:"string"`
}

// BoxSlack is how far past its page's edge a field may reach (rounding in the editor); the
// renderer allows the same.
const BoxSlack = 1e-6

// Check says what is wrong with a packet.
func (p Packet) Check() error {
	switch {
	case p.ClientID == "":
		return invalid("a packet needs its client")
	case strings.TrimSpace(p.Title) == "":
		return invalid("a packet needs a document name")
	case !ValidSHA256(p.SHA256):
		return invalid("sha256 must be 64 lowercase hex digits")
	case p.Pages < 1:
		return invalid("the document has no pages")
	case len(p.Recipients) == 0:
		return invalid("add at least one recipient")
	case p.RemindDays < 0 || p.RemindDays > 30:
		return invalid("reminders are every 1 to 30 days, or none")
	case len(p.Title) > 200 || len(p.Subject) > 200 || len(p.Message) > 10000:
		return invalid("the document's name, the subject or the message is too long")
	case len(p.Recipients) > 20 || len(p.Fields) > 500:
		return invalid("a request has at most 20 recipients and 500 fields")
	}
	if p.Due != "" {
		if _, err := time.Parse(time.DateOnly, p.Due); err != nil {
			return invalid("due date %q is not YYYY-MM-DD", p.Due)
		}
	}
	recipients := map[string]bool{}
	emails := map[string]bool{}
	for _, r := range p.Recipients {
		email := strings.ToLower(strings.TrimSpace(r.Email))
		switch {
		case r.ID == "" || recipients[r.ID]:
			return invalid("each recipient needs an id of its own")
		case strings.TrimSpace(r.Name) == "":
			return invalid("each recipient needs a name")
		case CheckLine("a recipient's name", r.Name, MaxNameLen) != nil:
			return CheckLine("a recipient's name", r.Name, MaxNameLen)
		case CheckEmail(strings.TrimSpace(r.Email)) != nil:
			return CheckEmail(strings.TrimSpace(r.Email))
		case emails[email]:
			return invalid("%s is a recipient twice", r.Email)
		}
		recipients[r.ID] = true
		emails[email] = true
	}
	hasField := map[string]bool{}
	for _, f := range p.Fields {
		switch f.Type {
		case FieldSignature, FieldInitials, FieldDate, FieldText, FieldName:
		default:
			return invalid("unknown field type %q", f.Type)
		}
		b := f.Box
		switch {
		case !recipients[f.RecipientID]:
			return invalid("a field belongs to a recipient who is not on the packet")
		case b.Page < 0 || b.Page >= p.Pages:
			return invalid("a field is on page %d of %d", b.Page+1, p.Pages)
		case !(b.W > 0 && b.H > 0 && b.X >= 0 && b.Y >= 0 && b.X+b.W <= 1+BoxSlack && b.Y+b.H <= 1+BoxSlack):
			return invalid("a field lies outside its page")
		}
		if f.Type == FieldSignature {
			hasField[f.RecipientID] = true
		}
	}
	for _, r := range p.Recipients {
		if !hasField[r.ID] {
			return invalid("%s has no signature field", r.Name)
		}
	}
	return nil
}

// SealCert describes the certificate a firm's signed documents are sealed with.
type SealCert struct {
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	NotAfter   time.Time `json:"notAfter" ts_type:"string"`
	SHA256     string    `json:"sha256"` // of the certificate, for comparing with what a PDF reader shows
	Source     string    `json:"source"` // generated (by the portal, self-signed) or uploaded
	SelfSigned bool      `json:"selfSigned"`
}

// SealUpload is a firm's own certificate and key, as a PKCS#12 (.p12, .pfx) file.
type SealUpload struct {
	PKCS12   []byte `json:"pkcs12"`
	Password string `json:"password"`
}

// MaxPKCS12 bounds an uploaded certificate file.
const MaxPKCS12 = 64 << 10
