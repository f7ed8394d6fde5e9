// The firm's appointment schedule — wraps the Wails binding app.Schedule.
import * as binding from '../../../wailsjs/go/app/Schedule'
import type { Booking, Schedule } from './types'

export type { AppointmentType, Booking, DayHours, Schedule } from './types'

const Sched = binding

export async function getSchedule(): Promise<Schedule> {
  const s = await Sched.Get()
  return { ...s, weekly: s.weekly ?? [], types: s.types ?? [] }
}

export const saveSchedule = (s: Schedule) => Sched.Save(s)

export async function upcomingBookings(): Promise<Booking[]> {
  return ((await Sched.Upcoming()) ?? []) as Booking[]
}
