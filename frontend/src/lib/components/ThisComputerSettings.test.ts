import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'

vi.mock('../api/desktop', () => ({ startAtLogin: vi.fn(), setStartAtLogin: vi.fn(), libraryFolder: vi.fn() }))

import { libraryFolder, setStartAtLogin, startAtLogin } from '../api/desktop'
import ThisComputerSettings from './ThisComputerSettings.svelte'

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(libraryFolder).mockResolvedValue('/home/sam/Documents/Portico')
})

describe('ThisComputerSettings', () => {
  it('shows and turns on start at login', async () => {
    vi.mocked(startAtLogin).mockResolvedValue(false)
    vi.mocked(setStartAtLogin).mockResolvedValue()
    render(ThisComputerSettings)
    const box = screen.getByLabelText('Start Portico when I sign in to this computer')
    await waitFor(() => expect(box).toBeEnabled())
    expect(box).not.toBeChecked()
    expect(screen.getByText('/home/sam/Documents/Portico')).toBeInTheDocument()
    await fireEvent.click(box)
    expect(setStartAtLogin).toHaveBeenCalledWith(true)
    await waitFor(() => expect(box).toBeChecked())
  })

  it('shows an error and keeps the old setting when it cannot be changed', async () => {
    vi.mocked(startAtLogin).mockResolvedValue(true)
    vi.mocked(setStartAtLogin).mockRejectedValue('start at login: permission denied')
    render(ThisComputerSettings)
    const box = screen.getByLabelText('Start Portico when I sign in to this computer')
    await waitFor(() => expect(box).toBeChecked())
    await fireEvent.click(box)
    expect(await screen.findByRole('alert')).toHaveTextContent('Start at login: permission denied')
    expect(box).toBeChecked()
  })
})
