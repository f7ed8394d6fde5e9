import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import type { SignField } from '../api/types'

// pdf.js draws on a canvas, which jsdom does not have: the pages are drawn by a stand-in.
vi.mock('../esign/pdf', () => ({ openPdf: vi.fn() }))

import { openPdf } from '../esign/pdf'
import { PX_PER_POINT, REDRAW_DELAY_MS } from '../esign/zoom'
import PdfPages from './PdfPages.svelte'

const pages = [
  { w: 612, h: 792 },
  { w: 792, h: 612 },
]
const fields: SignField[] = [{ id: 'x1', type: 'signature', recipientId: 'p1', box: { page: 1, x: 0.2, y: 0.3, w: 0.25, h: 0.06 } }]
const renderPage = vi.fn(() => ({ done: Promise.resolve(), cancel: vi.fn() }))
/** The column the pages are shown in: 816 px, which fits the landscape page at 816 / 1056 = 77%. */
const COLUMN = 816

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(openPdf).mockResolvedValue({ pageCount: 2, render: renderPage, destroy: vi.fn() })
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(function (this: HTMLElement) {
    return this.classList.contains('pdf-pages') ? COLUMN : 0
  })
})

afterEach(() => {
  vi.restoreAllMocks()
})

async function renderPages(props: { readonly?: boolean } = {}) {
  const result = render(PdfPages, {
    pdf: 'JVBERi0xLjcK',
    pages,
    fields,
    recipientOf: () => ({ name: 'Jane Doe', colour: '#1f5f8b' }),
    ...props,
  })
  await waitFor(() => expect(renderPage).toHaveBeenCalledTimes(2))
  const zoom = screen.getByRole('group', { name: 'Zoom' })
  const page = (i: number) => result.container.querySelector<HTMLElement>(`[data-page-index="${i}"]`)!
  return { ...result, zoom, page, button: (name: string) => within(zoom).getByRole('button', { name }) }
}

/** The widths (device pixels) pages were drawn at since the last clear, by page. */
const drawnWidths = () => renderPage.mock.calls.map((c) => [(c as unknown[])[0], (c as unknown[])[2]])

describe('PdfPages zoom', () => {
  it('fits the width at first and says what percentage that is', async () => {
    const { zoom, page, button } = await renderPages()
    expect(zoom).toHaveTextContent('77%')
    expect(button('Fit width')).toHaveAttribute('aria-pressed', 'true')
    expect(page(0).style.width).toBe(`${(612 / 792) * 100}%`)
    expect(page(1).style.width).toBe('100%')
  })

  it('zooms in step by step from the fitted scale, and draws once the clicks stop', async () => {
    // The clock is the test's from the start: the redraw due after opening runs when the
    // test says, not when a pause guesses it has.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const result = render(PdfPages, {
        pdf: 'JVBERi0xLjcK', pages, fields, recipientOf: () => ({ name: 'Jane Doe', colour: '#1f5f8b' }),
      })
      await vi.waitFor(() => expect(renderPage).toHaveBeenCalledTimes(2))
      vi.advanceTimersByTime(REDRAW_DELAY_MS) // the redraw after opening: the same widths, nothing drawn
      expect(renderPage).toHaveBeenCalledTimes(2)
      renderPage.mockClear()
      const zoom = screen.getByRole('group', { name: 'Zoom' })
      const page = (i: number) => result.container.querySelector<HTMLElement>(`[data-page-index="${i}"]`)!
      const button = (name: string) => within(zoom).getByRole('button', { name })
      await fireEvent.click(button('Zoom in'))
      expect(zoom).toHaveTextContent('100%')
      expect(button('Fit width')).toHaveAttribute('aria-pressed', 'false')
      expect(page(0).style.width).toBe(`${612 * PX_PER_POINT}px`)
      expect(page(1).style.width).toBe(`${792 * PX_PER_POINT}px`)
      vi.advanceTimersByTime(REDRAW_DELAY_MS - 10)
      await fireEvent.click(button('Zoom in'))
      expect(zoom).toHaveTextContent('125%')
      vi.advanceTimersByTime(REDRAW_DELAY_MS - 10)
      // The old drawings stretch meanwhile.
      expect(renderPage).not.toHaveBeenCalled()

      vi.advanceTimersByTime(10)
      expect(drawnWidths()).toEqual([
        [0, Math.round(612 * 1.25 * PX_PER_POINT)],
        [1, Math.round(792 * 1.25 * PX_PER_POINT)],
      ])
      vi.advanceTimersByTime(REDRAW_DELAY_MS * 2)
      expect(renderPage).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps the fields where they are on the page', async () => {
    const { container, button } = await renderPages()
    const box = container.querySelector<HTMLElement>('[data-field-id="x1"]')!
    const before = box.getAttribute('style')
    await fireEvent.click(button('Zoom in'))
    await fireEvent.click(button('Zoom in'))
    expect(box.getAttribute('style')).toBe(before)
    expect(box.closest('[data-page-index]')).toHaveAttribute('data-page-index', '1')
  })

  it('stops at 50% and keeps the focus on Zoom out there', async () => {
    const { zoom, button } = await renderPages()
    const out = button('Zoom out')
    out.focus()
    await fireEvent.click(out)
    expect(zoom).toHaveTextContent('75%')
    await fireEvent.click(out)
    expect(zoom).toHaveTextContent('50%')
    expect(out).toHaveAttribute('aria-disabled', 'true')
    await fireEvent.click(out)
    expect(zoom).toHaveTextContent('50%')
    expect(out).toHaveFocus()
    expect(button('Zoom in')).toHaveAttribute('aria-disabled', 'false')
  })

  it('goes back to the column’s width with Fit width, and draws at it', async () => {
    const { zoom, page, button } = await renderPages()
    await fireEvent.click(button('Zoom in'))
    await waitFor(() => expect(renderPage).toHaveBeenCalledTimes(4))
    await fireEvent.click(button('Fit width'))
    expect(zoom).toHaveTextContent('77%')
    expect(button('Fit width')).toHaveAttribute('aria-pressed', 'true')
    expect(page(1).style.width).toBe('100%')
    // Fitted, a page is drawn at the width its canvas is shown at (jsdom lays nothing out: 800).
    await waitFor(() => expect(renderPage).toHaveBeenCalledTimes(6))
    expect(drawnWidths().slice(4)).toEqual([
      [0, 800],
      [1, 800],
    ])
  })
})

describe('PdfPages read-only', () => {
  it('shows the fields without the help for moving them, and still zooms', async () => {
    const { container, zoom, button } = await renderPages({ readonly: true })
    expect(screen.queryByText(/Arrow keys move the field/)).not.toBeInTheDocument()
    const box = container.querySelector<HTMLElement>('[data-field-id="x1"]')!
    expect(box).toHaveClass('readonly')
    expect(box).not.toHaveAttribute('tabindex')
    await fireEvent.click(button('Zoom in'))
    expect(zoom).toHaveTextContent('100%')
  })

  it('says the fields are listed beside pages pdf.js cannot draw', async () => {
    vi.mocked(openPdf).mockRejectedValue(new Error('Invalid PDF structure.'))
    render(PdfPages, { pdf: 'x', pages, fields, readonly: true, recipientOf: () => ({ name: 'Jane Doe', colour: '#000' }) })
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The pages cannot be shown: Invalid PDF structure. The fields are listed beside them.',
    )
  })
})
