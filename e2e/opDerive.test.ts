/**
 * Rebuild an OP Stack chain from L1 in the window, end to end: Debian Chromium through the loopback bridge to the
 * real services, reading the real devnet (anvil L1 with the real OP Stack contracts) where a user deposited through
 * OptimismPortal2 and no batcher posted anything. The form is filled like a user would (the devnet's rollup.json
 * picked as a file); progress arrives live; the deposit appears in its L2 block, highlighted for the recipient; a
 * second run is cancelled; malformed requests are refused at the boundary; no anvil is left behind.
 *
 * The L1 endpoint the page is given is a loopback relay in front of anvil that waits a little before each answer,
 * so a run lasts long enough to be watched and cancelled (anvil alone answers in microseconds).
 */
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatEther } from 'viem'
import { getL2TransactionHashes } from 'viem/op-stack'
import { startDevnet, type Devnet } from '../electron/devnet/devnet'
import { findChildAnvils } from '../electron/services/drill/test-support/findChildAnvils'
import { DEPOSIT_MINT, DEPOSIT_VALUE, depositAndAdvance, type DevnetDeposit } from '../electron/services/opDerive/test-support/depositAndAdvance'
import { devnetRollupJson } from '../electron/services/opDerive/test-support/devnetRollupJson'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'
import type { BrowserGlobals } from './support/browserGlobals'

let app: AppUnderTest
let devnet: Devnet
let deposit: DevnetDeposit
let rollupFile: string
let relay: { url: string; delayMs: number; close(): Promise<void> }
let tmp: string
/** opderive:* event frames the page received over the bridge, in order. */
const frames: { channel: string; payload: { status?: string; progress?: { l2BlocksDerived: number; phase: string } } }[] = []

/** A JSON-RPC relay on 127.0.0.1 that forwards to `target` after `delayMs`. */
async function startSlowRelay(target: string, delayMs: number): Promise<typeof relay> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      setTimeout(() => {
        fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
          .then(async (r) => {
            res.writeHead(r.status, { 'content-type': 'application/json' })
            res.end(await r.text())
          })
          .catch(() => {
            res.writeHead(502)
            res.end()
          })
      }, state.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const state = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delayMs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return state
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-opderive-'))
  devnet = await startDevnet({ stacks: ['op'] })
  const { config, json } = await devnetRollupJson(devnet)
  deposit = await depositAndAdvance(devnet, config.seqWindowSize)
  rollupFile = path.join(tmp, 'devnet-rollup.json')
  fs.writeFileSync(rollupFile, JSON.stringify(json, null, 2))
  relay = await startSlowRelay(devnet.l1.rpcUrl, 15)
  app = await startAppUnderTest()
  fs.mkdirSync(artifactsDir, { recursive: true })
  app.page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; channel?: string; payload?: unknown }
      if (frame.type === 'event' && frame.channel?.startsWith('opderive:')) frames.push({ channel: frame.channel, payload: frame.payload as never })
    }),
  )
}, 180_000)

afterAll(async () => {
  await app?.services.opDerive.stop()
  await app?.stop()
  await relay?.close()
  await devnet?.stop()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  expect(findChildAnvils()).toEqual([])
})

async function counter(label: string): Promise<string> {
  return app.page.getByRole('region', { name: 'Progress' }).locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]').innerText()
}

