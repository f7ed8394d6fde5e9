// Background sync status — wraps the Wails binding app.Sync.
import * as binding from '../../../wailsjs/go/app/Sync'
import type { SyncStatus } from './types'

export type { SyncState, SyncStatus } from './types'

// Typed view of the generated binding (its own model types may differ in detail).
const Sync = binding as unknown as {
  Status(): Promise<SyncStatus>
  SyncNow(): Promise<unknown>
}

export async function syncStatus(): Promise<SyncStatus> {
  return Sync.Status()
}

/** Asks Go to sync now; returns the resulting status when Go reports one. */
export async function syncNow(): Promise<SyncStatus | null> {
  const result = await Sync.SyncNow()
  return isSyncStatus(result) ? result : null
}

export function isSyncStatus(v: unknown): v is SyncStatus {
  return !!v && typeof v === 'object' && typeof (v as SyncStatus).state === 'string'
}
