// The data pdf.js asks for while it renders, bundled with the app so that nothing is fetched
// from elsewhere: the wasm decoders for JPEG 2000 and JBIG2 images (scanned documents) and
// for colour profiles, the standard fonts (Symbol and ZapfDingbats: check marks on forms),
// and the character maps of Chinese, Japanese and Korean text. pdf.js asks by file name; Vite
// gives each file a URL of its own (hashed, or inlined when small).

type Kind = 'cMapUrl' | 'standardFontDataUrl' | 'wasmUrl'

// Each glob names its options in full: Vite reads them as written.
const byKind: Record<Kind, Record<string, string>> = {
  wasmUrl: byName(
    import.meta.glob<string>('/node_modules/pdfjs-dist/wasm/{openjpeg,jbig2,qcms_bg}.wasm', {
      query: '?url', import: 'default', eager: true, exhaustive: true,
    }),
  ),
  standardFontDataUrl: byName(
    import.meta.glob<string>('/node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', {
      query: '?url', import: 'default', eager: true, exhaustive: true,
    }),
  ),
  cMapUrl: byName(
    import.meta.glob<string>('/node_modules/pdfjs-dist/cmaps/*.bcmap', {
      query: '?url', import: 'default', eager: true, exhaustive: true,
    }),
  ),
}

function byName(modules: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(modules).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]))
}

/** The URL the app serves a pdf.js data file at, or "" for one it does not have. */
export function assetUrl(kind: string, filename: string): string {
  return (byKind as Record<string, Record<string, string>>)[kind]?.[filename] ?? ''
}

/** pdf.js's BinaryDataFactory, over the bundled files (its own expects a folder of them). */
export class BundledDataFactory {
  // pdf.js passes its URL options; the bundled files need none.
  constructor(_options?: unknown) {}

  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const url = assetUrl(kind, filename)
    if (!url) throw new Error(`pdf.js asked for ${filename}, which the app does not bundle`)
    const res = await fetch(url)
    if (!res.ok) throw new Error(`Unable to load ${filename}: ${res.status}`)
    return new Uint8Array(await res.arrayBuffer())
  }
}
