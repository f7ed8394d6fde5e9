import { describe, it, expect, vi, beforeEach } from 'vitest'
import { filesModuleStub } from '../../test-mocks'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import type { ClientSummary, FolderMatch } from '../api/types'

vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/clients', () => ({ listClients: vi.fn() }))

import { listClients } from '../api/clients'
import { listUnmatched, matchFolders } from '../api/files'
import LibraryReview from './LibraryReview.svelte'

const client = (id: string, name: string): ClientSummary => ({
  id, name, email: '', phone: '', portalStatus: 'none', archived: false, updatedAt: '',
})

const waiting: FolderMatch[] = [
  { folder: 'Doe, Jane', clientId: 'c1', clientName: 'Jane Doe', files: 12 },
  { folder: 'Old scans', clientId: '', clientName: '', files: 1 },
  { folder: 'Smith John', clientId: 'c9', clientName: 'John Smith', files: 3 }, // an archived client
]

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(listUnmatched).mockResolvedValue(waiting)
  vi.mocked(listClients).mockResolvedValue([client('c1', 'Jane Doe'), client('c2', 'Foo Ltd')])
})

const picker = (folder: string) => screen.getByLabelText(`Client for ${folder}`) as HTMLSelectElement

describe('LibraryReview', () => {
  it('lists each waiting folder with its files and the suggested client chosen', async () => {
    render(LibraryReview)
    const row = (await screen.findByRole('rowheader', { name: 'Doe, Jane' })).closest('tr')!
    expect(row).toHaveTextContent('12 files')
    expect(picker('Doe, Jane')).toHaveValue('c1')
    expect(row).toHaveTextContent('Suggested: named like Jane Doe')
    expect(listClients).toHaveBeenCalledWith('', false)

    // No suggestion: skipped unless staff pick a client.
    expect(picker('Old scans')).toHaveValue('')
    const options = within(picker('Old scans')).getAllByRole('option').map((o) => o.textContent)
    expect(options).toEqual(['Skip: keep as the firm’s own', 'Jane Doe', 'Foo Ltd'])
    const skipped = screen.getByRole('rowheader', { name: 'Old scans' }).closest('tr')!
    expect(skipped).toHaveTextContent('1 file')
    expect(skipped).toHaveTextContent('Stays the firm’s own; nothing in it syncs')

    // A suggested client missing from the list (archived) can still be chosen.
    expect(picker('Smith John')).toHaveValue('c9')
    expect(within(picker('Smith John')).getByRole('option', { name: 'John Smith' })).toBeInTheDocument()
  })

  it('sends every decision with Apply, skips included, then shows what is left', async () => {
    vi.mocked(matchFolders).mockImplementation(async () => {
      vi.mocked(listUnmatched).mockResolvedValue([])
    })
    render(LibraryReview)
    await screen.findByLabelText('Client for Old scans')
    await fireEvent.change(picker('Old scans'), { target: { value: 'c2' } })
    expect(screen.getByRole('rowheader', { name: 'Old scans' }).closest('tr')).toHaveTextContent('Goes to Foo Ltd')
    await fireEvent.change(picker('Smith John'), { target: { value: '' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }))

    expect(matchFolders).toHaveBeenCalledWith([
      { folder: 'Doe, Jane', clientId: 'c1' },
      { folder: 'Old scans', clientId: 'c2' },
      { folder: 'Smith John', clientId: '' },
    ])
    expect(await screen.findByRole('status')).toHaveTextContent(
      '2 folders now belong to clients and start syncing; 1 stays the firm’s own.',
    )
    expect(screen.getByText('Every folder in the library belongs to a client.')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Apply' })).not.toBeInTheDocument()
  })

  it('shows a refusal and keeps every choice, marking the folder it is about', async () => {
    vi.mocked(matchFolders).mockRejectedValue('the folder "Old scans" is not in the library any more')
    render(LibraryReview)
    await screen.findByLabelText('Client for Old scans')
    await fireEvent.change(picker('Old scans'), { target: { value: 'c2' } })
    await fireEvent.change(picker('Doe, Jane'), { target: { value: '' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('The folder "Old scans" is not in the library any more')
    expect(picker('Old scans')).toHaveValue('c2')
    expect(picker('Doe, Jane')).toHaveValue('')
    expect(picker('Smith John')).toHaveValue('c9')
    expect(picker('Old scans')).toHaveAttribute('aria-invalid', 'true')
    expect(picker('Doe, Jane')).not.toHaveAttribute('aria-invalid')
    expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled()
  })

  it('refuses one client for two folders before asking Go', async () => {
    render(LibraryReview)
    await screen.findByLabelText('Client for Old scans')
    await fireEvent.change(picker('Old scans'), { target: { value: 'c1' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Apply' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Jane Doe is chosen for both “Doe, Jane” and “Old scans”')
    expect(matchFolders).not.toHaveBeenCalled()
    expect(picker('Old scans')).toHaveValue('c1')
  })

  it('says when every folder belongs to a client', async () => {
    vi.mocked(listUnmatched).mockResolvedValue([])
    render(LibraryReview)
    expect(await screen.findByText('Every folder in the library belongs to a client.')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Apply' })).not.toBeInTheDocument()
  })

  it('shows why the library cannot be read', async () => {
    vi.mocked(listUnmatched).mockRejectedValue('the library folder is not reachable')
    render(LibraryReview)
    expect(await screen.findByRole('alert')).toHaveTextContent('The library folder is not reachable')
  })

  it('takes focus when opened from the Clients banner', async () => {
    render(LibraryReview, { focus: true })
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Library folders' })).toHaveFocus())
  })
})
