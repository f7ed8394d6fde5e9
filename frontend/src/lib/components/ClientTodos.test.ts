import { describe, it, expect, vi, beforeEach } from 'vitest'
import { filesModuleStub } from '../../test-mocks'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import type { FileView } from '../api/types'

vi.mock('../api/todos', () => ({ listTodos: vi.fn(), saveTodo: vi.fn(), deleteTodo: vi.fn() }))
vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/events', () => ({ onPortalChanged: vi.fn(() => () => {}), onFilesChanged: vi.fn() }))

import { listTodos, saveTodo } from '../api/todos'
import { listFiles, openFile } from '../api/files'
import { onFilesChanged } from '../api/events'
import ClientTodos from './ClientTodos.svelte'

const file = (over: Partial<FileView>): FileView => ({
  id: 'f', clientId: 'c1', path: 'From client/a.pdf', sha256: '', size: 1000, source: 'client', addedBy: 'ana@x.test',
  todoId: '', addedAt: '2026-11-27T10:00:00Z', state: 'synced', error: '', sent: 0, onPortal: true, name: 'a.pdf',
  dir: '', visible: true, fromClient: true, ...over,
})

let filesChanged: (ids: string[]) => void = () => {}

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(listTodos).mockResolvedValue([
    { id: 't1', clientId: 'c1', title: 'Upload W-2', description: '', due: '2027-01-31', state: 'done', doneBy: 'ana@x.test',
      doneAt: '2026-11-27T10:00:00Z', deleted: false, updatedAt: '' },
    { id: 't2', clientId: 'c1', title: 'Sign engagement letter', description: '', due: '', state: 'done', doneBy: 'staff',
      doneAt: '2026-11-28T10:00:00Z', deleted: false, updatedAt: '' },
    { id: 't3', clientId: 'c1', title: 'Send 1099s', description: '', due: '', state: 'open', deleted: false, updatedAt: '' },
  ])
  vi.mocked(listFiles).mockResolvedValue([])
  vi.mocked(onFilesChanged).mockImplementation((cb) => {
    filesChanged = cb
    return () => {}
  })
})

describe('ClientTodos', () => {
  it('opens an eSign task’s request instead of editing it', async () => {
    vi.mocked(listTodos).mockResolvedValueOnce([
      { id: 't9', clientId: 'c1', title: 'Sign Form 8879', description: '', due: '', state: 'open', packetId: 'p1',
        deleted: false, updatedAt: '' },
    ])
    const onopenpacket = vi.fn()
    render(ClientTodos, { clientId: 'c1', onopenpacket })
    await fireEvent.click(await screen.findByRole('button', { name: 'Sign Form 8879' }))
    expect(onopenpacket).toHaveBeenCalledWith('p1')
    expect(screen.getByText('eSign request')).toBeInTheDocument()
    expect(screen.queryByLabelText('Title')).not.toBeInTheDocument()
  })

  it('shows who completed a to-do and adds a new one', async () => {
    vi.mocked(saveTodo).mockRejectedValueOnce('give the to-do a title').mockResolvedValueOnce({} as never)
    render(ClientTodos, { clientId: 'c1' })
    expect(await screen.findByText(/Done by ana@x.test/)).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'New to-do' }))
    await fireEvent.input(screen.getByLabelText('Due date'), { target: { value: '2027-02-15' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add to-do' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the to-do a title')
    expect(screen.getByLabelText('Due date')).toHaveValue('2027-02-15')
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Send the 2026 organizer' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add to-do' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('To-do added.'))
    expect(saveTodo).toHaveBeenLastCalledWith({ id: '', clientId: 'c1', title: 'Send the 2026 organizer', description: '', due: '2027-02-15', done: false })
  })

  it('shows the files the client attached under their to-do, with how they sync', async () => {
    vi.mocked(listFiles).mockResolvedValue([
      file({ id: 'w2', name: 'W-2 2026.pdf', todoId: 't1' }),
      file({ id: 'w2b', name: 'W-2 spouse.pdf', todoId: 't1', state: 'downloading', onPortal: false }),
      file({ id: 'sig', name: 'letter-signed.pdf', todoId: 't2', state: 'waiting' }),
      file({ id: 'other', name: 'receipts.zip', todoId: '' }),
    ])
    render(ClientTodos, { clientId: 'c1' })
    expect(listFiles).toHaveBeenCalledWith('c1')

    const w2 = await screen.findByRole('list', { name: 'Attached to Upload W-2' })
    expect(within(w2).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'W-2 2026.pdf Synced Open',
      'W-2 spouse.pdf Downloading Open',
    ])
    const letter = screen.getByRole('list', { name: 'Attached to Sign engagement letter' })
    expect(within(letter).getByText('letter-signed.pdf')).toBeInTheDocument()
    expect(within(letter).getByText('Waiting to sync')).toBeInTheDocument()
    expect(screen.queryByRole('list', { name: 'Attached to Send 1099s' })).not.toBeInTheDocument()
    expect(screen.queryByText('receipts.zip')).not.toBeInTheDocument()
    // The list sits right under its to-do.
    const todoRow = screen.getByRole('button', { name: 'Upload W-2' }).closest('tr')!
    expect(todoRow.nextElementSibling).toContainElement(w2)

    await fireEvent.click(within(w2).getByRole('button', { name: 'Open: W-2 2026.pdf' }))
    expect(openFile).toHaveBeenCalledWith('w2')
  })

  it('says why an attachment did not open', async () => {
    vi.mocked(listFiles).mockResolvedValue([file({ id: 'w2', name: 'W-2 2026.pdf', todoId: 't1' })])
    vi.mocked(openFile).mockRejectedValue('no app opens .pdf files on this computer')
    render(ClientTodos, { clientId: 'c1' })
    await fireEvent.click(await screen.findByRole('button', { name: 'Open: W-2 2026.pdf' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('No app opens .pdf files on this computer')
  })

  it('reloads the attachments when files:changed names this client', async () => {
    render(ClientTodos, { clientId: 'c1' })
    await screen.findByText('Send 1099s')
    expect(screen.queryByRole('list')).not.toBeInTheDocument()

    vi.mocked(listFiles).mockResolvedValue([file({ id: 'n1', name: '1099-INT.pdf', todoId: 't3', state: 'downloading' })])
    filesChanged(['c2'])
    expect(listFiles).toHaveBeenCalledTimes(1)

    filesChanged(['c2', 'c1'])
    const list = await screen.findByRole('list', { name: 'Attached to Send 1099s' })
    expect(list).toHaveTextContent('1099-INT.pdf')
    expect(list).toHaveTextContent('Downloading')
    expect(listFiles).toHaveBeenCalledTimes(2)
  })
})
