// Client portal access — wraps the Wails binding app.Portal.
import * as binding from '../../../wailsjs/go/app/Portal'
import type {
  AuditEntry,
  BulkResult,
  Invitation,
  InviteTemplate,
  PortalFilter,
  PortalPerson,
  PortalRow,
} from './types'

export type {
  AuditEntry,
  BulkResult,
  Invitation,
  Invitee,
  InviteTemplate,
  PortalDisplay,
  PortalFilter,
  PortalPerson,
  PortalRow,
} from './types'

const Portal = binding

export async function portalPeople(clientId: string): Promise<PortalPerson[]> {
  const list = (await Portal.People(clientId)) ?? []
  return list.map((p) => ({ ...p, invitations: p.invitations ?? [] }) as PortalPerson)
}

export async function portalActivity(clientId: string): Promise<AuditEntry[]> {
  return (await Portal.Activity(clientId)) ?? []
}

export const invite = (clientId: string, inv: Invitation) => Portal.Invite(clientId, inv)
export const resendInvitation = (clientId: string, email: string) => Portal.Resend(clientId, email)
export const removeAccess = (clientId: string, email: string) => Portal.RemoveAccess(clientId, email)

export async function clientPortals(filter: PortalFilter, search: string): Promise<PortalRow[]> {
  return (await Portal.Portals(filter, search)) ?? []
}

export async function inviteBulk(clientIds: string[]): Promise<BulkResult> {
  const r = await Portal.InviteBulk(clientIds)
  return { queued: r?.queued ?? 0, skipped: r?.skipped ?? [] }
}

export async function inviteTemplates(): Promise<InviteTemplate[]> {
  return (await Portal.Templates()) ?? []
}

export const saveInviteTemplate = (t: InviteTemplate) => Portal.SaveTemplate(t)
export const deleteInviteTemplate = (id: string) => Portal.DeleteTemplate(id)

/** What a person's portal state is called on screen. */
export const PORTAL_DISPLAY_LABELS: Record<string, string> = {
  queued: 'Queued: goes out with the next sync',
  invited: 'Invited',
  expired: 'Invitation expired',
  undelivered: 'Invitation not delivered',
  active: 'Active',
  removed: 'Access removed',
}

/** Security events as staff read them. */
const EVENT_LABELS: Record<string, string> = {
  'invitation.accepted': 'Accepted the invitation',
  'invitation.new_link_requested': 'Asked for a new invitation link',
  'access.removed': 'Access removed',
  'signin.succeeded': 'Signed in',
  'signin.failed': 'Failed sign-in',
  'signin.locked': 'Sign-in locked after failed attempts',
  'code.failed': 'Wrong sign-in code',
  'code.locked': 'Sign-in stopped after wrong codes',
  'recovery_code.used': 'Used a recovery code',
  'second_factor.changed': 'Changed two-step sign-in',
  'password.changed': 'Changed password',
  'password.change_failed': 'Failed to change password',
  'password.reset_requested': 'Asked to reset password',
  'password.reset': 'Reset password',
  'signout.everywhere': 'Signed out everywhere',
  'todo.done': 'Marked a to-do done',
  'booking.made': 'Booked an appointment',
  'booking.cancelled': 'Cancelled an appointment',
  'name.changed': 'Changed their name',
}

export function eventLabel(event: string): string {
  return EVENT_LABELS[event] ?? event
}
