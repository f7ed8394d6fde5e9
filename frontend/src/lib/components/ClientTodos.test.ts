import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'

vi.mock('../api/todos', () => ({ listTodos: vi.fn(), saveTodo: vi.fn(), deleteTodo: vi.fn() }))
vi.mock('../api/events', () => ({ onPortalChanged: vi.fn(() => () => {}) }))

import { listTodos, saveTodo } from '../api/todos'
import ClientTodos from './ClientTodos.svelte'

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(listTodos).mockResolvedValue([
    { id: 't1', clientId: 'c1', title: 'Upload W-2', description: '', due: '2027-01-31', state: 'done', doneBy: 'ana@x.test',
      doneAt: '2026-11-27T10:00:00Z', deleted: false, updatedAt: '' },
  ])
})

describe('ClientTodos', () => {
  it('shows who completed a to-do and adds a new one', async () => {
    vi.mocked(saveTodo).mockRejectedValueOnce('give the to-do a title').mockResolvedValueOnce({} as never)
    render(ClientTodos, { clientId: 'c1' })
    expect(await screen.findByText(/Done by ana@x.test/)).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'New to-do' }))
    await fireEvent.input(screen.getByLabelText('Due date'), { target: { value: '2027-02-15' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add to-do' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the to-do a title')
    expect(screen.getByLabelText('Due date')).toHaveValue('2027-02-15')
    await fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Sign engagement letter' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add to-do' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('To-do added.'))
    expect(saveTodo).toHaveBeenLastCalledWith({ id: '', clientId: 'c1', title: 'Sign engagement letter', description: '', due: '2027-02-15', done: false })
  })
})
