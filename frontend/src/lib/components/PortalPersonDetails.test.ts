import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'
import { portalModuleStub } from '../../test-mocks'
import type { PortalPerson } from '../api/types'

vi.mock('../api/portal', (orig) => portalModuleStub(orig))

import { removeAccess, resendInvitation } from '../api/portal'
import PortalPersonDetails from './PortalPersonDetails.svelte'

const base: PortalPerson = {
  id: 'u1', email: 'jane@x.com', name: 'Jane Doe', state: 'invited', secondFactor: 'email', display: 'expired',
  removalQueued: false, linkAskedAt: '2026-11-20T10:00:00Z',
  invitations: [
    { sentAt: '2026-11-01T10:00:00Z', expiresAt: '2026-11-15T10:00:00Z', state: 'pending' },
    { sentAt: '2026-10-01T10:00:00Z', expiresAt: '2026-10-15T10:00:00Z', state: 'revoked' },
  ],
}

beforeEach(() => vi.clearAllMocks())

describe('PortalPersonDetails', () => {
  it('lists every sending and resends', async () => {
    const onChanged = vi.fn()
    render(PortalPersonDetails, { clientId: 'c1', person: base, onChanged })
    expect(screen.getAllByRole('listitem')).toHaveLength(2)
    expect(screen.getByText(/expired$/)).toBeInTheDocument()
    expect(screen.getByText(/replaced or withdrawn/)).toBeInTheDocument()
    expect(screen.getByText(/Asked for a new invitation link/)).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Resend' }))
    await waitFor(() => expect(onChanged).toHaveBeenCalled())
    expect(resendInvitation).toHaveBeenCalledWith('c1', 'jane@x.com')
  })

  it('says an invitation was not delivered, and why', () => {
    const person: PortalPerson = { ...base, display: 'undelivered', linkAskedAt: undefined, invitations: [
      { sentAt: '2026-11-01T10:00:00Z', expiresAt: '2099-11-15T10:00:00Z', state: 'undelivered', error: '550 5.1.1 no such user' }] }
    render(PortalPersonDetails, { clientId: 'c1', person, onChanged: vi.fn() })
    expect(screen.getByText('Invitation not delivered')).toBeInTheDocument()
    expect(screen.getByText(/not delivered \(the mail server said: 550 5.1.1 no such user\); check the address and resend/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Resend' })).toBeInTheDocument()
  })

  it('asks before removing access', async () => {
    const onChanged = vi.fn()
    render(PortalPersonDetails, { clientId: 'c1', person: { ...base, display: 'active', state: 'active' }, onChanged })
    expect(screen.queryByRole('button', { name: 'Resend' })).toBeNull()
    await fireEvent.click(screen.getByRole('button', { name: 'Remove access' }))
    expect(removeAccess).not.toHaveBeenCalled()
    expect(screen.getByText(/signed out everywhere/)).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, remove access' }))
    await waitFor(() => expect(removeAccess).toHaveBeenCalledWith('c1', 'jane@x.com'))
    expect(onChanged).toHaveBeenCalled()
  })
})
