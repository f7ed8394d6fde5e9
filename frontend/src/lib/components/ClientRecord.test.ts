import { describe, it, expect, vi, beforeEach } from 'vitest'
import { esignModuleStub, filesModuleStub, portalModuleStub } from '../../test-mocks'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import type { Client } from '../api/types'

vi.mock('../api/portal', (orig) => portalModuleStub(orig))
vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/esign', (orig) => esignModuleStub(orig))
vi.mock('../esign/pdf', () => ({
  openPdf: vi.fn(async () => ({ pageCount: 1, render: () => ({ done: Promise.resolve(), cancel() {} }), destroy() {} })),
}))
vi.mock('../api/clients', () => ({
  getClient: vi.fn(),
  createClient: vi.fn(),
  updateClient: vi.fn(),
  archiveClient: vi.fn(),
  unarchiveClient: vi.fn(),
}))
vi.mock('../api/events', () => ({ onClientsChanged: vi.fn(() => () => {}),
  onPortalChanged: vi.fn(() => () => {}), onSyncStatus: vi.fn(() => () => {}), onFilesChanged: vi.fn(() => () => {}),
  onPacketsChanged: vi.fn(() => () => {}) }))

import { archiveClient, createClient, getClient, unarchiveClient, updateClient } from '../api/clients'
import { listFiles } from '../api/files'
import { listPackets, openDocument, sendPacket } from '../api/esign'
import type { FileView, PacketView } from '../api/types'
import ClientRecord from './ClientRecord.svelte'

const existing: Client = {
  id: 'c1',
  name: 'Doe Household',
  archived: false,
  portalStatus: 'invited',
  createdAt: '2024-01-01T10:00:00Z',
  updatedAt: '2024-01-02T10:00:00Z',
  people: [
    { id: 'p1', role: 'primary', name: 'Jane Doe', email: 'jane@x.com', phone: '555-0100' },
    { id: 'p2', role: 'spouse', name: 'John Doe', email: 'john@x.com', phone: '' },
  ],
}

beforeEach(() => {
  vi.clearAllMocks()
})

function renderRecord(id: string | null) {
  const onBack = vi.fn()
  const onCreated = vi.fn()
  render(ClientRecord, { id, onBack, onCreated })
  return { onBack, onCreated }
}

function person(n: number) {
  return within(screen.getByRole('group', { name: `Person ${n}` }))
}

async function type(el: HTMLElement, value: string) {
  await fireEvent.input(el, { target: { value } })
}

describe('ClientRecord (new client)', () => {
  it('sends exactly the entered client and people to Create', async () => {
    vi.mocked(createClient).mockResolvedValue({ ...existing, id: 'new1' })
    const { onCreated } = renderRecord(null)

    await type(screen.getByLabelText('Client name'), '  Smith Family ')
    await type(person(1).getByLabelText('Name'), 'Ann Smith')
    await type(person(1).getByLabelText('Email'), 'ann@smith.com')
    await type(person(1).getByLabelText('Phone'), '555-0199')

    await fireEvent.click(screen.getByRole('button', { name: 'Add person' }))
    expect(person(2).getByLabelText('Role')).toHaveValue('contact')
    await fireEvent.change(person(2).getByLabelText('Role'), { target: { value: 'spouse' } })
    await type(person(2).getByLabelText('Name'), 'Bob Smith')

    await fireEvent.click(screen.getByRole('button', { name: 'Add person' }))
    await type(person(3).getByLabelText('Name'), 'Removed Later')
    await fireEvent.click(person(3).getByRole('button', { name: 'Remove' }))
    expect(screen.queryByRole('group', { name: 'Person 3' })).not.toBeInTheDocument()

    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))

    expect(createClient).toHaveBeenCalledTimes(1)
    expect(createClient).toHaveBeenCalledWith({
      name: 'Smith Family',
      people: [
        { role: 'primary', name: 'Ann Smith', email: 'ann@smith.com', phone: '555-0199' },
        { role: 'spouse', name: 'Bob Smith', email: '', phone: '' },
      ],
    })
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('new1'))
  })

  it('shows a Go error string in an alert and keeps the input', async () => {
    vi.mocked(createClient).mockRejectedValue('email jane@x.com is already used by client Foo')
    const { onCreated } = renderRecord(null)

    await type(screen.getByLabelText('Client name'), 'Jane Again')
    await type(person(1).getByLabelText('Name'), 'Jane')
    await type(person(1).getByLabelText('Email'), 'jane@x.com')
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Email jane@x.com is already used by client Foo')
    expect(screen.getByLabelText('Client name')).toHaveValue('Jane Again')
    expect(person(1).getByLabelText('Name')).toHaveValue('Jane')
    expect(person(1).getByLabelText('Email')).toHaveValue('jane@x.com')
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled()
    expect(onCreated).not.toHaveBeenCalled()
  })

  it('shows Error objects too', async () => {
    vi.mocked(createClient).mockRejectedValue(new Error('invalid email address: nope'))
    renderRecord(null)
    await type(screen.getByLabelText('Client name'), 'X')
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('invalid email address: nope')
  })
})

