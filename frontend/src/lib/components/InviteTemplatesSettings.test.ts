import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte'
import { portalModuleStub } from '../../test-mocks'

vi.mock('../api/portal', (orig) => portalModuleStub(orig))

import { inviteTemplates, saveInviteTemplate } from '../api/portal'
import InviteTemplatesSettings from './InviteTemplatesSettings.svelte'

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(inviteTemplates).mockResolvedValue([
    { id: 't1', name: 'Standard invitation', subject: 'S', body: 'B {link}', isDefault: true, updatedAt: '' },
  ])
})

describe('InviteTemplatesSettings', () => {
  it('creates a template and shows a refusal without losing the text', async () => {
    vi.mocked(saveInviteTemplate).mockRejectedValueOnce('give the template a name')
    render(InviteTemplatesSettings)
    await screen.findByText('Standard invitation')
    expect(screen.getByText('Default')).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'New template' }))
    await fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'Hi {name}, {link}' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the template a name')
    expect(screen.getByLabelText('Message')).toHaveValue('Hi {name}, {link}')
    await fireEvent.input(screen.getByLabelText('Template name'), { target: { value: 'Short' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Template “Short” saved.'))
    expect(saveInviteTemplate).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'Short', body: 'Hi {name}, {link}' }))
  })
})
