// What the browser tests share: the environment scripts/e2e.sh sets, Chromium as this
// machine runs it, axe-core checks with screenshots, and reading mail back from Mailpit.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const axeSource = createRequire(import.meta.url)('axe-core').source

export const env = (k) => {
  const v = process.env[k]
  if (!v) throw new Error(`${k} is not set: run scripts/e2e.sh`)
  return v
}
export const appURL = process.env.E2E_APP_URL || 'http://localhost:34115'
export const shots = process.env.E2E_SCREENSHOTS || 'test-output/screenshots'

export const phone = { width: 390, height: 844 }
export const desktop = { width: 1280, height: 800 }
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
]

// check runs axe-core on a client's page (WCAG 2.1 A/AA) and takes screenshots at phone
// and desktop size.
export async function check(page, name) {
  await page.evaluate(axeSource)
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }),
  )
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    [],
    `axe on ${name}`,
  )
  await page.screenshot({ path: join(shots, `portal-${name}-phone.png`), fullPage: true })
  await page.setViewportSize(desktop)
  await page.screenshot({ path: join(shots, `portal-${name}-desktop.png`), fullPage: true })
  await page.setViewportSize(phone)
}

// latestMail waits for the newest mail to addr whose subject matches, and returns it with
// the first link matching linkRE (other than notLink).
export async function latestMail(mailpit, addr, subject, linkRE, notLink = '') {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const list = await (await fetch(`${mailpit}/api/v1/search?query=${encodeURIComponent(`to:"${addr}"`)}`)).json()
    for (const m of list.messages ?? []) {
      if (!subject.test(m.Subject)) continue
      const full = await (await fetch(`${mailpit}/api/v1/message/${m.ID}`)).json()
      const link = full.Text.match(linkRE)?.[0]
      if (!notLink || link !== notLink) return { message: full, link }
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`no mail to ${addr} matching ${subject}`)
}

// until polls fn (a value or a promise of one) until it is truthy, and returns it.
export async function until(what, fn, timeout = 20_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

// ensureStaffSignedIn signs the staff app in to the portal unless it is already.
export async function ensureStaffSignedIn(staff, portalURL, email, password) {
  await staff.getByRole('button', { name: 'Settings' }).click()
  if (await staff.getByRole('button', { name: 'Sign out' }).isVisible()) return
  await staff.getByLabel('Portal URL').fill(portalURL)
  await staff.getByLabel('Email').fill(email)
  await staff.getByLabel('Password').fill(password)
  await staff.getByRole('button', { name: 'Sign in' }).click()
  await staff.getByRole('button', { name: 'Sign out' }).waitFor()
}

// openBrowsers starts what a test file drives: the staff app in Chromium with a fresh
// profile (the app under `wails dev`), and a client's phone-sized browser of their own.
// close() ends both and removes the profile.
export async function openBrowsers(chromium, clientOptions = {}) {
  mkdirSync(shots, { recursive: true })
  const profile = mkdtempSync(join(tmpdir(), 'portico-chromium-'))
  const staffContext = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', viewport: desktop, args: chromiumArgs,
  })
  const staff = staffContext.pages()[0] ?? (await staffContext.newPage())
  staff.setDefaultTimeout(20_000)
  await staff.goto(appURL)
  const clientBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs })
  const client = await (await clientBrowser.newContext({ viewport: phone, ...clientOptions })).newPage()
  client.setDefaultTimeout(20_000)
  const close = async () => {
    await clientBrowser.close()
    await staffContext.close()
    rmSync(profile, { recursive: true, force: true })
  }
  // A failing step leaves pictures of what both browsers showed.
  const shootFailure = async (prefix, t) => {
    if (t.passed !== false && !t.error) return
    const name = t.name.replace(/\W+/g, '-')
    await staff.screenshot({ path: join(shots, `failed-${prefix}staff-${name}.png`) }).catch(() => {})
    await client.screenshot({ path: join(shots, `failed-${prefix}client-${name}.png`) }).catch(() => {})
  }
  return { staff, client, close, shootFailure }
}
