/**
 * The drill from the window, end to end: Debian Chromium through the loopback bridge to the real services, which run
 * the real drill (anvil L1 with the Nitro contracts, the devnet L2 that censors the user, the journaled escape with
 * the software Ledger). Started from the start screen's drill card with the keyboard; the steps arrive live; the
 * PASSED result with its checks and the matched send root; the report saved as HTML; no anvil left behind.
 */
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChildAnvils } from '../electron/services/drill/test-support/findChildAnvils'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'
import type { BrowserGlobals } from './support/browserGlobals'
import type { ArbitrumDrillReportView } from '../shared/ipc/drillSchemas'

let app: AppUnderTest
/** drill:progress / drill:finished frames the page received over the bridge, in order. */
const drillFrames: { channel: string; payload: { seq?: number; update?: { kind: string; step?: { name: string; status: string } } } }[] = []

beforeAll(async () => {
  app = await startAppUnderTest()
  fs.mkdirSync(artifactsDir, { recursive: true })
  app.page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; channel?: string; payload?: unknown }
      if (frame.type === 'event' && frame.channel?.startsWith('drill:')) drillFrames.push({ channel: frame.channel, payload: frame.payload as never })
    }),
  )
})
afterAll(async () => {
  await app?.services.drill.stop()
  await app?.stop()
  // Whatever happened above, the drill's devnet did not outlive the app.
  expect(findChildAnvils()).toEqual([])
})

async function focused(): Promise<string> {
  return app.page.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals
    const el = document.activeElement
    if (!el || el === document.body) return '(body)'
    return `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}`
  })
}

