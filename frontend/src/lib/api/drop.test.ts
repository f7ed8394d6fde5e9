// The drop wrapper asks Wails for drops on drop targets only, and lets go of them again.
import { describe, it, expect, vi, afterEach } from 'vitest'
import { onFileDrop } from './drop'

const w = window as unknown as Record<string, unknown>

afterEach(() => {
  delete w.runtime
})

describe('onFileDrop', () => {
  it('listens on drop targets only and stops on unsubscribe', () => {
    let wailsCb: (x: number, y: number, paths: string[] | null) => void = () => {}
    const runtime = {
      OnFileDrop: vi.fn((cb: typeof wailsCb) => (wailsCb = cb)),
      OnFileDropOff: vi.fn(),
    }
    w.runtime = runtime
    const cb = vi.fn()

    const off = onFileDrop(cb)
    expect(runtime.OnFileDrop).toHaveBeenCalledWith(expect.any(Function), true)
    wailsCb(10, 20, ['/a.pdf'])
    wailsCb(10, 20, null)
    expect(cb).toHaveBeenNthCalledWith(1, 10, 20, ['/a.pdf'])
    expect(cb).toHaveBeenNthCalledWith(2, 10, 20, [])

    off()
    expect(runtime.OnFileDropOff).toHaveBeenCalledTimes(1)
  })

  it('is a no-op without the Wails runtime', () => {
    const off = onFileDrop(() => {})
    expect(() => off()).not.toThrow()
  })
})
