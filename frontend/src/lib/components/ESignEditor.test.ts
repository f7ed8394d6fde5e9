import { describe, it, expect, vi, beforeEach } from 'vitest'
import { render, screen, fireEvent, waitFor, within } from '@testing-library/svelte'
import axe from 'axe-core'
import { esignModuleStub } from '../../test-mocks'
import type { PacketView, SignDocument } from '../api/types'

vi.mock('../api/esign', (orig) => esignModuleStub(orig))
// pdf.js draws on a canvas, which jsdom does not have: the pages are drawn by a stand-in.
vi.mock('../esign/pdf', () => ({ openPdf: vi.fn() }))

import { defaultMessage, openDocument, saveDraft, sendPacket, suggestedRecipients } from '../api/esign'
import { recipientColour } from '../esign/fields'
import { openPdf } from '../esign/pdf'
import { localDateTime } from '../format'
import ESignEditor from './ESignEditor.svelte'

const doc: SignDocument = {
  fileId: 'f1',
  name: 'Engagement letter.pdf',
  pages: [
    { w: 612, h: 792 },
    { w: 792, h: 612 },
  ],
  pdf: 'JVBERi0xLjcK',
}
const jane = { id: 'p1', name: 'Jane Doe', email: 'jane@x.test' }
const john = { id: 'p2', name: 'John Doe', email: 'john@x.test' }
const renderPage = vi.fn(() => ({ done: Promise.resolve(), cancel: vi.fn() }))

function queued(over: Partial<PacketView> = {}): PacketView {
  return {
    id: 'k1', clientId: 'c1', fileId: 'f1', title: 'Engagement letter', recipients: [jane], fields: [], ordered: false,
    due: '', remindDays: 0, subject: '', message: '', state: 'queued', signers: [], todoId: 't1', signedFileId: '', reason: '',
    error: '', pages: 2, createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T10:00:00Z', ...over,
  }
}

beforeEach(() => {
  vi.clearAllMocks()
  vi.mocked(openDocument).mockResolvedValue(doc)
  vi.mocked(suggestedRecipients).mockResolvedValue([jane, john])
  vi.mocked(defaultMessage).mockImplementation(async (title) => ({
    subject: `Please sign: ${title}`,
    message: `Hello,\n\nPlease review and sign "${title}".`,
  }))
  vi.mocked(openPdf).mockResolvedValue({ pageCount: 2, render: renderPage, destroy: vi.fn() })
})

async function renderEditor(props: { packet?: PacketView | null } = {}) {
  const onclose = vi.fn()
  const result = render(ESignEditor, { clientId: 'c1', fileId: 'f1', onclose, ...props })
  await screen.findByLabelText('Document name')
  return { ...result, onclose }
}

const field = (container: HTMLElement, type = 'signature') => container.querySelector<HTMLElement>(`[data-field-type="${type}"]`)
const sendButton = () => screen.getByRole('button', { name: 'Send Now' })

