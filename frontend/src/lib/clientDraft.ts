// Editable form state for a client, and conversion to the ClientInput sent to Go.
import type { Client, ClientInput, PersonRole } from './api/types'

export interface PersonDraft {
  key: number // local identity for keyed rendering only; never sent
  id?: string
  role: PersonRole
  name: string
  email: string
  phone: string
}

export interface ClientDraft {
  name: string
  people: PersonDraft[]
}

let nextKey = 1

export function newPerson(role: PersonRole = 'contact'): PersonDraft {
  return { key: nextKey++, role, name: '', email: '', phone: '' }
}

export function emptyDraft(): ClientDraft {
  return { name: '', people: [newPerson('primary')] }
}

export function draftFromClient(c: Client): ClientDraft {
  return {
    name: c.name,
    people: (c.people ?? []).map((p) => ({
      key: nextKey++,
      id: p.id,
      role: p.role,
      name: p.name ?? '',
      email: p.email ?? '',
      phone: p.phone ?? '',
    })),
  }
}

/** The exact input for Create/Update: every row, in order, trimmed; ids only for existing people. */
export function draftToInput(d: ClientDraft): ClientInput {
  return {
    name: d.name.trim(),
    people: d.people.map((p) => ({
      ...(p.id ? { id: p.id } : {}),
      role: p.role,
      name: p.name.trim(),
      email: p.email.trim(),
      phone: p.phone.trim(),
    })),
  }
}

/** Role for a newly added row: primary if none yet, otherwise an additional contact. */
export function roleForNewPerson(d: ClientDraft): PersonRole {
  return d.people.some((p) => p.role === 'primary') ? 'contact' : 'primary'
}
