import { describe, it, expect, vi, afterEach } from 'vitest'
import { assetUrl, BundledDataFactory } from './pdfAssets'

afterEach(() => vi.unstubAllGlobals())

describe('the pdf.js data bundled with the app', () => {
  it.each([
    ['wasmUrl', 'openjpeg.wasm'],
    ['wasmUrl', 'jbig2.wasm'],
    ['wasmUrl', 'qcms_bg.wasm'],
    ['standardFontDataUrl', 'FoxitSymbol.pfb'],
    ['standardFontDataUrl', 'FoxitDingbats.pfb'],
    ['standardFontDataUrl', 'LiberationSans-Regular.ttf'],
    ['cMapUrl', 'UniJIS-UCS2-H.bcmap'],
    ['cMapUrl', 'UniGB-UCS2-H.bcmap'],
  ])('has a URL for %s %s', (kind, name) => expect(assetUrl(kind, name)).not.toBe(''))

  it('has none for what pdf.js never gets from it', () => {
    expect(assetUrl('wasmUrl', 'quickjs-eval.wasm')).toBe('')
    expect(assetUrl('iccUrl', 'CGATS001Compat-v2-micro.icc')).toBe('')
    expect(assetUrl('cMapUrl', '../package.json')).toBe('')
  })

  it('fetches a file pdf.js asks for by name, and says which one failed', async () => {
    const fetch = vi.fn().mockResolvedValueOnce(new Response(new Uint8Array([1, 2, 3]))).mockResolvedValueOnce(new Response('', { status: 404 }))
    vi.stubGlobal('fetch', fetch)
    const factory = new BundledDataFactory({ wasmUrl: null })
    expect(await factory.fetch({ kind: 'wasmUrl', filename: 'openjpeg.wasm' })).toEqual(new Uint8Array([1, 2, 3]))
    expect(fetch).toHaveBeenCalledWith(assetUrl('wasmUrl', 'openjpeg.wasm'))
    await expect(factory.fetch({ kind: 'wasmUrl', filename: 'jbig2.wasm' })).rejects.toThrow('Unable to load jbig2.wasm: 404')
    await expect(factory.fetch({ kind: 'cMapUrl', filename: 'nope.bcmap' })).rejects.toThrow('nope.bcmap')
  })
})
