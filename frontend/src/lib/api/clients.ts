// Client records — wraps the Wails binding app.Clients.
import * as binding from '../../../wailsjs/go/app/Clients'
import type { store } from '../../../wailsjs/go/models'
import type { Client, ClientInput, ClientSummary } from './types'

export type { Client, ClientInput, ClientSummary, Person, PersonInput, PersonRole } from './types'

const Clients = binding

export async function listClients(query: string, includeArchived: boolean): Promise<ClientSummary[]> {
  return (await Clients.List(query, includeArchived)) ?? []
}

export async function getClient(id: string): Promise<Client> {
  return normalizeClient(await Clients.Get(id))
}

export async function createClient(input: ClientInput): Promise<Client> {
  return normalizeClient(await Clients.Create(input))
}

export async function updateClient(id: string, input: ClientInput): Promise<Client> {
  return normalizeClient(await Clients.Update(id, input))
}

export async function archiveClient(id: string): Promise<void> {
  await Clients.Archive(id)
}

export async function unarchiveClient(id: string): Promise<void> {
  await Clients.Unarchive(id)
}

// Go encodes a nil slice as null.
function normalizeClient(c: store.Client): Client {
  return (c ? { ...c, people: c.people ?? [] } : c) as Client
}
