/**
 * The whole Arbitrum escape from the window, end to end, through the loopback bridge and the real services, against
 * the real devnet (`escape-hatch devnet up --stack arbitrum`, its sequencer censoring the user): the start screen's
 * "Get my funds out", the wizard (network from the registry incl. the running devnet's, two L1 endpoints cross-checked,
 * the software Ledger, the amount with the balance shown, a mistyped checksum refused in plain words, the cost
 * preview), the job run by main with the job engine, paused at each long wait with its reason and date and resumed
 * with the job's next-action button after time travel; then the diagnosis of the same address and its report.
 *
 * One L1 endpoint is reached through a keyed proxy (`/v3/<API key>`, as hosted RPC providers do): the key must never
 * be on screen (text or input values), in the journal, or in a report.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DEVNET_USER, DEVNET_USER_PATH, rpc, startArbitrumDevnetProcess, type ArbitrumDevnetProcess } from './support/arbitrumDevnetProcess'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'
import { startKeyedRpcProxy, type KeyedRpcProxy } from './support/keyedRpcProxy'
import type { BrowserGlobals } from './support/browserGlobals'

const USER = DEVNET_USER
const USER_PATH = DEVNET_USER_PATH
const API_KEY = 'sk9e2eSECRETapikey7f3a'

let app: AppUnderTest
let devnet: ArbitrumDevnetProcess | undefined
let proxy: KeyedRpcProxy | undefined
let l1Url = ''
let l2Url = ''
let keyedL1Url = ''

/** A hosted-RPC look-alike: only POST /v3/<API_KEY> is forwarded to anvil; anything else is refused. */
async function startKeyedProxy(target: string): Promise<string> {
  proxy = await startKeyedRpcProxy({ [`/v3/${API_KEY}`]: target })
  return proxy.url(`/v3/${API_KEY}`)
}

/** The key is nowhere on the page: not in its text, not in any attribute, not in any input's value. */
async function expectNoKeyOnScreen(page: Page): Promise<void> {
  expect(await page.content()).not.toContain(API_KEY)
  const values = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ value: string }> } }).document
    return Array.from(doc.querySelectorAll('input, textarea, select')).map((i) => i.value)
  })
  for (const v of values) expect(v).not.toContain(API_KEY)
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}

beforeAll(async () => {
  app = await startAppUnderTest()
  fs.mkdirSync(artifactsDir, { recursive: true })
  devnet = await startArbitrumDevnetProcess(app.home)
  l1Url = devnet.l1Url
  l2Url = devnet.l2Url
  keyedL1Url = await startKeyedProxy(l1Url)
  await rpc(l2Url, 'devnet_fund', [USER, '2000000000000000000'])
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
  await proxy?.close()
  await app?.stop()
})

