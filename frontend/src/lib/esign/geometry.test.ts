import { describe, it, expect } from 'vitest'
import {
  boxStyle,
  clampBox,
  defaultSize,
  dropField,
  LETTER,
  moveBy,
  nudge,
  placeField,
  pointOnPage,
  resizeBy,
  type SignBox,
} from './geometry'

const box = (over: Partial<SignBox> = {}): SignBox => ({ page: 0, x: 0.35, y: 0.475, w: 0.3, h: 0.05, ...over })
const A4 = { w: 595.28, h: 841.89 }
const LANDSCAPE = { w: 792, h: 612 }
const px = { width: 612, height: 792 } // Letter shown at 1 px a point

describe('clampBox keeps a field on its page', () => {
  it.each([
    ['inside stays', box(), box()],
    ['off the left', box({ x: -0.2 }), box({ x: 0 })],
    ['off the top', box({ y: -1 }), box({ y: 0 })],
    ['off the right', box({ x: 0.9 }), box({ x: 0.7 })],
    ['off the bottom', box({ y: 0.99 }), box({ y: 0.95 })],
    ['wider than the page', box({ x: 0.5, w: 1.5 }), box({ x: 0, w: 1 })],
    ['too small', box({ w: 0, h: -1 }), box({ w: 0.01, h: 0.01 })],
    ['not a number', box({ x: NaN, y: Infinity }), box({ x: 0, y: 0 })],
    ['a page index below 0', box({ page: -2 }), box({ page: 0 })],
    ['rounded to 4 decimals', box({ x: 0.123456, y: 0.654321 }), box({ x: 0.1235, y: 0.6543 })],
  ])('%s', (_name, input, want) => expect(clampBox(input)).toEqual(want))

  it('never leaves a box past the page edge the backend allows', () => {
    for (const x of [0.69999, 0.70004, 0.8, 1]) {
      const b = clampBox(box({ x, w: 0.30004 }))
      expect(b.x + b.w).toBeLessThanOrEqual(1.0001)
    }
  })
})

describe('defaultSize is the same size in points on any page', () => {
  it.each([
    ['signature', LETTER, { w: 0.3, h: 0.05 }],
    ['initials', LETTER, { w: 0.1, h: 0.05 }],
    ['date', LETTER, { w: 0.18, h: 0.03 }],
    ['text', LETTER, { w: 0.3, h: 0.03 }],
    ['name', LETTER, { w: 0.3, h: 0.03 }],
    ['signature', LANDSCAPE, { w: 0.2318, h: 0.0647 }],
    ['signature', A4, { w: 0.3084, h: 0.047 }],
    ['signature', { w: 100, h: 20 }, { w: 1, h: 1 }], // a tiny page: the field fills it
    ['signature', { w: 0, h: 0 }, { w: 0.3, h: 0.05 }], // unknown size: as on Letter
  ] as const)('%s on %o', (type, page, want) => expect(defaultSize(type, page)).toEqual(want))
})

describe('placeField', () => {
  it('centres a new field on the page', () => {
    expect(placeField('signature', 2, LETTER)).toEqual({ page: 2, x: 0.35, y: 0.475, w: 0.3, h: 0.05 })
  })

  it('centres it on a point, kept on the page', () => {
    expect(placeField('initials', 0, LETTER, [], { x: 0.2, y: 0.1 })).toEqual({ page: 0, x: 0.15, y: 0.075, w: 0.1, h: 0.05 })
    expect(placeField('signature', 0, LETTER, [], { x: 0.99, y: 0.99 })).toEqual({ page: 0, x: 0.7, y: 0.95, w: 0.3, h: 0.05 })
  })

  it('moves down below fields it would cover on that page', () => {
    const first = placeField('signature', 0, LETTER)
    const second = placeField('signature', 0, LETTER, [first])
    const third = placeField('date', 0, LETTER, [first, second])
    expect(second).toEqual({ ...first, y: 0.535 })
    expect(third).toEqual({ page: 0, x: 0.41, y: 0.595, w: 0.18, h: 0.03 })
    expect(placeField('signature', 1, LETTER, [first])).toEqual({ ...first, page: 1 })
    const beside = box({ x: 0, y: 0.475, w: 0.2 }) // not under the middle: no move
    expect(placeField('signature', 0, LETTER, [beside])).toEqual(first)
  })

  it('starts again at the top of the page when there is no room below', () => {
    const corner = box({ x: 0.7, y: 0.95 })
    expect(placeField('signature', 0, LETTER, [corner], { x: 1, y: 1 })).toEqual({ ...corner, y: 0 })
    const top = box({ x: 0.7, y: 0 })
    expect(placeField('signature', 0, LETTER, [corner, top], { x: 1, y: 1 })).toEqual({ ...corner, y: 0.06 })
  })
})

