// Background sync status — wraps the Wails binding app.Sync.
import * as binding from '../../../wailsjs/go/app/Sync'
import type { SyncStatus } from './types'

export type { SyncState, SyncStatus } from './types'

const Sync = binding

export async function syncStatus(): Promise<SyncStatus> {
  return (await Sync.Status()) as SyncStatus
}

/** Asks Go to sync now; returns the resulting status when Go reports one. */
export async function syncNow(): Promise<SyncStatus | null> {
  const result = await Sync.SyncNow()
  return isSyncStatus(result) ? result : null
}

export function isSyncStatus(v: unknown): v is SyncStatus {
  return !!v && typeof v === 'object' && typeof (v as SyncStatus).state === 'string'
}
