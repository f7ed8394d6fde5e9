import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'

vi.mock('./api/files', async (orig) => ({ ...((await orig()) as object), addFiles: vi.fn() }))

import { addFiles, type FileView } from './api/files'
import { addDroppedFiles, droppedMessage, dropTargetAt } from './fileDrop'

const doc = document as unknown as { elementFromPoint?: (x: number, y: number) => Element | null }
let under: Element | null = null

beforeEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = `
    <table><tbody>
      <tr data-client-id="c1" data-client-name="Jane Doe"><td><button id="jane">Jane Doe</button></td></tr>
    </tbody></table>
    <section data-client-id="c2" data-client-name="Foo Ltd" data-drop-visible="false"><p id="foo">Files</p></section>
    <p id="nowhere">Settings</p>`
  doc.elementFromPoint = vi.fn(() => under)
  vi.mocked(addFiles).mockResolvedValue([{ id: 'f1' }, { id: 'f2' }] as FileView[])
})

afterEach(() => {
  delete doc.elementFromPoint
  document.body.innerHTML = ''
})

const at = (id: string) => (under = document.getElementById(id))

describe('dropTargetAt', () => {
  it('finds the client row under the pointer, visible by default', () => {
    at('jane')
    expect(dropTargetAt(5, 6)).toEqual({ clientId: 'c1', clientName: 'Jane Doe', visible: true })
    expect(doc.elementFromPoint).toHaveBeenCalledWith(5, 6)
  })

  it('takes the visibility the Files tab asks for', () => {
    at('foo')
    expect(dropTargetAt(1, 1)).toEqual({ clientId: 'c2', clientName: 'Foo Ltd', visible: false })
  })

  it('is null outside a client and without elementFromPoint', () => {
    at('nowhere')
    expect(dropTargetAt(1, 1)).toBeNull()
    delete doc.elementFromPoint
    expect(dropTargetAt(1, 1)).toBeNull()
  })
})

describe('addDroppedFiles', () => {
  it('adds the paths to the client under the pointer with its visibility', async () => {
    at('jane')
    const result = await addDroppedFiles(5, 6, ['/Users/sam/W-2.pdf', '/Users/sam/1099s'])
    expect(addFiles).toHaveBeenCalledWith('c1', ['/Users/sam/W-2.pdf', '/Users/sam/1099s'], true)
    expect(droppedMessage(result!, 2)).toBe('Added 2 files to Jane Doe.')

    at('foo')
    vi.mocked(addFiles).mockResolvedValue([{ id: 'f3' }] as FileView[])
    const hidden = await addDroppedFiles(5, 6, ['/x.pdf'])
    expect(addFiles).toHaveBeenLastCalledWith('c2', ['/x.pdf'], false)
    expect(droppedMessage(hidden!, 1)).toBe('Added 1 file to Foo Ltd (not shared with the client).')
  })

  it('does nothing when no client is under the pointer or nothing was dropped', async () => {
    at('nowhere')
    expect(await addDroppedFiles(5, 6, ['/x.pdf'])).toBeNull()
    at('jane')
    expect(await addDroppedFiles(5, 6, [])).toBeNull()
    expect(addFiles).not.toHaveBeenCalled()
  })

  it('rejects with the backend error', async () => {
    at('jane')
    vi.mocked(addFiles).mockRejectedValue('cannot read W-2.pdf: permission denied')
    await expect(addDroppedFiles(5, 6, ['/W-2.pdf'])).rejects.toBe('cannot read W-2.pdf: permission denied')
  })
})
