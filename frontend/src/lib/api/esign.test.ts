import { describe, it, expect, vi, afterEach } from 'vitest'
import {
  canVoid,
  defaultMessage,
  discardDraft,
  draftOf,
  dueText,
  getPacket,
  listPackets,
  openDocument,
  packetStateText,
  saveDraft,
  sendPacket,
  signerStateText,
  suggestedRecipients,
  voidPacket,
  type PacketDraft,
  type PacketView,
} from './esign'
import { onPacketsChanged } from './events'
import { localDate, localDateTime } from '../format'

const w = window as unknown as Record<string, unknown>

afterEach(() => {
  delete w.go
  delete w.runtime
})

const draft: PacketDraft = {
  id: '', clientId: 'c1', fileId: 'f1', title: 'Engagement letter',
  recipients: [{ id: 'p1', name: 'Jane Doe', email: 'jane@x.test' }],
  fields: [{ id: 'x1', type: 'signature', recipientId: 'p1', box: { page: 0, x: 0.35, y: 0.5, w: 0.3, h: 0.05 } }],
  ordered: false, due: '', remindDays: 0, subject: 'Please sign', message: 'Hello',
}

function view(over: Partial<PacketView> = {}): PacketView {
  return {
    ...draft, id: 'k1', state: 'queued', signers: [], todoId: '', signedFileId: '', reason: '', error: '', pages: 1,
    createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z', ...over,
  }
}

describe('esign wrappers', () => {
  it('call app.ESign with what they are given and turn Go nulls into lists', async () => {
    const ESign = {
      Open: vi.fn().mockResolvedValue({ fileId: 'f1', name: 'a.pdf', pages: null, pdf: '' }),
      Recipients: vi.fn().mockResolvedValue(null),
      Message: vi.fn().mockResolvedValue(['Please sign: Letter', 'Hello,\n\nPlease sign']),
      Save: vi.fn().mockResolvedValue(view({ state: 'draft', recipients: null as never, fields: null as never })),
      Send: vi.fn().mockResolvedValue(view()),
      Get: vi.fn().mockResolvedValue(view()),
      List: vi.fn().mockResolvedValue(null),
      Void: vi.fn().mockResolvedValue(view({ state: 'voided', reason: 'wrong year' })),
      Discard: vi.fn().mockResolvedValue(undefined),
    }
    w.go = { app: { ESign } }

    expect((await openDocument('f1')).pages).toEqual([])
    expect(ESign.Open).toHaveBeenCalledWith('f1')
    expect(await suggestedRecipients('c1')).toEqual([])
    expect(ESign.Recipients).toHaveBeenCalledWith('c1')
    expect(await defaultMessage('Letter')).toEqual({ subject: 'Please sign: Letter', message: 'Hello,\n\nPlease sign' })
    expect(ESign.Message).toHaveBeenCalledWith('Letter')

    const saved = await saveDraft(draft)
    expect(ESign.Save).toHaveBeenCalledWith(draft)
    expect(saved).toMatchObject({ recipients: [], fields: [], signers: [] })
    expect((await sendPacket(draft)).state).toBe('queued')
    expect(ESign.Send).toHaveBeenCalledWith(draft)
    expect((await getPacket('k1')).signers).toEqual([])
    expect(await listPackets('c1')).toEqual([])
    expect(ESign.List).toHaveBeenCalledWith('c1')
    expect((await voidPacket('k1', 'wrong year')).reason).toBe('wrong year')
    expect(ESign.Void).toHaveBeenCalledWith('k1', 'wrong year')
    await discardDraft('k1')
    expect(ESign.Discard).toHaveBeenCalledWith('k1')
  })

  it('pass on refusals in words', async () => {
    w.go = { app: { ESign: { Open: vi.fn().mockRejectedValue('a.pdf cannot be sent for signature: the PDF is encrypted') } } }
    await expect(openDocument('f1')).rejects.toBe('a.pdf cannot be sent for signature: the PDF is encrypted')
  })

  it('give a draft back to edit that does not share its lists with the view', () => {
    const v = view({ state: 'draft' })
    const d = draftOf(v)
    expect(d).toEqual({ ...draft, id: 'k1' })
    d.fields[0].box.x = 0.9
    expect(v.fields[0].box.x).toBe(0.35)
  })
})

describe('packet states in words', () => {
  it.each([
    [view({ state: 'draft' }), 'Draft — not sent yet'],
    [view({ state: 'queued' }), 'Queued — goes out with the next sync'],
    [view({ state: 'queued', error: 'the portal refused: client has no portal' }), 'Not sent: the portal refused: client has no portal'],
    [view({ state: 'sent' }), 'Sent — waiting for signatures'],
    [view({ state: 'sent', sentAt: '2026-11-02T09:00:00Z' }), `Sent ${localDateTime('2026-11-02T09:00:00Z')} — waiting for signatures`],
    [view({ state: 'completed' }), 'Completed — everyone signed'],
    [view({ state: 'declined', reason: 'amount is wrong' }), 'Declined: amount is wrong'],
    [view({ state: 'declined' }), 'Declined by a signer'],
    [view({ state: 'voided', reason: 'sent the wrong year' }), 'Voided: sent the wrong year'],
    [view({ state: 'expired' }), 'Expired — the due date passed before everyone signed'],
  ])('%#: %s', (v, text) => expect(packetStateText(v as PacketView)).toBe(text))

  it.each([
    [{ state: 'queued' }, 'Not sent yet'],
    [{ state: 'waiting' }, 'Waiting for an earlier signer'],
    [{ state: 'sent' }, 'Not opened yet'],
    [{ state: 'viewed', viewedAt: '2026-11-02T09:00:00Z' }, `Viewed ${localDateTime('2026-11-02T09:00:00Z')}`],
    [{ state: 'signed', signedAt: '2026-11-03T15:30:00Z' }, `Signed ${localDateTime('2026-11-03T15:30:00Z')}`],
    [{ state: 'declined' }, 'Declined'],
  ] as const)('a signer %o is “%s”', (s, text) => expect(signerStateText(s)).toBe(text))

  it('says the due date and which requests can be voided', () => {
    expect(dueText('2026-12-01')).toBe(`Due ${localDate('2026-12-01')}`)
    expect(dueText('')).toBe('')
    expect(['draft', 'queued', 'sent', 'completed', 'declined', 'voided', 'expired'].filter((s) => canVoid(s as never))).toEqual([
      'queued',
      'sent',
    ])
  })
})

describe('esign:changed', () => {
  it('passes on client ids, and null when the portal reported on any client', () => {
    let handler: (...d: unknown[]) => void = () => {}
    const EventsOnMultiple = vi.fn((_name: string, cb: (...d: unknown[]) => void) => {
      handler = cb
      return () => {}
    })
    w.runtime = { EventsOnMultiple }
    const cb = vi.fn()
    onPacketsChanged(cb)
    expect(EventsOnMultiple).toHaveBeenCalledWith('esign:changed', expect.any(Function), -1)
    handler(['c1', 7, 'c2'])
    handler(null)
    expect(cb.mock.calls).toEqual([[['c1', 'c2']], [null]])
  })
})
