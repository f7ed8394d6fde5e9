// Where eSignature fields sit on a page. A box is page-relative: 0..1 of the page as
// displayed, from its top-left corner, so it does not depend on the zoom. Only the pointer
// works in pixels; these functions turn its moves into page-relative boxes kept on the page.
import type { PageSize, SignBox, SignFieldType } from '../api/types'

export type { PageSize, SignBox, SignFieldType } from '../api/types'

/** A US Letter page in points, portrait. */
export const LETTER: PageSize = { w: 612, h: 792 }

/** The smallest a field can be made, as a share of its page. */
export const MIN_SIZE = 0.01

/** One arrow key press moves or resizes a field by 1% of its page. */
export const STEP = 0.01

/** The gap left between a new field and one it would otherwise cover. */
export const CASCADE = 0.02

/** Default sizes as shares of a portrait Letter page; other pages get the same size in points. */
export const DEFAULT_SIZES: Record<SignFieldType, { w: number; h: number }> = {
  signature: { w: 0.3, h: 0.05 },
  initials: { w: 0.1, h: 0.05 },
  date: { w: 0.18, h: 0.03 },
  text: { w: 0.3, h: 0.03 },
  name: { w: 0.3, h: 0.03 },
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : lo))

// Four decimals are a tenth of a point on a Letter page; they keep the JSON tidy.
const round = (v: number) => Math.round(v * 10000) / 10000

/** The box made to fit its page: at least MIN_SIZE, at most the page, wholly on it. */
export function clampBox(b: SignBox): SignBox {
  const w = round(clamp(b.w, MIN_SIZE, 1))
  const h = round(clamp(b.h, MIN_SIZE, 1))
  return {
    page: Math.max(0, Math.floor(Number.isFinite(b.page) ? b.page : 0)),
    x: round(clamp(b.x, 0, 1 - w)),
    y: round(clamp(b.y, 0, 1 - h)),
    w,
    h,
  }
}

/** The size of a new field of this type on a page of this size (points), as shares of the page. */
export function defaultSize(type: SignFieldType, page: PageSize): { w: number; h: number } {
  const share = DEFAULT_SIZES[type]
  const pw = page.w > 0 ? page.w : LETTER.w
  const ph = page.h > 0 ? page.h : LETTER.h
  return {
    w: round(clamp((share.w * LETTER.w) / pw, MIN_SIZE, 1)),
    h: round(clamp((share.h * LETTER.h) / ph, MIN_SIZE, 1)),
  }
}

/**
 * A new field centred on a point of the page (its middle by default), kept on the page and
 * moved down below any field it would cover, so every field stays visible and can be picked.
 */
export function placeField(
  type: SignFieldType,
  pageIndex: number,
  page: PageSize,
  existing: SignBox[] = [],
  centre: { x: number; y: number } = { x: 0.5, y: 0.5 },
): SignBox {
  const { w, h } = defaultSize(type, page)
  let box = clampBox({ page: pageIndex, x: centre.x - w / 2, y: centre.y - h / 2, w, h })
  const onPage = existing.filter((e) => e.page === pageIndex)
  const covers = (a: SignBox, b: SignBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
  for (let i = 0; i < 50; i++) {
    const under = onPage.filter((e) => covers(box, e))
    if (under.length === 0) break
    const below = Math.max(...under.map((e) => e.y + e.h)) + CASCADE / 2
    // Off the bottom: start again from the top of the page, in the same column.
    // A page full down this column ends where it started: staff move it by hand then.
    box = below + h > 1 ? clampBox({ ...box, y: 0 }) : clampBox({ ...box, y: below })
  }
  return box
}

/** The box moved by a pointer drag of dx, dy pixels on a page shown pagePx in size. */
export function moveBy(b: SignBox, dx: number, dy: number, pagePx: { width: number; height: number }): SignBox {
  if (!(pagePx.width > 0 && pagePx.height > 0)) return clampBox(b)
  return clampBox({ ...b, x: b.x + dx / pagePx.width, y: b.y + dy / pagePx.height })
}

/** The box resized from its bottom-right corner by dx, dy pixels; its top-left stays. */
export function resizeBy(b: SignBox, dx: number, dy: number, pagePx: { width: number; height: number }): SignBox {
  if (!(pagePx.width > 0 && pagePx.height > 0)) return clampBox(b)
  const w = clamp(b.w + dx / pagePx.width, MIN_SIZE, 1 - b.x)
  const h = clamp(b.h + dy / pagePx.height, MIN_SIZE, 1 - b.y)
  return clampBox({ ...b, w, h })
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

/**
 * What an arrow key does to a field: moves it by STEP, or with Shift resizes it (right and
 * down grow it). null for any other key.
 */
export function nudge(b: SignBox, key: string, resize = false): SignBox | null {
  const d = ARROWS[key]
  if (!d) return null
  const [dx, dy] = d
  if (resize) {
    const w = clamp(b.w + dx * STEP, MIN_SIZE, 1 - b.x)
    const h = clamp(b.h + dy * STEP, MIN_SIZE, 1 - b.y)
    return clampBox({ ...b, w, h })
  }
  return clampBox({ ...b, x: b.x + dx * STEP, y: b.y + dy * STEP })
}

/** A CSS position for a box over its page, in percentages. */
export function boxStyle(b: SignBox): string {
  const pct = (v: number) => `${round(v * 100)}%`
  return `left: ${pct(b.x)}; top: ${pct(b.y)}; width: ${pct(b.w)}; height: ${pct(b.h)};`
}

/** Where a point on screen falls on a page shown in rect, as shares of the page; null when off it. */
export function pointOnPage(
  point: { x: number; y: number },
  rect: { left: number; top: number; width: number; height: number },
): { x: number; y: number } | null {
  if (!(rect.width > 0 && rect.height > 0)) return null
  const x = (point.x - rect.left) / rect.width
  const y = (point.y - rect.top) / rect.height
  return x >= 0 && x <= 1 && y >= 0 && y <= 1 ? { x, y } : null
}

/** A new field dropped on a page: its top-left corner where it was dropped, kept on the page. */
export function dropField(type: SignFieldType, pageIndex: number, page: PageSize, at: { x: number; y: number }): SignBox {
  const { w, h } = defaultSize(type, page)
  return clampBox({ page: pageIndex, x: at.x, y: at.y, w, h })
}