describe('rebuild from L1 in the window', () => {
  it('rebuilds the devnet chain from its rollup.json, shows progress live, and highlights the deposit for its recipient', async () => {
    const { page } = app
    await page.goto(app.bridge.url)
    const card = page.getByRole('region', { name: 'See what L1 says an OP Stack chain contains' })
    await card.getByRole('link', { name: 'Rebuild from L1' }).click()
    await page.getByRole('heading', { level: 1, name: 'Rebuild an OP Stack chain from L1' }).waitFor()
    expect(new URL(page.url()).hash).toBe('#/op-derive')

    await page.getByRole('radio', { name: 'Another chain (its rollup.json)' }).check()
    await page.getByLabel('rollup.json file').setInputFiles(rollupFile)
    await page.getByText('Read: devnet-rollup.json').waitFor()
    await page.getByLabel('L1 RPC URLs').fill(relay.url)
    await page.getByLabel('Your address (optional)').fill(deposit.recipient)
    await page.getByRole('radio', { name: 'Latest', exact: true }).check()
    await page.screenshot({ path: path.join(artifactsDir, 'op-derive-form.png') })
    await page.getByRole('button', { name: 'Rebuild from L1' }).click()

    // Live: while it runs, the counters move (read from the page, not from the service).
    await page.getByRole('heading', { level: 2, name: 'Rebuild in progress' }).waitFor()
    await page.getByRole('button', { name: 'Cancel rebuild' }).waitFor()
    await expect.poll(async () => Number(await counter('L2 blocks derived')), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0)
    const seenWhileRunning = Number(await counter('L2 blocks derived'))
    if ((await page.getByRole('heading', { level: 2, name: 'Rebuild in progress' }).count()) === 1) {
      await page.screenshot({ path: path.join(artifactsDir, 'op-derive-running.png') })
    }

    await page.getByText(/^Done: \d+ L2 blocks derived from L1 blocks \d+ to \d+\.$/).waitFor({ timeout: 120_000 })
    const run = app.services.opDerive.status().run!
    expect(run.status).toBe('completed')
    expect(run.progress.l2BlocksDerived).toBeGreaterThan(seenWhileRunning)
    expect(run.progress.emptyBatches).toBe(run.progress.l2BlocksDerived)
    expect(await counter('L2 blocks derived')).toBe(String(run.progress.l2BlocksDerived))
    expect(await counter('Batcher transactions')).toBe('0')
    expect(await counter('Deposits from L1')).toBe('1')
    // The progress events came over the bridge as the run went, several while it was running, then one finish.
    const progress = frames.filter((f) => f.channel === 'opderive:progress')
    expect(progress.filter((f) => f.payload.status === 'running' && f.payload.progress!.l2BlocksDerived > 0).length).toBeGreaterThan(1)
    expect(frames.filter((f) => f.channel === 'opderive:finished')).toHaveLength(1)

    // The honest wording, and the deposit where L1 says it must be, highlighted for its recipient.
    expect(await page.getByText(/^Not executed\./).locator('xpath=..').innerText()).toContain('assumed valid')
    expect(await page.getByRole('note').innerText()).toBe(`1 transaction listed below involves your address ${deposit.recipient}.`)
    const [l2Hash] = getL2TransactionHashes(deposit.receipt)
    const row = page.getByRole('region', { name: 'Deposits and your transactions' }).getByRole('row', { name: /Deposit from L1/ })
    const block = run.result!.blocks.find((b) => b.reasons.includes('deposit'))!
    expect(block.l1Origin.number).toBe(Number(deposit.receipt.blockNumber))
    const text = await row.innerText()
    expect(text).toContain(String(block.number))
    expect(text).toContain(`L1 origin ${deposit.receipt.blockNumber}`)
    expect(await row.getByText(l2Hash!, { exact: true }).count()).toBe(1)
    expect(await row.getByText(deposit.user, { exact: true }).count()).toBe(1)
    expect(text).toContain(formatEther(DEPOSIT_VALUE))
    expect(text).toContain(`minted ${formatEther(DEPOSIT_MINT)}`)
    expect(await row.getByText('recipient', { exact: true }).count()).toBe(1)
    expect(await row.getAttribute('class')).toBe('op-derive-highlight')
    await page.screenshot({ path: path.join(artifactsDir, 'op-derive-result.png') })
    await page.screenshot({ path: path.join(artifactsDir, 'op-derive-result-full.png'), fullPage: true })
  }, 180_000)

  it('cancels a running rebuild from the window', async () => {
    const { page } = app
    relay.delayMs = 300 // slow enough that the run is still reading L1 when Cancel is pressed
    try {
      await page.getByRole('button', { name: 'Rebuild from L1' }).click()
      const cancel = page.getByRole('button', { name: 'Cancel rebuild' })
      await cancel.waitFor()
      await expect.poll(async () => (await cancel.evaluate((el) => el === (globalThis as unknown as BrowserGlobals).document.activeElement)) as boolean).toBe(true)
      await page.keyboard.press('Enter')
      await page.getByText(/^Cancelled after \d+ L1 blocks and \d+ L2 blocks\. Nothing was signed or sent\.$/).waitFor({ timeout: 60_000 })
      expect(app.services.opDerive.status().run).toMatchObject({ status: 'cancelled', error: { name: 'OpDeriveCancelledError' } })
      expect(await page.getByRole('region', { name: 'You cancelled the rebuild.' }).innerText()).toContain('Nothing was signed or sent')
      await page.screenshot({ path: path.join(artifactsDir, 'op-derive-cancelled.png') })
    } finally {
      relay.delayMs = 15
    }
  }, 120_000)

  it('refuses malformed requests before anything runs', async () => {
    const before = app.services.opDerive.status().run?.runId
    const results = await app.page.evaluate(async () => {
      type Result = { ok: boolean; error?: { name: string; details?: string } }
      const api = (globalThis as unknown as BrowserGlobals).escapeHatch as Record<string, (r: unknown) => Promise<Result>>
      const base = { rollup: { kind: 'network', network: 'op-mainnet' }, l1RpcUrls: ['http://127.0.0.1:1'], start: { kind: 'genesis' }, toL1Block: 'finalized' }
      return Promise.all([
        api.startOpDerive!({}),
        api.startOpDerive!({ ...base, l1RpcUrls: ['file:///etc/passwd'] }),
        api.startOpDerive!({ ...base, rollup: { kind: 'rollup-json', text: 'x'.repeat(300 * 1024) } }),
        api.startOpDerive!({ ...base, start: { kind: 'anchor' } }),
        api.startOpDerive!({ ...base, highlightAddress: '0x1234' }),
        api.startOpDerive!({ ...base, signer: 'ledger' }),
        api.cancelOpDerive!({ runId: '../../etc' }),
      ])
    })
    expect(results.map((r) => r.error?.name)).toEqual(Array(7).fill('IpcInvalidPayloadError'))
    expect(results[1]?.error?.details).toContain('l1RpcUrls')
    expect(results[5]?.error?.details).toContain('signer')
    expect(app.services.opDerive.status().run?.runId).toBe(before)
  })

  it('made no request that left loopback, and logged no errors', () => {
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors).toEqual([])
  })
})