describe('ClientRecord (existing client)', () => {
  it('loads the record, shows the portal status and sends Update with person ids', async () => {
    vi.mocked(getClient).mockResolvedValue(existing)
    vi.mocked(updateClient).mockImplementation(async (_id, input) => ({
      ...existing,
      name: input.name,
      people: [existing.people[0]],
    }))
    renderRecord('c1')

    expect(await screen.findByRole('heading', { name: 'Doe Household' })).toBeInTheDocument()
    expect(getClient).toHaveBeenCalledWith('c1')
    expect(screen.getByText('Invited')).toBeInTheDocument()
    expect(person(2).getByLabelText('Role')).toHaveValue('spouse')

    await fireEvent.click(person(2).getByRole('button', { name: 'Remove' }))
    await type(person(1).getByLabelText('Phone'), '555-0111')
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))

    expect(updateClient).toHaveBeenCalledWith('c1', {
      name: 'Doe Household',
      people: [{ id: 'p1', role: 'primary', name: 'Jane Doe', email: 'jane@x.com', phone: '555-0111' }],
    })
    expect(await screen.findByRole('status')).toHaveTextContent('Saved.')
  })

  it('archives and restores', async () => {
    vi.mocked(getClient).mockResolvedValueOnce(existing).mockResolvedValueOnce({ ...existing, archived: true })
    vi.mocked(archiveClient).mockResolvedValue(undefined)
    renderRecord('c1')

    await fireEvent.click(await screen.findByRole('button', { name: 'Archive' }))
    expect(archiveClient).toHaveBeenCalledWith('c1')
    expect(await screen.findByRole('button', { name: 'Restore' })).toBeInTheDocument()
    expect(screen.getByText(/This client is archived/)).toBeInTheDocument()

    vi.mocked(getClient).mockResolvedValueOnce(existing)
    await fireEvent.click(screen.getByRole('button', { name: 'Restore' }))
    expect(unarchiveClient).toHaveBeenCalledWith('c1')
    expect(await screen.findByRole('button', { name: 'Archive' })).toBeInTheDocument()
  })

  it('has a Files tab that takes files dropped for this client', async () => {
    vi.mocked(getClient).mockResolvedValue(existing)
    renderRecord('c1')
    await fireEvent.click(await screen.findByRole('tab', { name: 'Files' }))
    expect(screen.getByRole('tab', { name: 'Files' })).toHaveAttribute('aria-selected', 'true')
    expect(await screen.findByText('No files yet.')).toBeInTheDocument()
    expect(listFiles).toHaveBeenCalledWith('c1')
    const tab = screen.getByRole('region', { name: 'Files' })
    expect(tab).toHaveAttribute('data-client-id', 'c1')
    expect(tab).toHaveAttribute('data-client-name', 'Doe Household')
  })

  it('opens the eSign editor from a PDF under Files, and shows the request under eSign once sent', async () => {
    const pdf = { id: 'f1', clientId: 'c1', path: 'Letter.pdf', sha256: '', size: 1000, source: 'firm', addedBy: '', todoId: '',
      addedAt: '', state: 'synced', error: '', sent: 0, onPortal: true, name: 'Letter.pdf', dir: '', visible: true,
      fromClient: false } as FileView
    const view = { id: 'k1', clientId: 'c1', fileId: 'f1', title: 'Letter', recipients: [existing.people[0]], fields: [],
      ordered: false, due: '', remindDays: 0, subject: '', message: '', state: 'queued', signers: [], todoId: 't1',
      signedFileId: '', reason: '', error: '', pages: 1, createdAt: '', updatedAt: '' } as unknown as PacketView
    vi.mocked(getClient).mockResolvedValue(existing)
    vi.mocked(listFiles).mockResolvedValue([pdf])
    vi.mocked(openDocument).mockResolvedValue({ fileId: 'f1', name: 'Letter.pdf', pages: [{ w: 612, h: 792 }], pdf: 'JVBER' })
    vi.mocked(sendPacket).mockResolvedValue(view)
    vi.mocked(listPackets).mockResolvedValue([view])
    renderRecord('c1')
    await fireEvent.click(await screen.findByRole('tab', { name: 'Files' }))
    await fireEvent.click(await screen.findByRole('button', { name: 'eSign Request…' }))

    expect(openDocument).toHaveBeenCalledWith('f1')
    expect(await screen.findByLabelText('Document name')).toHaveValue('Letter')
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.getByRole('tab', { name: 'Files' })).toHaveAttribute('aria-selected', 'true')

    await fireEvent.click(await screen.findByRole('button', { name: 'eSign Request…' }))
    await screen.findByLabelText('Document name')
    await fireEvent.click(screen.getByRole('button', { name: 'Add recipient' })) // nothing typed: refused
    await fireEvent.input(screen.getByLabelText('Recipient name'), { target: { value: 'Jane Doe' } })
    await fireEvent.input(screen.getByLabelText('Recipient email'), { target: { value: 'jane@x.com' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add recipient' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Send Now' }))
    await fireEvent.click(await screen.findByRole('button', { name: 'Done' }))

    expect(screen.getByRole('tab', { name: 'eSign' })).toHaveAttribute('aria-selected', 'true')
    await waitFor(() => expect(screen.getByRole('tab', { name: 'eSign' })).toHaveFocus())
    expect(listPackets).toHaveBeenCalledWith('c1')
    expect(await screen.findByText('Queued — goes out with the next sync')).toBeInTheDocument()
  })

  it('shows a sent request read-only from the eSign tab, and comes back to it', async () => {
    const view = { id: 'k1', clientId: 'c1', fileId: 'f1', title: 'Letter', recipients: [existing.people[0]],
      fields: [{ id: 'x1', type: 'signature', recipientId: 'p1', box: { page: 0, x: 0.1, y: 0.8, w: 0.3, h: 0.05 } }],
      ordered: false, due: '', remindDays: 0, subject: 'Please sign', message: 'Hello', state: 'sent',
      signers: [{ ...existing.people[0], state: 'viewed' }], todoId: 't1', signedFileId: '', reason: '', error: '', pages: 1,
      createdAt: '', updatedAt: '' } as unknown as PacketView
    vi.mocked(getClient).mockResolvedValue(existing)
    vi.mocked(listPackets).mockResolvedValue([view])
    vi.mocked(openDocument).mockResolvedValue({ fileId: 'f1', name: 'Letter.pdf', pages: [{ w: 612, h: 792 }], pdf: 'JVBER' })
    renderRecord('c1')
    await fireEvent.click(await screen.findByRole('tab', { name: 'eSign' }))
    await fireEvent.click(await screen.findByRole('button', { name: 'View fields: Letter' }))

    expect(await screen.findByRole('heading', { name: /eSign request \(view only\)/ })).toBeInTheDocument()
    expect(openDocument).toHaveBeenCalledWith('f1')
    expect(screen.queryByRole('tablist')).not.toBeInTheDocument()
    await waitFor(() => expect(document.querySelector('[data-field-id="x1"]')).toHaveTextContent('Signature for Jane Doe, page 1'))
    // Shown, not a control.
    expect(screen.queryByRole('button', { name: 'Signature for Jane Doe, page 1' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Send Now' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Add Signature' })).not.toBeInTheDocument()

    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.getByRole('tab', { name: 'eSign' })).toHaveAttribute('aria-selected', 'true')
    await waitFor(() => expect(screen.getByRole('tab', { name: 'eSign' })).toHaveFocus())
  })

  it('has a back link to the list', async () => {
    vi.mocked(getClient).mockResolvedValue(existing)
    const { onBack } = renderRecord('c1')
    await fireEvent.click(screen.getByRole('link', { name: /Back to clients/ }))
    expect(onBack).toHaveBeenCalled()
  })
})

describe('ClientRecord (just created)', () => {
  it('says the client was created', async () => {
    vi.mocked(getClient).mockResolvedValue(existing)
    render(ClientRecord, { id: 'c1', created: true, onBack: vi.fn(), onCreated: vi.fn() })
    expect(await screen.findByRole('status')).toHaveTextContent('Client created.')
  })
})
