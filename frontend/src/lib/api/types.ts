// The Go types the bindings carry, under the names the UI uses. They are Wails's generated
// interfaces (wailsjs/go/models.ts; `make bindings` fails when they are stale), so a changed
// Go type fails svelte-check here rather than at run time. Go sends strings for its states;
// `Narrow` gives a field the literal union the UI switches on, and refuses a union that is
// not a subtype of the generated field or a field the Go type no longer has.
import type { api, billing, clients, esign, files, invites, session, store, syncer, todos } from '../../../wailsjs/go/models'

type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? T[K] : never }> = Omit<T, keyof N> & N

export type SessionStatus = session.Status

export type PersonRole = 'primary' | 'spouse' | 'contact'
export type Person = Narrow<store.Person, { role: PersonRole }>
export type PersonInput = Narrow<clients.PersonInput, { role: PersonRole }>
export type ClientInput = Narrow<clients.Input, { people: PersonInput[] }>
export type Client = Narrow<store.Client, { people: Person[] }>
export type ClientSummary = store.ClientSummary

export type SyncState = 'signed-out' | 'synced' | 'pending' | 'offline' | 'error'
export type SyncStatus = Narrow<syncer.Status, { state: SyncState }>

/** One sending of an invitation, newest first. */
export type InvitationSent = Narrow<invites.Sent, { state: 'pending' | 'accepted' | 'revoked' | 'undelivered' }>
/** Display states of a person under Client Portal. */
export type PortalDisplay = 'queued' | 'invited' | 'expired' | 'undelivered' | 'active' | 'removed'
export type PortalPerson = Narrow<invites.PortalPerson, { display: PortalDisplay; invitations: InvitationSent[] }>
export type AuditEntry = store.AuditEntry
export type InviteTemplate = store.InviteTemplate
export type Invitee = invites.Person
export type Invitation = invites.Invitation
export type PortalFilter = 'all' | 'with' | 'without'
export type PortalRow = invites.PortalRow
export type BulkResult = invites.BulkResult

export type Todo = Narrow<store.Todo, { state: 'open' | 'done' }>
export type TodoInput = todos.Input

export type InvoiceLine = api.InvoiceLine
export type Invoice = Narrow<store.Invoice, { state: 'open' | 'void' }>
export type Payment = store.Payment
export type Account = Narrow<billing.Account, { invoices: Invoice[] }>
export type InvoiceInput = billing.InvoiceInput
export type PaymentInput = billing.PaymentInput

export type DayHours = api.DayHours
export type AppointmentType = api.AppointmentType
export type Schedule = api.Schedule
export type Booking = Narrow<store.Booking, { state: 'booked' | 'cancelled' }>

export type HelpLink = api.HelpLink
export type Help = api.Help

/** Where a file stands between this computer and the portal. */
export type FileState = 'local' | 'waiting' | 'uploading' | 'synced' | 'downloading' | 'error'
/** A file in a client's folder. */
export type FileView = Narrow<files.View, { state: FileState; source: 'firm' | 'client' }>
/** A top-level folder of the firm library that no client has yet. */
export type FolderMatch = files.Match
/** Whose a library folder is; clientId "" leaves it the firm's own. */
export type FolderDecision = files.Decision

/** What a recipient fills in on an eSignature field. */
export type SignFieldType = 'signature' | 'initials' | 'date' | 'text' | 'name'
/** Where a field sits: page-relative, 0..1 from the top-left corner of the page as displayed. */
export type SignBox = api.Box
export type SignField = Narrow<api.Field, { type: SignFieldType }>
/** Someone asked to sign; id "" for the backend to assign one. */
export type SignRecipient = api.Recipient
/** A page's size in points, as displayed (after /Rotate). */
export type PageSize = esign.Page
/** A PDF opened for the eSign editor; pdf is base64. */
export type SignDocument = esign.Document
/** An eSignature request as staff prepare it; id "" makes a new one. */
export type PacketDraft = Narrow<esign.Draft, { fields: SignField[] }>
export type PacketState = 'draft' | 'queued' | 'sent' | 'completed' | 'declined' | 'voided' | 'expired'
export type SignerState = 'draft' | 'queued' | 'waiting' | 'sent' | 'viewed' | 'signed' | 'declined'
export type SignerView = Narrow<esign.SignerView, { state: SignerState }>
/** An eSignature request as the client record lists it. */
export type PacketView = Narrow<esign.View, { state: PacketState; signers: SignerView[]; fields: SignField[] }>

/** The certificate the firm's signed documents are sealed with. */
export type SealCert = Narrow<api.SealCert, { source: 'generated' | 'uploaded' }>
