import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import { portalModuleStub } from '../../test-mocks'
import type { Client } from '../api/types'

vi.mock('../api/portal', (orig) => portalModuleStub(orig))

import { invite, inviteTemplates } from '../api/portal'
import InviteDialog from './InviteDialog.svelte'

const client: Client = {
  id: 'c1', name: 'Doe Household', archived: false, portalStatus: 'none', createdAt: '', updatedAt: '',
  people: [
    { id: 'p1', role: 'primary', name: 'Jane Doe', email: 'jane@x.com', phone: '' },
    { id: 'p2', role: 'spouse', name: 'John Doe', email: 'john@x.com', phone: '' },
    { id: 'p3', role: 'contact', name: 'Kid Doe', email: '', phone: '555' },
  ],
}

const templates = [
  { id: 't1', name: 'Standard invitation', subject: '{firm} invites you', body: 'Hello {name}\n{link}', isDefault: true, updatedAt: '' },
  { id: 't2', name: 'Tax season', subject: 'Season', body: 'Hi {name}', isDefault: false, updatedAt: '' },
]

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(inviteTemplates).mockResolvedValue(templates)
})

describe('InviteDialog', () => {
  it('invites the checked people and someone else with the chosen template', async () => {
    const onSent = vi.fn()
    render(InviteDialog, { client, onSent, onClose: vi.fn() })
    const dialog = screen.getByRole('dialog', { name: 'Invite to Client Portal' })
    await waitFor(() => expect(within(dialog).getByRole('combobox')).toHaveValue('t1'))
    expect(screen.getByRole('checkbox', { name: /Jane Doe/ })).toBeChecked()
    expect(screen.getByRole('checkbox', { name: /Kid Doe/ })).toBeDisabled()
    await fireEvent.click(screen.getByRole('checkbox', { name: /John Doe/ })) // uncheck the spouse
    await fireEvent.click(screen.getByRole('button', { name: 'Add someone who is not a client' }))
    const other = within(screen.getByRole('group', { name: 'Someone else 1' }))
    await fireEvent.input(other.getByLabelText('Name'), { target: { value: 'Bea Books' } })
    await fireEvent.input(other.getByLabelText('Email'), { target: { value: 'bea@books.test' } })
    await fireEvent.change(screen.getByRole('combobox'), { target: { value: 't2' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    await waitFor(() => expect(onSent).toHaveBeenCalledWith(2))
    expect(invite).toHaveBeenCalledWith('c1', {
      people: [
        { personId: 'p1', name: 'Jane Doe', email: 'jane@x.com' },
        { personId: '', name: 'Bea Books', email: 'bea@books.test' },
      ],
      templateId: 't2', subject: '', message: '',
    })
  })

  it('sends a personal message and keeps everything when Go refuses it', async () => {
    vi.mocked(invite).mockRejectedValueOnce('unknown placeholder {first}: use {name}, {client}, {firm} or {link}')
    const onSent = vi.fn()
    render(InviteDialog, { client, onSent, onClose: vi.fn() })
    await waitFor(() => expect(screen.getByRole('combobox')).toHaveValue('t1'))
    await fireEvent.change(screen.getByRole('combobox'), { target: { value: 'personal' } })
    expect(screen.getByLabelText('Subject')).toHaveValue('{firm} invites you')
    await fireEvent.input(screen.getByLabelText('Personal message'), { target: { value: 'Dear {first}' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Unknown placeholder {first}')
    expect(screen.getByLabelText('Personal message')).toHaveValue('Dear {first}')
    expect(onSent).not.toHaveBeenCalled()
    expect(invite).toHaveBeenCalledWith('c1', expect.objectContaining({ templateId: '', subject: '{firm} invites you', message: 'Dear {first}' }))
  })

  it('does not pre-check people who already have access', async () => {
    render(InviteDialog, {
      client, onSent: vi.fn(), onClose: vi.fn(),
      already: [{ id: 'u1', email: 'JANE@x.com', name: 'Jane Doe', state: 'active', secondFactor: 'email', invitations: [], display: 'active', removalQueued: false }],
    })
    expect(screen.getByRole('checkbox', { name: /Jane Doe/ })).not.toBeChecked()
    expect(screen.getByRole('checkbox', { name: /John Doe/ })).toBeChecked()
  })
})
