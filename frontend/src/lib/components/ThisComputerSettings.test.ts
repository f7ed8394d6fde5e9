import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'

vi.mock('../api/desktop', () => ({
  startAtLogin: vi.fn(),
  setStartAtLogin: vi.fn(),
  libraryFolder: vi.fn(),
  chooseLibraryFolder: vi.fn(),
}))

import { chooseLibraryFolder, libraryFolder, setStartAtLogin, startAtLogin } from '../api/desktop'
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

  it('moves the library from the next start, and says so; a cancelled dialog changes nothing', async () => {
    vi.mocked(startAtLogin).mockResolvedValue(false)
    vi.mocked(chooseLibraryFolder).mockResolvedValueOnce('').mockResolvedValueOnce('/data/Firm Library')
    render(ThisComputerSettings)
    const change = await screen.findByRole('button', { name: 'Change library folder…' })
    await fireEvent.click(change)
    expect(chooseLibraryFolder).toHaveBeenCalledTimes(1)
    expect(screen.queryByRole('status')).not.toBeInTheDocument()
    await fireEvent.click(change)
    expect(await screen.findByRole('status')).toHaveTextContent('From the next start, the firm library is /data/Firm Library')
  })

  it('shows why the library cannot move there', async () => {
    vi.mocked(startAtLogin).mockResolvedValue(false)
    vi.mocked(chooseLibraryFolder).mockRejectedValue('Portico cannot write in /mnt/cd')
    render(ThisComputerSettings)
    await fireEvent.click(await screen.findByRole('button', { name: 'Change library folder…' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Portico cannot write in /mnt/cd')
  })
})
