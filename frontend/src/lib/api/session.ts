// Staff session (portal sign-in) — wraps the Wails binding app.Session.
import * as binding from '../../../wailsjs/go/app/Session'
import type { SessionStatus } from './types'

export type { SessionStatus } from './types'

const Session = binding

// async so that a missing bridge (e.g. plain browser) rejects instead of throwing.
export async function sessionStatus(): Promise<SessionStatus> {
  return Session.Status()
}

/** Signs in and returns the new session status. */
export async function signIn(portalURL: string, email: string, password: string): Promise<SessionStatus> {
  const result = await Session.SignIn(portalURL, email, password)
  if (result && typeof result === 'object' && 'signedIn' in result) return result
  return sessionStatus()
}

export async function signOut(): Promise<void> {
  await Session.SignOut()
}

