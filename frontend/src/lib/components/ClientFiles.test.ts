import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import axe from 'axe-core'
import { filesModuleStub } from '../../test-mocks'
import type { FileView } from '../api/types'

vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/events', () => ({ onFilesChanged: vi.fn() }))

import {
  chooseFiles,
  deleteFile,
  listFiles,
  listTrash,
  openClientFolder,
  renameFile,
  restoreFile,
  setVisible,
} from '../api/files'
import { onFilesChanged } from '../api/events'
import ClientFiles from './ClientFiles.svelte'

function file(over: Partial<FileView>): FileView {
  return {
    id: 'f', clientId: 'c1', path: '', sha256: '', size: 1_400_000, source: 'firm', addedBy: 'Sam Staff', todoId: '',
    addedAt: '2026-03-01T10:00:00Z', state: 'synced', error: '', sent: 0, onPortal: true, name: 'a.pdf', dir: '',
    visible: true, fromClient: false, ...over,
  }
}

const report = file({ id: 'f1', name: 'Return 2025.pdf', dir: 'Taxes 2025' })
const upload = file({ id: 'f2', name: 'Ledger.xlsx', state: 'uploading', sent: 420, size: 1000 })
const refused = file({ id: 'f3', name: 'virus.exe', state: 'error', error: 'the portal does not take .exe files' })
const notes = file({ id: 'f4', name: 'notes.txt', state: 'local', visible: false, onPortal: false })
const w2 = file({ id: 'f5', name: 'W-2.pdf', source: 'client', fromClient: true, addedBy: 'jane@x.test' })

let filesChanged: (ids: string[]) => void = () => {}

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(listFiles).mockResolvedValue([report, upload, refused, notes, w2])
  vi.mocked(onFilesChanged).mockImplementation((cb) => {
    filesChanged = cb
    return () => {}
  })
})

const row = (name: string) => screen.getByRole('row', { name: new RegExp(name) })

async function renderFiles() {
  const result = render(ClientFiles, { clientId: 'c1', clientName: 'Jane Doe' })
  await screen.findByText('Return 2025.pdf')
  return result
}

