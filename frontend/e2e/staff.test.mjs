// The staff UI in a real browser: Debian's Chromium driven by Playwright against `wails dev`
// (the app with live Go bindings on :34115) and a real portald. scripts/e2e.sh starts both
// and sets the environment; run it through `make test` or `make e2e`.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const env = (k) => {
  const v = process.env[k]
  if (!v) throw new Error(`${k} is not set: run scripts/e2e.sh`)
  return v
}
const appURL = process.env.E2E_APP_URL || 'http://localhost:34115'
const portalURL = env('E2E_PORTAL_URL')
const email = env('E2E_EMAIL')
const password = env('E2E_PASSWORD')
const shots = process.env.E2E_SCREENSHOTS || 'test-output/screenshots'

let context, page, profile

before(async () => {
  mkdirSync(shots, { recursive: true })
  profile = mkdtempSync(join(tmpdir(), 'portico-chromium-'))
  // A fresh profile every run; Playwright passes it as --user-data-dir.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(20_000)
  await page.goto(appURL)
})

afterEach(async (t) => {
  // A failing step leaves a picture of what the browser showed.
  if (t.passed === false || t.error) await shot(`failed-${t.name.replace(/\W+/g, '-')}`).catch(() => {})
})

after(async () => {
  await context?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })

test('sign-in errors are clear in Settings', async () => {
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Portal URL').fill(portalURL)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('alert').filter({ hasText: /wrong email or password/i }).waitFor()
  await shot('01-settings-wrong-password')

  await page.getByLabel('Portal URL').fill('http://127.0.0.1:9')
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('alert').filter({ hasText: /cannot reach the portal/i }).waitFor()
  await shot('02-settings-unreachable')
})

test('staff signs in, creates a client, finds it and sees it synced', async () => {
  await page.getByLabel('Portal URL').fill(portalURL)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
  await page.getByText('E2E Accounting').first().waitFor()
  await shot('03-settings-signed-in')

  await page.getByRole('button', { name: 'Clients' }).click()
  await page.getByRole('button', { name: 'New client' }).click()
  await page.getByLabel('Client name').fill('Nguyen Family Trust')
  const p1 = page.getByRole('group', { name: 'Person 1' })
  await p1.getByLabel('Name').fill('Linh Nguyen')
  await p1.getByLabel('Email').fill('linh@nguyen.test')
  await p1.getByLabel('Phone').fill('+1 415 555 0199')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('status').filter({ hasText: 'Client created.' }).waitFor()
  await shot('04-client-record')

  // A second client with the same email is refused with a clear message, input kept.
  await page.getByRole('link', { name: /back to clients/i }).click()
  await page.getByRole('button', { name: 'New client' }).click()
  await page.getByLabel('Client name').fill('Duplicate Co')
  const d1 = page.getByRole('group', { name: 'Person 1' })
  await d1.getByLabel('Name').fill('Someone Else')
  await d1.getByLabel('Email').fill('linh@nguyen.test')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('alert').filter({ hasText: /already used by Linh Nguyen/ }).waitFor()
  assert.equal(await page.getByLabel('Client name').inputValue(), 'Duplicate Co')
  await shot('05-client-duplicate-email')

  await page.getByRole('link', { name: /back to clients/i }).click()
  await page.getByPlaceholder('Search clients by name, email or phone').fill('5550199')
  await page.getByRole('row').filter({ hasText: 'Nguyen Family Trust' }).waitFor()
  assert.equal(await page.getByRole('row').filter({ hasText: 'Duplicate Co' }).count(), 0)
  await page.getByPlaceholder('Search clients by name, email or phone').fill('linh@nguyen')
  await page.getByRole('row').filter({ hasText: 'linh@nguyen.test' }).waitFor()
  await shot('06-clients-search')

  const badge = page.getByTestId('sync-status')
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === 'synced',
  )
  assert.match(await badge.innerText(), /Synced/)
  await shot('07-synced')
})