/** WCAG contrast of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals
    const el = document.activeElement
    if (!el || el === document.body) return '(body)'
    return `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}`
  })
}

describe('the Arbitrum escape in the window', () => {
  let jobId = ''

  it('starts from "Get my funds out" and plans the escape in the wizard, with the cost before anything is signed', async () => {
    const { page } = app
    await page.goto(app.bridge.url)
    const emergency = page.getByRole('region', { name: 'Get my funds out' })
    await emergency.waitFor()
    await page.screenshot({ path: path.join(artifactsDir, 'start.png') })
    // Keyboard: Tab reaches the emergency action; its focus ring stands out (≥ 3:1 against the page behind it).
    await emergency.getByRole('link', { name: 'Get my funds out' }).focus()
    const ring = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { activeElement: unknown; querySelector(s: string): unknown }; getComputedStyle(e: unknown): { outlineColor: string; outlineStyle: string; backgroundColor: string } }
      const card = g.document.querySelector('.card-emergency')
      return { outline: g.getComputedStyle(g.document.activeElement).outlineColor, style: g.getComputedStyle(g.document.activeElement).outlineStyle, behind: g.getComputedStyle(card).backgroundColor }
    })
    expect(ring.style).toBe('solid')
    expect(contrast(ring.outline, ring.behind)).toBeGreaterThanOrEqual(3)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Get my funds out' }).waitFor()
    await expect.poll(() => focused(page)).toBe('h1:Get my funds out')

    // The network list is the registry's, with the running devnet's network, named (not numbered).
    const network = page.getByLabel('Which chain are your funds on?')
    await expect.poll(() => network.locator('option[value="devnet-arbitrum"]').count()).toBe(1)
    expect(await network.locator('option[value="devnet-arbitrum"]').innerText()).toBe('Devnet Arbitrum — on Devnet L1 (anvil on this computer)')
    expect(await network.locator('option[value="arbitrum-one"]').innerText()).toBe('Arbitrum One — on Ethereum')
    await network.selectOption('devnet-arbitrum')

    // A plain message for a bad URL; then two endpoints, one of them keyed: only hosts are shown.
    const l1Input = page.getByLabel('L1 RPC address')
    await l1Input.fill('eth.example.org')
    await page.getByRole('button', { name: 'Add L1 endpoint' }).click()
    await page.getByText('An L1 RPC address starts with http:// or https://', { exact: false }).waitFor()
    await l1Input.fill(keyedL1Url)
    await page.keyboard.press('Enter')
    await l1Input.fill(l1Url)
    await page.keyboard.press('Enter')
    const endpoints = page.getByRole('list', { name: 'L1 endpoints' }).getByRole('listitem')
    await expect.poll(() => endpoints.count()).toBe(2)
    expect(await endpoints.first().innerText()).toContain('(rest of the address hidden)')
    await expectNoKeyOnScreen(page)
    await page.getByRole('button', { name: 'Check connections' }).click()
    await page.getByText(/^All 2 L1 endpoints on Devnet L1 \(anvil on this computer\), agreeing on block \d+\.$/).waitFor({ timeout: 30_000 })
    expect(await page.locator('.endpoint-checks').innerText()).toMatch(/L2 node http:\/\/127\.0\.0\.1:\d+: answers, block \d+/)

    // The software Ledger (practice only: offered because this network does not settle on Ethereum mainnet).
    await page.getByRole('radio', { name: /Software Ledger \(practice only\)/ }).check()
    await page.getByLabel('Account (derivation path)').fill(USER_PATH)
    await page.getByRole('button', { name: 'Read my account' }).click()
    const account = page.getByRole('definition').filter({ hasText: USER })
    await account.waitFor({ timeout: 30_000 })
    const l2Balance = page.locator('dl[aria-label="Your account"] dd').nth(2)
    expect(await l2Balance.innerText()).toMatch(/^2 ETH/)
    expect(await l2Balance.locator('.eth').getAttribute('title')).toBe('2,000,000,000,000,000,000 wei')

    // The amount with the balance beside it; a destination with a broken checksum is refused in plain words.
    await page.getByLabel('Amount in ETH').fill('1,5')
    const destination = page.getByLabel('Your address on L1 that receives it')
    expect(await destination.inputValue()).toBe(USER)
    await destination.fill(USER.replace('EA7', 'Ea7'))
    await page.getByRole('button', { name: 'Show the cost' }).click()
    await page.getByText('Type an amount of ETH like 1.5', { exact: false }).waitFor()
    expect(await page.locator('.field-problem').allInnerTexts()).toEqual([
      'Type an amount of ETH like 1.5 (a dot for decimals, at most 18 decimals).',
      'This address has a wrong checksum (the mix of capital and small letters does not match): it was probably mistyped. Copy it again from its source.',
    ])
    await page.getByLabel('Amount in ETH').fill('1')
    await destination.fill(USER)
    await page.screenshot({ path: path.join(artifactsDir, 'escape-wizard.png'), fullPage: true })

    await page.getByRole('button', { name: 'Show the cost' }).click()
    const preview = page.getByRole('region', { name: '5. The cost, before anything is signed' })
    await preview.waitFor({ timeout: 60_000 })
    const rows = preview.getByRole('row')
    expect(await rows.count()).toBe(5)
    expect(await rows.nth(1).innerText()).toContain('Devnet Arbitrum')
    expect(await rows.nth(2).innerText()).toMatch(/Devnet L1[\s\S]*sendL2Message[\s\S]*now/)
    expect(await rows.nth(3).innerText()).toMatch(/forceInclusion[\s\S]*about/)
    // L1 gas in ETH, with the wei on hover.
    const total = preview.locator('dl[aria-label="Totals"] dd').first().locator('.eth')
    expect(await total.getAttribute('title')).toMatch(/^[\d,]+ wei$/)
    expect(await total.innerText()).toMatch(/ETH/)
    await preview.screenshot({ path: path.join(artifactsDir, 'cost-preview.png') })
    // The table fits its card (nothing cut off on the right).
    expect(await preview.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth + 1)).toBe(true)
    await expectNoKeyOnScreen(page)
    expect(filesUnder(app.jobsDir).filter((f) => f.endsWith('.jsonl'))).toEqual([]) // nothing journaled by a preview

    await preview.getByRole('button', { name: 'Start the escape' }).click()
    await page.waitForURL(/#\/jobs\/arb-escape-/, { timeout: 60_000 })
    jobId = decodeURIComponent(new URL(page.url()).hash.replace('#/jobs/', ''))
  }, 240_000)

  it('runs the job in main, shows the force-inclusion wait as paused with its date, and resumes after time travel', async () => {
    const { page } = app
    const timeline = page.getByRole('region', { name: 'Where your withdrawal is' })
    await timeline.waitFor()
    const included = timeline.getByRole('listitem').filter({ hasText: 'Included on L2' })
    await included.getByText('Paused', { exact: true }).waitFor({ timeout: 120_000 })
    expect(await page.locator('.job-header .status').innerText()).toBe('Paused')
    expect(await timeline.getByRole('listitem').first().innerText()).toMatch(/Withdrawal put into the L1 inbox\s*Done/)
    // A date (local; UTC on hover) and a countdown; never "in progress" for a wait.
    const date = included.locator('.timeline-date time')
    expect(await date.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
    expect(await included.innerText()).toMatch(/Waiting for the force-inclusion deadline: L1 block \d+/)
    expect(await included.innerText()).toMatch(/in about \d+ min|in less than a minute|due now/)
    // The wait's bar, from when it started to its date.
    await included.getByRole('progressbar', { name: 'Time waited so far' }).waitFor()
    const steps = page.getByRole('region', { name: 'Steps' })
    expect(await steps.getByRole('listitem').filter({ hasText: 'Wait for the force-inclusion delay' }).innerText()).toMatch(/Paused/)
    expect(await steps.innerText()).not.toContain('In progress')
    // The app opens (and stays) on the single next action.
    const resume = page.getByRole('region', { name: 'Next' }).getByRole('button', { name: /^Resume/ })
    await resume.waitFor()
    await expect.poll(() => focused(page)).toMatch(/^button:Resume/)
    await page.screenshot({ path: path.join(artifactsDir, 'job-timeline.png'), fullPage: true })
    await expectNoKeyOnScreen(page)

    // From the start screen, the unfinished escape is one click away and opens on its next action.
    await page.goto(app.bridge.url)
    const unfinished = page.getByRole('region', { name: 'Resume a job' })
    expect(await unfinished.innerText()).toMatch(/paused — Wait for the force-inclusion delay · can go on from/)
    await unfinished.getByRole('link', { name: 'Get 1 ETH out of Devnet Arbitrum' }).click()
    await expect.poll(() => focused(page)).toMatch(/^button:Resume/)

    // Time travel past the force-inclusion deadline, then the job's one button.
    await rpc(l1Url, 'anvil_mine', ['0x40', '0xc'])
    await resume.click()
    // No validator has posted an assertion on the devnet yet: the job pauses for it, with the earliest date.
    const inRoot = timeline.getByRole('listitem').filter({ hasText: 'In a state root posted on L1' })
    await inRoot.getByText('Paused', { exact: true }).waitFor({ timeout: 120_000 })
    expect(await inRoot.innerText()).toContain('no assertion covers your withdrawal yet')
    expect(await timeline.getByRole('listitem').filter({ hasText: 'Included on L2' }).innerText()).toContain('Done')
    expect(await page.getByRole('log', { name: 'Progress of this run' }).innerText()).toContain('force-inclusion')
  }, 300_000)

  it('takes the ETH out on L1 after the confirmation, and says so', async () => {
    const { page } = app
    // Time travel: the devnet validator posts an assertion and confirms it after the confirm period.
    await rpc(l2Url, 'devnet_postAndConfirmAssertion')
    await page.getByRole('region', { name: 'Next' }).getByRole('button', { name: /^Resume/ }).click()
    await page.locator('.job-header .status').getByText('Done', { exact: true }).waitFor({ timeout: 120_000 })
    const stages = await page.getByRole('region', { name: 'Where your withdrawal is' }).getByRole('listitem').allInnerTexts()
    expect(stages).toHaveLength(5)
    for (const s of stages) expect(s).toMatch(/Done/)
    const txs = page.getByRole('table')
    expect(await txs.innerText()).toContain('Take the ETH out on L1')
    expect(await txs.innerText()).toContain('Devnet L1')
    // One L1 transaction per step: nothing was sent twice across the two resumes.
    const perStep = (await txs.locator('tbody tr td:nth-child(2)').allInnerTexts()).reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {})
    for (const n of Object.values(perStep)) expect(n).toBe(1)
    const next = page.getByRole('region', { name: 'Next' })
    await next.getByRole('button', { name: 'Save the report' }).click()
    await next.locator('.report-saved').waitFor()
    await page.screenshot({ path: path.join(artifactsDir, 'drill.png'), fullPage: true })
    // The journal and the job report hold no API key (the URLs were not saved in the job).
    for (const file of [...filesUnder(app.jobsDir), ...filesUnder(path.join(app.home, 'reports'))]) expect(fs.readFileSync(file, 'utf8')).not.toContain(API_KEY)
    await expectNoKeyOnScreen(page)
    expect(jobId).toMatch(/^arb-escape-/)
  }, 200_000)

  it('diagnoses the drill’s address: every exit, its stage and next action; the report has no credential', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/diagnosis`)
    await page.getByRole('heading', { level: 1, name: 'Where does a withdrawal stand?' }).waitFor()
    await expect.poll(() => page.getByLabel('Network').locator('option[value="devnet-arbitrum"]').count()).toBe(1)
    await page.getByLabel('Network').selectOption('devnet-arbitrum')
    // A key pasted by mistake is refused before anything is sent.
    await page.getByLabel('Address or transaction hash').fill(`0x${'ab'.repeat(32)}cd`)
    await page.getByLabel('L1 RPC address').fill(keyedL1Url)
    await page.getByRole('button', { name: 'Add L1 endpoint' }).click()
    await page.getByRole('button', { name: 'Diagnose' }).click()
    await page.getByText('Never a private key or a recovery phrase.', { exact: false }).waitFor()
    await page.getByLabel('Address or transaction hash').fill(USER)
    await page.getByRole('button', { name: 'Diagnose' }).click()
    const result = page.getByRole('region', { name: new RegExp(`Devnet Arbitrum: ${USER}`) })
    await result.waitFor({ timeout: 90_000 })
    const text = await result.innerText()
    expect(text).toContain('Stage: Included on L2')
    expect(text).toContain('Stage: Paid out on L1')
    expect(text).toMatch(/Sources: http:\/\/127\.0\.0\.1:\d+; L2 node http:\/\/127\.0\.0\.1:\d+/)
    await expectNoKeyOnScreen(page)
    await page.screenshot({ path: path.join(artifactsDir, 'diagnosis.png'), fullPage: true })

    await result.getByRole('button', { name: 'Save the report (HTML + JSON)' }).click()
    const saved = result.locator('.report-path')
    await saved.waitFor()
    const htmlFile = await saved.innerText()
    const html = fs.readFileSync(htmlFile, 'utf8')
    const json = fs.readFileSync(htmlFile.replace(/\.html$/, '.json'), 'utf8')
    expect(html).toContain('Paid out on L1')
    expect(JSON.parse(json)).toMatchObject({ schema: 'escape-hatch-diagnosis/v1', address: USER })
    for (const content of [html, json]) {
      expect(content).not.toContain(API_KEY)
      expect(content).not.toContain('/v3/')
    }
    const reportPage = await app.newPage()
    await reportPage.setContent(html)
    await reportPage.screenshot({ path: path.join(artifactsDir, 'report.png'), fullPage: true })
    await reportPage.close()
  }, 150_000)

  it('shows "Not connected" when the backend goes away', async () => {
    const { page } = app
    await app.bridge.close()
    await page.getByText('Not connected: this window lost the Escape Hatch service.', { exact: false }).waitFor({ timeout: 20_000 })
    expect(await page.locator('.app-status').innerText()).toContain('Not connected')
  })

  it('made no request that left loopback, and logged no page errors', () => {
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e))).toEqual([])
  })
})
