// Where dropped files go: the client element under the pointer says which client, and
// (on the Files tab) whether the client should see them.
import { addFiles, countFiles, type FileView } from './api/files'

/**
 * A client that accepts dropped files. Put these attributes, with DROP_TARGET_STYLE,
 * on the element: data-client-id, data-client-name, and data-drop-visible ("true" by default).
 */
export interface DropTarget {
  clientId: string
  clientName: string
  visible: boolean
}

/** The client drop target at a point of the window, or null when there is none. */
export function dropTargetAt(x: number, y: number, doc: Document = document): DropTarget | null {
  // jsdom and old engines lack elementFromPoint; treat that as "nothing there".
  const under = typeof doc.elementFromPoint === 'function' ? doc.elementFromPoint(x, y) : null
  const el = under?.closest<HTMLElement>('[data-client-id]')
  const clientId = el?.dataset.clientId
  if (!el || !clientId) return null
  return {
    clientId,
    clientName: el.dataset.clientName || 'the client',
    visible: el.dataset.dropVisible !== 'false',
  }
}

export interface DropResult {
  target: DropTarget
  added: FileView[]
}

/**
 * Adds files dropped at (x, y) to the client there. Resolves null when no client is under
 * the pointer or nothing was dropped; rejects with the backend's error.
 */
export async function addDroppedFiles(
  x: number,
  y: number,
  paths: string[],
  target: DropTarget | null = dropTargetAt(x, y),
): Promise<DropResult | null> {
  if (!target || paths.length === 0) return null
  const added = await addFiles(target.clientId, paths, target.visible)
  return { target, added }
}

/** "Added 3 files to Jane Doe." (an empty folder counts as what was dropped) */
export function droppedMessage({ target, added }: DropResult, dropped: number): string {
  const n = added.length || dropped
  return `Added ${countFiles(n)} to ${target.clientName}${target.visible ? '' : ' (not shared with the client)'}.`
}
