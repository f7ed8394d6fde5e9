import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { filesModuleStub } from '../../test-mocks'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import type { ClientSummary } from '../api/types'

vi.mock('../api/clients', () => ({ listClients: vi.fn() }))
vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/events', () => ({ onClientsChanged: vi.fn(), onSyncStatus: vi.fn(() => () => {}) }))

import { listClients } from '../api/clients'
import { onClientsChanged } from '../api/events'
import { listUnmatched } from '../api/files'
import ClientsScreen from './ClientsScreen.svelte'

const rows: ClientSummary[] = [
  { id: 'c1', name: 'Jane Doe', email: 'jane@x.com', phone: '555-0100', portalStatus: 'active', archived: false, updatedAt: '' },
  { id: 'c2', name: 'Foo Ltd', email: '', phone: '', portalStatus: 'none', archived: false, updatedAt: '' },
]

let clientsChanged: () => void = () => {}

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(listClients).mockResolvedValue(rows)
  vi.mocked(listUnmatched).mockResolvedValue([])
  vi.mocked(onClientsChanged).mockImplementation((cb) => {
    clientsChanged = cb
    return () => {}
  })
})

afterEach(() => {
  vi.useRealTimers()
})

function renderScreen() {
  const onOpen = vi.fn()
  const onNew = vi.fn()
  const onReviewLibrary = vi.fn()
  render(ClientsScreen, { onOpen, onNew, onReviewLibrary })
  return { onOpen, onNew, onReviewLibrary }
}

describe('ClientsScreen', () => {
  it('loads and renders rows with the portal status', async () => {
    renderScreen()
    expect(listClients).toHaveBeenCalledWith('', false)
    const table = await screen.findByRole('table')
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent)
    expect(headers).toEqual(['Name', 'Email', 'Phone', 'Client Portal'])
    const jane = screen.getByRole('row', { name: /Jane Doe/ })
    expect(jane).toHaveTextContent('jane@x.com')
    expect(jane).toHaveTextContent('555-0100')
    expect(jane).toHaveTextContent('Active')
    expect(screen.getByRole('row', { name: /Foo Ltd/ })).toHaveTextContent('No portal')
  })

  it('debounces the search and calls List with the query', async () => {
    renderScreen()
    await screen.findByRole('table')
    vi.mocked(listClients).mockClear()
    vi.useFakeTimers()

    const search = screen.getByPlaceholderText('Search clients by name, email or phone')
    await fireEvent.input(search, { target: { value: 'ja' } })
    await vi.advanceTimersByTimeAsync(100)
    await fireEvent.input(search, { target: { value: 'jane' } })
    await vi.advanceTimersByTimeAsync(150)
    expect(listClients).not.toHaveBeenCalled()

    vi.mocked(listClients).mockResolvedValue([rows[0]])
    await vi.advanceTimersByTimeAsync(100)
    expect(listClients).toHaveBeenCalledTimes(1)
    expect(listClients).toHaveBeenCalledWith('jane', false)
    vi.useRealTimers()
    await waitFor(() => expect(screen.queryByText('Foo Ltd')).not.toBeInTheDocument())
    expect(screen.getByText('Jane Doe')).toBeInTheDocument()
  })

  it('includes archived clients when "Show archived" is checked', async () => {
    renderScreen()
    await screen.findByRole('table')
    await fireEvent.click(screen.getByLabelText('Show archived'))
    expect(listClients).toHaveBeenLastCalledWith('', true)
  })

  it('opens a record when a row is clicked', async () => {
    const { onOpen, onNew } = renderScreen()
    await fireEvent.click(await screen.findByText('555-0100'))
    expect(onOpen).toHaveBeenCalledWith('c1')
    await fireEvent.click(screen.getByRole('button', { name: 'Foo Ltd' }))
    expect(onOpen).toHaveBeenLastCalledWith('c2')
    expect(onOpen).toHaveBeenCalledTimes(2)
    await fireEvent.click(screen.getByRole('button', { name: 'New client' }))
    expect(onNew).toHaveBeenCalled()
  })

  it('makes each client row a drop target for files', async () => {
    renderScreen()
    await screen.findByRole('table')
    const jane = screen.getByRole('row', { name: /Jane Doe/ })
    expect(jane).toHaveAttribute('data-client-id', 'c1')
    expect(jane).toHaveAttribute('data-client-name', 'Jane Doe')
    expect(jane.style.getPropertyValue('--wails-drop-target')).toBe('drop')
    expect(screen.getByText(/Drag files from Explorer or Finder onto a client/)).toBeInTheDocument()
  })

  it('shows an empty state', async () => {
    vi.mocked(listClients).mockResolvedValue([])
    renderScreen()
    expect(await screen.findByText('No clients yet.')).toBeInTheDocument()
  })

  it('shows a Go error string in an alert', async () => {
    vi.mocked(listClients).mockRejectedValue('database is locked')
    renderScreen()
    expect(await screen.findByRole('alert')).toHaveTextContent('Database is locked')
  })

  it('reloads on clients:changed', async () => {
    renderScreen()
    await screen.findByRole('table')
    vi.mocked(listClients).mockResolvedValue([...rows, { ...rows[0], id: 'c3', name: 'New Person' }])
    clientsChanged()
    expect(await screen.findByText('New Person')).toBeInTheDocument()
  })

  it('says when library folders wait for review and opens the review', async () => {
    vi.mocked(listUnmatched).mockResolvedValue([
      { folder: 'Doe, Jane', clientId: 'c1', clientName: 'Jane Doe', files: 12 },
      { folder: 'Old scans', clientId: '', clientName: '', files: 1 },
    ])
    const { onReviewLibrary } = renderScreen()
    expect(await screen.findByText(/2 folders in your library wait for review/)).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Review folders' }))
    expect(onReviewLibrary).toHaveBeenCalledTimes(1)
  })

  it('shows no library banner when every folder belongs to a client', async () => {
    renderScreen()
    await screen.findByRole('table')
    expect(listUnmatched).toHaveBeenCalled()
    expect(screen.queryByText(/wait for review/)).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Review folders' })).not.toBeInTheDocument()
  })

  it('shows no library banner when the library cannot be read', async () => {
    vi.mocked(listUnmatched).mockRejectedValue('files: not signed in')
    renderScreen()
    await screen.findByRole('table')
    await waitFor(() => expect(listUnmatched).toHaveBeenCalled())
    expect(screen.queryByText(/waits? for review/)).not.toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })
})
