export namespace api {
	
	export class AppointmentType {
	    id: string;
	    name: string;
	    minutes: number;
	
	    static createFrom(source: any = {}) {
	        return new AppointmentType(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.minutes = source["minutes"];
	    }
	}
	export class Box {
	    page: number;
	    x: number;
	    y: number;
	    w: number;
	    h: number;
	
	    static createFrom(source: any = {}) {
	        return new Box(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.page = source["page"];
	        this.x = source["x"];
	        this.y = source["y"];
	        this.w = source["w"];
	        this.h = source["h"];
	    }
	}
	export class DayHours {
	    start: string;
	    end: string;
	
	    static createFrom(source: any = {}) {
	        return new DayHours(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class Field {
	    id: string;
	    type: string;
	    recipientId: string;
	    box: Box;
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.type = source["type"];
	        this.recipientId = source["recipientId"];
	        this.box = this.convertValues(source["box"], Box);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HelpLink {
	    label: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new HelpLink(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.url = source["url"];
	    }
	}
	export class Help {
	    links: HelpLink[];
	
	    static createFrom(source: any = {}) {
	        return new Help(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.links = this.convertValues(source["links"], HelpLink);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class InvoiceLine {
	    description: string;
	    quantity: number;
	    unitCents: number;
	
	    static createFrom(source: any = {}) {
	        return new InvoiceLine(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.description = source["description"];
	        this.quantity = source["quantity"];
	        this.unitCents = source["unitCents"];
	    }
	}
	export class Recipient {
	    id: string;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new Recipient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class Schedule {
	    enabled: boolean;
	    timeZone: string;
	    weekly: DayHours[];
	    types: AppointmentType[];
	    cancelHours: number;
	    horizonDays: number;
	
	    static createFrom(source: any = {}) {
	        return new Schedule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.timeZone = source["timeZone"];
	        this.weekly = this.convertValues(source["weekly"], DayHours);
	        this.types = this.convertValues(source["types"], AppointmentType);
	        this.cancelHours = source["cancelHours"];
	        this.horizonDays = source["horizonDays"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SealCert {
	    subject: string;
	    issuer: string;
	    // Go type: time
	    notAfter: any;
	    sha256: string;
	    source: string;
	    selfSigned: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SealCert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.issuer = source["issuer"];
	        this.notAfter = this.convertValues(source["notAfter"], null);
	        this.sha256 = source["sha256"];
	        this.source = source["source"];
	        this.selfSigned = source["selfSigned"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace billing {
	
	export class Account {
	    invoices: store.Invoice[];
	    payments: store.Payment[];
	    balanceCents: number;
	    nextNumber: string;
	
	    static createFrom(source: any = {}) {
	        return new Account(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.invoices = this.convertValues(source["invoices"], store.Invoice);
	        this.payments = this.convertValues(source["payments"], store.Payment);
	        this.balanceCents = source["balanceCents"];
	        this.nextNumber = source["nextNumber"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InvoiceInput {
	    clientId: string;
	    number: string;
	    date: string;
	    due: string;
	    lines: api.InvoiceLine[];
	
	    static createFrom(source: any = {}) {
	        return new InvoiceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientId = source["clientId"];
	        this.number = source["number"];
	        this.date = source["date"];
	        this.due = source["due"];
	        this.lines = this.convertValues(source["lines"], api.InvoiceLine);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PaymentInput {
	    clientId: string;
	    invoiceId: string;
	    date: string;
	    amountCents: number;
	    method: string;
	
	    static createFrom(source: any = {}) {
	        return new PaymentInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientId = source["clientId"];
	        this.invoiceId = source["invoiceId"];
	        this.date = source["date"];
	        this.amountCents = source["amountCents"];
	        this.method = source["method"];
	    }
	}

}

export namespace clients {
	
	export class PersonInput {
	    id?: string;
	    role: string;
	    name: string;
	    email: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new PersonInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.role = source["role"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	    }
	}
	export class Input {
	    name: string;
	    people: PersonInput[];
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.people = this.convertValues(source["people"], PersonInput);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace esign {
	
	export class Page {
	    w: number;
	    h: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.w = source["w"];
	        this.h = source["h"];
	    }
	}
	export class Document {
	    fileId: string;
	    name: string;
	    pages: Page[];
	    pdf: string;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fileId = source["fileId"];
	        this.name = source["name"];
	        this.pages = this.convertValues(source["pages"], Page);
	        this.pdf = source["pdf"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Draft {
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
	
	    static createFrom(source: any = {}) {
	        return new Draft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.fileId = source["fileId"];
	        this.title = source["title"];
	        this.recipients = this.convertValues(source["recipients"], api.Recipient);
	        this.fields = this.convertValues(source["fields"], api.Field);
	        this.ordered = source["ordered"];
	        this.due = source["due"];
	        this.remindDays = source["remindDays"];
	        this.subject = source["subject"];
	        this.message = source["message"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SignerView {
	    id: string;
	    name: string;
	    email: string;
	    state: string;
	    // Go type: time
	    viewedAt?: any;
	    // Go type: time
	    signedAt?: any;
	
	    static createFrom(source: any = {}) {
	        return new SignerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.state = source["state"];
	        this.viewedAt = this.convertValues(source["viewedAt"], null);
	        this.signedAt = this.convertValues(source["signedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class View {
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
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    sentAt?: any;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new View(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.fileId = source["fileId"];
	        this.title = source["title"];
	        this.recipients = this.convertValues(source["recipients"], api.Recipient);
	        this.fields = this.convertValues(source["fields"], api.Field);
	        this.ordered = source["ordered"];
	        this.due = source["due"];
	        this.remindDays = source["remindDays"];
	        this.subject = source["subject"];
	        this.message = source["message"];
	        this.state = source["state"];
	        this.signers = this.convertValues(source["signers"], SignerView);
	        this.todoId = source["todoId"];
	        this.signedFileId = source["signedFileId"];
	        this.reason = source["reason"];
	        this.error = source["error"];
	        this.pages = source["pages"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace files {
	
	export class Decision {
	    folder: string;
	    clientId: string;
	
	    static createFrom(source: any = {}) {
	        return new Decision(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.clientId = source["clientId"];
	    }
	}
	export class Match {
	    folder: string;
	    clientId: string;
	    clientName: string;
	    files: number;
	
	    static createFrom(source: any = {}) {
	        return new Match(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.clientId = source["clientId"];
	        this.clientName = source["clientName"];
	        this.files = source["files"];
	    }
	}
	export class View {
	    id: string;
	    clientId: string;
	    path: string;
	    sha256: string;
	    size: number;
	    source: string;
	    addedBy: string;
	    todoId: string;
	    // Go type: time
	    addedAt: any;
	    state: string;
	    error: string;
	    sent: number;
	    onPortal: boolean;
	    // Go type: time
	    trashedAt?: any;
	    name: string;
	    dir: string;
	    visible: boolean;
	    fromClient: boolean;
	
	    static createFrom(source: any = {}) {
	        return new View(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.path = source["path"];
	        this.sha256 = source["sha256"];
	        this.size = source["size"];
	        this.source = source["source"];
	        this.addedBy = source["addedBy"];
	        this.todoId = source["todoId"];
	        this.addedAt = this.convertValues(source["addedAt"], null);
	        this.state = source["state"];
	        this.error = source["error"];
	        this.sent = source["sent"];
	        this.onPortal = source["onPortal"];
	        this.trashedAt = this.convertValues(source["trashedAt"], null);
	        this.name = source["name"];
	        this.dir = source["dir"];
	        this.visible = source["visible"];
	        this.fromClient = source["fromClient"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace invites {
	
	export class BulkResult {
	    queued: number;
	    skipped: string[];
	
	    static createFrom(source: any = {}) {
	        return new BulkResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queued = source["queued"];
	        this.skipped = source["skipped"];
	    }
	}
	export class Person {
	    personId: string;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personId = source["personId"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class Invitation {
	    people: Person[];
	    templateId: string;
	    subject: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Invitation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.people = this.convertValues(source["people"], Person);
	        this.templateId = source["templateId"];
	        this.subject = source["subject"];
	        this.message = source["message"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Sent {
	    // Go type: time
	    sentAt: any;
	    // Go type: time
	    expiresAt: any;
	    state: string;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Sent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
	        this.state = source["state"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PortalPerson {
	    id: string;
	    email: string;
	    name: string;
	    state: string;
	    secondFactor: string;
	    invitations: Sent[];
	    // Go type: time
	    acceptedAt?: any;
	    // Go type: time
	    removedAt?: any;
	    // Go type: time
	    linkAskedAt?: any;
	    display: string;
	    // Go type: time
	    queuedAt?: any;
	    removalQueued: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PortalPerson(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.name = source["name"];
	        this.state = source["state"];
	        this.secondFactor = source["secondFactor"];
	        this.invitations = this.convertValues(source["invitations"], Sent);
	        this.acceptedAt = this.convertValues(source["acceptedAt"], null);
	        this.removedAt = this.convertValues(source["removedAt"], null);
	        this.linkAskedAt = this.convertValues(source["linkAskedAt"], null);
	        this.display = source["display"];
	        this.queuedAt = this.convertValues(source["queuedAt"], null);
	        this.removalQueued = source["removalQueued"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PortalRow {
	    clientId: string;
	    name: string;
	    email: string;
	    portalStatus: string;
	
	    static createFrom(source: any = {}) {
	        return new PortalRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientId = source["clientId"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.portalStatus = source["portalStatus"];
	    }
	}

}

export namespace session {
	
	export class Status {
	    signedIn: boolean;
	    portalURL: string;
	    email: string;
	    firmName: string;
	    staffName: string;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signedIn = source["signedIn"];
	        this.portalURL = source["portalURL"];
	        this.email = source["email"];
	        this.firmName = source["firmName"];
	        this.staffName = source["staffName"];
	        this.problem = source["problem"];
	    }
	}

}

export namespace store {
	
	export class AuditEntry {
	    id: string;
	    email: string;
	    event: string;
	    detail: string;
	    ip: string;
	    userAgent: string;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.event = source["event"];
	        this.detail = source["detail"];
	        this.ip = source["ip"];
	        this.userAgent = source["userAgent"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Booking {
	    id: string;
	    clientId: string;
	    clientName: string;
	    email: string;
	    typeId: string;
	    typeName: string;
	    // Go type: time
	    start: any;
	    // Go type: time
	    end: any;
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new Booking(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.clientName = source["clientName"];
	        this.email = source["email"];
	        this.typeId = source["typeId"];
	        this.typeName = source["typeName"];
	        this.start = this.convertValues(source["start"], null);
	        this.end = this.convertValues(source["end"], null);
	        this.state = source["state"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Person {
	    id: string;
	    role: string;
	    name: string;
	    email: string;
	    phone: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.role = source["role"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	    }
	}
	export class Client {
	    id: string;
	    name: string;
	    archived: boolean;
	    portalStatus: string;
	    people: Person[];
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Client(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.archived = source["archived"];
	        this.portalStatus = source["portalStatus"];
	        this.people = this.convertValues(source["people"], Person);
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientSummary {
	    id: string;
	    name: string;
	    email: string;
	    phone: string;
	    portalStatus: string;
	    archived: boolean;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new ClientSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.portalStatus = source["portalStatus"];
	        this.archived = source["archived"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InviteTemplate {
	    id: string;
	    name: string;
	    subject: string;
	    body: string;
	    isDefault: boolean;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new InviteTemplate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	        this.isDefault = source["isDefault"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Invoice {
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
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Invoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.number = source["number"];
	        this.date = source["date"];
	        this.due = source["due"];
	        this.lines = this.convertValues(source["lines"], api.InvoiceLine);
	        this.state = source["state"];
	        this.totalCents = source["totalCents"];
	        this.paidCents = source["paidCents"];
	        this.shown = source["shown"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Payment {
	    id: string;
	    clientId: string;
	    invoiceId?: string;
	    date: string;
	    amountCents: number;
	    method: string;
	    deleted: boolean;
	    invoiceNumber: string;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Payment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.invoiceId = source["invoiceId"];
	        this.date = source["date"];
	        this.amountCents = source["amountCents"];
	        this.method = source["method"];
	        this.deleted = source["deleted"];
	        this.invoiceNumber = source["invoiceNumber"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Todo {
	    id: string;
	    clientId: string;
	    title: string;
	    description: string;
	    due: string;
	    state: string;
	    // Go type: time
	    doneAt?: any;
	    doneBy?: string;
	    packetId?: string;
	    deleted: boolean;
	    // Go type: time
	    updatedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Todo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.due = source["due"];
	        this.state = source["state"];
	        this.doneAt = this.convertValues(source["doneAt"], null);
	        this.doneBy = source["doneBy"];
	        this.packetId = source["packetId"];
	        this.deleted = source["deleted"];
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace syncer {
	
	export class Status {
	    state: string;
	    online: boolean;
	    pending: number;
	    failed: number;
	    lastSync: string;
	    lastError: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.online = source["online"];
	        this.pending = source["pending"];
	        this.failed = source["failed"];
	        this.lastSync = source["lastSync"];
	        this.lastError = source["lastError"];
	    }
	}

}

export namespace todos {
	
	export class Input {
	    id: string;
	    clientId: string;
	    title: string;
	    description: string;
	    due: string;
	    done: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientId = source["clientId"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.due = source["due"];
	        this.done = source["done"];
	    }
	}

}

