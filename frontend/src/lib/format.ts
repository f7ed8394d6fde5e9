// Display helpers shared by the screens.
import type { PersonRole, SyncStatus } from './api/types'

export const ROLE_LABELS: Record<PersonRole, string> = {
  primary: 'Primary contact',
  spouse: 'Spouse',
  contact: 'Additional contact',
}

const PORTAL_LABELS: Record<string, string> = {
  none: 'No portal',
  '': 'No portal',
  invited: 'Invited',
  active: 'Active',
  removed: 'Access removed',
}

export function portalStatusLabel(status: string | null | undefined): string {
  const s = (status ?? '').trim()
  if (s.toLowerCase() in PORTAL_LABELS) return PORTAL_LABELS[s.toLowerCase()]
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/[-_]/g, ' ')
}

export function syncStateText(status: SyncStatus | null): string {
  if (!status) return 'Checking…'
  switch (status.state) {
    case 'signed-out':
      return 'Not signed in'
    case 'synced':
      return 'Synced'
    case 'pending':
      return `${status.pending} pending`
    case 'offline':
      return 'Offline'
    case 'error':
      return 'Sync error'
    default:
      return String(status.state)
  }
}

/** "just now", "5 min ago", "3 h ago", else a local date and time. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  if (!iso) return ''
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  const secs = Math.round((now - t) / 1000)
  if (secs < 45) return 'just now'
  const mins = Math.round(secs / 60)
  if (mins < 60) return `${mins} min ago`
  const hours = Math.round(mins / 60)
  if (hours < 24) return `${hours} h ago`
  return localDateTime(iso)
}

export function localDateTime(iso: string): string {
  const t = Date.parse(iso)
  if (!iso || Number.isNaN(t)) return ''
  return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** "2026-12-01" → "Dec 1, 2026" in the local style; "" when not a YYYY-MM-DD day. */
export function localDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '')
  if (!m) return ''
  const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (Number.isNaN(day.getTime()) || day.getDate() !== Number(m[3])) return ''
  return day.toLocaleDateString(undefined, { dateStyle: 'medium' })
}

/** Today on this computer as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
