import { describe, it, expect } from 'vitest'
import { canZoomIn, canZoomOut, fitScale, MAX_ZOOM, MIN_ZOOM, PX_PER_POINT, zoomIn, zoomOut, zoomText } from './zoom'

describe('zoom steps', () => {
  it.each([
    [1, 1.25, 0.75],
    [0.5, 0.75, 0.5],
    [3, 3, 2],
    // A fitted scale between steps goes to the nearest step either way.
    [0.9, 1, 0.75],
    [1.1, 1.25, 1],
    // A hair off a step counts as on it.
    [0.998, 1.25, 0.75],
    [1.003, 1.25, 0.75],
    // Past either end (a fit on a very wide or narrow window): back inside.
    [5, 3, 3],
    [0.2, 0.5, 0.5],
  ])('from %s: in to %s, out to %s', (scale, up, down) => {
    expect(zoomIn(scale)).toBe(up)
    expect(zoomOut(scale)).toBe(down)
  })

  it('stops at the ends', () => {
    expect(canZoomIn(MAX_ZOOM)).toBe(false)
    expect(canZoomIn(2)).toBe(true)
    expect(canZoomOut(MIN_ZOOM)).toBe(false)
    expect(canZoomOut(0.75)).toBe(true)
  })
})

describe('fitScale', () => {
  it('is the scale at which the widest page fills the column', () => {
    expect(fitScale(816, 612)).toBeCloseTo(1)
    expect(fitScale(408, 612)).toBeCloseTo(0.5)
    expect(fitScale(816, 792)).toBeCloseTo(816 / (792 * PX_PER_POINT))
  })

  it('is 100% until the column has a width', () => {
    expect(fitScale(0, 612)).toBe(1)
    expect(fitScale(816, 0)).toBe(1)
  })
})

it('says the scale as a whole percentage', () => {
  expect(zoomText(1)).toBe('100%')
  expect(zoomText(0.7727)).toBe('77%')
  expect(zoomText(1.25)).toBe('125%')
})
