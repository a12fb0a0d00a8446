/**
 * Kill-and-reopen: the app's backend (services + loopback bridge) runs as its own process; it is killed with SIGKILL
 * mid-escape, right after the escape's first L1 transaction is journaled, and started again on the same data folder.
 * The window says it lost the service; once the backend is back, the start screen lists the unfinished escape, one
 * click opens it on its next action (Resume, focused), and resuming finishes the escape on the real devnet (time
 * travel for the force-inclusion delay and the confirmation) with nothing sent twice: the account's L1 nonce moved
 * by exactly one per L1 step, and the journal holds one signed transaction per step — the one signed before the kill.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { jobsDir } from '../electron/services/paths'
import { listDescendantPids } from '../electron/services/test-support/processTable'
import { DEVNET_USER, DEVNET_USER_PATH, rpc, startArbitrumDevnetProcess, type ArbitrumDevnetProcess } from './support/arbitrumDevnetProcess'
import { startBackendProcess, type BackendProcess } from './support/startBackendProcess'
import { artifactsDir, killStartedSince, openRecordedBrowser, type RecordedBrowser } from './support/startAppUnderTest'
import type { BrowserGlobals } from './support/browserGlobals'

const startedBefore = new Set(listDescendantPids(process.pid))
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-kill-home-'))
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-kill-profile-'))
let devnet: ArbitrumDevnetProcess | undefined
let backend: BackendProcess | undefined
let browser: RecordedBrowser | undefined
let jobId = ''
let nonceBefore = 0

interface JournalLine {
  type: string
  step?: string
  chainId?: number
  hash?: string
}

function journal(id: string): JournalLine[] {
  const file = path.join(jobsDir(home), `${id}.jsonl`)
  if (!fs.existsSync(file)) return []
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}')) // `<checksum> <json>`; a torn last line is not a record
    .map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)) as JournalLine)
}

async function l1Nonce(): Promise<number> {
  return Number(BigInt((await rpc(devnet!.l1Url, 'eth_getTransactionCount', [DEVNET_USER, 'latest'])) as string))
}

async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals
    const el = document.activeElement
    if (!el || el === document.body) return '(body)'
    return `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}`
  })
}

beforeAll(async () => {
  devnet = await startArbitrumDevnetProcess(home)
  await rpc(devnet.l2Url, 'devnet_fund', [DEVNET_USER, '2000000000000000000'])
  nonceBefore = await l1Nonce()
  fs.mkdirSync(artifactsDir, { recursive: true })
  backend = await startBackendProcess({ dataDir: home })
  browser = await openRecordedBrowser(profile, `127.0.0.1:${backend.port}`)
}, 240_000)

afterAll(async () => {
  await browser?.context.close().catch(() => undefined)
  await backend?.stop()
  await devnet?.stop()
  killStartedSince(startedBefore)
  fs.rmSync(home, { recursive: true, force: true })
  fs.rmSync(profile, { recursive: true, force: true })
})

describe('the backend killed mid-escape', () => {
  it('starts an escape from the wizard and is killed (SIGKILL) right after its first L1 transaction is journaled', async () => {
    const { page } = browser!
    await page.goto(backend!.url)
    await page.getByRole('region', { name: 'Get my funds out' }).getByRole('link', { name: 'Get my funds out' }).click()
    const network = page.getByLabel('Which chain are your funds on?')
    await expect.poll(() => network.locator('option[value="devnet-arbitrum"]').count(), { timeout: 30_000 }).toBe(1)
    await network.selectOption('devnet-arbitrum')
    await page.getByLabel('L1 RPC address').fill(devnet!.l1Url)
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Check connections' }).click()
    await page.getByText(/^One L1 endpoint on Devnet L1/).waitFor({ timeout: 60_000 })
    await page.getByRole('radio', { name: /Software Ledger \(practice only\)/ }).check()
    await page.getByLabel('Account (derivation path)').fill(DEVNET_USER_PATH)
    await page.getByRole('button', { name: 'Read my account' }).click()
    await page.getByRole('definition').filter({ hasText: DEVNET_USER }).waitFor({ timeout: 60_000 })
    await page.getByLabel('Amount in ETH').fill('1')
    await page.getByRole('button', { name: 'Show the cost' }).click()
    const preview = page.getByRole('region', { name: '5. The cost, before anything is signed' })
    await preview.waitFor({ timeout: 90_000 })
    // Remembered in the job, so the restarted backend can resume it without asking for the URLs again.
    await preview.getByRole('checkbox', { name: /Remember the RPC addresses/ }).check()
    await preview.getByRole('button', { name: 'Start the escape' }).click()
    await page.waitForURL(/#\/jobs\/arb-escape-/, { timeout: 90_000 })
    jobId = decodeURIComponent(new URL(page.url()).hash.replace('#/jobs/', ''))

    // The moment the L1 transaction is in the journal (it may or may not have reached anvil yet): kill -9.
    const deadline = Date.now() + 120_000
    while (!journal(jobId).some((r) => r.type === 'tx.signed' && r.step === 'send-l2-message')) {
      if (Date.now() > deadline) throw new Error(`no L1 transaction journaled (${journal(jobId).map((r) => r.type).join(', ')}); backend output: ${backend!.output().slice(-2000)}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await backend!.kill9()
    expect(journal(jobId).some((r) => r.type === 'job.finished')).toBe(false)
    await page.getByText('Not connected: this window lost the Escape Hatch service.', { exact: false }).waitFor({ timeout: 30_000 })
  }, 360_000)

  it('restarted, the app lists the escape; one click opens it on its next action; resuming finishes it; nothing sent twice', async () => {
    const { page } = browser!
    const signedBeforeKill = journal(jobId).filter((r) => r.type === 'tx.signed' && r.step === 'send-l2-message')
    expect(signedBeforeKill).toHaveLength(1)
    backend = await startBackendProcess({ dataDir: home, port: backend!.port })
    await page.goto(backend.url)
    const unfinished = page.getByRole('region', { name: 'Resume a job' })
    const link = unfinished.getByRole('link', { name: 'Get 1 ETH out of Devnet Arbitrum' })
    await link.waitFor({ timeout: 30_000 })
    await link.click()
    await expect.poll(() => focused(page), { timeout: 30_000 }).toMatch(/^button:Resume/)
    // The step the killed run was in is not running: never shown as "in progress".
    await page.locator('.job-header .status').getByText('Not running', { exact: true }).waitFor()
    expect(await page.getByRole('region', { name: 'Where your withdrawal is' }).getByRole('listitem').first().innerText()).toMatch(/Withdrawal put into the L1 inbox\s*Not running/)
    expect(await page.locator('main').innerText()).not.toContain('In progress')
    await page.screenshot({ path: path.join(artifactsDir, 'kill-reopen.png'), fullPage: true })

    const next = page.getByRole('region', { name: 'Next' })
    const timeline = page.getByRole('region', { name: 'Where your withdrawal is' })
    // Resume: the journaled transaction is sent again as it was (same bytes) or found mined; then the force-inclusion wait.
    await page.keyboard.press('Enter')
    await timeline.getByRole('listitem').filter({ hasText: 'Included on L2' }).getByText('Paused', { exact: true }).waitFor({ timeout: 180_000 })
    expect(await timeline.getByRole('listitem').first().innerText()).toMatch(/Withdrawal put into the L1 inbox\s*Done/)

    await rpc(devnet!.l1Url, 'anvil_mine', ['0x40', '0xc'])
    await next.getByRole('button', { name: /^Resume/ }).click()
    await timeline.getByRole('listitem').filter({ hasText: 'In a state root posted on L1' }).getByText('Paused', { exact: true }).waitFor({ timeout: 180_000 })

    await rpc(devnet!.l2Url, 'devnet_postAndConfirmAssertion')
    await next.getByRole('button', { name: /^Resume/ }).click()
    await page.locator('.job-header .status').getByText('Done', { exact: true }).waitFor({ timeout: 180_000 })

    // Nothing sent twice: one signed L1 transaction per L1 step (the send-l2-message one is the one signed before the kill),
    // and the account's L1 nonce moved by exactly that many.
    const records = journal(jobId)
    const l1Signed = records.filter((r) => r.type === 'tx.signed' && r.step !== 'sign-l2-tx')
    const perStep = l1Signed.reduce<Record<string, number>>((m, r) => ({ ...m, [r.step!]: (m[r.step!] ?? 0) + 1 }), {})
    expect(perStep).toEqual({ 'send-l2-message': 1, 'force-inclusion': 1, 'execute-withdrawal': 1 })
    expect(l1Signed.find((r) => r.step === 'send-l2-message')!.hash).toBe(signedBeforeKill[0]!.hash)
    expect((await l1Nonce()) - nonceBefore).toBe(3)
    expect(records.at(-1)).toMatchObject({ type: 'job.finished', outcome: 'succeeded' })
  }, 600_000)

  it('made no request that left loopback', () => {
    expect(browser!.offLoopback).toEqual([])
  })
})
