import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'

vi.mock('../api/schedule', () => ({ getSchedule: vi.fn(), saveSchedule: vi.fn(), upcomingBookings: vi.fn() }))
vi.mock('../api/events', () => ({ onPortalChanged: vi.fn(() => () => {}) }))

import { getSchedule, saveSchedule, upcomingBookings } from '../api/schedule'
import ScheduleSettings from './ScheduleSettings.svelte'

const week = Array.from({ length: 7 }, (_, i) => (i >= 1 && i <= 5 ? { start: '09:00', end: '17:00' } : { start: '', end: '' }))

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(getSchedule).mockResolvedValue({ enabled: false, timeZone: 'America/New_York', weekly: week,
    types: [{ id: 'meeting', name: 'Meeting', minutes: 60 }], cancelHours: 24, horizonDays: 30 })
  vi.mocked(upcomingBookings).mockResolvedValue([
    { id: 'b1', clientId: 'c1', clientName: 'Okafor Household', email: 'ada@x.test', typeId: 't1', typeName: 'Meeting',
      start: '2027-01-04T14:00:00Z', end: '2027-01-04T15:00:00Z', state: 'booked' },
  ])
})

describe('ScheduleSettings', () => {
  it('turns booking on with a new type and shows bookings with the client name', async () => {
    vi.mocked(saveSchedule).mockRejectedValueOnce('appointment type "" needs a name and 5 to 480 minutes').mockImplementation(async (s) => s)
    render(ScheduleSettings)
    expect(await screen.findByText('Okafor Household')).toBeInTheDocument()
    await fireEvent.click(screen.getByLabelText('Clients can book appointments in the portal'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add appointment type' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Save schedule' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('needs a name')
    const t2 = within(screen.getByRole('group', { name: 'Appointment type 2' }))
    await fireEvent.input(t2.getByLabelText('Name'), { target: { value: 'Tax review' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save schedule' }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Schedule saved.'))
    expect(saveSchedule).toHaveBeenLastCalledWith(expect.objectContaining({
      enabled: true, timeZone: 'America/New_York',
      types: [{ id: 'meeting', name: 'Meeting', minutes: 60 }, { id: '', name: 'Tax review', minutes: 60 }],
    }))
  })
})