describe('dragging turns pixels into page shares', () => {
  it.each([
    ['right 61.2 px is 10%', 61.2, 0, box({ x: 0.45 })],
    ['up 79.2 px is 10%', 0, -79.2, box({ y: 0.375 })],
    ['far past the right edge stops at it', 5000, 0, box({ x: 0.7 })],
    ['far past the top-left corner stops at it', -5000, -5000, box({ x: 0, y: 0 })],
  ])('move %s', (_name, dx, dy, want) => expect(moveBy(box(), dx, dy, px)).toEqual(want))

  it('moves relative to the size the page is shown at', () => {
    expect(moveBy(box(), 61.2, 0, { width: 1224, height: 1584 })).toEqual(box({ x: 0.4 }))
  })

  it.each([
    ['wider by 30.6 px is 5%', 30.6, 0, box({ w: 0.35 })],
    ['past the right edge stops at it', 5000, 5000, box({ w: 0.65, h: 0.525 })],
    ['smaller than the minimum stops at it', -5000, -5000, box({ w: 0.01, h: 0.01 })],
  ])('resize %s', (_name, dx, dy, want) => expect(resizeBy(box(), dx, dy, px)).toEqual(want))

  it('leaves the box as it is while the page has no size yet', () => {
    expect(moveBy(box(), 10, 10, { width: 0, height: 0 })).toEqual(box())
    expect(resizeBy(box(), 10, 10, { width: 0, height: 0 })).toEqual(box())
  })
})

describe('arrow keys move by 1%, with Shift resize', () => {
  it.each([
    ['ArrowRight', false, box({ x: 0.36 })],
    ['ArrowLeft', false, box({ x: 0.34 })],
    ['ArrowUp', false, box({ y: 0.465 })],
    ['ArrowDown', false, box({ y: 0.485 })],
    ['ArrowRight', true, box({ w: 0.31 })],
    ['ArrowLeft', true, box({ w: 0.29 })],
    ['ArrowDown', true, box({ h: 0.06 })],
    ['ArrowUp', true, box({ h: 0.04 })],
  ])('%s (Shift %s)', (key, shift, want) => expect(nudge(box(), key, shift)).toEqual(want))

  it('stops at the page edge and ignores other keys', () => {
    expect(nudge(box({ x: 0.7 }), 'ArrowRight')).toEqual(box({ x: 0.7 }))
    expect(nudge(box({ x: 0.7 }), 'ArrowRight', true)).toEqual(box({ x: 0.7 }))
    expect(nudge(box({ w: 0.01 }), 'ArrowLeft', true)).toEqual(box({ w: 0.01 }))
    expect(nudge(box(), 'Enter')).toBeNull()
  })
})

it('positions a box in percentages of its page', () => {
  expect(boxStyle(box())).toBe('left: 35%; top: 47.5%; width: 30%; height: 5%;')
})

describe('dropping a field from the palette', () => {
  const rect = { left: 100, top: 50, width: 612, height: 792 }

  it.each([
    ['the top-left corner', { x: 100, y: 50 }, { x: 0, y: 0 }],
    ['the middle', { x: 406, y: 446 }, { x: 0.5, y: 0.5 }],
    ['the bottom-right corner', { x: 712, y: 842 }, { x: 1, y: 1 }],
    ['left of the page', { x: 99, y: 446 }, null],
    ['below the page', { x: 406, y: 843 }, null],
  ])('a point at %s of the page', (_name, point, want) => expect(pointOnPage(point, rect)).toEqual(want))

  it('finds no point on a page not laid out yet', () => {
    expect(pointOnPage({ x: 0, y: 0 }, { left: 0, top: 0, width: 0, height: 0 })).toBeNull()
  })

  it('puts the field’s top-left corner where it is dropped, sized for the page', () => {
    expect(dropField('signature', 1, LETTER, { x: 0.1, y: 0.2 })).toEqual({ page: 1, x: 0.1, y: 0.2, w: 0.3, h: 0.05 })
    expect(dropField('signature', 0, LANDSCAPE, { x: 0.5, y: 0.5 })).toEqual({ page: 0, x: 0.5, y: 0.5, w: 0.2318, h: 0.0647 })
  })

  it('keeps a field dropped near an edge wholly on the page', () => {
    expect(dropField('signature', 0, LETTER, { x: 0.95, y: 0.99 })).toEqual({ page: 0, x: 0.7, y: 0.95, w: 0.3, h: 0.05 })
  })
})