describe('ClientFiles', () => {
  it('lists files with their folder, size, who added them and their sync state', async () => {
    await renderFiles()
    expect(listFiles).toHaveBeenCalledWith('c1')
    expect(row('Return 2025.pdf')).toHaveTextContent('Taxes 2025/Return 2025.pdf')
    expect(row('Return 2025.pdf')).toHaveTextContent('1.4 MB')
    expect(row('Return 2025.pdf')).toHaveTextContent('Sam Staff')
    expect(row('Return 2025.pdf')).toHaveTextContent('Synced')
    expect(row('Ledger.xlsx')).toHaveTextContent('Uploading 42%')
    expect(within(row('Ledger.xlsx')).getByRole('progressbar', { name: 'Upload of Ledger.xlsx' })).toHaveAttribute('value', '420')
    expect(row('virus.exe')).toHaveTextContent('Error: the portal does not take .exe files')
    expect(row('notes.txt')).toHaveTextContent('On this computer only')

    expect(screen.getByRole('button', { name: 'Visible to client: Return 2025.pdf' })).toHaveAttribute('aria-pressed', 'true')
    expect(screen.getByRole('button', { name: 'Visible to client: notes.txt' })).toHaveAttribute('aria-pressed', 'false')
    const sent = screen.getByRole('button', { name: 'Visible to client: W-2.pdf' })
    expect(sent).toBeDisabled()
    expect(sent).toHaveAttribute('title', 'The client sent this file, so they can always see it.')
    expect(row('W-2.pdf')).toHaveTextContent('From client')
  })

  it('has no accessibility violations axe can find, trash open and a rename under way', async () => {
    const { container } = await renderFiles()
    await fireEvent.click(screen.getByRole('button', { name: 'Trash' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Rename: notes.txt' }))
    // jsdom has no layout or canvas, so contrast cannot be measured here.
    const noCanvas = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
    noCanvas.mockRestore()
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(', ')}`)).toEqual([])
  })

  it('shows or hides a file from the client with SetVisible', async () => {
    vi.mocked(setVisible).mockResolvedValue({ ...notes, visible: true, state: 'waiting' })
    await renderFiles()
    await fireEvent.click(screen.getByRole('button', { name: 'Visible to client: notes.txt' }))
    expect(setVisible).toHaveBeenCalledWith('f4', true)
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Visible to client: notes.txt' })).toHaveAttribute('aria-pressed', 'true'),
    )
    expect(row('notes.txt')).toHaveTextContent('Waiting to sync')
  })

  it('shows why a change was refused', async () => {
    vi.mocked(openClientFolder).mockRejectedValue('the library folder is not reachable')
    await renderFiles()
    await fireEvent.click(screen.getByRole('button', { name: 'Open folder' }))
    expect(openClientFolder).toHaveBeenCalledWith('c1')
    expect(await screen.findByRole('alert')).toHaveTextContent('The library folder is not reachable')
  })

  it('renames in place: Esc cancels, a refused name stays in the field, Enter saves', async () => {
    await renderFiles()
    await fireEvent.click(screen.getByRole('button', { name: 'Rename: notes.txt' }))
    let input = screen.getByRole('textbox', { name: 'New name for notes.txt' })
    expect(input).toHaveValue('notes.txt')
    expect(input).toHaveFocus()
    await fireEvent.input(input, { target: { value: 'changed.txt' } })
    await fireEvent.keyDown(input, { key: 'Escape' })
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Rename: notes.txt' })).toHaveFocus()
    expect(renameFile).not.toHaveBeenCalled()

    vi.mocked(renameFile)
      .mockRejectedValueOnce('"a:b.txt" cannot be a file name on every computer; try "a_b.txt"')
      .mockResolvedValueOnce({ ...notes, name: 'a_b.txt', path: 'a_b.txt' })
    await fireEvent.click(screen.getByRole('button', { name: 'Rename: notes.txt' }))
    input = screen.getByRole('textbox', { name: 'New name for notes.txt' })
    await fireEvent.input(input, { target: { value: 'a:b.txt' } })
    await fireEvent.submit(input.closest('form')!) // what Enter in the field does
    expect(renameFile).toHaveBeenCalledWith('f4', 'a:b.txt')
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot be a file name on every computer; try "a_b.txt"')
    expect(input).toHaveValue('a:b.txt')
    expect(input).toHaveAttribute('aria-invalid', 'true')

    await fireEvent.input(input, { target: { value: 'a_b.txt' } })
    await fireEvent.submit(input.closest('form')!)
    expect(renameFile).toHaveBeenLastCalledWith('f4', 'a_b.txt')
    expect(await screen.findByRole('status')).toHaveTextContent('Renamed “notes.txt” to “a_b.txt”.')
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument()
    expect(screen.getByText('a_b.txt')).toBeInTheDocument()
  })

  it('deletes to the trash and Undo restores', async () => {
    vi.mocked(deleteFile).mockImplementation(async () => {
      vi.mocked(listFiles).mockResolvedValue([report, upload, refused, w2])
    })
    vi.mocked(restoreFile).mockImplementation(async () => {
      vi.mocked(listFiles).mockResolvedValue([report, upload, refused, notes, w2])
      return notes
    })
    await renderFiles()
    await fireEvent.click(screen.getByRole('button', { name: 'Delete: notes.txt' }))
    expect(deleteFile).toHaveBeenCalledWith('f4')
    const status = await screen.findByRole('status')
    expect(status).toHaveTextContent('Moved “notes.txt” to the trash.')
    await waitFor(() => expect(screen.queryByText('notes.txt')).not.toBeInTheDocument())

    await fireEvent.click(within(status).getByRole('button', { name: 'Undo' }))
    expect(restoreFile).toHaveBeenCalledWith('f4')
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Restored “notes.txt”.'))
    expect(await screen.findByText('notes.txt')).toBeInTheDocument()
  })

  it('lists the trash on demand and restores from it', async () => {
    const old = file({ id: 'f9', name: 'old.pdf', trashedAt: '2026-03-02T10:00:00Z' })
    vi.mocked(listTrash).mockResolvedValue([old])
    vi.mocked(restoreFile).mockImplementation(async () => {
      vi.mocked(listTrash).mockResolvedValue([])
      return old
    })
    await renderFiles()
    expect(listTrash).not.toHaveBeenCalled()
    const toggle = screen.getByRole('button', { name: 'Trash' })
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    await fireEvent.click(toggle)
    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    expect(listTrash).toHaveBeenCalledWith('c1')

    await fireEvent.click(await screen.findByRole('button', { name: 'Restore: old.pdf' }))
    expect(restoreFile).toHaveBeenCalledWith('f9')
    expect(await screen.findByRole('status')).toHaveTextContent('Restored “old.pdf”.')
    expect(await screen.findByText('The trash is empty.')).toBeInTheDocument()
  })

  it('reloads when files of this client change, not for other clients', async () => {
    await renderFiles()
    expect(listFiles).toHaveBeenCalledTimes(1)
    filesChanged(['c2'])
    expect(listFiles).toHaveBeenCalledTimes(1)

    vi.mocked(listFiles).mockResolvedValue([{ ...upload, state: 'synced', sent: 1000 }])
    filesChanged(['c2', 'c1'])
    expect(listFiles).toHaveBeenCalledTimes(2)
    await waitFor(() => expect(row('Ledger.xlsx')).toHaveTextContent('Synced'))
    expect(screen.queryByText('Return 2025.pdf')).not.toBeInTheDocument()
  })

  it('adds files with the dialog and marks itself as the drop target with the same visibility', async () => {
    const { container } = await renderFiles()
    const target = container.querySelector('[data-client-id]') as HTMLElement
    expect(target).toHaveAttribute('data-client-id', 'c1')
    expect(target).toHaveAttribute('data-client-name', 'Jane Doe')
    expect(target).toHaveAttribute('data-drop-visible', 'true')
    expect(target.style.getPropertyValue('--wails-drop-target')).toBe('drop')

    await fireEvent.click(screen.getByLabelText('Visible to client'))
    expect(target).toHaveAttribute('data-drop-visible', 'false')

    vi.mocked(chooseFiles).mockResolvedValueOnce([]) // cancelled
    await fireEvent.click(screen.getByRole('button', { name: 'Add files…' }))
    expect(chooseFiles).toHaveBeenCalledWith('c1', false)
    expect(screen.queryByRole('status')).not.toBeInTheDocument()

    vi.mocked(chooseFiles).mockResolvedValueOnce([file({ id: 'n1' }), file({ id: 'n2' })])
    await fireEvent.click(screen.getByRole('button', { name: 'Add files…' }))
    expect(await screen.findByRole('status')).toHaveTextContent('Added 2 files.')
  })

  it('explains how to add files when there are none', async () => {
    vi.mocked(listFiles).mockResolvedValue([])
    render(ClientFiles, { clientId: 'c1', clientName: 'Jane Doe' })
    expect(await screen.findByText('No files yet.')).toBeInTheDocument()
    expect(screen.getByText(/Drop files here from Explorer or Finder/)).toHaveTextContent("this client's folder on your computer")
  })

  it('offers “eSign Request…” on PDFs, which opens the editor for the file', async () => {
    const onESign = vi.fn()
    render(ClientFiles, { clientId: 'c1', clientName: 'Jane Doe', onESign })
    await screen.findByText('Return 2025.pdf')
    expect(within(row('Return 2025.pdf')).getByRole('button', { name: 'eSign Request…' })).toBeInTheDocument()
    expect(within(row('W-2.pdf')).getByRole('button', { name: 'eSign Request…' })).toBeInTheDocument()
    expect(within(row('Ledger.xlsx')).queryByRole('button', { name: 'eSign Request…' })).not.toBeInTheDocument()
    await fireEvent.click(within(row('Return 2025.pdf')).getByRole('button', { name: 'eSign Request…' }))
    expect(onESign).toHaveBeenCalledWith(report)
  })

  it('offers no eSign Request where there is no editor to open', async () => {
    await renderFiles()
    expect(screen.queryByRole('button', { name: 'eSign Request…' })).not.toBeInTheDocument()
  })

  it('opens the same actions as a menu on a right-click; keys move in it and Escape closes it', async () => {
    const onESign = vi.fn()
    render(ClientFiles, { clientId: 'c1', clientName: 'Jane Doe', onESign })
    await screen.findByText('Return 2025.pdf')
    const opener = within(row('Return 2025.pdf')).getByRole('button', { name: 'Open: Return 2025.pdf' })
    opener.focus()
    await fireEvent.contextMenu(opener) // what the context-menu key does: no pointer position
    const menu = screen.getByRole('menu', { name: 'Actions for Return 2025.pdf' })
    const items = within(menu).getAllByRole('menuitem')
    expect(items.map((i) => i.textContent)).toEqual(['eSign Request…', 'Open', 'Show in folder', 'Rename', 'Delete'])
    await waitFor(() => expect(items[0]).toHaveFocus())
    await fireEvent.keyDown(menu, { key: 'ArrowDown' })
    expect(items[1]).toHaveFocus()
    await fireEvent.keyDown(menu, { key: 'ArrowUp' })
    await fireEvent.keyDown(menu, { key: 'ArrowUp' })
    expect(items[4]).toHaveFocus()
    await fireEvent.keyDown(menu, { key: 'Home' })
    expect(items[0]).toHaveFocus()
    await fireEvent.keyDown(menu, { key: 'Escape' })
    expect(screen.queryByRole('menu')).not.toBeInTheDocument()
    expect(opener).toHaveFocus()

    await fireEvent.contextMenu(row('Return 2025.pdf'), { clientX: 200, clientY: 300 })
    const again = screen.getByRole('menu', { name: 'Actions for Return 2025.pdf' })
    expect(again.style.left).toBe('200px')
    expect(again.style.top).toBe('300px')
    await fireEvent.click(within(again).getByRole('menuitem', { name: 'eSign Request…' }))
    expect(onESign).toHaveBeenCalledWith(report)
    expect(screen.queryByRole('menu')).not.toBeInTheDocument()
  })

  it('gives other files the menu without eSign, and a click elsewhere closes it', async () => {
    render(ClientFiles, { clientId: 'c1', clientName: 'Jane Doe', onESign: vi.fn() })
    await screen.findByText('Ledger.xlsx')
    await fireEvent.contextMenu(row('Ledger.xlsx'), { clientX: 10, clientY: 10 })
    const menu = screen.getByRole('menu', { name: 'Actions for Ledger.xlsx' })
    expect(within(menu).getAllByRole('menuitem').map((i) => i.textContent)).toEqual(['Open', 'Show in folder', 'Rename', 'Delete'])
    await fireEvent.click(within(menu).getByRole('menuitem', { name: 'Rename' }))
    expect(screen.getByRole('textbox', { name: 'New name for Ledger.xlsx' })).toHaveFocus()

    await fireEvent.contextMenu(row('notes.txt'), { clientX: 10, clientY: 10 })
    expect(screen.getByRole('menu')).toBeInTheDocument()
    await fireEvent.pointerDown(document.body)
    expect(screen.queryByRole('menu')).not.toBeInTheDocument()
  })
})
