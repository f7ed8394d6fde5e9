// A client's files on this computer and the portal — wraps the Wails binding app.Files.
import * as binding from '../../../wailsjs/go/app/Files'
import { localDateTime } from '../format'
import type { FileView, FolderDecision, FolderMatch } from './types'

export type { FileState, FileView, FolderDecision, FolderMatch } from './types'

const Files = binding

export async function listFiles(clientId: string): Promise<FileView[]> {
  return ((await Files.List(clientId)) ?? []) as FileView[]
}

/** Deleted files that can still be restored, newest first. */
export async function listTrash(clientId: string): Promise<FileView[]> {
  return ((await Files.Trash(clientId)) ?? []) as FileView[]
}

/** Copies files or folders into the client's folder ("Shared with client" when visible); the files added. */
export async function addFiles(clientId: string, paths: string[], visible: boolean): Promise<FileView[]> {
  return ((await Files.Add(clientId, paths, visible)) ?? []) as FileView[]
}

/** Asks for files with the system's dialog and adds them; [] when cancelled. */
export async function chooseFiles(clientId: string, visible: boolean): Promise<FileView[]> {
  return ((await Files.Choose(clientId, visible)) ?? []) as FileView[]
}

export const setVisible = async (id: string, visible: boolean) => (await Files.SetVisible(id, visible)) as FileView
export const renameFile = async (id: string, name: string) => (await Files.Rename(id, name)) as FileView
/** Moves the file to the trash; restorable for 30 days. */
export const deleteFile = (id: string) => Files.Delete(id)
export const restoreFile = async (id: string) => (await Files.Restore(id)) as FileView
/** Opens the file in the app the system uses for it. */
export const openFile = (id: string) => Files.Open(id)
/** Shows the file in Explorer or Finder. */
export const revealFile = (id: string) => Files.Reveal(id)
/** Opens the client's folder in Explorer or Finder. */
export const openClientFolder = (clientId: string) => Files.Folder(clientId)

/** The library's top-level folders that wait for staff to say whose they are, by name. */
export async function listUnmatched(): Promise<FolderMatch[]> {
  return (await Files.Unmatched()) ?? []
}

/** Gives folders to clients, or to no one (clientId ""); all or nothing: a refusal applies none. */
export async function matchFolders(decisions: FolderDecision[]): Promise<void> {
  await Files.Match(decisions)
}

/** 1400000 → "1.4 MB": decimal units, as the portal shows sizes to clients. */
export function fileSize(bytes: number): string {
  const n = Math.max(0, Math.floor(bytes || 0))
  if (n < 1000) return n === 1 ? '1 byte' : `${n} bytes`
  let div = 1000
  let exp = 0
  for (let m = Math.floor(n / 1000); m >= 1000 && exp < 5; m = Math.floor(m / 1000)) {
    div *= 1000
    exp++
  }
  return `${(n / div).toFixed(1)} ${'kMGTPE'[exp]}B`
}

/** Whole percent of an upload that reached the portal, 0–100. */
export function uploadPercent(view: Pick<FileView, 'sent' | 'size'>): number {
  if (!view.size || view.size <= 0) return 0
  return Math.min(100, Math.max(0, Math.floor((view.sent / view.size) * 100)))
}

/** What a file's sync state is called on screen. */
export function syncLabel(view: Pick<FileView, 'state' | 'error' | 'sent' | 'size'>): string {
  switch (view.state) {
    case 'synced':
      return 'Synced'
    case 'waiting':
      return view.error ? `Waiting to sync: ${view.error}` : 'Waiting to sync'
    case 'uploading':
      return `Uploading ${uploadPercent(view)}%`
    case 'downloading':
      return 'Downloading'
    case 'error':
      return view.error ? `Error: ${view.error}` : 'Error'
    case 'local':
      return 'On this computer only'
    default:
      return String(view.state ?? '')
  }
}

/** The client can always see what they sent; only the firm's files can be shown or hidden. */
export function sentByClient(view: Pick<FileView, 'source' | 'fromClient'>): boolean {
  return view.fromClient || view.source === 'client'
}

/** A PDF that is not in the trash: one that can be sent for signatures. */
export function isPdf(view: Pick<FileView, 'name' | 'trashedAt'>): boolean {
  return /\.pdf$/i.test(view.name) && !view.trashedAt
}

/** "Added 3 files", "Added 1 file". */
export function countFiles(n: number): string {
  return n === 1 ? '1 file' : `${n} files`
}

/** A file's date (added, deleted) in local time; "" when missing or Go's zero time. */
export function fileDate(iso: string | undefined): string {
  if (!iso || iso.startsWith('0001-')) return ''
  return localDateTime(iso)
}
