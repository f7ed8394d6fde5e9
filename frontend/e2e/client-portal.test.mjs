// A client's way into the portal, with real parts: staff invite a client and a spouse from
// the desktop app (`wails dev`), portald mails the invitations to Mailpit, and the client
// follows the link in Chromium, sets a password, accepts the Terms of Service, turns on an
// authenticator app (codes from Debian's oathtool), signs out and back in; a file saved in
// the client's folder of the firm library (E2E_LIBRARY) reaches the client's Files tab and
// downloads byte for byte, and a file the client drops on the upload form lands in that
// folder's "From client"; staff remove access and the session and the spouse's link die.
// axe-core checks every page the client sees; screenshots at phone and desktop size go to
// test-output/screenshots.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { chromium } from 'playwright-core'
import {
  check as checkPage, ensureStaffSignedIn as signIn, env, latestMail as mailTo, openBrowsers, shots, until,
} from './support.mjs'

const portalURL = env('E2E_PORTAL_URL')
const email = env('E2E_EMAIL')
const password = env('E2E_PASSWORD')
const mailpit = env('E2E_MAILPIT')
const library = env('E2E_LIBRARY')

const run = Date.now().toString(36)
const ada = { name: 'Ada Okafor', email: `ada.${run}@okafor.test` }
const ben = { name: 'Ben Okafor', email: `ben.${run}@okafor.test` }
const clientPassword = 'lagos harbour at dawn'

let staff, client, browsers

before(async () => {
  browsers = await openBrowsers(chromium)
  ;({ staff, client } = browsers)
})

afterEach((t) => browsers.shootFailure('', t))

after(() => browsers?.close())

const check = (name) => checkPage(client, name)

const latestMail = (addr, subject, notLink = '') => mailTo(mailpit, addr, subject, /https?:\/\/\S+\/invite\/[\w-]+/, notLink)

const totp = (secret) => execFileSync('oathtool', ['--totp', '-b', secret]).toString().trim()

const ensureStaffSignedIn = () => signIn(staff, portalURL, email, password)

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex')

