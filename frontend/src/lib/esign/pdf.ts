// Draws the pages of a PDF with pdf.js for the eSign editor. The editor loads this module on
// demand (a dynamic import): pdf.js is large and nothing else needs it. Unit tests mock it:
// jsdom has no canvas.
//
// The legacy build of pdfjs-dist: the modern one calls Map.prototype.getOrInsertComputed,
// Promise.try, Math.sumPrecise and Uint8Array.fromBase64 in the page and in its worker, which
// WebKitGTK and WKWebView before Safari 26 do not have; the legacy build carries polyfills for
// them. It still needs Promise.withResolvers (WebKitGTK 2.44, Safari 17.4, any WebView2).
import {
  getDocument,
  GlobalWorkerOptions,
  RenderingCancelledException,
  type PDFDocumentProxy,
  type RenderTask,
} from 'pdfjs-dist/legacy/build/pdf.mjs'
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url'
import { BundledDataFactory } from './pdfAssets'

GlobalWorkerOptions.workerSrc = workerUrl

/** Web views refuse canvases past some size (WebKit: about 16 million pixels). */
const MAX_CANVAS_PIXELS = 12_000_000
const MAX_CANVAS_WIDTH = 2400

export interface PageRender {
  /** Settles when the page is drawn, or at once when cancelled. */
  done: Promise<void>
  cancel(): void
}

export interface PdfFile {
  readonly pageCount: number
  /** Draws a page (0-based) on the canvas about widthPx wide; the height follows the page. */
  render(index: number, canvas: HTMLCanvasElement, widthPx: number): PageRender
  destroy(): void
}

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export async function openPdf(base64: string): Promise<PdfFile> {
  const task = getDocument({
    data: decodeBase64(base64),
    BinaryDataFactory: BundledDataFactory,
    enableXfa: false,
  })
  let doc: PDFDocumentProxy
  try {
    doc = await task.promise
  } catch (e) {
    task.destroy()
    throw e
  }

  return {
    pageCount: doc.numPages,
    render(index, canvas, widthPx) {
      let cancelled = false
      let running: RenderTask | null = null
      const done = (async () => {
        const page = await doc.getPage(index + 1)
        if (cancelled) return
        // getViewport applies the page's /Rotate: the size is the page as displayed.
        const base = page.getViewport({ scale: 1 })
        let scale = Math.min(widthPx, MAX_CANVAS_WIDTH) / base.width
        scale = Math.min(scale, Math.sqrt(MAX_CANVAS_PIXELS / (base.width * base.height)))
        const viewport = page.getViewport({ scale })
        canvas.width = Math.max(1, Math.floor(viewport.width))
        canvas.height = Math.max(1, Math.floor(viewport.height))
        running = page.render({ canvas, viewport })
        try {
          await running.promise
        } catch (e) {
          if (cancelled || e instanceof RenderingCancelledException) return
          throw e
        }
      })()
      return {
        done,
        cancel() {
          cancelled = true
          running?.cancel()
        },
      }
    },
    destroy() {
      task.destroy()
    },
  }
}
