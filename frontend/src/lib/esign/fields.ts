// What the eSign editor knows about fields and recipients, apart from where fields sit.
import type { PacketDraft, SignField, SignFieldType, SignRecipient } from '../api/types'

/** The field types in the order the palette offers them, with what staff see. */
export const FIELD_TYPES: readonly { type: SignFieldType; label: string }[] = [
  { type: 'signature', label: 'Signature' },
  { type: 'initials', label: 'Initials' },
  { type: 'date', label: 'Date' },
  { type: 'text', label: 'Text' },
  { type: 'name', label: 'Name' },
]

export function fieldLabel(type: SignFieldType): string {
  return FIELD_TYPES.find((t) => t.type === type)?.label ?? type
}

// Dark enough for white text and for a 2px border on a white page (contrast ≥ 4.5:1).
const COLOURS = ['#1f5f8b', '#a33a12', '#1e6e3f', '#6f3aa0', '#8a5a00', '#a3235f', '#0e6a63', '#4b5563']

/** Each recipient's fields have a colour of their own, by their place in the list. */
export function recipientColour(index: number): string {
  return COLOURS[((index % COLOURS.length) + COLOURS.length) % COLOURS.length]
}

/** An id for a recipient or field made here, before the backend has seen it. */
export function newId(): string {
  const c = globalThis.crypto
  if (typeof c?.randomUUID === 'function') return c.randomUUID()
  // randomUUID needs a secure context, which some web views do not give the app.
  const bytes = new Uint8Array(16)
  if (typeof c?.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

/** The recipients who have no signature field yet. */
export function withoutSignature(draft: Pick<PacketDraft, 'recipients' | 'fields'>): SignRecipient[] {
  return draft.recipients.filter((r) => !draft.fields.some((f) => f.recipientId === r.id && f.type === 'signature'))
}

/** Whether N days between reminders is something the backend takes: 0 (none) to 30. */
export function validRemindDays(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 30
}

/** Why the request cannot be sent yet, in words; [] when it can. */
export function sendBlockers(draft: PacketDraft): string[] {
  const out: string[] = []
  if (!draft.title.trim()) out.push('Give the document a name.')
  if (draft.recipients.length === 0) out.push('Add at least one recipient.')
  for (const r of withoutSignature(draft)) out.push(`${r.name || r.email} has no signature field.`)
  if (!validRemindDays(draft.remindDays)) out.push('Reminders are every 1 to 30 days, or 0 for none.')
  return out
}

const pagesText = (n: number) => `${n} ${n === 1 ? 'page' : 'pages'}`

/**
 * What staff should know when the file of a sent request is no longer the one that was sent,
 * as far as the page count tells; "" when it looks the same. Fields on pages the file no
 * longer has cannot be shown on it, only listed.
 */
export function fileChangeText(sentPages: number, nowPages: number, fields: Pick<SignField, 'box'>[]): string {
  const out: string[] = []
  if (sentPages > 0 && sentPages !== nowPages) {
    out.push(
      `The file has changed since this request was sent: it had ${pagesText(sentPages)} and now has ${nowPages}.`,
      'The fields are shown where they were placed, on the pages as they are now.',
    )
  }
  const gone = fields.filter((f) => f.box.page >= nowPages).length
  if (gone > 0) {
    out.push(
      gone === 1
        ? 'One field is on a page the file no longer has; it is only in the list of fields.'
        : `${gone} fields are on pages the file no longer has; they are only in the list of fields.`,
    )
  }
  return out.join(' ')
}
