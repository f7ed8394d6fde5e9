// eSignature with real parts: with portald stopped, staff open a PDF of the client's in the
// eSign editor (`wails dev`, pdf.js), place a signature field and send: it is queued. portald
// starts, the desktop sends it, Mailpit receives the request, and the signer signs on a
// phone-sized Chromium, drawing the signature. The sealed PDF comes back into the client's
// folder (checked with pdfsig), the request shows Completed and its task closes.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import {
  check, ensureStaffSignedIn, env, latestMail, openBrowsers, shots, until,
} from './support.mjs'

const portalURL = env('E2E_PORTAL_URL')
const email = env('E2E_EMAIL')
const password = env('E2E_PASSWORD')
const mailpit = env('E2E_MAILPIT')
const library = env('E2E_LIBRARY')
const portald = (what) => execFileSync(env('E2E_PORTALD_CTL'), [what], { stdio: 'inherit' })

const run = Date.now().toString(36)
const clientName = `Ioannou ${run}`
const signer = { name: 'Zoë Ιωάννου', email: `zoe.${run}@ioannou.test` }

let staff, client, browsers

before(async () => {
  browsers = await openBrowsers(chromium, { hasTouch: true })
  ;({ staff, client } = browsers)
})

afterEach((t) => browsers.shootFailure('esign-', t))

after(async () => {
  portald('start') // the tests after this file need it, whatever happened here
  await browsers?.close()
})

let signLink

test('with the portal down, staff prepare a request in the editor and send it: it is queued', async () => {
  await ensureStaffSignedIn(staff, portalURL, email, password)
  await staff.getByRole('button', { name: 'Clients' }).click()
  await staff.getByRole('button', { name: 'New client' }).click()
  await staff.getByLabel('Client name').fill(clientName)
  const p1 = staff.getByRole('group', { name: 'Person 1' })
  await p1.getByLabel('Name').fill(signer.name)
  await p1.getByLabel('Email').fill(signer.email)
  await staff.getByRole('button', { name: 'Save' }).click()
  await staff.getByRole('status').filter({ hasText: 'Client created.' }).waitFor()

  const folder = join(library, clientName)
  await until('the client folder', () => existsSync(folder))
  copyFileSync(new URL('./fixtures/engagement-letter.pdf', import.meta.url), join(folder, 'Engagement letter.pdf'))
  await staff.getByRole('tab', { name: 'Files' }).click()
  await staff.getByText('Engagement letter.pdf').waitFor()

  portald('stop')
  await staff.getByRole('button', { name: 'eSign Request…' }).click()
  await staff.locator('[data-page-index="1"] canvas').waitFor()
  // pdf.js drew the first page's text (a standard font the PDF does not embed), not a blank page.
  await until('the first page drawn with its text', () => staff.locator('[data-page-index="0"] canvas').evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height)
    let dark = 0
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] < 128) dark++
    return dark > 50
  }))
  // Fitted to the column, a letter page shows at a believable zoom (the sizes came through).
  const zoom = Number((await staff.locator('.zoom-level').innerText()).replace('%', ''))
  assert.ok(zoom >= 40 && zoom <= 200, `fit-width zoom ${zoom}%`)
  await staff.getByRole('checkbox', { name: signer.name }).check()
  await staff.getByRole('button', { name: 'Add Signature' }).click()
  await staff.locator('[data-field-type="signature"]').waitFor()
  await staff.getByRole('button', { name: 'Add Date' }).click()
  await staff.screenshot({ path: join(shots, 'staff-esign-editor.png'), fullPage: true })
  await staff.getByRole('button', { name: 'Send Now' }).click()
  await staff.getByText('Queued — goes out with the next sync').first().waitFor()
  await staff.getByRole('button', { name: 'Done' }).click()
  await staff.getByText('Engagement letter').first().waitFor()
  await staff.screenshot({ path: join(shots, 'staff-esign-queued.png'), fullPage: true })
})

test('portald starts: the request goes out and the signer gets the mail', async () => {
  portald('start')
  const mail = await latestMail(mailpit, signer.email, /Please sign/, /https?:\/\/\S+\/sign\/[\w-]+/)
  assert.equal(mail.message.From.Name, 'E2E Accounting')
  assert.match(mail.message.HTML, /Review and sign/)
  signLink = mail.link
  assert.ok(signLink)
  await staff.getByText(/Sent .*waiting for signatures|Sent — waiting/).first().waitFor({ timeout: 30_000 })
})

test('the signer signs on a phone, drawing the signature', async () => {
  await client.goto(signLink)
  await client.getByRole('heading', { name: /Sign “Engagement letter”/ }).waitFor()
  await client.locator('.pdf-page canvas').nth(1).waitFor() // the document, drawn by pdf.js
  assert.equal(await client.locator('.pdf-field').count(), 2)
  await check(client, '20-sign')

  await client.getByRole('button', { name: 'Sign' }).click() // without consent: the browser refuses
  await client.getByLabel(/I agree to use electronic records/).check()
  const pad = client.locator('canvas.pad').first()
  const box = await pad.boundingBox()
  await client.mouse.move(box.x + 20, box.y + box.height / 2)
  await client.mouse.down()
  for (let i = 1; i <= 20; i++) await client.mouse.move(box.x + 20 + i * 12, box.y + box.height / 2 + (i % 2 ? -15 : 15))
  await client.mouse.up()
  assert.match(await client.locator('input[name=signature_png]').inputValue(), /^data:image\/png;base64,/)
  await client.getByRole('button', { name: 'Sign' }).click()
  await client.getByText(/You have signed|Everyone has signed/).waitFor()
  await check(client, '21-signed')
  // The seal is made a moment later: the page offers it without a reload.
  await client.getByRole('link', { name: 'Download the signed document' }).waitFor({ timeout: 40_000 })
  await client.getByText('Everyone has signed. The signed document is ready.').waitFor()
})

test('the sealed PDF comes back to the client folder, the request completes and the task closes', async () => {
  const sealed = join(library, clientName, 'Shared with client', 'Signed', 'Engagement letter (signed).pdf')
  await until('the sealed PDF in the client folder', () => existsSync(sealed), 40_000)
  await until('pdfsig to accept it', () => {
    try {
      return /Signature is Valid/.test(execFileSync('pdfsig', [sealed]).toString())
    } catch {
      return false
    }
  })
  await staff.getByRole('tab', { name: 'eSign' }).click()
  await staff.getByText('Completed — everyone signed').waitFor({ timeout: 30_000 })
  await staff.screenshot({ path: join(shots, 'staff-esign-completed.png'), fullPage: true })
  await staff.getByRole('tab', { name: 'Files' }).click()
  await staff.getByText('Engagement letter (signed).pdf').waitFor()
  await staff.getByRole('tab', { name: 'To-Dos' }).click()
  const task = staff.getByRole('row').filter({ hasText: 'Sign Engagement letter' })
  await task.getByText(/Done by eSign/).waitFor({ timeout: 30_000 })

  // Leave the desktop as the next file expects it: signed out.
  await staff.getByRole('button', { name: 'Settings' }).click()
  await staff.getByRole('button', { name: 'Sign out' }).click()
  await staff.getByRole('button', { name: 'Sign in' }).waitFor()
})
