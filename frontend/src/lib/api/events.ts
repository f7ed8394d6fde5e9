// Go → UI events via the Wails runtime. Each on* returns an unsubscribe function.
import { EventsOn } from '../../../wailsjs/runtime/runtime'
import { isSyncStatus } from './sync'
import type { SyncStatus } from './types'

export const SYNC_STATUS_EVENT = 'sync:status'
export const CLIENTS_CHANGED_EVENT = 'clients:changed'
export const SESSION_CHANGED_EVENT = 'session:changed'
export const PORTAL_CHANGED_EVENT = 'portal:changed'
export const FILES_CHANGED_EVENT = 'files:changed'
export const ESIGN_CHANGED_EVENT = 'esign:changed'

function subscribe(name: string, cb: (...data: unknown[]) => void): () => void {
  try {
    const off = EventsOn(name, cb)
    return typeof off === 'function' ? off : () => {}
  } catch {
    // No Wails runtime (e.g. plain browser during UI work): nothing to listen to.
    return () => {}
  }
}

export function onSyncStatus(cb: (status: SyncStatus) => void): () => void {
  return subscribe(SYNC_STATUS_EVENT, (payload) => {
    if (isSyncStatus(payload)) cb(payload)
  })
}

export function onClientsChanged(cb: () => void): () => void {
  return subscribe(CLIENTS_CHANGED_EVENT, () => cb())
}

/** The sign-in changed or a problem with it appeared (e.g. at start-up). */
export function onSessionChanged(cb: () => void): () => void {
  return subscribe(SESSION_CHANGED_EVENT, () => cb())
}

/** The portal reported new invitation states or security events. */
export function onPortalChanged(cb: () => void): () => void {
  return subscribe(PORTAL_CHANGED_EVENT, () => cb())
}

/** Files of some clients changed (added, renamed, synced, upload progress); gives their ids. */
export function onFilesChanged(cb: (clientIds: string[]) => void): () => void {
  return subscribe(FILES_CHANGED_EVENT, (payload) => {
    if (Array.isArray(payload)) cb(payload.filter((id): id is string => typeof id === 'string'))
  })
}

/**
 * eSignature requests changed (saved, sent, signed, voided…). Gives the ids of the clients
 * whose requests changed, or null when the portal reported on requests of any client.
 */
export function onPacketsChanged(cb: (clientIds: string[] | null) => void): () => void {
  return subscribe(ESIGN_CHANGED_EVENT, (payload) => {
    if (Array.isArray(payload)) cb(payload.filter((id): id is string => typeof id === 'string'))
    else cb(null)
  })
}
