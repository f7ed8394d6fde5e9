// How big the eSign editor shows its pages. A scale of 1 is 100%: a PDF point is 96/72 CSS
// pixels, as in pdf.js and browsers' PDF viewers. "Fit width" is no scale of its own: it is
// whatever makes the widest page fill the column, so it changes with the window.

/** CSS pixels per PDF point at 100%. */
export const PX_PER_POINT = 96 / 72

/** How long pages wait for their width to settle before they are drawn again, e.g. between clicks on Zoom in. */
export const REDRAW_DELAY_MS = 150

/** The scales Zoom in and Zoom out step through. */
export const ZOOM_STEPS: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 2, 3]

export const MIN_ZOOM = ZOOM_STEPS[0]
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1]

// A fitted scale a hair off a step counts as on it: 99.6% zooms in to 125%, not to 100%.
const SLACK = 0.005

/** The next step up from scale; MAX_ZOOM at the top. */
export function zoomIn(scale: number): number {
  return ZOOM_STEPS.find((s) => s > scale + SLACK) ?? MAX_ZOOM
}

/** The next step down from scale; MIN_ZOOM at the bottom. */
export function zoomOut(scale: number): number {
  return [...ZOOM_STEPS].reverse().find((s) => s < scale - SLACK) ?? MIN_ZOOM
}

export const canZoomIn = (scale: number) => scale < MAX_ZOOM - SLACK
export const canZoomOut = (scale: number) => scale > MIN_ZOOM + SLACK

/** The scale at which a page widestPt points wide fills widthPx; 1 while either is unknown. */
export function fitScale(widthPx: number, widestPt: number): number {
  return widthPx > 0 && widestPt > 0 ? widthPx / (widestPt * PX_PER_POINT) : 1
}

/** "125%" */
export function zoomText(scale: number): string {
  return `${Math.round(scale * 100)}%`
}
