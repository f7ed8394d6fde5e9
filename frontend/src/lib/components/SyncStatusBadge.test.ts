import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, waitFor, fireEvent } from '@testing-library/svelte'
import type { SyncStatus } from '../api/types'

vi.mock('../api/sync', () => ({ syncStatus: vi.fn(), syncNow: vi.fn() }))
vi.mock('../api/events', () => ({ onSyncStatus: vi.fn(), onClientsChanged: vi.fn(() => () => {}) }))

import { syncStatus, syncNow } from '../api/sync'
import { onSyncStatus } from '../api/events'
import SyncStatusBadge from './SyncStatusBadge.svelte'

const base: SyncStatus = { state: 'synced', online: true, pending: 0, failed: 0, lastSync: '', lastError: '' }
let emit: (s: SyncStatus) => void = () => {}
const unsubscribe = vi.fn()

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(onSyncStatus).mockImplementation((cb) => {
    emit = cb
    return unsubscribe
  })
})

async function renderWith(status: SyncStatus) {
  vi.mocked(syncStatus).mockResolvedValue(status)
  const result = render(SyncStatusBadge)
  const badge = screen.getByTestId('sync-status')
  await waitFor(() => expect(badge).toHaveAttribute('data-state', status.state))
  return { ...result, badge }
}

describe('SyncStatusBadge', () => {
  it('shows Synced with the last sync time', async () => {
    const { badge } = await renderWith({ ...base, lastSync: new Date(Date.now() - 5 * 60_000).toISOString() })
    expect(badge).toHaveTextContent('Synced')
    expect(badge).toHaveTextContent('Last sync 5 min ago')
  })

  it('shows the pending count', async () => {
    const { badge } = await renderWith({ ...base, state: 'pending', pending: 3 })
    expect(badge).toHaveTextContent('3 pending')
  })

  it('shows Offline', async () => {
    const { badge } = await renderWith({ ...base, state: 'offline', online: false, pending: 2 })
    expect(badge).toHaveTextContent('Offline')
    expect(badge).toHaveTextContent('2 pending')
  })

  it('shows Sync error with the last error as text and title', async () => {
    const { badge } = await renderWith({ ...base, state: 'error', lastError: 'portal returned 500' })
    expect(badge).toHaveTextContent('Sync error')
    expect(badge).toHaveTextContent('portal returned 500')
    expect(badge.getAttribute('title')).toContain('portal returned 500')
  })

  it('shows Not signed in and disables Sync now', async () => {
    const { badge } = await renderWith({ ...base, state: 'signed-out' })
    expect(badge).toHaveTextContent('Not signed in')
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeDisabled()
  })

  it('says Never synced when lastSync is empty', async () => {
    const { badge } = await renderWith(base)
    expect(badge).toHaveTextContent('Never synced')
  })

  it('updates from sync:status events and unsubscribes on unmount', async () => {
    const { badge, unmount } = await renderWith(base)
    emit({ ...base, state: 'pending', pending: 7 })
    await waitFor(() => expect(badge).toHaveAttribute('data-state', 'pending'))
    expect(badge).toHaveTextContent('7 pending')
    unmount()
    expect(unsubscribe).toHaveBeenCalled()
  })

  it('polls Status every 5 seconds', async () => {
    vi.useFakeTimers()
    try {
      vi.mocked(syncStatus).mockResolvedValue(base)
      render(SyncStatusBadge)
      expect(syncStatus).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(5000)
      expect(syncStatus).toHaveBeenCalledTimes(2)
      await vi.advanceTimersByTimeAsync(5000)
      expect(syncStatus).toHaveBeenCalledTimes(3)
    } finally {
      vi.useRealTimers()
    }
  })

  it('Sync now calls SyncNow and shows a Go error string', async () => {
    await renderWith(base)
    vi.mocked(syncNow).mockRejectedValueOnce('portal unreachable')
    await fireEvent.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(syncNow).toHaveBeenCalledTimes(1)
    expect(await screen.findByRole('alert')).toHaveTextContent('Portal unreachable')
  })
})
