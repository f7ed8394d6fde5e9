import { describe, it, expect, vi, beforeEach } from 'vitest'
import { filesModuleStub, portalModuleStub } from '../../test-mocks'
import { render, screen, fireEvent } from '@testing-library/svelte'
import type { SessionStatus } from '../api/types'

vi.mock('../api/help', () => ({ helpLinks: vi.fn(async () => []), saveHelpLinks: vi.fn() }))
vi.mock('../api/schedule', () => ({
  getSchedule: vi.fn(async () => ({ enabled: false, timeZone: 'UTC', weekly: [], types: [], cancelHours: 24, horizonDays: 30 })),
  saveSchedule: vi.fn(),
  upcomingBookings: vi.fn(async () => []),
}))
vi.mock('../api/portal', (orig) => portalModuleStub(orig))
vi.mock('../api/files', (orig) => filesModuleStub(orig))
vi.mock('../api/clients', () => ({ listClients: vi.fn(async () => []) }))
vi.mock('../api/session', () => ({ sessionStatus: vi.fn(), signIn: vi.fn(), signOut: vi.fn() }))
vi.mock('../api/desktop', () => ({
  startAtLogin: vi.fn(async () => false),
  setStartAtLogin: vi.fn(),
  libraryFolder: vi.fn(async () => '/home/sam/Documents/Portico'),
  sealCertificate: vi.fn(async () => ({ subject: 'CN=Alpha CPA', issuer: 'CN=Alpha CPA', notAfter: '2036-01-01T00:00:00Z',
    sha256: 'ab'.repeat(32), source: 'generated', selfSigned: true })),
  chooseSealCertificate: vi.fn(),
}))

import { sessionStatus, signIn, signOut } from '../api/session'
import SettingsScreen from './SettingsScreen.svelte'

const signedOut: SessionStatus = { signedIn: false, portalURL: '', email: '', firmName: '', staffName: '', problem: '' }
const signedIn: SessionStatus = {
  signedIn: true,
  portalURL: 'https://portal.acme-cpa.com',
  email: 'sam@acme-cpa.com',
  firmName: 'Acme CPA',
  staffName: 'Sam Staff',
  problem: '',
}

beforeEach(() => {
  vi.clearAllMocks()
})

async function fillSignIn() {
  const url = await screen.findByLabelText('Portal URL')
  expect(url).toHaveAttribute('type', 'url')
  await fireEvent.input(url, { target: { value: 'https://portal.acme-cpa.com' } })
  await fireEvent.input(screen.getByLabelText('Email'), { target: { value: 'sam@acme-cpa.com' } })
  await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 's3cret' } })
  await fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}

describe('SettingsScreen', () => {
  it('signs in and shows the connection details', async () => {
    vi.mocked(sessionStatus).mockResolvedValue(signedOut)
    vi.mocked(signIn).mockResolvedValue(signedIn)
    const onSessionChange = vi.fn()
    render(SettingsScreen, { onSessionChange })

    expect(screen.getByRole('heading', { name: 'Portal connection' })).toBeInTheDocument()
    await fillSignIn()

    expect(signIn).toHaveBeenCalledWith('https://portal.acme-cpa.com', 'sam@acme-cpa.com', 's3cret')
    expect(await screen.findByText('Acme CPA')).toBeInTheDocument()
    expect(screen.getByText(/Sam Staff/)).toBeInTheDocument()
    expect(screen.getByText('https://portal.acme-cpa.com')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument()
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument()
    expect(onSessionChange).toHaveBeenLastCalledWith(signedIn)
  })

  it('shows a Go error in an alert and keeps the input', async () => {
    vi.mocked(sessionStatus).mockResolvedValue(signedOut)
    vi.mocked(signIn).mockRejectedValue('invalid email or password')
    render(SettingsScreen)

    await fillSignIn()

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password')
    expect(screen.getByLabelText('Portal URL')).toHaveValue('https://portal.acme-cpa.com')
    expect(screen.getByLabelText('Email')).toHaveValue('sam@acme-cpa.com')
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled()
  })

  it('asks for all fields before calling Go', async () => {
    vi.mocked(sessionStatus).mockResolvedValue(signedOut)
    render(SettingsScreen)
    await fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter the portal URL, email and password.')
    expect(signIn).not.toHaveBeenCalled()
  })

  it('signs out', async () => {
    vi.mocked(sessionStatus).mockResolvedValueOnce(signedIn).mockResolvedValueOnce(signedOut)
    vi.mocked(signOut).mockResolvedValue(undefined)
    render(SettingsScreen)

    await fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }))
    expect(signOut).toHaveBeenCalled()
    expect(await screen.findByLabelText('Portal URL')).toBeInTheDocument()
  })
})

describe('SettingsScreen with a sign-in problem', () => {
  it('says why the desktop is not syncing', async () => {
    vi.mocked(sessionStatus).mockResolvedValue({
      ...signedIn,
      problem: 'Portico cannot read its portal sign-in: the system keyring is not available',
    })
    render(SettingsScreen, {})
    expect(await screen.findByRole('alert')).toHaveTextContent('Portico cannot read its portal sign-in')
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument()
  })
})

describe('SettingsScreen opened at the library folders', () => {
  it('shows the review and moves focus to it', async () => {
    vi.mocked(sessionStatus).mockResolvedValue(signedIn)
    render(SettingsScreen, { section: 'library' })
    const heading = screen.getByRole('heading', { name: 'Library folders' })
    expect(await screen.findByText('Every folder in the library belongs to a client.')).toBeInTheDocument()
    expect(heading).toHaveFocus()
  })
})
