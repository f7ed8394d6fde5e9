import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'

vi.mock('../api/billing', async (orig) => ({
  ...((await orig()) as object),
  clientAccount: vi.fn(),
  createInvoice: vi.fn(),
  recordPayment: vi.fn(),
  voidInvoice: vi.fn(),
}))
vi.mock('../api/events', () => ({ onPortalChanged: vi.fn(() => () => {}) }))

import { clientAccount, createInvoice, recordPayment } from '../api/billing'
import ClientBilling from './ClientBilling.svelte'

const account = {
  balanceCents: 60100, nextNumber: '2026-002', payments: [],
  invoices: [{ id: 'i1', clientId: 'c1', number: '2026-001', date: '2026-11-02', due: '', state: 'open' as const,
    lines: [{ description: 'Return', quantity: 1, unitCents: 60100 }], totalCents: 60100, paidCents: 0, shown: 'open', updatedAt: '' }],
}

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(clientAccount).mockResolvedValue(account)
})

describe('ClientBilling', () => {
  it('creates an invoice from its lines and keeps them when Go refuses', async () => {
    vi.mocked(createInvoice).mockRejectedValueOnce('line 2 needs a description').mockResolvedValueOnce({} as never)
    render(ClientBilling, { clientId: 'c1' })
    expect(await screen.findByTestId('balance')).toHaveTextContent('$601.00')
    await fireEvent.click(screen.getByRole('button', { name: 'New invoice' }))
    expect(screen.getByLabelText('Invoice number')).toHaveValue('2026-002')
    const line1 = within(screen.getByRole('group', { name: 'Line 1' }))
    await fireEvent.input(line1.getByLabelText('Description'), { target: { value: '1040 preparation' } })
    await fireEvent.input(line1.getByLabelText('Price'), { target: { value: '450' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add line' }))
    const line2 = within(screen.getByRole('group', { name: 'Line 2' }))
    await fireEvent.input(line2.getByLabelText('Quantity'), { target: { value: '2' } })
    await fireEvent.input(line2.getByLabelText('Price'), { target: { value: '75.50' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Create invoice' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Line 2 needs a description')
    expect(line1.getByLabelText('Description')).toHaveValue('1040 preparation')
    await fireEvent.input(line2.getByLabelText('Description'), { target: { value: 'State return' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Create invoice' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Invoice 2026-002 created.'))
    expect(createInvoice).toHaveBeenLastCalledWith(expect.objectContaining({
      clientId: 'c1', number: '2026-002',
      lines: [{ description: '1040 preparation', quantity: 1, unitCents: 45000 }, { description: 'State return', quantity: 2, unitCents: 7550 }],
    }))
  })

  it('records a payment against the open invoice', async () => {
    vi.mocked(recordPayment).mockResolvedValue({} as never)
    render(ClientBilling, { clientId: 'c1' })
    await screen.findByTestId('balance')
    await fireEvent.click(screen.getByRole('button', { name: 'Record payment' }))
    await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: 'lots' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Record payment' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter the amount like 125.00.')
    expect(recordPayment).not.toHaveBeenCalled()
    await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: '200' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Record payment' }))
    await waitFor(() => expect(recordPayment).toHaveBeenCalledWith(expect.objectContaining({ invoiceId: 'i1', amountCents: 20000 })))
  })
})
