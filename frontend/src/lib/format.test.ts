import { describe, it, expect } from 'vitest'
import { localDate, portalStatusLabel, relativeTime, syncStateText, today } from './format'
import type { SyncStatus } from './api/types'

const s = (over: Partial<SyncStatus>): SyncStatus => ({
  state: 'synced', online: true, pending: 0, failed: 0, lastSync: '', lastError: '', ...over,
})

describe('format', () => {
  it('labels portal status', () => {
    expect(portalStatusLabel('none')).toBe('No portal')
    expect(portalStatusLabel('')).toBe('No portal')
    expect(portalStatusLabel('active')).toBe('Active')
    expect(portalStatusLabel('pending_invite')).toBe('Pending invite')
  })

  it('describes sync state', () => {
    expect(syncStateText(s({}))).toBe('Synced')
    expect(syncStateText(s({ state: 'pending', pending: 3 }))).toBe('3 pending')
    expect(syncStateText(s({ state: 'offline' }))).toBe('Offline')
    expect(syncStateText(s({ state: 'error' }))).toBe('Sync error')
    expect(syncStateText(s({ state: 'signed-out' }))).toBe('Not signed in')
  })

  it('formats relative times', () => {
    const now = Date.parse('2024-05-01T12:00:00Z')
    expect(relativeTime('', now)).toBe('')
    expect(relativeTime('2024-05-01T11:59:50Z', now)).toBe('just now')
    expect(relativeTime('2024-05-01T11:55:00Z', now)).toBe('5 min ago')
    expect(relativeTime('2024-05-01T09:00:00Z', now)).toBe('3 h ago')
    expect(relativeTime('2024-04-20T09:00:00Z', now)).not.toBe('')
  })
})

describe('days', () => {
  it('shows a YYYY-MM-DD day in the local style and nothing for other text', () => {
    expect(localDate('2026-12-01')).toBe(new Date(2026, 11, 1).toLocaleDateString(undefined, { dateStyle: 'medium' }))
    expect(localDate('')).toBe('')
    expect(localDate('2026-02-30')).toBe('')
    expect(localDate('1 Dec 2026')).toBe('')
  })

  it('tells today as YYYY-MM-DD on this computer', () => {
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05')
  })
})
