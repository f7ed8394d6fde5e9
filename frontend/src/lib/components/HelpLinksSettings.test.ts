import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'

vi.mock('../api/help', () => ({ helpLinks: vi.fn(), saveHelpLinks: vi.fn() }))

import { helpLinks, saveHelpLinks } from '../api/help'
import HelpLinksSettings from './HelpLinksSettings.svelte'

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(helpLinks).mockResolvedValue([])
})

describe('HelpLinksSettings', () => {
  it('saves a link and shows why a bad one is refused', async () => {
    vi.mocked(saveHelpLinks).mockRejectedValueOnce('link 1: "firm.test" is not a web address (https://…)')
      .mockImplementation(async (l) => l)
    render(HelpLinksSettings)
    const row = within(await screen.findByRole('group', { name: 'Help link 1' }))
    await fireEvent.input(row.getByLabelText('Label'), { target: { value: 'Our checklist' } })
    await fireEvent.input(row.getByLabelText('Web address'), { target: { value: 'firm.test' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save help links' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('is not a web address')
    await fireEvent.input(row.getByLabelText('Web address'), { target: { value: 'https://firm.test/list' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save help links' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Help links saved.'))
    expect(saveHelpLinks).toHaveBeenLastCalledWith([{ label: 'Our checklist', url: 'https://firm.test/list' }])
  })
})