/** True when something accepts TCP connections at this URL's port (anvil's RPC). */
function listening(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('drill in the window', () => {
  it('starts a real drill from the start screen with the keyboard, shows it live, and ends PASSED with its checks', async () => {
    const { page } = app
    await page.goto(app.bridge.url)
    const card = page.getByRole('region', { name: 'Practise with a drill' })
    await card.getByRole('link', { name: 'Open the drill' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Practise an escape with a drill' }).waitFor()
    await expect.poll(focused).toBe('h1:Practise an escape with a drill')
    expect(new URL(page.url()).hash).toBe('#/drill')
    await page.getByRole('region', { name: 'Past drills' }).getByText('No drill has run on this computer yet.').waitFor()

    // Tab: the drill choice (one stop, Arbitrum escape checked), the batch-mode radio group (one stop), then Start.
    await page.keyboard.press('Tab')
    expect(await page.getByRole('radio', { name: 'Arbitrum: censored by the sequencer' }).isChecked()).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('input:')
    expect(await page.getByRole('radio', { name: 'Calldata' }).isChecked()).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focused()).toBe('button:Start drill')
    expect(findChildAnvils()).toEqual([])
    await page.keyboard.press('Enter')

    // While it runs, the drill's anvil is a child of this process (the services run in it, behind the bridge).
    let sawAnvil = false
    for (const deadline = Date.now() + 150_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      if (findChildAnvils().length > 0) {
        sawAnvil = true
        break
      }
      if (app.services.drill.status().run?.status === 'passed' || app.services.drill.status().run?.status === 'failed') break
    }
    const heading = page.getByRole('heading', { level: 2, name: /^Drill (in progress|result)$/ })
    if ((await heading.innerText()) === 'Drill in progress') {
      await expect.poll(focused).toBe('button:Cancel drill')
      await page.screenshot({ path: path.join(artifactsDir, 'drill-running.png') })
    }

    await page.getByText(/^Drill PASSED in [\d.]+ (s|ms): every check passed\.$/).waitFor({ timeout: 150_000 })
    expect(sawAnvil).toBe(true)
    const run = app.services.drill.status().run!
    expect(run.status).toBe('passed')
    const report = run.report as ArbitrumDrillReportView

    // Steps: all done, each with its time, in the plan's order.
    const steps = page.getByRole('region', { name: 'Steps' }).getByRole('listitem')
    expect(await steps.count()).toBe(11)
    for (const text of await steps.allInnerTexts()) expect(text).toMatch(/Done\s*[\d.]+ (ms|s)$/)
    expect(await steps.first().innerText()).toContain('Start the test chain and censor you')
    expect(await steps.last().innerText()).toContain('Check balances, replay and roots')
    // …and they arrived live: each step's "started" came as its own event before its "completed".
    const stepEvents = drillFrames.flatMap((f) => (f.channel === 'drill:progress' && f.payload.update?.kind === 'step' ? [`${f.payload.update.step!.name}:${f.payload.update.step!.status}`] : []))
    for (const name of ['devnet-setup', 'sign-l2-tx', 'execute-withdrawal', 'drill-checks']) {
      expect(stepEvents.indexOf(`${name}:started`)).toBeGreaterThanOrEqual(0)
      expect(stepEvents.indexOf(`${name}:started`)).toBeLessThan(stepEvents.indexOf(`${name}:completed`))
    }
    expect(drillFrames.filter((f) => f.channel === 'drill:finished')).toHaveLength(1)
    expect(await page.getByRole('log', { name: 'Progress messages' }).innerText()).toContain('[execute-withdrawal] Execute withdrawal #0')

    // Checks: balance and replay among them, all ok.
    const checks = page.getByRole('region', { name: 'Checks' }).getByRole('listitem')
    const checkTexts = await checks.allInnerTexts()
    expect(checkTexts).toContainEqual(expect.stringMatching(/^ok\s+user L1 balance rose by the amount \(minus the L1 fees paid\)/))
    expect(checkTexts).toContainEqual(expect.stringMatching(/^ok\s+replay of the withdrawal is rejected\s+the Outbox reverted with AlreadySpent/))
    expect(checkTexts.join('\n')).not.toContain('FAIL')
    expect(checkTexts).toHaveLength(report.checks.length)

    // The send root, confirmed on L1 and recomputed from the L2 node's list: matched.
    const root = page.getByRole('region', { name: 'Send root' })
    expect(report.roots.confirmedSendRoot).toMatch(/^0x[0-9a-f]{64}$/)
    expect(await root.innerText()).toContain(report.roots.confirmedSendRoot!)
    expect(await root.getByText('Matched', { exact: true }).count()).toBe(1)
    // Transactions: the three L1 transactions of the escape and the L2 withdrawal, hashes in full for screen readers.
    const txs = page.getByRole('region', { name: 'Transactions' })
    for (const tx of report.transactions) expect(await txs.getByText(tx.hash, { exact: true }).count()).toBe(1)
    expect(await txs.getByText(report.result!.l2TxHash, { exact: true }).count()).toBe(1)

    await page.screenshot({ path: path.join(artifactsDir, 'drill-passed.png') })
    await page.screenshot({ path: path.join(artifactsDir, 'drill-passed-full.png'), fullPage: true })

    // Nothing left running: no anvil child, and its RPC port is closed.
    expect(findChildAnvils()).toEqual([])
    expect(await listening(report.devnet.l1RpcUrl)).toBe(false)
  }, 180_000)

  it('saves the report as HTML in the data folder and shows where, and lists the drill as PASSED', async () => {
    const { page } = app
    const report = app.services.drill.status().run!.report as ArbitrumDrillReportView
    await page.getByRole('button', { name: 'Save report', exact: true }).first().focus()
    await page.keyboard.press('Enter')
    const saved = page.locator('.drill-run .drill-saved-path')
    await saved.waitFor()
    const file = await saved.innerText()
    expect(path.dirname(file)).toBe(path.join(app.home, 'reports'))
    const html = fs.readFileSync(file, 'utf8')
    expect(html).toContain('Escape Hatch drill — Arbitrum: <span class="ok">PASSED</span>')
    expect(html).toContain('withdrew 1 ETH (1000000000000000000 wei) while censored by the sequencer')
    expect(html).toContain(`<tr><th>confirmed sendRoot (L1)</th><td>${report.roots.confirmedSendRoot}</td></tr>`)
    expect(html).toContain(`<tr><th>recomputed from the L2 node’s send list</th><td>${report.roots.recomputedFromL2SendList}</td></tr>`)

    const past = page.getByRole('region', { name: 'Past drills' }).getByRole('listitem')
    await expect.poll(() => past.count()).toBe(1)
    expect(await past.first().innerText()).toMatch(/Arbitrum: censored by the sequencer[\s\S]*PASSED[\s\S]*\(shown above\)[\s\S]*5 of 5 checks passed · send root matched/)
    await page.screenshot({ path: path.join(artifactsDir, 'drill-saved.png') })
  })

  it('refuses a second drill while one runs, through the same channel the window uses', async () => {
    const first = app.services.drill.start({ stack: 'arbitrum', batchMode: 'calldata' })
    try {
      const result = await app.page.evaluate(async () => {
        const api = (globalThis as unknown as BrowserGlobals).escapeHatch as { startDrill(r: unknown): Promise<{ ok: boolean; error?: { name: string; shortMessage: string } }> }
        return api.startDrill({ stack: 'arbitrum', batchMode: 'calldata' })
      })
      expect(result).toMatchObject({ ok: false, error: { name: 'DrillAlreadyRunningError', shortMessage: 'A drill is already running.' } })
      await app.page.getByRole('button', { name: 'Cancel drill' }).click()
      await app.page.getByText(/^Cancelled after \d+ of 11 steps\. The test chain was stopped\.$/).waitFor({ timeout: 120_000 })
      expect(app.services.drill.status().run).toMatchObject({ runId: first.runId, status: 'cancelled' })
    } finally {
      await app.services.drill.stop()
    }
    expect(findChildAnvils()).toEqual([])
  }, 180_000)

  it('refuses malformed drill requests before anything runs, and never takes a path for a drill id', async () => {
    const before = app.services.drill.status().run?.runId
    const results = await app.page.evaluate(async () => {
      type Result = { ok: boolean; error?: { name: string; details?: string } }
      const api = (globalThis as unknown as BrowserGlobals).escapeHatch as Record<string, (r: unknown) => Promise<Result>>
      return Promise.all([
        api.startDrill!({}),
        api.startDrill!({ stack: 'optimism', batchMode: 'calldata' }),
        api.startDrill!({ stack: 'arbitrum', batchMode: 'calldata', amountWei: '1000' }),
        api.saveDrillReport!({ drillId: '../../../etc/passwd' }),
        api.saveDrillReport!({ drillId: 'arbitrum-drill-2020-01-01T00-00-00-000Z' }),
        api.cancelDrill!({ runId: 'x' }),
      ])
    })
    expect(results.map((r) => r.error?.name)).toEqual([
      'IpcInvalidPayloadError',
      'IpcInvalidPayloadError',
      'IpcInvalidPayloadError',
      'IpcInvalidPayloadError',
      'DrillReportNotFoundError',
      'IpcInvalidPayloadError',
    ])
    expect(results[2]?.error?.details).toContain('amountWei')
    expect(app.services.drill.status().run?.runId).toBe(before)
  })

  it('made no request that left loopback, and logged no errors', () => {
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors).toEqual([])
  })
})
