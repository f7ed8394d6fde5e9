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

