import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent } from '@testing-library/svelte'

vi.mock('../api/desktop', () => ({ sealCertificate: vi.fn(), chooseSealCertificate: vi.fn() }))

import { chooseSealCertificate, sealCertificate, type SealCert } from '../api/desktop'
import SealCertificateSettings from './SealCertificateSettings.svelte'

const generated: SealCert = {
  subject: 'CN=Alpha CPA,O=Alpha CPA', issuer: 'CN=Alpha CPA,O=Alpha CPA', notAfter: '2036-11-27T09:00:00Z',
  sha256: 'ab'.repeat(32), source: 'generated', selfSigned: true,
}
const uploaded: SealCert = { ...generated, subject: 'CN=Alpha CPA LLP', issuer: 'CN=Some CA', sha256: 'cd'.repeat(32), source: 'uploaded', selfSigned: false }

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(sealCertificate).mockResolvedValue(generated)
})

describe('SealCertificateSettings', () => {
  it('shows the certificate in use and says what a self-signed one means', async () => {
    render(SealCertificateSettings)
    expect(await screen.findByText('CN=Alpha CPA,O=Alpha CPA')).toBeInTheDocument()
    expect(screen.getByText('Your portal (self-signed)')).toBeInTheDocument()
    expect(screen.getByText(/issuer they do not know/)).toBeInTheDocument()
  })

  it('sends the firm’s own certificate with its password; a refusal keeps the password', async () => {
    vi.mocked(chooseSealCertificate)
      .mockRejectedValueOnce(new Error('the certificate was not accepted: wrong password'))
      .mockResolvedValueOnce(uploaded)
    render(SealCertificateSettings)
    await screen.findByText('CN=Alpha CPA,O=Alpha CPA')
    await fireEvent.input(screen.getByLabelText('Certificate password'), { target: { value: 'hunter2' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Use our own certificate (.p12/.pfx)…' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong password')
    expect(screen.getByLabelText('Certificate password')).toHaveValue('hunter2')
    await fireEvent.click(screen.getByRole('button', { name: 'Use our own certificate (.p12/.pfx)…' }))
    expect(await screen.findByRole('status')).toHaveTextContent('sealed with this certificate from now on')
    expect(chooseSealCertificate).toHaveBeenLastCalledWith('hunter2')
    expect(screen.getByText('CN=Some CA')).toBeInTheDocument()
    expect(screen.getByLabelText('Certificate password')).toHaveValue('')
  })

  it('says why the certificate cannot be shown', async () => {
    vi.mocked(sealCertificate).mockRejectedValueOnce(new Error('sign in to the portal first (Settings)'))
    render(SealCertificateSettings)
    expect(await screen.findByRole('alert')).toHaveTextContent(/sign in to the portal first/i)
  })
})
