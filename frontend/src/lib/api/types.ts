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
