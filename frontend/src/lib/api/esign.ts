// eSignature requests of a client — wraps the Wails binding app.ESign.
import * as binding from '../../../wailsjs/go/app/ESign'
import { localDate, localDateTime } from '../format'
import type { esign } from '../../../wailsjs/go/models'
import type { PacketDraft, PacketState, PacketView, SignDocument, SignerView, SignRecipient } from './types'

export type {
  PacketDraft,
  PacketState,
  PacketView,
  PageSize,
  SignBox,
  SignDocument,
  SignerState,
  SignerView,
  SignField,
  SignFieldType,
  SignRecipient,
} from './types'

const ESign = binding

/** Go sends nil slices as null; the screens want lists. */
function tidy(view: esign.View): PacketView {
  return {
    ...view,
    recipients: view.recipients ?? [],
    fields: view.fields ?? [],
    signers: view.signers ?? [],
  } as PacketView
}

/** Reads a PDF of the client's files for the editor; rejects in words for one that cannot be signed. */
export async function openDocument(fileId: string): Promise<SignDocument> {
  const doc = await ESign.Open(fileId)
  return { ...doc, pages: doc.pages ?? [] }
}

/** What is wrong with an email address by the portal's one rule, or "" when nothing is. */
export async function checkEmail(email: string): Promise<string> {
  return ESign.CheckEmail(email)
}

/** The people on the client record who have an email address. */
export async function suggestedRecipients(clientId: string): Promise<SignRecipient[]> {
  return (await ESign.Recipients(clientId)) ?? []
}

/** The default subject and message of a request for the document named title. */
export async function defaultMessage(title: string): Promise<{ subject: string; message: string }> {
  const [subject = '', message = ''] = (await ESign.Message(title)) ?? []
  return { subject, message }
}

/** Keeps a draft on this computer; nothing is sent. */
export async function saveDraft(draft: PacketDraft): Promise<PacketView> {
  return tidy(await ESign.Save(draft))
}

/** Saves and queues the request: it goes out with the next sync, offline or not. */
export async function sendPacket(draft: PacketDraft): Promise<PacketView> {
  return tidy(await ESign.Send(draft))
}

export async function getPacket(id: string): Promise<PacketView> {
  return tidy(await ESign.Get(id))
}

/** The client's requests, newest first. */
export async function listPackets(clientId: string): Promise<PacketView[]> {
  return ((await ESign.List(clientId)) ?? []).map(tidy)
}

/** Stops a request before it completes: the signers' links stop working. */
export async function voidPacket(id: string, reason: string): Promise<PacketView> {
  return tidy(await ESign.Void(id, reason))
}

/** Deletes a draft. */
export const discardDraft = (id: string) => ESign.Discard(id)

/** The draft a request was made from, to edit it again. */
export function draftOf(view: PacketView): PacketDraft {
  return {
    id: view.id,
    clientId: view.clientId,
    fileId: view.fileId,
    title: view.title,
    recipients: (view.recipients ?? []).map((r) => ({ ...r })),
    fields: (view.fields ?? []).map((f) => ({ ...f, box: { ...f.box } })),
    ordered: view.ordered,
    due: view.due,
    remindDays: view.remindDays,
    subject: view.subject,
    message: view.message,
  }
}

/** A request's state in one word, for its badge. */
export const PACKET_BADGES: Record<PacketState, string> = {
  draft: 'Draft',
  queued: 'Queued',
  sent: 'Sent',
  completed: 'Completed',
  declined: 'Declined',
  voided: 'Voided',
  expired: 'Expired',
}

export const QUEUED_TEXT = 'Queued — goes out with the next sync'

/** What a request's state means, in words. */
export function packetStateText(view: Pick<PacketView, 'state' | 'error' | 'reason' | 'sentAt'>): string {
  switch (view.state) {
    case 'draft':
      return 'Draft — not sent yet'
    case 'queued':
      return view.error ? `Not sent: ${view.error}` : QUEUED_TEXT
    case 'sent': {
      const at = view.sentAt ? localDateTime(view.sentAt) : ''
      return at ? `Sent ${at} — waiting for signatures` : 'Sent — waiting for signatures'
    }
    case 'completed':
      return 'Completed — everyone signed'
    case 'declined':
      return view.reason ? `Declined: ${view.reason}` : 'Declined by a signer'
    case 'voided':
      return view.reason ? `Voided: ${view.reason}` : 'Voided'
    case 'expired':
      return 'Expired — the due date passed before everyone signed'
    default:
      return String(view.state ?? '')
  }
}

/** Where one signer stands, in words, with local times. */
export function signerStateText(signer: Pick<SignerView, 'state' | 'viewedAt' | 'signedAt'>): string {
  switch (signer.state) {
    case 'draft':
    case 'queued':
      return 'Not sent yet'
    case 'waiting':
      return 'Waiting for an earlier signer'
    case 'sent':
      return 'Not opened yet'
    case 'viewed':
      return signer.viewedAt ? `Viewed ${localDateTime(signer.viewedAt)}` : 'Viewed'
    case 'signed':
      return signer.signedAt ? `Signed ${localDateTime(signer.signedAt)}` : 'Signed'
    case 'declined':
      return 'Declined'
    default:
      return String(signer.state ?? '')
  }
}

/** "Due Dec 1, 2026", or "" without a due date. */
export function dueText(due: string): string {
  const day = localDate(due)
  return day ? `Due ${day}` : ''
}

/** A request can be voided until it is completed, declined, voided or expired; a draft is discarded instead. */
export function canVoid(state: PacketState): boolean {
  return state === 'queued' || state === 'sent'
}
