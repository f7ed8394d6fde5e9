// Settings of this computer (start at login, library folder) — wraps app.Desktop.
import * as binding from '../../../wailsjs/go/app/Desktop'
import type { SealCert } from './types'

export type { SealCert } from './types'

const Desktop = binding

export async function startAtLogin(): Promise<boolean> {
  return Desktop.StartAtLogin()
}

export async function setStartAtLogin(on: boolean): Promise<void> {
  await Desktop.SetStartAtLogin(on)
}

export async function libraryFolder(): Promise<string> {
  return Desktop.LibraryFolder()
}

/** Asks for a new firm library folder; it applies from the next start. "" when cancelled. */
export async function chooseLibraryFolder(): Promise<string> {
  return Desktop.ChooseLibraryFolder()
}

/** The certificate the firm's signed documents are sealed with; needs the portal. */
export async function sealCertificate(): Promise<SealCert> {
  return (await Desktop.SealCertificate()) as SealCert
}

/** Asks for the firm's own .p12/.pfx file and sends it; the certificate in use afterwards. */
export async function chooseSealCertificate(password: string): Promise<SealCert> {
  return (await Desktop.ChooseSealCertificate(password)) as SealCert
}
