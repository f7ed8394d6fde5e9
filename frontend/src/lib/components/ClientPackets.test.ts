import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import axe from 'axe-core'
import { esignModuleStub, filesModuleStub } from '../../test-mocks'
import type { PacketView } from '../api/types'

vi.mock('../api/esign', (orig) => esignModuleStub(orig))
vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/events', () => ({ onPacketsChanged: vi.fn() }))

import { discardDraft, listPackets, voidPacket } from '../api/esign'
import { onPacketsChanged } from '../api/events'
import { openFile } from '../api/files'
import { localDate, localDateTime } from '../format'
import ClientPackets from './ClientPackets.svelte'

const jane = { id: 'p1', name: 'Jane Doe', email: 'jane@x.test' }
const john = { id: 'p2', name: 'John Doe', email: 'john@x.test' }

function packet(over: Partial<PacketView>): PacketView {
  return {
    id: 'k', clientId: 'c1', fileId: 'f1', title: 'Letter', recipients: [jane], fields: [], ordered: false, due: '',
    remindDays: 0, subject: '', message: '', state: 'sent', signers: [], todoId: '', signedFileId: '', reason: '', error: '',
    pages: 1, createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z', ...over,
  }
}

const draft = packet({ id: 'k1', title: 'Organizer 2026', state: 'draft', signers: [{ ...jane, state: 'draft' }] })
const queued = packet({ id: 'k2', title: 'Form 8879', state: 'queued', due: '2026-12-15', signers: [{ ...jane, state: 'queued' }] })
const refused = packet({ id: 'k3', title: 'Form 8453', state: 'queued', error: 'the client has no portal account' })
const sent = packet({
  id: 'k4', title: 'Engagement letter', state: 'sent', ordered: true, sentAt: '2026-11-02T09:00:00Z', recipients: [jane, john],
  signers: [
    { ...jane, state: 'viewed', viewedAt: '2026-11-02T10:00:00Z' },
    { ...john, state: 'waiting' },
  ],
})
const completed = packet({
  id: 'k5', title: 'Consent 7216', state: 'completed', signedFileId: 'sf1',
  signers: [{ ...jane, state: 'signed', viewedAt: '2026-11-02T10:00:00Z', signedAt: '2026-11-03T15:30:00Z' }],
})
const declined = packet({ id: 'k6', title: 'Fee letter', state: 'declined', reason: 'the fee is wrong', signers: [{ ...jane, state: 'declined' }] })
const voided = packet({ id: 'k7', title: 'Old letter', state: 'voided', reason: 'sent the wrong year' })
const expired = packet({ id: 'k8', title: 'POA 2848', state: 'expired' })
const unsealed = packet({
  id: 'k9', title: 'Form 8821', state: 'sent', signers: [{ ...jane, state: 'signed' }],
  error: 'Everyone signed, but the portal could not seal the document yet: the timestamp authority did not answer',
})

let changed: (ids: string[] | null) => void = () => {}

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(listPackets).mockResolvedValue([draft, queued, refused, sent, completed, declined, voided, expired, unsealed])
  vi.mocked(onPacketsChanged).mockImplementation((cb) => {
    changed = cb
    return () => {}
  })
})

const item = (title: string) => screen.getByRole('heading', { name: title }).closest('li')!

async function renderPackets() {
  const onedit = vi.fn()
  const result = render(ClientPackets, { clientId: 'c1', onedit })
  await screen.findByText('Organizer 2026')
  return { ...result, onedit }
}

