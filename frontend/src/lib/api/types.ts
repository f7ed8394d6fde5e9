// Types mirroring the JSON the Go bindings return (camelCase fields).

export interface SessionStatus {
  signedIn: boolean
  portalURL: string
  email: string
  firmName: string
  staffName: string
  /** Why a signed-in desktop is not syncing (e.g. the keyring could not be read); "" if none. */
  problem?: string
}

export type PersonRole = 'primary' | 'spouse' | 'contact'

export interface Person {
  id: string
  role: PersonRole
  name: string
  email: string
  phone: string
}

export interface PersonInput {
  id?: string
  role: PersonRole
  name: string
  email: string
  phone: string
}

export interface ClientInput {
  name: string
  people: PersonInput[]
}

export interface Client {
  id: string
  name: string
  archived: boolean
  portalStatus: string
  people: Person[]
  createdAt: string
  updatedAt: string
}

export interface ClientSummary {
  id: string
  name: string
  email: string
  phone: string
  portalStatus: string
  archived: boolean
  updatedAt: string
}

export type SyncState = 'signed-out' | 'synced' | 'pending' | 'offline' | 'error'

export interface SyncStatus {
  state: SyncState
  online: boolean
  pending: number
  failed: number
  /** RFC3339 timestamp, or "" when never synced. */
  lastSync: string
  lastError: string
}

/** One sending of an invitation, newest first. */
export interface InvitationSent {
  sentAt: string
  expiresAt: string
  state: 'pending' | 'accepted' | 'revoked' | 'undelivered'
  /** Why the mail never arrived (the mail server's answer). */
  error?: string
}

/** Display states of a person under Client Portal. */
export type PortalDisplay = 'queued' | 'invited' | 'expired' | 'undelivered' | 'active' | 'removed'

export interface PortalPerson {
  id: string
  email: string
  name: string
  state: string
  secondFactor: string
  invitations: InvitationSent[] | null
  acceptedAt?: string
  removedAt?: string
  linkAskedAt?: string
  display: PortalDisplay
  queuedAt?: string
  removalQueued: boolean
}

export interface AuditEntry {
  id: string
  email: string
  event: string
  detail: string
  ip: string
  userAgent: string
  at: string
}

export interface InviteTemplate {
  id: string
  name: string
  subject: string
  body: string
  isDefault: boolean
  updatedAt: string
}

export interface Invitee {
  personId: string
  name: string
  email: string
}

export interface Invitation {
  people: Invitee[]
  templateId: string
  subject: string
  message: string
}

export type PortalFilter = 'all' | 'with' | 'without'

export interface PortalRow {
  clientId: string
  name: string
  email: string
  portalStatus: string
}

export interface BulkResult {
  queued: number
  skipped: string[] | null
}

export interface Todo {
  id: string
  clientId: string
  title: string
  description: string
  /** YYYY-MM-DD or "" */
  due: string
  state: 'open' | 'done'
  doneAt?: string
  /** The portal user's email, or "staff". */
  doneBy?: string
  /** The eSignature request this task asks to sign; it closes with the request. */
  packetId?: string
  deleted: boolean
  updatedAt: string
}

export interface TodoInput {
  id: string
  clientId: string
  title: string
  description: string
  due: string
  done: boolean
}

export interface InvoiceLine {
  description: string
  quantity: number
  unitCents: number
}

export interface Invoice {
  id: string
  clientId: string
  number: string
  date: string
  due: string
  lines: InvoiceLine[] | null
  state: 'open' | 'void'
  totalCents: number
  paidCents: number
  /** open, paid or void */
  shown: string
}

export interface Payment {
  id: string
  clientId: string
  invoiceId?: string
  invoiceNumber: string
  date: string
  amountCents: number
  method: string
}

export interface Account {
  invoices: Invoice[] | null
  payments: Payment[] | null
  balanceCents: number
  nextNumber: string
}

export interface InvoiceInput {
  clientId: string
  number: string
  date: string
  due: string
  lines: InvoiceLine[]
}

export interface PaymentInput {
  clientId: string
  invoiceId: string
  date: string
  amountCents: number
  method: string
}

export interface DayHours {
  start: string
  end: string
}

export interface AppointmentType {
  id: string
  name: string
  minutes: number
}

export interface Schedule {
  enabled: boolean
  timeZone: string
  /** 7 entries, Sunday first */
  weekly: DayHours[]
  types: AppointmentType[]
  cancelHours: number
  horizonDays: number
}