describe('ESignEditor', () => {
  it('opens the document: its pages, its name, and the message from the template', async () => {
    const { container } = await renderEditor()
    expect(openDocument).toHaveBeenCalledWith('f1')
    expect(suggestedRecipients).toHaveBeenCalledWith('c1')
    expect(screen.getByLabelText('Document name')).toHaveValue('Engagement letter')
    expect(defaultMessage).toHaveBeenCalledWith('Engagement letter')
    expect(screen.getByLabelText('Subject')).toHaveValue('Please sign: Engagement letter')
    expect(screen.getByLabelText('Message')).toHaveValue('Hello,\n\nPlease review and sign "Engagement letter".')

    const pages = container.querySelectorAll('[data-page-index]')
    expect(Array.from(pages, (p) => p.getAttribute('aria-label'))).toEqual(['Page 1 of 2', 'Page 2 of 2'])
    // Pages keep the shape they are displayed in; the widest fills the column.
    expect((pages[1] as HTMLElement).style.aspectRatio).toBe('792 / 612')
    expect((pages[0] as HTMLElement).style.width).toBe(`${(612 / 792) * 100}%`)
    await waitFor(() => expect(renderPage).toHaveBeenCalledTimes(2))
    expect(openPdf).toHaveBeenCalledWith('JVBERi0xLjcK')
    expect(renderPage.mock.calls.map((c) => (c as unknown[])[0])).toEqual([0, 1])
  })

  it('adds a field for the chosen recipient and moves, resizes and removes it with the keyboard', async () => {
    const { container } = await renderEditor()
    expect(screen.getByRole('button', { name: 'Add Signature' })).toBeDisabled()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    expect(screen.getByLabelText('Fields for')).toHaveValue('p1')

    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    const sig = screen.getByRole('button', { name: 'Signature for Jane Doe, page 1' })
    expect(sig).toHaveFocus()
    expect(sig).toHaveAttribute('data-field-type', 'signature')
    expect(sig.closest('[data-page-index]')).toHaveAttribute('data-page-index', '0')
    expect(sig.style.left).toBe('35%')
    expect(sig.style.top).toBe('47.5%')
    expect(sig.style.width).toBe('30%')
    expect(sig.style.height).toBe('5%')
    expect(sig).toHaveAccessibleDescription('Arrow keys move the field, Shift with arrow keys resizes it, Delete removes it.')

    await fireEvent.keyDown(sig, { key: 'ArrowRight' })
    await fireEvent.keyDown(sig, { key: 'ArrowUp' })
    expect(sig.style.left).toBe('36%')
    expect(sig.style.top).toBe('46.5%')
    await fireEvent.keyDown(sig, { key: 'ArrowDown', shiftKey: true })
    expect(sig.style.height).toBe('6%')
    expect(screen.getByRole('heading', { name: 'Selected: Signature on page 1' })).toBeInTheDocument()

    await fireEvent.keyDown(sig, { key: 'Delete' })
    expect(field(container)).toBeNull()
    expect(container.querySelector('[data-page-index="0"]')).toHaveFocus()
  })

  it('puts new fields on the page chosen, sized for it', async () => {
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('John Doe'))
    await fireEvent.change(screen.getByLabelText('On page'), { target: { value: '1' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add Date' }))
    const date = field(container, 'date')!
    expect(date).toHaveAccessibleName('Date for John Doe, page 2')
    expect(date.closest('[data-page-index]')).toHaveAttribute('data-page-index', '1')
    // 0.18 × 0.03 of a portrait Letter page, the same size in points on a landscape one.
    expect(date.style.width).toBe('13.91%')
    expect(date.style.height).toBe('3.88%')

    // Pointing at a page makes it the one new fields go to.
    await fireEvent.pointerDown(container.querySelector('[data-page-index="0"]')!)
    expect(screen.getByLabelText('On page')).toHaveValue('0')
  })

  it('moves a field by dragging and resizes it by its corner, within the page', async () => {
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    const page = container.querySelector<HTMLElement>('[data-page-index="0"]')!
    vi.spyOn(page, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 612, 792))
    const sig = field(container)!

    await fireEvent.pointerDown(sig, { button: 0, pointerId: 1, clientX: 300, clientY: 400 })
    await fireEvent.pointerMove(sig, { pointerId: 1, clientX: 361.2, clientY: 400 })
    expect(sig.style.left).toBe('45%')
    await fireEvent.pointerMove(sig, { pointerId: 1, clientX: 5000, clientY: -5000 })
    expect(sig.style.left).toBe('70%')
    expect(sig.style.top).toBe('0%')
    await fireEvent.pointerUp(sig, { pointerId: 1 })
    await fireEvent.pointerMove(sig, { pointerId: 1, clientX: 0, clientY: 0 })
    expect(sig.style.left).toBe('70%')

    const handle = sig.querySelector('.sign-field-handle')!
    await fireEvent.pointerDown(handle, { button: 0, pointerId: 2, clientX: 600, clientY: 40 })
    await fireEvent.pointerMove(sig, { pointerId: 2, clientX: 569.4, clientY: 79.6 })
    expect(sig.style.width).toBe('25%')
    expect(sig.style.left).toBe('70%') // the top-left corner stays
    await fireEvent.pointerMove(sig, { pointerId: 2, clientX: 5000, clientY: 79.6 })
    expect(sig.style.width).toBe('30%') // from 70% across, the page's edge stops it
    expect(sig.style.height).toBe('10%')
  })

  it('blocks Send until each recipient has a signature field, and says why', async () => {
    const { container } = await renderEditor()
    expect(sendButton()).toBeDisabled()
    expect(screen.getByRole('list', { name: 'Before sending' })).toHaveTextContent('Add at least one recipient.')

    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.input(screen.getByLabelText('Recipient name'), { target: { value: 'Ann Adviser' } })
    await fireEvent.input(screen.getByLabelText('Recipient email'), { target: { value: 'ann@y.test' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add recipient' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    expect(sendButton()).toBeDisabled()
    expect(sendButton()).toHaveAccessibleDescription('Ann Adviser has no signature field.')
    const list = screen.getByRole('list', { name: 'Recipients of this request' })
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent('No signature field yet')

    const ann = within(screen.getByLabelText('Fields for')).getByRole('option', { name: 'Ann Adviser' }) as HTMLOptionElement
    await fireEvent.change(screen.getByLabelText('Fields for'), { target: { value: ann.value } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add Initials' }))
    expect(sendButton()).toBeDisabled()
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    expect(sendButton()).toBeEnabled()
    expect(screen.queryByRole('list', { name: 'Before sending' })).not.toBeInTheDocument()
    expect(container.querySelectorAll('[data-field-type="signature"]')).toHaveLength(2)
  })

  it('sends page-relative boxes and says the request goes out with the next sync', async () => {
    const view = queued()
    vi.mocked(sendPacket).mockResolvedValue(view)
    const { container, onclose } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    await fireEvent.keyDown(field(container)!, { key: 'ArrowRight' })
    await fireEvent.input(screen.getByLabelText('Due date'), { target: { value: '2099-01-31' } })
    await fireEvent.input(screen.getByLabelText('Remind every (days)'), { target: { value: '7' } })
    await fireEvent.click(sendButton())

    expect(sendPacket).toHaveBeenCalledWith({
      id: '',
      clientId: 'c1',
      fileId: 'f1',
      title: 'Engagement letter',
      recipients: [jane],
      fields: [{ id: expect.any(String), type: 'signature', recipientId: 'p1', box: { page: 0, x: 0.36, y: 0.475, w: 0.3, h: 0.05 } }],
      ordered: false,
      due: '2099-01-31',
      remindDays: 7,
      subject: 'Please sign: Engagement letter',
      message: 'Hello,\n\nPlease review and sign "Engagement letter".',
    })
    expect(await screen.findByRole('status')).toHaveTextContent('Queued — goes out with the next sync')
    expect(screen.getByRole('heading', { name: /eSign request sent/ })).toHaveFocus()
    await fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(onclose).toHaveBeenCalledWith(view)
  })

  it('keeps what staff entered when the backend refuses, and says why in words', async () => {
    vi.mocked(sendPacket).mockRejectedValueOnce('the due date 2020-01-01 has passed')
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    await fireEvent.input(screen.getByLabelText('Document name'), { target: { value: 'Letter 2026' } })
    await fireEvent.input(screen.getByLabelText('Due date'), { target: { value: '2020-01-01' } })
    await fireEvent.click(sendButton())
    expect(await screen.findByRole('alert')).toHaveTextContent('The due date 2020-01-01 has passed')
    expect(screen.getByLabelText('Document name')).toHaveValue('Letter 2026')
    expect(screen.getByLabelText('Due date')).toHaveValue('2020-01-01')
    expect(screen.getByLabelText('Jane Doe')).toBeChecked()
    expect(field(container)).not.toBeNull()
    expect(sendButton()).toBeEnabled()
  })

  it('saves a draft, then saves the same draft again', async () => {
    vi.mocked(saveDraft).mockResolvedValue(queued({ id: 'd1', state: 'draft' }))
    await renderEditor()
    await fireEvent.click(screen.getByLabelText('John Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Save draft' }))
    expect(saveDraft).toHaveBeenLastCalledWith(expect.objectContaining({ id: '', recipients: [john], fields: [] }))
    expect(await screen.findByRole('status')).toHaveTextContent('Draft saved on this computer.')
    await fireEvent.click(screen.getByRole('button', { name: 'Save draft' }))
    expect(saveDraft).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'd1' }))
  })

  it('goes on with a draft: its recipients, fields and message as saved', async () => {
    const draft = queued({
      id: 'd1', state: 'draft', title: 'Letter', subject: 'Sign please', message: 'Our own words', ordered: true, remindDays: 3,
      recipients: [john, jane],
      fields: [{ id: 'x1', type: 'initials', recipientId: 'p1', box: { page: 1, x: 0.1, y: 0.2, w: 0.1, h: 0.05 } }],
    })
    vi.mocked(sendPacket).mockResolvedValue({ ...draft, state: 'queued' })
    const { container } = await renderEditor({ packet: draft })
    expect(defaultMessage).not.toHaveBeenCalled()
    expect(screen.getByLabelText('Document name')).toHaveValue('Letter')
    expect(screen.getByLabelText('Message')).toHaveValue('Our own words')
    expect(screen.getByLabelText('Remind every (days)')).toHaveValue(3)
    expect(screen.getByLabelText('Sign in order')).toBeChecked()
    expect(screen.getByLabelText('Jane Doe')).toBeChecked()
    const initials = field(container, 'initials')!
    expect(initials).toHaveAccessibleName('Initials for Jane Doe, page 2')
    expect(initials.style.left).toBe('10%')

    // Signing order: John first; Jane moves up.
    const list = screen.getByRole('list', { name: 'Recipients of this request' })
    expect(list.tagName).toBe('OL')
    await fireEvent.click(within(list).getByRole('button', { name: 'Up: Jane Doe' }))
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Jane Doe'),
      expect.stringContaining('John Doe'),
    ])
    expect(within(list).getByRole('button', { name: 'Up: Jane Doe' })).toBeDisabled()
  })

  it('drops the fields of a draft on pages the document no longer has, and says so', async () => {
    const draft = queued({
      id: 'd1', state: 'draft', subject: 's', message: 'm',
      fields: [
        { id: 'x1', type: 'signature', recipientId: 'p1', box: { page: 0, x: 0.1, y: 0.1, w: 0.3, h: 0.05 } },
        { id: 'x2', type: 'date', recipientId: 'p1', box: { page: 4, x: 0.1, y: 0.1, w: 0.18, h: 0.03 } },
      ],
    })
    const { container } = await renderEditor({ packet: draft })
    expect(screen.getByRole('status')).toHaveTextContent('The document now has 2 pages; a field on a later page was removed.')
    expect(container.querySelectorAll('[data-field-type]')).toHaveLength(1)
  })

  it('removing a recipient removes their fields, and says so', async () => {
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Date' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Remove: Jane Doe' }))
    expect(container.querySelectorAll('[data-field-type]')).toHaveLength(0)
    expect(screen.getByRole('status')).toHaveTextContent('Removed Jane Doe and their 2 fields.')
    expect(screen.getByLabelText('Jane Doe')).not.toBeChecked()
  })

  it('gives a field to another recipient and removes it from the details', async () => {
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByLabelText('John Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Text' }))
    await fireEvent.change(screen.getByLabelText('Filled in by'), { target: { value: 'p2' } })
    expect(field(container, 'text')).toHaveAccessibleName('Text for John Doe, page 1')
    await fireEvent.click(screen.getByRole('button', { name: 'Remove field' }))
    expect(field(container, 'text')).toBeNull()
  })

  it('checks a recipient typed in, and knows someone from the client record', async () => {
    await renderEditor()
    const name = screen.getByLabelText('Recipient name')
    const email = screen.getByLabelText('Recipient email')
    await fireEvent.input(name, { target: { value: 'Ann' } })
    await fireEvent.input(email, { target: { value: 'ann' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add recipient' }))
    expect(screen.getByRole('alert')).toHaveTextContent('“ann” is not an email address.')
    expect(email).toHaveAttribute('aria-invalid', 'true')

    await fireEvent.input(name, { target: { value: 'Janie' } })
    await fireEvent.input(email, { target: { value: 'JANE@x.test' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add recipient' }))
    expect(screen.getByLabelText('Jane Doe')).toBeChecked()
    expect(name).toHaveValue('')

    await fireEvent.input(name, { target: { value: 'Jane again' } })
    await fireEvent.input(email, { target: { value: 'jane@x.test' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Add recipient' }))
    expect(screen.getByRole('alert')).toHaveTextContent('jane@x.test is a recipient already.')
  })

  it('lets the message follow a new name until staff edit it', async () => {
    await renderEditor()
    const title = screen.getByLabelText('Document name')
    await fireEvent.input(title, { target: { value: 'Form 8879' } })
    await fireEvent.change(title)
    await waitFor(() => expect(screen.getByLabelText('Subject')).toHaveValue('Please sign: Form 8879'))

    await fireEvent.input(screen.getByLabelText('Subject'), { target: { value: 'Your e-file authorization' } })
    await fireEvent.input(title, { target: { value: 'Form 8879 (2026)' } })
    await fireEvent.change(title)
    expect(defaultMessage).toHaveBeenCalledTimes(2)
    expect(screen.getByLabelText('Subject')).toHaveValue('Your e-file authorization')
  })

  it('says in words why a document cannot be opened', async () => {
    vi.mocked(openDocument).mockRejectedValue('scan.pdf cannot be sent for signature: the PDF is encrypted')
    const onclose = vi.fn()
    render(ESignEditor, { clientId: 'c1', fileId: 'f1', onclose })
    expect(await screen.findByRole('alert')).toHaveTextContent('scan.pdf cannot be sent for signature: the PDF is encrypted')
    await fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    expect(onclose).toHaveBeenCalledWith(null)
  })

  it('still places fields when pdf.js cannot draw the pages', async () => {
    vi.mocked(openPdf).mockRejectedValue(new Error('Invalid PDF structure.'))
    const { container } = await renderEditor()
    expect(await screen.findByRole('alert')).toHaveTextContent('The pages cannot be shown: Invalid PDF structure.')
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    expect(field(container)).not.toBeNull()
  })

  it('asks before Cancel drops changes', async () => {
    const { onclose } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(onclose).not.toHaveBeenCalled()
    const keep = screen.getByRole('button', { name: 'Keep editing' })
    await waitFor(() => expect(keep).toHaveFocus())
    await fireEvent.click(keep)
    expect(screen.queryByText(/Leave without saving/)).not.toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }))
    expect(onclose).toHaveBeenCalledWith(null)
  })

  it('closes at once on Cancel when nothing changed', async () => {
    const { onclose } = await renderEditor()
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(onclose).toHaveBeenCalledWith(null)
  })

  it('has no accessibility violations axe can find, with fields placed', async () => {
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByLabelText('Sign in order'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Date' }))
    const noCanvas = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
    noCanvas.mockRestore()
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(', ')}`)).toEqual([])
  })
})

/** Lays the two pages out on screen: page 1 at the top, page 2 (landscape) below it. */
function layOut(container: HTMLElement) {
  const page = (i: number) => container.querySelector<HTMLElement>(`[data-page-index="${i}"]`)!
  vi.spyOn(page(0), 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 612, 792))
  vi.spyOn(page(1), 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 800, 792, 612))
  return page
}

describe('ESignEditor: dragging a field from the palette', () => {
  async function ready() {
    const r = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    return { ...r, page: layOut(r.container) }
  }

  it('puts the field where it is dropped, its top-left corner at the pointer', async () => {
    const { container, page } = await ready()
    const button = screen.getByRole('button', { name: 'Add Signature' })
    expect(button).toHaveAccessibleDescription(/you can also drag it onto a page/)

    await fireEvent.pointerDown(button, { button: 0, pointerId: 7, clientX: 10, clientY: 10 })
    await fireEvent.pointerMove(button, { pointerId: 7, clientX: 300, clientY: 900 })
    // On its way: the page it would land on is marked, and the field follows the pointer.
    expect(page(1)).toHaveClass('drop-target')
    expect(page(0)).not.toHaveClass('drop-target')
    const ghost = container.querySelector<HTMLElement>('.palette-ghost')!
    expect(ghost).toHaveTextContent('Signature')
    expect(ghost).toHaveAttribute('aria-hidden', 'true')
    expect(ghost.style.left).toBe('300px')

    await fireEvent.pointerUp(document.body, { pointerId: 7, clientX: 396, clientY: 1106 })
    const sig = screen.getByRole('button', { name: 'Signature for Jane Doe, page 2' })
    expect(sig.closest('[data-page-index]')).toBe(page(1))
    expect(sig.style.left).toBe('50%')
    expect(sig.style.top).toBe('50%')
    // The same size in points as on a Letter page.
    expect(sig.style.width).toBe('23.18%')
    expect(sig).toHaveFocus()
    expect(screen.getByLabelText('On page')).toHaveValue('1')
    expect(container.querySelector('.palette-ghost')).toBeNull()
    expect(container.querySelector('.drop-target')).toBeNull()

    // The click the browser sends after the drag adds nothing more.
    await fireEvent.click(button, { detail: 1 })
    expect(container.querySelectorAll('[data-field-type]')).toHaveLength(1)
    // The next click, or Enter, adds one in the middle of the page.
    await fireEvent.click(button, { detail: 0 })
    expect(container.querySelectorAll('[data-field-type]')).toHaveLength(2)
  })

  it('keeps a field dropped by the page’s edge wholly on the page', async () => {
    await ready()
    const button = screen.getByRole('button', { name: 'Add Signature' })
    await fireEvent.pointerDown(button, { button: 0, pointerId: 1, clientX: 10, clientY: 10 })
    await fireEvent.pointerMove(button, { pointerId: 1, clientX: 600, clientY: 780 })
    await fireEvent.pointerUp(button, { pointerId: 1, clientX: 611, clientY: 791 })
    const sig = screen.getByRole('button', { name: 'Signature for Jane Doe, page 1' })
    expect(sig.style.left).toBe('70%')
    expect(sig.style.top).toBe('95%')
  })

  it('adds nothing when the field is let go off the pages, or the drag is called off with Escape', async () => {
    const { container } = await ready()
    const button = screen.getByRole('button', { name: 'Add Date' })
    await fireEvent.pointerDown(button, { button: 0, pointerId: 1, clientX: 10, clientY: 10 })
    await fireEvent.pointerMove(button, { pointerId: 1, clientX: 700, clientY: 20 })
    expect(container.querySelector('.drop-target')).toBeNull()
    await fireEvent.pointerUp(button, { pointerId: 1, clientX: 700, clientY: 20 })
    expect(container.querySelectorAll('[data-field-type]')).toHaveLength(0)

    await fireEvent.pointerDown(button, { button: 0, pointerId: 2, clientX: 10, clientY: 10 })
    await fireEvent.pointerMove(button, { pointerId: 2, clientX: 100, clientY: 100 })
    expect(container.querySelector('[data-page-index="0"]')).toHaveClass('drop-target')
    await fireEvent.keyDown(window, { key: 'Escape' })
    expect(container.querySelector('.palette-ghost')).toBeNull()
    expect(container.querySelector('.drop-target')).toBeNull()
    await fireEvent.pointerUp(button, { pointerId: 2, clientX: 100, clientY: 100 })
    expect(container.querySelectorAll('[data-field-type]')).toHaveLength(0)
  })

  it('takes a press that hardly moves for a click', async () => {
    const { container } = await ready()
    const button = screen.getByRole('button', { name: 'Add Initials' })
    await fireEvent.pointerDown(button, { button: 0, pointerId: 1, clientX: 10, clientY: 10 })
    await fireEvent.pointerMove(button, { pointerId: 1, clientX: 12, clientY: 11 })
    expect(container.querySelector('.palette-ghost')).toBeNull()
    await fireEvent.pointerUp(button, { pointerId: 1, clientX: 12, clientY: 11 })
    await fireEvent.click(button, { detail: 1 })
    const initials = screen.getByRole('button', { name: 'Initials for Jane Doe, page 1' })
    expect(initials.style.left).toBe('45%') // the middle of the page
  })

  it('puts a second field added by a button beside the first, not under it', async () => {
    const { container } = await ready()
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    const [first, second] = container.querySelectorAll<HTMLElement>('[data-field-type="signature"]')
    expect([first.style.left, first.style.top]).toEqual(['35%', '47.5%'])
    expect([second.style.left, second.style.top]).not.toEqual(['35%', '47.5%'])
    expect(second).toHaveFocus()
  })
})

describe('ESignEditor: zoom', () => {
  it('zooms the pages and keeps the fields where they are on them', async () => {
    const { container } = await renderEditor()
    await fireEvent.click(screen.getByLabelText('Jane Doe'))
    await fireEvent.click(screen.getByRole('button', { name: 'Add Signature' }))
    const zoom = screen.getByRole('group', { name: 'Zoom' })
    expect(within(zoom).getByRole('button', { name: 'Fit width' })).toHaveAttribute('aria-pressed', 'true')

    await fireEvent.click(within(zoom).getByRole('button', { name: 'Zoom in' }))
    expect(zoom).toHaveTextContent('125%')
    expect(within(zoom).getByRole('button', { name: 'Fit width' })).toHaveAttribute('aria-pressed', 'false')
    const page = container.querySelector<HTMLElement>('[data-page-index="0"]')!
    expect(page.style.width).toBe(`${612 * 1.25 * (96 / 72)}px`)
    const sig = field(container)!
    expect([sig.style.left, sig.style.top, sig.style.width]).toEqual(['35%', '47.5%', '30%'])
  })
})

describe('ESignEditor: a sent request, read-only', () => {
  const sentAt = '2026-11-02T09:00:00Z'
  const signedAt = '2026-11-03T15:30:00Z'
  const sent = queued({
    state: 'sent', sentAt, ordered: true, recipients: [jane, john], due: '2099-01-31', remindDays: 7,
    subject: 'Please sign: Engagement letter', message: 'Hello,\n\nPlease sign.',
    signers: [
      { ...jane, state: 'signed', signedAt },
      { ...john, state: 'sent' },
    ],
    fields: [
      { id: 'x1', type: 'signature', recipientId: 'p1', box: { page: 0, x: 0.1, y: 0.8, w: 0.3, h: 0.05 } },
      { id: 'x2', type: 'date', recipientId: 'p1', box: { page: 0, x: 0.5, y: 0.8, w: 0.18, h: 0.03 } },
      { id: 'x3', type: 'signature', recipientId: 'p2', box: { page: 1, x: 0.2, y: 0.3, w: 0.23, h: 0.06 } },
    ],
  })

  async function view(packet: PacketView = sent) {
    const onclose = vi.fn()
    const result = render(ESignEditor, { clientId: 'c1', fileId: 'f1', packet, readonly: true, onclose })
    const heading = await screen.findByRole('heading', { name: /eSign request \(view only\)/ })
    await waitFor(() => expect(heading).toHaveFocus())
    return { ...result, onclose }
  }

  it('shows the fields as sent, in each recipient’s colour, with nothing to edit', async () => {
    const { container, onclose } = await view()
    expect(openDocument).toHaveBeenCalledWith('f1')
    expect(suggestedRecipients).not.toHaveBeenCalled()
    expect(defaultMessage).not.toHaveBeenCalled()
    expect(screen.getByText(/Engagement letter/, { selector: 'strong' }).closest('p')).toHaveTextContent(
      `Sent ${localDateTime(sentAt)} — waiting for signatures`,
    )

    const fields = container.querySelectorAll<HTMLElement>('[data-field-id]')
    expect(fields).toHaveLength(3)
    const x1 = container.querySelector<HTMLElement>('[data-field-id="x1"]')!
    const x3 = container.querySelector<HTMLElement>('[data-field-id="x3"]')!
    expect(x1.closest('[data-page-index]')).toHaveAttribute('data-page-index', '0')
    expect(x3.closest('[data-page-index]')).toHaveAttribute('data-page-index', '1')
    expect([x1.style.left, x1.style.top]).toEqual(['10%', '80%'])
    expect(x1.style.getPropertyValue('--field-colour')).toBe(recipientColour(0))
    expect(x3.style.getPropertyValue('--field-colour')).toBe(recipientColour(1))
    expect(x1).toHaveTextContent('Signature for Jane Doe, page 1')
    for (const f of fields) {
      expect(f).not.toHaveAttribute('tabindex')
      expect(f).not.toHaveAttribute('role')
      expect(f.querySelector('.sign-field-handle')).toBeNull()
    }

    // Neither keys nor the pointer move a field.
    vi.spyOn(container.querySelector<HTMLElement>('[data-page-index="0"]')!, 'getBoundingClientRect').mockReturnValue(
      new DOMRect(0, 0, 612, 792),
    )
    await fireEvent.keyDown(x1, { key: 'ArrowRight' })
    await fireEvent.keyDown(x1, { key: 'Delete' })
    await fireEvent.pointerDown(x1, { button: 0, pointerId: 1, clientX: 100, clientY: 650 })
    await fireEvent.pointerMove(x1, { pointerId: 1, clientX: 300, clientY: 100 })
    await fireEvent.pointerUp(x1, { pointerId: 1 })
    expect(x1.style.left).toBe('10%')
    expect(x1).toBeInTheDocument()

    // No palette, no recipient or request form, no Save or Send: zoom, and Close.
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim())).toEqual([
      'Zoom out',
      'Zoom in',
      'Fit width',
      'Close',
    ])
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument()
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument()
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument()
    expect(screen.queryByText(/Arrow keys move the field/)).not.toBeInTheDocument()

    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(onclose).toHaveBeenCalledWith(null)
  })

  it('lists the recipients in signing order with where each stands, the fields by page, and the request', async () => {
    await view()
    const recipients = within(screen.getByRole('list', { name: 'Recipients of this request' })).getAllByRole('listitem')
    expect(recipients.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      `1. Jane Doe jane@x.test Signed ${localDateTime(signedAt)}`,
      '2. John Doe john@x.test Not opened yet',
    ])
    expect(screen.getByText('They sign in this order.')).toBeInTheDocument()

    const fields = screen.getByRole('list', { name: 'Fields' })
    const pages = within(fields).getAllByRole('listitem').filter((li) => li.parentElement === fields)
    expect(pages.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Page 1 Signature for Jane Doe Date for Jane Doe',
      'Page 2 Signature for John Doe',
    ])

    const facts = screen.getByRole('heading', { name: 'Request' }).closest('section')!
    expect(facts).toHaveTextContent('Subject')
    expect(facts).toHaveTextContent('Please sign: Engagement letter')
    expect(facts).toHaveTextContent('Every 7 days')
    expect(facts.querySelector('.request-message')?.textContent).toBe('Hello,\n\nPlease sign.')
  })

  it('says so when the file is gone, and still lists the fields and recipients', async () => {
    vi.mocked(openDocument).mockRejectedValue('that file is no longer in the client’s folder')
    const { container, onclose } = await view()
    expect(screen.getByRole('alert')).toHaveTextContent(
      'That file is no longer in the client’s folder. The pages cannot be shown; the fields as sent are listed under “Fields”.',
    )
    expect(container.querySelector('[data-page-index]')).toBeNull()
    expect(within(screen.getByRole('list', { name: 'Fields' })).getByText('Page 2')).toBeInTheDocument()
    expect(screen.getByRole('list', { name: 'Recipients of this request' })).toHaveTextContent('Not opened yet')
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(onclose).toHaveBeenCalledWith(null)
  })

  it('says so when the file has changed, and lists a field its page is gone from', async () => {
    const { container } = await view({ ...sent, pages: 3, fields: [...sent.fields, {
      id: 'x4', type: 'initials', recipientId: 'p2', box: { page: 2, x: 0.1, y: 0.1, w: 0.1, h: 0.05 },
    }] })
    expect(screen.getByRole('status')).toHaveTextContent(
      'The file has changed since this request was sent: it had 3 pages and now has 2. ' +
        'The fields are shown where they were placed, on the pages as they are now. ' +
        'One field is on a page the file no longer has; it is only in the list of fields.',
    )
    expect(container.querySelectorAll('[data-field-id]')).toHaveLength(3)
    expect(screen.getByRole('list', { name: 'Fields' })).toHaveTextContent('Page 3 — not in the file now Initials for John Doe')
  })

  it('has no accessibility violations axe can find', async () => {
    const { container } = await view()
    const noCanvas = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
    noCanvas.mockRestore()
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(', ')}`)).toEqual([])
  })
})