describe('ClientPackets', () => {
  it('shows each request’s state in words, with a badge', async () => {
    await renderPackets()
    expect(listPackets).toHaveBeenCalledWith('c1')
    const state = (title: string) => item(title).querySelector('.packet-state')?.textContent
    const badge = (title: string) => item(title).querySelector('.badge')?.textContent
    expect(state('Organizer 2026')).toBe('Draft — not sent yet')
    expect(state('Form 8879')).toBe('Queued — goes out with the next sync')
    expect(badge('Form 8879')).toBe('Queued')
    expect(state('Form 8453')).toBe('Not sent: the client has no portal account')
    expect(state('Engagement letter')).toBe(`Sent ${localDateTime('2026-11-02T09:00:00Z')} — waiting for signatures`)
    expect(state('Consent 7216')).toBe('Completed — everyone signed')
    expect(badge('Consent 7216')).toBe('Completed')
    expect(state('Fee letter')).toBe('Declined: the fee is wrong')
    expect(state('Old letter')).toBe('Voided: sent the wrong year')
    expect(badge('Old letter')).toBe('Voided')
    expect(state('POA 2848')).toBe('Expired — the due date passed before everyone signed')
    expect(item('Form 8879')).toHaveTextContent(`Due ${localDate('2026-12-15')}`)
    // A seal the portal could not make yet says why, beside the state.
    expect(within(item('Form 8821')).getByRole('status')).toHaveTextContent('could not seal the document yet')
  })

  it('shows where each signer stands, with local times', async () => {
    await renderPackets()
    const signers = within(screen.getByRole('list', { name: 'Signers of Engagement letter' })).getAllByRole('listitem')
    expect(signers.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      `Jane Doe jane@x.test Viewed ${localDateTime('2026-11-02T10:00:00Z')}`,
      'John Doe john@x.test Waiting for an earlier signer',
    ])
    expect(within(item('Consent 7216')).getByText(`Signed ${localDateTime('2026-11-03T15:30:00Z')}`)).toBeInTheDocument()
    // Not sent yet: who it is for, without states that mean nothing yet.
    expect(item('Form 8879')).toHaveTextContent('For Jane Doe')
  })

  it('offers what can be done with each request', async () => {
    await renderPackets()
    const actions = (title: string) => within(item(title)).queryAllByRole('button').map((b) => b.textContent?.trim())
    expect(actions('Organizer 2026')).toEqual(['Edit draft', 'Discard draft'])
    expect(actions('Form 8879')).toEqual(['Void…'])
    expect(actions('Engagement letter')).toEqual(['Void…'])
    expect(actions('Consent 7216')).toEqual(['Open signed PDF'])
    expect(actions('Fee letter')).toEqual([])
    expect(actions('Old letter')).toEqual([])
  })

  it('offers to view the fields of every request that is no longer a draft', async () => {
    const onview = vi.fn()
    render(ClientPackets, { clientId: 'c1', onedit: vi.fn(), onview })
    await screen.findByText('Organizer 2026')
    const view = (title: string) => within(item(title)).queryByRole('button', { name: `View fields: ${title}` })
    expect(view('Organizer 2026')).toBeNull()
    for (const title of ['Form 8879', 'Form 8453', 'Engagement letter', 'Consent 7216', 'Fee letter', 'Old letter', 'POA 2848']) {
      expect(view(title)).toHaveTextContent('View fields')
    }
    expect(within(item('Consent 7216')).getAllByRole('button').map((b) => b.textContent?.trim())).toEqual([
      'View fields',
      'Open signed PDF',
    ])
    await fireEvent.click(view('Engagement letter')!)
    expect(onview).toHaveBeenCalledWith(sent)
  })

  it('voids a request with a reason after asking; a refusal stays in the form', async () => {
    vi.mocked(voidPacket)
      .mockRejectedValueOnce('the reason is too long (at most 500 characters)')
      .mockResolvedValueOnce({ ...sent, state: 'voided', reason: 'wrong year' })
    await renderPackets()
    await fireEvent.click(screen.getByRole('button', { name: 'Void: Engagement letter' }))
    expect(voidPacket).not.toHaveBeenCalled()
    const form = screen.getByRole('form', { name: 'Void Engagement letter' })
    expect(form).toHaveTextContent('The signers’ links stop working')
    const reason = within(form).getByLabelText('Reason (the signers see it)')
    await waitFor(() => expect(reason).toHaveFocus())

    await fireEvent.input(reason, { target: { value: 'wrong year' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Void request' }))
    expect(voidPacket).toHaveBeenCalledWith('k4', 'wrong year')
    expect(await within(form).findByRole('alert')).toHaveTextContent('The reason is too long (at most 500 characters)')
    expect(reason).toHaveValue('wrong year')

    vi.mocked(listPackets).mockResolvedValue([{ ...sent, state: 'voided', reason: 'wrong year' }])
    await fireEvent.click(within(form).getByRole('button', { name: 'Void request' }))
    expect(await screen.findByRole('status')).toHaveTextContent('Voided “Engagement letter”.')
    await waitFor(() => expect(item('Engagement letter').querySelector('.packet-state')).toHaveTextContent('Voided: wrong year'))
  })

  it('keeps the request when staff change their mind, and gives the focus back', async () => {
    await renderPackets()
    const button = screen.getByRole('button', { name: 'Void: Form 8879' })
    await fireEvent.click(button)
    await fireEvent.click(screen.getByRole('button', { name: 'Keep request' }))
    expect(screen.queryByRole('form')).not.toBeInTheDocument()
    await waitFor(() => expect(screen.getByRole('button', { name: 'Void: Form 8879' })).toHaveFocus())
    expect(voidPacket).not.toHaveBeenCalled()
  })

  it('discards a draft after asking, and edits one in the editor', async () => {
    const { onedit } = await renderPackets()
    await fireEvent.click(screen.getByRole('button', { name: 'Edit draft: Organizer 2026' }))
    expect(onedit).toHaveBeenCalledWith(draft)

    await fireEvent.click(screen.getByRole('button', { name: 'Discard draft: Organizer 2026' }))
    vi.mocked(listPackets).mockResolvedValue([queued])
    await fireEvent.click(screen.getByRole('button', { name: 'Discard draft' }))
    expect(discardDraft).toHaveBeenCalledWith('k1')
    expect(await screen.findByRole('status')).toHaveTextContent('Discarded the draft “Organizer 2026”.')
    await waitFor(() => expect(screen.queryByText('Organizer 2026')).not.toBeInTheDocument())
  })

  it('opens the signed PDF from the client’s files, and says why not', async () => {
    vi.mocked(openFile).mockRejectedValueOnce('no app opens .pdf files on this computer')
    await renderPackets()
    await fireEvent.click(screen.getByRole('button', { name: 'Open signed PDF: Consent 7216' }))
    expect(openFile).toHaveBeenCalledWith('sf1')
    expect(await screen.findByRole('alert')).toHaveTextContent('No app opens .pdf files on this computer')
  })

  it('reloads when requests of this client change, or of any client', async () => {
    await renderPackets()
    expect(listPackets).toHaveBeenCalledTimes(1)
    changed(['c2'])
    expect(listPackets).toHaveBeenCalledTimes(1)
    vi.mocked(listPackets).mockResolvedValue([{ ...sent, state: 'completed', signedFileId: 'sf2' }])
    changed(null)
    expect(listPackets).toHaveBeenCalledTimes(2)
    await waitFor(() => expect(item('Engagement letter').querySelector('.badge')).toHaveTextContent('Completed'))
    changed(['c1'])
    expect(listPackets).toHaveBeenCalledTimes(3)
  })

  it('says how to make a request when there is none', async () => {
    vi.mocked(listPackets).mockResolvedValue([])
    render(ClientPackets, { clientId: 'c1', onedit: vi.fn() })
    expect(await screen.findByText('No requests for signatures yet.')).toBeInTheDocument()
    expect(screen.getByText(/use “eSign Request…” on a PDF under Files/)).toBeInTheDocument()
  })

  it('has no accessibility violations axe can find, while voiding', async () => {
    const { container } = await renderPackets()
    await fireEvent.click(screen.getByRole('button', { name: 'Void: Engagement letter' }))
    const noCanvas = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
    noCanvas.mockRestore()
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(', ')}`)).toEqual([])
  })
})
