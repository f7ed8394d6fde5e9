// The wrappers reach Go through window.go.app.* and window.runtime, as Wails wires them.
import { describe, it, expect, vi, afterEach } from 'vitest'
import { listClients, getClient, createClient } from './clients'
import { signIn } from './session'
import { syncNow, syncStatus } from './sync'
import { onClientsChanged, onFilesChanged, onSyncStatus } from './events'

const w = window as unknown as Record<string, unknown>

afterEach(() => {
  delete w.go
  delete w.runtime
})

describe('api wrappers', () => {
  it('call the Wails bindings and normalise nulls', async () => {
    const List = vi.fn().mockResolvedValue(null)
    const Get = vi.fn().mockResolvedValue({ id: 'c1', name: 'A', people: null })
    const Create = vi.fn().mockRejectedValue('email a@b.c is already used by client Foo')
    const SignIn = vi.fn().mockResolvedValue(null)
    const Status = vi.fn().mockResolvedValue({ signedIn: true })
    w.go = { app: { Clients: { List, Get, Create }, Session: { SignIn, Status }, Sync: { SyncNow: vi.fn().mockResolvedValue(undefined) } } }

    expect(await listClients('q', true)).toEqual([])
    expect(List).toHaveBeenCalledWith('q', true)
    expect((await getClient('c1')).people).toEqual([])
    await expect(createClient({ name: 'x', people: [] })).rejects.toBe('email a@b.c is already used by client Foo')
    // SignIn without a result falls back to Status()
    expect(await signIn('https://p', 'e', 'pw')).toEqual({ signedIn: true })
    expect(SignIn).toHaveBeenCalledWith('https://p', 'e', 'pw')
    expect(await syncNow()).toBeNull()
  })

  it('reject (not throw) when the Go bridge is missing', async () => {
    await expect(syncStatus()).rejects.toBeInstanceOf(TypeError)
  })

  it('subscribe to events via the runtime and filter bad payloads', () => {
    const handlers: Record<string, (...d: unknown[]) => void> = {}
    const off = vi.fn()
    w.runtime = {
      EventsOnMultiple: vi.fn((name: string, cb: (...d: unknown[]) => void, max: number) => {
        expect(max).toBe(-1)
        handlers[name] = cb
        return off
      }),
    }
    const onStatus = vi.fn()
    const onChanged = vi.fn()
    expect(onSyncStatus(onStatus)).toBe(off)
    onClientsChanged(onChanged)
    handlers['sync:status']({ state: 'synced', pending: 0 })
    handlers['sync:status'](null)
    handlers['clients:changed']()
    expect(onStatus).toHaveBeenCalledTimes(1)
    expect(onChanged).toHaveBeenCalledTimes(1)
  })

  it('passes on the client ids of files:changed and ignores other payloads', () => {
    let handler: (...d: unknown[]) => void = () => {}
    const EventsOnMultiple = vi.fn((_name: string, cb: (...d: unknown[]) => void) => {
      handler = cb
      return () => {}
    })
    w.runtime = { EventsOnMultiple }
    const cb = vi.fn()
    onFilesChanged(cb)
    expect(EventsOnMultiple).toHaveBeenCalledWith('files:changed', expect.any(Function), -1)
    handler(['c1', 2, 'c2'])
    handler(null)
    expect(cb).toHaveBeenCalledTimes(1)
    expect(cb).toHaveBeenCalledWith(['c1', 'c2'])
  })

  it('events are a no-op without the runtime', () => {
    const off = onClientsChanged(() => {})
    expect(() => off()).not.toThrow()
  })
})