// pdf is a small PDF whose bytes are new every run, so the portal cannot already have it.
function pdf(title) {
  const head = Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\n%`)
  return Buffer.concat([head, randomBytes(48 * 1024), Buffer.from('\n%%EOF\n')])
}

let adaLink, benLink, secret, setupCode

test('staff invite a client and a spouse from the client record', async () => {
  await ensureStaffSignedIn()
  await staff.getByRole('button', { name: 'Clients' }).click()
  await staff.getByRole('button', { name: 'New client' }).click()
  await staff.getByLabel('Client name').fill('Okafor Household')
  const p1 = staff.getByRole('group', { name: 'Person 1' })
  await p1.getByLabel('Name').fill(ada.name)
  await p1.getByLabel('Email').fill(ada.email)
  await staff.getByRole('button', { name: 'Add person' }).click()
  const p2 = staff.getByRole('group', { name: 'Person 2' })
  await p2.getByLabel('Role').selectOption('spouse')
  await p2.getByLabel('Name').fill(ben.name)
  await p2.getByLabel('Email').fill(ben.email)
  await staff.getByRole('button', { name: 'Save' }).click()
  await staff.getByRole('status').filter({ hasText: 'Client created.' }).waitFor()

  // Something for the client to see: a to-do, an invoice and a part payment.
  await staff.getByRole('tab', { name: 'To-Dos' }).click()
  await staff.getByRole('button', { name: 'New to-do' }).click()
  await staff.getByLabel('Title').fill('Upload your W-2 forms')
  await staff.getByLabel('Description').fill('Both employers, please.')
  await staff.getByLabel('Due date').fill('2027-02-15')
  await staff.getByRole('button', { name: 'Add to-do' }).click()
  await staff.getByRole('status').filter({ hasText: 'To-do added' }).waitFor()
  await staff.getByRole('tab', { name: 'Billing' }).click()
  await staff.getByRole('button', { name: 'New invoice' }).click()
  const line1 = staff.getByRole('group', { name: 'Line 1' })
  await line1.getByLabel('Description').fill('1040 preparation')
  await line1.getByLabel('Price').fill('450')
  await staff.getByRole('button', { name: 'Add line' }).click()
  const line2 = staff.getByRole('group', { name: 'Line 2' })
  await line2.getByLabel('Description').fill('State return')
  await line2.getByLabel('Quantity').fill('2')
  await line2.getByLabel('Price').fill('75.50')
  await staff.getByRole('button', { name: 'Create invoice' }).click()
  await staff.getByRole('status').filter({ hasText: /Invoice .* created/ }).waitFor()
  await staff.getByRole('button', { name: 'Record payment' }).click()
  await staff.getByLabel('Amount').fill('200')
  await staff.getByLabel('Method').fill('Card')
  await staff.getByRole('button', { name: 'Record payment' }).click()
  await staff.getByRole('status').filter({ hasText: 'Payment recorded.' }).waitFor()
  assert.equal(await staff.getByTestId('balance').innerText(), '$401.00')
  await staff.screenshot({ path: join(shots, 'staff-billing.png'), fullPage: true })
  await staff.getByRole('tab', { name: 'Details' }).click()

  await staff.getByRole('button', { name: 'Invite to Client Portal' }).click()
  const dialog = staff.getByRole('dialog', { name: 'Invite to Client Portal' })
  assert.ok(await dialog.getByRole('checkbox', { name: new RegExp(ada.name) }).isChecked())
  assert.ok(await dialog.getByRole('checkbox', { name: new RegExp(ben.name) }).isChecked())
  await staff.screenshot({ path: join(shots, 'staff-invite-dialog.png') })
  await dialog.getByRole('button', { name: 'Send' }).click()
  await staff.getByRole('status').filter({ hasText: 'Invitation queued for 2 people' }).waitFor()
  await staff.getByText('Invited').first().waitFor()
  await staff.screenshot({ path: join(shots, 'staff-invited.png'), fullPage: true })

  const mail = await latestMail(ada.email, /invites you to your client portal/)
  assert.equal(mail.message.From.Name, 'E2E Accounting')
  assert.match(mail.message.Text, /Hello Ada Okafor/)
  assert.match(mail.message.HTML, /Create your password/)
  adaLink = mail.link
  benLink = (await latestMail(ben.email, /invites you/)).link
  assert.ok(adaLink && benLink && adaLink !== benLink)
})

test('the client follows the link, sets a password, accepts the terms and lands on Home', async () => {
  await client.goto(adaLink)
  await client.getByRole('heading', { name: 'Create your password' }).waitFor()
  await check('01-invite')
  await client.getByLabel('Password', { exact: true }).fill('short')
  await client.getByLabel('Password again').fill('short')
  await client.getByRole('button', { name: 'Create my account' }).click()
  await client.getByRole('alert').filter({ hasText: /at least 10 characters/ }).waitFor()
  await check('02-invite-error')
  await client.getByLabel('Password', { exact: true }).fill(clientPassword)
  await client.getByLabel('Password again').fill(clientPassword)
  await client.getByLabel(/I have read and accept/).check()
  await client.getByRole('button', { name: 'Create my account' }).click()
  await client.getByRole('heading', { name: 'Home' }).waitFor()
  await client.getByText('Your account is ready').waitFor()
  await check('03-home')

  await client.goto(adaLink)
  await client.getByText('already used').waitFor()
  await check('04-link-used')
})

test('the client sees the to-do and billing, and marks the to-do done', async () => {
  await client.goto(`${portalURL}/home`)
  await client.getByText('Upload your W-2 forms').waitFor()
  await client.getByRole('link', { name: 'To-Dos' }).first().click()
  await client.getByText('Both employers, please.').waitFor()
  await check('05-todos')
  await client.getByRole('button', { name: 'Mark “Upload your W-2 forms” done' }).click()
  await client.getByText('Marked done').waitFor()
  await check('06-todos-done')
  await client.getByRole('link', { name: 'Files' }).first().click()
  await check('07-files')
  await client.getByRole('link', { name: 'Billing' }).first().click()
  await client.getByText('$401.00').waitFor()
  await check('08-billing')
  await client.getByRole('link', { name: /^\d{4}-\d{3}$/ }).first().click()
  await client.getByText('State return').waitFor()
  await check('09-invoice')
  await client.getByRole('link', { name: 'Help' }).first().click()
  await client.getByRole('heading', { name: 'Using the portal' }).waitFor()
  await check('09a-help')

  await staff.getByRole('tab', { name: 'To-Dos' }).click()
  await staff.getByText(`Done by ${ada.email}`, { exact: false }).waitFor({ timeout: 30_000 })
  await staff.getByRole('tab', { name: 'Details' }).click()
})

test('staff open the schedule and the client books a time', async () => {
  await staff.getByRole('button', { name: 'Settings' }).click()
  const form = staff.getByRole('form', { name: 'Schedule' })
  await form.getByLabel('Clients can book appointments in the portal').check()
  await form.getByLabel('Time zone').fill('America/Chicago')
  // Open every day, two hour-long slots each, so the test does not depend on the weekday.
  for (const day of ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) {
    const row = form.getByRole('group', { name: day })
    await row.getByLabel('From').fill('09:00')
    await row.getByLabel('To').fill('11:00')
  }
  await form.getByRole('group', { name: 'Appointment type 1' }).getByLabel('Name').fill('Tax review')
  await form.getByRole('button', { name: 'Save schedule' }).click()
  await staff.getByRole('status').filter({ hasText: 'Schedule saved.' }).waitFor()

  const deadline = Date.now() + 30_000
  for (;;) {
    await client.goto(`${portalURL}/schedule`)
    if (await client.getByRole('radio').first().isVisible()) break
    assert.ok(Date.now() < deadline, 'the schedule never reached the portal')
    await new Promise((r) => setTimeout(r, 500))
  }
  await check('09b-schedule')
  const slot = client.getByRole('radio').nth(2)
  await slot.check()
  await client.getByRole('button', { name: 'Book this time' }).click()
  await client.getByText('Your appointment is booked').waitFor()
  await check('09c-schedule-booked')
  const mail = await latestMail(ada.email, /Appointment confirmed/)
  assert.equal(mail.message.Attachments?.[0]?.FileName, 'appointment.ics')

  await staff.getByRole('cell', { name: 'Okafor Household' }).first().waitFor({ timeout: 30_000 })
  await staff.screenshot({ path: join(shots, 'staff-schedule.png'), fullPage: true })
  await staff.getByRole('button', { name: 'Clients' }).click()
  await staff.getByRole('row').filter({ hasText: 'Okafor Household' }).first().click()
})

test('the client turns on an authenticator app and gets recovery codes', async () => {
  await client.goto(`${portalURL}/home`)
  await client.getByRole('link', { name: 'Settings' }).first().click()
  await check('10-settings')
  await client.getByRole('link', { name: 'Use an authenticator app' }).click()
  await client.getByRole('img', { name: /QR code/ }).waitFor()
  await check('11-totp-setup')
  secret = (await client.locator('code.secret').innerText()).trim()
  await client.getByLabel('Code from the app').fill('000000')
  await client.getByLabel('Your current password').fill(clientPassword)
  await client.getByRole('button', { name: 'Turn on the authenticator app' }).click()
  await client.getByRole('alert').filter({ hasText: /not right/ }).waitFor()
  setupCode = totp(secret)
  await client.getByLabel('Code from the app').fill(setupCode)
  await client.getByLabel('Your current password').fill(clientPassword)
  await client.getByRole('button', { name: 'Turn on the authenticator app' }).click()
  await client.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
  assert.equal(await client.locator('.codes li').count(), 10)
  await check('12-recovery-codes')
})

test('the client signs out and back in with a code from the app', async () => {
  await client.getByRole('button', { name: 'Sign out', exact: true }).click()
  await client.getByText('You are signed out.').waitFor()
  await check('13-signin')
  await client.getByLabel('Email').fill(ada.email)
  await client.getByLabel('Password').fill('not my password')
  await client.getByRole('button', { name: 'Sign in' }).click()
  await client.getByRole('alert').filter({ hasText: /do not match/ }).waitFor()
  await client.getByLabel('Password').fill(clientPassword)
  await client.getByRole('button', { name: 'Sign in' }).click()
  await client.getByText('authenticator app').first().waitFor()
  await check('14-code')
  // The code that turned the app on is spent: wait for the app's next one.
  let code = totp(secret)
  while (code === setupCode) {
    await new Promise((r) => setTimeout(r, 1000))
    code = totp(secret)
  }
  await client.getByLabel('Code').fill(setupCode)
  await client.getByRole('button', { name: 'Continue' }).click()
  await client.getByRole('alert').filter({ hasText: /not right/ }).waitFor()
  await client.getByLabel('Code').fill(code)
  await client.getByRole('button', { name: 'Continue' }).click()
  await client.getByRole('heading', { name: 'Home' }).waitFor()
})

test('a file dropped in the client folder reaches the client, and what the client drops reaches the folder', async () => {
  // The app made the client's folder in the library when the client was created.
  const folder = join(library, 'Okafor Household')
  const shared = join(folder, 'Shared with client')
  const fromClient = join(folder, 'From client')
  await until(`${shared} to exist`, () => existsSync(shared) && existsSync(fromClient))

  // Staff save a file into "Shared with client" the way Explorer does: written elsewhere,
  // then moved in whole.
  const name = 'Engagement letter 2025.pdf'
  const letter = pdf(name)
  const staging = mkdtempSync(join(dirname(library), 'staging-'))
  try {
    writeFileSync(join(staging, name), letter)
    renameSync(join(staging, name), join(shared, name))
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }

  await staff.getByRole('tab', { name: 'Files' }).click()
  const row = staff.getByRole('row').filter({ hasText: name })
  await row.getByText('Synced', { exact: true }).waitFor({ timeout: 30_000 })
  const toggle = row.getByRole('button', { name: `Visible to client: ${name}` })
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true')
  await staff.screenshot({ path: join(shots, 'staff-files-shared.png'), fullPage: true })

  // The client sees it on Home and on Files, and downloads the same bytes.
  await client.goto(`${portalURL}/home`)
  await client.getByRole('region', { name: 'Recent files' }).getByRole('link', { name }).waitFor()
  await client.getByRole('link', { name: 'Files' }).first().click()
  const link = client.getByRole('region', { name: 'Shared with you' }).getByRole('link', { name })
  await link.waitFor()
  await check('14a-files-shared')
  const [download] = await Promise.all([client.waitForEvent('download'), link.click()])
  assert.equal(download.suggestedFilename(), name)
  const got = readFileSync(await download.path())
  assert.equal(got.length, letter.length)
  assert.equal(sha256(got), sha256(letter))

  // The client drops a file on the form, as from their desktop, and uploads it.
  const w2name = 'W-2 2025.pdf'
  const w2 = pdf(w2name)
  const dataTransfer = await client.evaluateHandle(
    ([b64, fileName]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], fileName, { type: 'application/pdf' }))
      return dt
    },
    [w2.toString('base64'), w2name],
  )
  const dropZone = client.locator('[data-drop]')
  for (const type of ['dragenter', 'dragover', 'drop']) await dropZone.dispatchEvent(type, { dataTransfer })
  assert.equal(await client.locator('input[type=file]').evaluate((i) => i.files.length), 1)
  await client.getByText('1 file(s) ready').waitFor()
  // The page's script sends it (with its progress bar), not the plain form post.
  const [request] = await Promise.all([
    client.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/files/upload'),
    client.getByRole('button', { name: 'Upload' }).click(),
  ])
  assert.equal(request.headers()['x-requested-with'], 'portico')
  assert.equal((await request.response())?.status(), 204)
  await client.getByRole('status').filter({ hasText: 'Uploaded 1 file' }).waitFor()
  assert.equal(new URL(client.url()).search, '?uploaded=1')
  await client.getByRole('region', { name: 'You sent' }).getByRole('link', { name: w2name }).waitFor()
  await client.getByRole('region', { name: 'Shared with you' }).getByRole('link', { name }).waitFor()
  await check('14b-files-uploaded')

  // It comes down to the client's folder, byte for byte, and shows on the Files tab.
  const arrived = join(fromClient, w2name)
  const onDisk = await until(`${arrived} with the uploaded bytes`, () => {
    if (!existsSync(arrived)) return null
    const b = readFileSync(arrived)
    return b.equals(w2) ? b : null
  })
  assert.equal(sha256(onDisk), sha256(w2))
  const w2row = staff.getByRole('row').filter({ hasText: w2name })
  await w2row.getByText('Synced', { exact: true }).waitFor({ timeout: 30_000 })
  await w2row.getByText('From client', { exact: true }).waitFor()
  const w2toggle = w2row.getByRole('button', { name: `Visible to client: ${w2name}` })
  assert.equal(await w2toggle.getAttribute('aria-pressed'), 'true')
  assert.ok(await w2toggle.isDisabled(), 'what the client sent cannot be hidden from them')
  await staff.screenshot({ path: join(shots, 'staff-files-from-client.png'), fullPage: true })
  await staff.getByRole('tab', { name: 'Details' }).click()
})

test('staff remove access: the session dies and the old link no longer works', async () => {
  const section = staff.getByRole('region', { name: 'Client Portal' })
  await section.getByText('Active').waitFor({ timeout: 30_000 })
  await section.getByText('Accepted the invitation').waitFor()
  await section.getByRole('button', { name: new RegExp(ada.name) }).click()
  await section.getByRole('button', { name: 'Remove access' }).click()
  await section.getByRole('button', { name: 'Yes, remove access' }).click()
  await section.getByRole('button', { name: new RegExp(ben.name) }).click()
  await section.getByRole('button', { name: 'Remove access' }).click()
  await section.getByRole('button', { name: 'Yes, remove access' }).click()
  await section.getByText('Access removed').first().waitFor({ timeout: 30_000 })
  await staff.screenshot({ path: join(shots, 'staff-access-removed.png'), fullPage: true })

  const deadline = Date.now() + 30_000
  for (;;) {
    await client.goto(`${portalURL}/home`)
    if (await client.getByRole('heading', { name: 'Sign in' }).isVisible()) break
    assert.ok(Date.now() < deadline, 'the session outlived the removal')
    await new Promise((r) => setTimeout(r, 500))
  }
  await client.goto(benLink)
  await client.getByText('no longer works').first().waitFor()
  await check('15-link-removed')
  await client.goto(`${portalURL}/invite/not-a-real-token`)
  await client.getByText('This link is not valid').waitFor()
  await check('16-link-invalid')
})

test('staff send invites in bulk from Manage Client Portals', async () => {
  await staff.getByRole('button', { name: 'Clients' }).click()
  for (const [name, person] of [['Bulk One LLC', `one.${run}@bulk.test`], ['Bulk Two LLC', `two.${run}@bulk.test`]]) {
    await staff.getByRole('button', { name: 'New client' }).click()
    await staff.getByLabel('Client name').fill(name)
    const p = staff.getByRole('group', { name: 'Person 1' })
    await p.getByLabel('Name').fill(name + ' Owner')
    await p.getByLabel('Email').fill(person)
    await staff.getByRole('button', { name: 'Save' }).click()
    await staff.getByRole('status').filter({ hasText: 'Client created.' }).waitFor()
    await staff.getByRole('link', { name: /back to clients/i }).click()
  }
  await staff.getByRole('button', { name: 'Client Portals' }).click()
  await staff.getByRole('heading', { name: 'Manage Client Portals' }).waitFor()
  await staff.getByRole('cell', { name: 'Bulk Two LLC', exact: true }).waitFor()
  // Access removed counts as without a portal.
  assert.equal(await staff.getByRole('cell', { name: 'Okafor Household', exact: true }).count(), 1)
  await staff.getByLabel('Search').fill('Bulk')
  await staff.getByRole('cell', { name: 'Okafor Household', exact: true }).waitFor({ state: 'detached' })
  await staff.getByRole('checkbox', { name: 'Select all shown' }).check()
  await staff.screenshot({ path: join(shots, 'staff-manage-portals.png') })
  await staff.getByRole('button', { name: 'Send Invite (2)' }).click()
  await staff.getByRole('status').filter({ hasText: 'Invitations queued for 2 clients' }).waitFor()
  await latestMail(`one.${run}@bulk.test`, /invites you/)
  await latestMail(`two.${run}@bulk.test`, /invites you/)

  // Leave the desktop as the next file expects it: signed out.
  await staff.getByRole('button', { name: 'Settings' }).click()
  await staff.getByRole('button', { name: 'Sign out' }).click()
  await staff.getByRole('button', { name: 'Sign in' }).waitFor()
})
