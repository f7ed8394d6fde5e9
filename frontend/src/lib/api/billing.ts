// A client's invoices and payments — wraps the Wails binding app.Billing.
import * as binding from '../../../wailsjs/go/app/Billing'
import type { Account, Invoice, InvoiceInput, Payment, PaymentInput } from './types'

export type { Account, Invoice, InvoiceInput, InvoiceLine, Payment, PaymentInput } from './types'

const Billing = binding

export async function clientAccount(clientId: string): Promise<Account> {
  const a = await Billing.Account(clientId)
  return {
    ...a,
    invoices: (a.invoices ?? []).map((i) => ({ ...i, lines: i.lines ?? [] }) as Invoice),
    payments: a.payments ?? [],
  }
}

export const createInvoice = async (input: InvoiceInput) => (await Billing.CreateInvoice(input)) as Invoice
export const voidInvoice = (id: string) => Billing.VoidInvoice(id)
export const recordPayment = (input: PaymentInput) => Billing.RecordPayment(input)

/** 123456 → "$1,234.56" */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`
}

/** "1,234.5" → 123450; NaN when it is not an amount. */
export function parseMoney(text: string): number {
  const clean = text.replace(/[$,\s]/g, '')
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return NaN
  const [whole, frac = ''] = clean.split('.')
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'))
}
