import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { render, screen, waitFor } from '@testing-library/svelte'
import { filesModuleStub } from '../../test-mocks'

vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/drop', () => ({ onFileDrop: vi.fn() }))

import { addFiles, type FileView } from '../api/files'
import { onFileDrop, type FileDropHandler } from '../api/drop'
import FileDropNotice from './FileDropNotice.svelte'

const doc = document as unknown as { elementFromPoint?: (x: number, y: number) => Element | null }
let drop: FileDropHandler = () => {}
const off = vi.fn()

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(onFileDrop).mockImplementation((cb) => {
    drop = cb
    return off
  })
})

afterEach(() => {
  delete doc.elementFromPoint
  document.querySelectorAll('[data-client-id]').forEach((el) => el.remove())
})

function clientRow(id: string, name: string): HTMLElement {
  const row = document.createElement('div')
  row.dataset.clientId = id
  row.dataset.clientName = name
  row.innerHTML = '<span>inside</span>'
  document.body.append(row)
  return row.firstElementChild as HTMLElement
}

describe('FileDropNotice', () => {
  it('registers one drop listener and adds dropped files to the client under the pointer', async () => {
    const { unmount } = render(FileDropNotice)
    expect(onFileDrop).toHaveBeenCalledTimes(1)
    const inside = clientRow('c1', 'Jane Doe')
    doc.elementFromPoint = vi.fn(() => inside)
    vi.mocked(addFiles).mockResolvedValue([{ id: 'a' }, { id: 'b' }, { id: 'c' }] as FileView[])

    drop(40, 50, ['/Users/sam/a.pdf', '/Users/sam/Receipts'])
    expect(addFiles).toHaveBeenCalledWith('c1', ['/Users/sam/a.pdf', '/Users/sam/Receipts'], true)
    expect(await screen.findByRole('status')).toHaveTextContent('Added 3 files to Jane Doe.')

    unmount()
    expect(off).toHaveBeenCalled()
  })

  it('ignores drops that land on no client', async () => {
    render(FileDropNotice)
    doc.elementFromPoint = vi.fn(() => document.body)
    drop(1, 1, ['/a.pdf'])
    await Promise.resolve()
    expect(addFiles).not.toHaveBeenCalled()
    expect(screen.getByRole('status')).toBeEmptyDOMElement()
  })

  it('says why files could not be added', async () => {
    render(FileDropNotice)
    const inside = clientRow('c2', 'Foo Ltd')
    doc.elementFromPoint = vi.fn(() => inside)
    vi.mocked(addFiles).mockRejectedValue('cannot read a.pdf: permission denied')
    drop(1, 1, ['/a.pdf'])
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('Could not add the files to Foo Ltd: Cannot read a.pdf: permission denied'),
    )
  })
})
