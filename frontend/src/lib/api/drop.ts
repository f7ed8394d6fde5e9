// Files dragged in from Explorer or Finder, via the Wails runtime's file drop.
import { OnFileDrop, OnFileDropOff } from '../../../wailsjs/runtime/runtime'

export type FileDropHandler = (x: number, y: number, paths: string[]) => void

/**
 * Inline style that makes an element, and everything inside it, accept dropped files.
 * It must be inline: Wails marks the target under the pointer by reading `element.style`.
 */
export const DROP_TARGET_STYLE = '--wails-drop-target: drop'

/** Class Wails puts on a drop target while files are dragged over it. */
export const DROP_TARGET_ACTIVE_CLASS = 'wails-drop-target-active'

/**
 * Calls cb with the drop point and the dropped paths, for drops on a drop target only.
 * Wails keeps a single listener, so register once for the app; returns the unsubscribe.
 */
export function onFileDrop(cb: FileDropHandler): () => void {
  try {
    OnFileDrop((x, y, paths) => cb(x, y, paths ?? []), true)
  } catch {
    // No Wails runtime (e.g. plain browser during UI work): nothing can be dropped.
    return () => {}
  }
  return () => {
    try {
      OnFileDropOff()
    } catch {
      // The runtime went away first.
    }
  }
}
