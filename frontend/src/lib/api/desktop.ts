// Settings of this computer (start at login, library folder) — wraps app.Desktop.
import * as binding from '../../../wailsjs/go/app/Desktop'

const Desktop = binding as unknown as {
  StartAtLogin(): Promise<boolean>
  SetStartAtLogin(on: boolean): Promise<void>
  LibraryFolder(): Promise<string>
  ChooseLibraryFolder(): Promise<string>
}

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