export interface Booking {
  id: string
  clientId: string
  clientName: string
  email: string
  typeName: string
  start: string
  end: string
  state: 'booked' | 'cancelled'
}

export interface HelpLink {
  label: string
  url: string
}

export interface Help {
  links: HelpLink[] | null
}

/** Where a file stands between this computer and the portal. */
export type FileState = 'local' | 'waiting' | 'uploading' | 'synced' | 'downloading' | 'error'

/** A file in a client's folder (files.View in Go). */
export interface FileView {
  id: string
  clientId: string
  /** Inside the client's folder, "/"-separated. */
  path: string
  sha256: string
  size: number
  source: 'firm' | 'client'
  addedBy: string
  todoId: string
  /** RFC3339 */
  addedAt: string
  state: FileState
  /** Why the portal refused the file, when state is "error". */
  error: string
  /** Bytes on the portal while uploading. */
  sent: number
  onPortal: boolean
  /** RFC3339, only for files in the trash. */
  trashedAt?: string
  name: string
  /** Folder inside the shared area; "" at the top. */
  dir: string
  /** The client can see it (in "Shared with client", or sent by them). */
  visible: boolean
  /** In "From client". */
  fromClient: boolean
}

/** A top-level folder of the firm library that no client has yet (files.Match in Go). */
export interface FolderMatch {
  folder: string
  /** The client the folder is named after; "" when no client's name fits. */
  clientId: string
  clientName: string
  /** How many files it holds. */
  files: number
}

/** Whose a library folder is (files.Decision in Go). */
export interface FolderDecision {
  folder: string
  /** "" to skip: the folder stays the firm's own and nothing in it syncs. */
  clientId: string
}

/** What a recipient fills in on an eSignature field. */
export type SignFieldType = 'signature' | 'initials' | 'date' | 'text' | 'name'

/** Where a field sits: page-relative, 0..1 from the top-left corner of the page as displayed. */
export interface SignBox {
  /** 0-based */
  page: number
  x: number
  y: number
  w: number
  h: number
}

/** One field of an eSignature request (api.Field in Go). */
export interface SignField {
  id: string
  type: SignFieldType
  recipientId: string
  box: SignBox
}

/** Someone asked to sign (api.Recipient in Go). */
export interface SignRecipient {
  /** "" for the backend to assign one. */
  id: string
  name: string
  email: string
}

/** A page's size in points, as displayed (after /Rotate). */
export interface PageSize {
  w: number
  h: number
}

/** A PDF opened for the eSign editor (esign.Document in Go). */
export interface SignDocument {
  fileId: string
  name: string
  pages: PageSize[]
  /** The PDF, base64. */
  pdf: string
}

/** An eSignature request as staff prepare it (esign.Draft in Go); id "" makes a new one. */
export interface PacketDraft {
  id: string
  clientId: string
  fileId: string
  /** The document's name as signers see it. */
  title: string
  recipients: SignRecipient[]
  fields: SignField[]
  /** Recipients sign one after another, in order. */
  ordered: boolean
  /** YYYY-MM-DD or "" */
  due: string
  /** A reminder every N days until signed or due (at most 5); 0: none. */
  remindDays: number
  subject: string
  message: string
}

export type PacketState = 'draft' | 'queued' | 'sent' | 'completed' | 'declined' | 'voided' | 'expired'

export type SignerState = 'draft' | 'queued' | 'waiting' | 'sent' | 'viewed' | 'signed' | 'declined'

export interface SignerView extends SignRecipient {
  state: SignerState
  /** RFC3339 */
  viewedAt?: string
  /** RFC3339 */
  signedAt?: string
}

/** An eSignature request as the client record lists it (esign.View in Go). */
export interface PacketView extends PacketDraft {
  state: PacketState
  signers: SignerView[] | null
  todoId: string
  /** The sealed PDF among the client's files, once everyone signed. */
  signedFileId: string
  /** Why it was declined or voided. */
  reason: string
  /** Why the portal refused it, while it is queued. */
  error: string
  pages: number
  createdAt: string
  sentAt?: string
  updatedAt: string
}

/** The certificate the firm's signed documents are sealed with. */
export interface SealCert {
  subject: string
  issuer: string
  /** RFC3339 */
  notAfter: string
  /** SHA-256 of the certificate, to compare with what a PDF reader shows. */
  sha256: string
  source: 'generated' | 'uploaded'
  selfSigned: boolean
}
