import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'
import { portalModuleStub } from '../../test-mocks'

vi.mock('../api/portal', (orig) => portalModuleStub(orig))
vi.mock('../api/events', () => ({ onClientsChanged: vi.fn(() => () => {}) }))

import { clientPortals, inviteBulk } from '../api/portal'
import ManagePortalsScreen from './ManagePortalsScreen.svelte'

const rows = [
  { clientId: 'c1', name: 'Alpha', email: 'a@x.com', portalStatus: 'none' },
  { clientId: 'c2', name: 'Beta', email: '', portalStatus: 'none' },
]

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(clientPortals).mockResolvedValue(rows)
})

describe('ManagePortalsScreen', () => {
  it('shows clients without a portal, selects all shown and sends the invite', async () => {
    vi.mocked(inviteBulk).mockResolvedValue({ queued: 1, skipped: ['Beta'] })
    render(ManagePortalsScreen)
    await screen.findByText('Alpha')
    expect(clientPortals).toHaveBeenCalledWith('without', '')
    const send = screen.getByRole('button', { name: /Send Invite/ })
    expect(send).toBeDisabled()
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown' }))
    expect(screen.getByRole('checkbox', { name: 'Select Beta' })).toBeChecked()
    await fireEvent.click(screen.getByRole('button', { name: 'Send Invite (2)' }))
    await waitFor(() => expect(inviteBulk).toHaveBeenCalledWith(['c1', 'c2']))
    expect(await screen.findByRole('status')).toHaveTextContent('Invitations queued for 1 client.')
    expect(screen.getByText(/primary contact has no email address: Beta/)).toBeInTheDocument()
  })

  it('filters by portal state', async () => {
    render(ManagePortalsScreen)
    await screen.findByText('Alpha')
    await fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'with' } })
    await waitFor(() => expect(clientPortals).toHaveBeenLastCalledWith('with', ''))
  })
})
