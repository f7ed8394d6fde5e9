import { describe, it, expect, vi, beforeEach } from 'vitest'
import { filesModuleStub, portalModuleStub } from './test-mocks'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'

vi.mock('./lib/api/help', () => ({ helpLinks: vi.fn(async () => []), saveHelpLinks: vi.fn() }))
vi.mock('./lib/api/schedule', () => ({
  getSchedule: vi.fn(async () => ({ enabled: false, timeZone: 'UTC', weekly: [], types: [], cancelHours: 24, horizonDays: 30 })),
  saveSchedule: vi.fn(),
  upcomingBookings: vi.fn(async () => []),
}))
vi.mock('./lib/api/portal', (orig) => portalModuleStub(orig))
vi.mock('./lib/api/files', (orig) => filesModuleStub(orig))
vi.mock('./lib/api/session', () => ({ sessionStatus: vi.fn(), signIn: vi.fn(), signOut: vi.fn() }))
vi.mock('./lib/api/desktop', () => ({
  startAtLogin: vi.fn(async () => false),
  setStartAtLogin: vi.fn(),
  libraryFolder: vi.fn(async () => ''),
}))
vi.mock('./lib/api/sync', () => ({ syncStatus: vi.fn(), syncNow: vi.fn() }))
vi.mock('./lib/api/events', () => ({
  onSyncStatus: vi.fn(() => () => {}),
  onClientsChanged: vi.fn(() => () => {}),
  onPortalChanged: vi.fn(() => () => {}),
  onSessionChanged: vi.fn(() => () => {}),
}))
vi.mock('./lib/api/clients', () => ({
  listClients: vi.fn(),
  getClient: vi.fn(),
  createClient: vi.fn(),
  updateClient: vi.fn(),
  archiveClient: vi.fn(),
  unarchiveClient: vi.fn(),
}))

import { sessionStatus } from './lib/api/session'
import { syncStatus } from './lib/api/sync'
import { getClient, listClients } from './lib/api/clients'
import { listUnmatched } from './lib/api/files'
import App from './App.svelte'

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(sessionStatus).mockResolvedValue({
    signedIn: true, portalURL: 'https://p', email: 'e@x.com', firmName: 'Acme CPA', staffName: 'Sam', problem: '',
  })
  vi.mocked(syncStatus).mockResolvedValue({ state: 'synced', online: true, pending: 0, failed: 0, lastSync: '', lastError: '' })
  vi.mocked(listClients).mockResolvedValue([
    { id: 'c1', name: 'Jane Doe', email: 'jane@x.com', phone: '', portalStatus: 'none', archived: false, updatedAt: '' },
  ])
  vi.mocked(getClient).mockResolvedValue({
    id: 'c1', name: 'Jane Doe', archived: false, portalStatus: 'none', createdAt: '', updatedAt: '', people: [],
  })
})

describe('App shell', () => {
  it('navigates between clients, a record, a new client and settings', async () => {
    render(App)
    expect(screen.getByTestId('sync-status')).toBeInTheDocument()
    expect(await screen.findByText('Acme CPA')).toBeInTheDocument()

    await fireEvent.click(await screen.findByRole('button', { name: 'Jane Doe' }))
    expect(await screen.findByRole('heading', { name: 'Jane Doe' })).toBeInTheDocument()
    expect(screen.getByText('No portal')).toBeInTheDocument()

    await fireEvent.click(screen.getByRole('link', { name: /Back to clients/ }))
    await fireEvent.click(await screen.findByRole('button', { name: 'New client' }))
    expect(screen.getByRole('heading', { name: 'New client' })).toBeInTheDocument()
    expect(screen.getByLabelText('Client name')).toHaveValue('')

    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }))
    expect(await screen.findByRole('heading', { name: 'Portal connection' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-current', 'page')
  })

  it('opens Settings at the library folders from the Clients banner', async () => {
    vi.mocked(listUnmatched).mockResolvedValue([{ folder: 'Doe, Jane', clientId: 'c1', clientName: 'Jane Doe', files: 2 }])
    render(App)
    expect(await screen.findByText(/1 folder in your library waits for review/)).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Review folders' }))
    expect(screen.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-current', 'page')
    const heading = await screen.findByRole('heading', { name: 'Library folders' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(await screen.findByLabelText('Client for Doe, Jane')).toHaveValue('c1')
  })
})
