import { describe, it, expect } from 'vitest'
import { fieldLabel, looksLikeEmail, newId, recipientColour, sendBlockers, validRemindDays, withoutSignature } from './fields'
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

  it.each([
    ['jane@x.test', true],
    [' jane@x.test ', true],
    ['jane', false],
    ['jane @x.test', false],
    ['<jane@x.test>', false],
  ])('%s looks like an email: %s', (s, ok) => expect(looksLikeEmail(s)).toBe(ok))

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
