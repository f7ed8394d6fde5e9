export namespace api {
	
	export interface AppointmentType {
	    id: string;
	    name: string;
	    minutes: number;
	}
	export interface Box {
	    page: number;
	    x: number;
	    y: number;
	    w: number;
	    h: number;
	}
	export interface DayHours {
	    start: string;
	    end: string;
	}
	export interface Field {
	    id: string;
	    type: string;
	    recipientId: string;
	    box: Box;
	}
	export interface HelpLink {
	    label: string;
	    url: string;
	}
	export interface Help {
	    links: HelpLink[];
	}
	
	export interface InvoiceLine {
	    description: string;
	    quantity: number;
	    unitCents: number;
	}
	export interface Recipient {
	    id: string;
	    name: string;
	    email: string;
	}
	export interface Schedule {
	    enabled: boolean;
	    timeZone: string;
	    weekly: DayHours[];
	    types: AppointmentType[];
	    cancelHours: number;
	    horizonDays: number;
	}
	export interface SealCert {
	    subject: string;
	    issuer: string;
	    notAfter: string;
	    sha256: string;
	    source: string;
	    selfSigned: boolean;
	}

}

export namespace billing {
	
	export interface Account {
	    invoices: store.Invoice[];
	    payments: store.Payment[];
	    balanceCents: number;
	    nextNumber: string;
	}
	export interface InvoiceInput {
	    clientId: string;
	    number: string;
	    date: string;
	    due: string;
	    lines: api.InvoiceLine[];
	}
	export interface PaymentInput {
	    clientId: string;
	    invoiceId: string;
	    date: string;
	    amountCents: number;
	    method: string;
	}

}

export namespace clients {
	
	export interface PersonInput {
	    id?: string;
	    role: string;
	    name: string;
	    email: string;
	    phone: string;
	}
	export interface Input {
	    name: string;
	    people: PersonInput[];
	}

}

export namespace esign {
	
	export interface Page {
	    w: number;
	    h: number;
	}
	export interface Document {
	    fileId: string;
	    name: string;
	    pages: Page[];
	    pdf: string;
	}
	export interface Draft {
	    id: string;
	    clientId: string;
	    fileId: string;
	    title: string;
	    recipients: api.Recipient[];
	    fields: api.Field[];
	    ordered: boolean;
	    due: string;
	    remindDays: number;
	    subject: string;
	    message: string;
	}
	
	export interface SignerView {
	    id: string;
	    name: string;
	    email: string;
	    state: string;
	    viewedAt?: string;
	    signedAt?: string;
	}
	export interface View {
	    id: string;
	    clientId: string;
	    fileId: string;
	    title: string;
	    recipients: api.Recipient[];
	    fields: api.Field[];
	    ordered: boolean;
	    due: string;
	    remindDays: number;
	    subject: string;
	    message: string;
	    state: string;
	    signers: SignerView[];
	    todoId: string;
	    signedFileId: string;
	    reason: string;
	    error: string;
	    pages: number;
	    createdAt: string;
	    sentAt?: string;
	    updatedAt: string;
	}

}

export namespace files {
	
	export interface Decision {
	    folder: string;
	    clientId: string;
	}
	export interface Match {
	    folder: string;
	    clientId: string;
	    clientName: string;
	    files: number;
	}
	export interface View {
	    id: string;
	    clientId: string;
	    path: string;
	    sha256: string;
	    size: number;
	    source: string;
	    addedBy: string;
	    todoId: string;
	    addedAt: string;
	    state: string;
	    error: string;
	    sent: number;
	    onPortal: boolean;
	    trashedAt?: string;
	    name: string;
	    dir: string;
	    visible: boolean;
	    fromClient: boolean;
	}

}

export namespace invites {
	
	export interface BulkResult {
	    queued: number;
	    skipped: string[];
	}
	export interface Person {
	    personId: string;
	    name: string;
	    email: string;
	}
	export interface Invitation {
	    people: Person[];
	    templateId: string;
	    subject: string;
	    message: string;
	}
	
	export interface Sent {
	    sentAt: string;
	    expiresAt: string;
	    state: string;
	    error?: string;
	}
	export interface PortalPerson {
	    id: string;
	    email: string;
	    name: string;
	    state: string;
	    secondFactor: string;
	    invitations: Sent[];
	    acceptedAt?: string;
	    removedAt?: string;
	    linkAskedAt?: string;
	    display: string;
	    queuedAt?: string;
	    removalQueued: boolean;
	}
	export interface PortalRow {
	    clientId: string;
	    name: string;
	    email: string;
	    portalStatus: string;
	}

}

export namespace session {
	
	export interface Status {
	    signedIn: boolean;
	    portalURL: string;
	    email: string;
	    firmName: string;
	    staffName: string;
	    problem: string;
	}

}

export namespace store {
	
	export interface AuditEntry {
	    id: string;
	    email: string;
	    event: string;
	    detail: string;
	    ip: string;
	    userAgent: string;
	    at: string;
	}
	export interface Booking {
	    id: string;
	    clientId: string;
	    clientName: string;
	    email: string;
	    typeId: string;
	    typeName: string;
	    start: string;
	    end: string;
	    state: string;
	}
	export interface Person {
	    id: string;
	    role: string;
	    name: string;
	    email: string;
	    phone: string;
	}
	export interface Client {
	    id: string;
	    name: string;
	    archived: boolean;
	    portalStatus: string;
	    people: Person[];
	    createdAt: string;
	    updatedAt: string;
	}
	export interface ClientSummary {
	    id: string;
	    name: string;
	    email: string;
	    phone: string;
	    portalStatus: string;
	    archived: boolean;
	    updatedAt: string;
	}
	export interface InviteTemplate {
	    id: string;
	    name: string;
	    subject: string;
	    body: string;
	    isDefault: boolean;
	    updatedAt: string;
	}
	export interface Invoice {
	    id: string;
	    clientId: string;
	    number: string;
	    date: string;
	    due: string;
	    lines: api.InvoiceLine[];
	    state: string;
	    totalCents: number;
	    paidCents: number;
	    shown: string;
	    updatedAt: string;
	}
	export interface Payment {
	    id: string;
	    clientId: string;
	    invoiceId?: string;
	    date: string;
	    amountCents: number;
	    method: string;
	    deleted: boolean;
	    invoiceNumber: string;
	    updatedAt: string;
	}
	
	export interface Todo {
	    id: string;
	    clientId: string;
	    title: string;
	    description: string;
	    due: string;
	    state: string;
	    doneAt?: string;
	    doneBy?: string;
	    packetId?: string;
	    deleted: boolean;
	    updatedAt: string;
	}

}

export namespace syncer {
	
	export interface Status {
	    state: string;
	    online: boolean;
	    pending: number;
	    failed: number;
	    lastSync: string;
	    lastError: string;
	}

}

export namespace todos {
	
	export interface Input {
	    id: string;
	    clientId: string;
	    title: string;
	    description: string;
	    due: string;
	    done: boolean;
	}

}

