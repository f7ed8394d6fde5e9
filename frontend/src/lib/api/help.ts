// The firm's own help links for clients — wraps the Wails binding app.Help.
import * as binding from '../../../wailsjs/go/app/Help'
import type { Help, HelpLink } from './types'

export type { Help, HelpLink } from './types'

const HelpAPI = binding

export async function helpLinks(): Promise<HelpLink[]> {
  return (await HelpAPI.Get())?.links ?? []
}

export async function saveHelpLinks(links: HelpLink[]): Promise<HelpLink[]> {
  return (await HelpAPI.Save({ links }))?.links ?? []
}
