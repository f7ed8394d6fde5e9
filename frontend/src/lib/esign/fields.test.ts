import { describe, it, expect } from 'vitest'
import { fieldLabel, fileChangeText, newId, recipientColour, sendBlockers, validRemindDays, withoutSignature } from './fields'
import type { PacketDraft, SignField } from '../api/types'

const field = (id: string, type: SignField['type'], recipientId: string): SignField => ({
  id, type, recipientId, box: { page: 0, x: 0, y: 0, w: 0.3, h: 0.05 },
})

const draft = (over: Partial<PacketDraft> = {}): PacketDraft => ({
  id: '', clientId: 'c1', fileId: 'f1', title: 'Letter', ordered: false, due: '', remindDays: 0, subject: '', message: '',
  recipients: [
    { id: 'p1', name: 'Jane Doe', email: 'jane@x.test' },
    { id: 'r2', name: 'Ann Adviser', email: 'ann@y.test' },
  ],
  fields: [field('a', 'signature', 'p1'), field('b', 'initials', 'r2')],
  ...over,
})

describe('sendBlockers', () => {
  it.each([
    ['nothing missing', draft({ fields: [field('a', 'signature', 'p1'), field('b', 'signature', 'r2')] }), []],
    ['initials are not a signature', draft(), ['Ann Adviser has no signature field.']],
    ['no recipients', draft({ recipients: [], fields: [] }), ['Add at least one recipient.']],
    ['no name', draft({ title: '  ', recipients: [], fields: [] }), ['Give the document a name.', 'Add at least one recipient.']],
    [
      'reminders out of range',
      draft({ remindDays: 31, fields: [field('a', 'signature', 'p1'), field('b', 'signature', 'r2')] }),
      ['Reminders are every 1 to 30 days, or 0 for none.'],
    ],
  ])('%s', (_name, d, want) => expect(sendBlockers(d)).toEqual(want))

  it('names who lacks a signature field', () => {
    expect(withoutSignature(draft({ fields: [] })).map((r) => r.id)).toEqual(['p1', 'r2'])
  })
})

describe('editor helpers', () => {
  it.each([
    [0, true],
    [7, true],
    [30, true],
    [31, false],
    [-1, false],
    [1.5, false],
    [null, false],
  ])('remind every %s days is allowed: %s', (n, ok) => expect(validRemindDays(n)).toBe(ok))

  it('gives ids of their own, with or without randomUUID', () => {
    const ids = new Set(Array.from({ length: 50 }, newId))
    expect(ids.size).toBe(50)
    const real = crypto.randomUUID
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true })
      expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: real, configurable: true })
    }
  })

  it('labels fields and gives each recipient a colour, cycling', () => {
    expect(fieldLabel('initials')).toBe('Initials')
    expect(recipientColour(0)).not.toBe(recipientColour(1))
    expect(recipientColour(8)).toBe(recipientColour(0))
  })
})

describe('fileChangeText says how the file of a sent request changed', () => {
  const on = (...pages: number[]) => pages.map((page) => ({ box: { page, x: 0, y: 0, w: 0.1, h: 0.1 } }))
  it.each([
    ['the same page count: nothing to say', 2, 2, on(0, 1), ''],
    ['the page count unknown: nothing to say', 0, 2, on(0, 1), ''],
    [
      'more pages now',
      1,
      3,
      on(0),
      'The file has changed since this request was sent: it had 1 page and now has 3. ' +
        'The fields are shown where they were placed, on the pages as they are now.',
    ],
    [
      'fewer pages now, one field off the end',
      3,
      2,
      on(0, 2),
      'The file has changed since this request was sent: it had 3 pages and now has 2. ' +
        'The fields are shown where they were placed, on the pages as they are now. ' +
        'One field is on a page the file no longer has; it is only in the list of fields.',
    ],
    ['fields off the end, page count unknown', 0, 1, on(1, 2), '2 fields are on pages the file no longer has; they are only in the list of fields.'],
  ])('%s', (_name, sent, now, fields, want) => expect(fileChangeText(sent, now, fields)).toBe(want))
})
