/**
 * The rebuild service against the real devnet: anvil L1 with the real OP Stack L1 contracts (contracts-bedrock), a
 * deposit made through OptimismPortal2.depositTransaction, no batcher posting anything, and L1 mined past the
 * sequencing window. Derived from the devnet's rollup genesis, the deposit must be in an L2 block (the first of its
 * L1 origin), with the right from/to/mint/value and the L2 hash viem computes from the same log, and highlighted for
 * the recipient; the chain advances through sequencing-window empty batches. Then cancel, one-at-a-time and errors.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransactionReceipt } from 'viem'
import { getL2TransactionHashes } from 'viem/op-stack'
import { OpDeriveProgressEventSchema, OpDeriveStatusSchema, OpDeriveFinishedEventSchema, type StartOpDeriveRequest } from '../../../shared/ipc/opDeriveSchemas'
import { parseRollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { startDevnet, type Devnet } from '../../devnet/devnet'
import { mine } from '../../devnet/timeTravel'
import { findChildAnvils } from '../drill/test-support/findChildAnvils'
import { createOpDeriveService, type OpDeriveService } from './createOpDeriveService'
import { DEPOSIT_MINT as MINT, DEPOSIT_VALUE as VALUE, depositAndAdvance } from './test-support/depositAndAdvance'
import { devnetRollupJson } from './test-support/devnetRollupJson'

let devnet: Devnet
let dataDir: string
let rollupText: string
let receipt: TransactionReceipt
let user: `0x${string}`
let recipient: `0x${string}`

type Published = { event: string; payload: unknown }

function service(progressIntervalMs?: number): { service: OpDeriveService; events: Published[] } {
  const events: Published[] = []
  const s = createOpDeriveService({
    dataDir,
    ...(progressIntervalMs !== undefined ? { progressIntervalMs } : {}),
    publish: (event, payload) => events.push({ event, payload }),
    onUnexpectedError: (error, where) => {
      throw new Error(`unexpected error in ${where}: ${String(error)}`)
    },
  })
  return { service: s, events }
}

function request(overrides: Partial<StartOpDeriveRequest> = {}): StartOpDeriveRequest {
  return { rollup: { kind: 'rollup-json', fileName: 'devnet-rollup.json', text: rollupText }, l1RpcUrls: [devnet.l1.rpcUrl], start: { kind: 'genesis' }, toL1Block: 'latest', ...overrides }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eh-opderive-svc-'))
  devnet = await startDevnet({ stacks: ['op'] })
  const { config, json } = await devnetRollupJson(devnet)
  rollupText = JSON.stringify(json)
  expect(parseRollupConfig(JSON.parse(rollupText))).toEqual(config) // the rollup.json the tests pick says what devnetRollupConfig says
  const deposit = await depositAndAdvance(devnet, config.seqWindowSize)
  receipt = deposit.receipt
  user = deposit.user
  recipient = deposit.recipient
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
  expect(findChildAnvils()).toEqual([])
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('op derive service (real devnet)', () => {
  it('finds the L1 deposit in a derived L2 block, highlighted for its recipient, with throttled live progress', async () => {
    const { service: s, events } = service()
    const t0 = performance.now()
    const { runId } = s.start(request({ highlightAddress: recipient }))
    expect(s.status().run).toMatchObject({ runId, status: 'running', request: { start: 'genesis', l1Endpoints: [devnet.l1.rpcUrl], beacon: false, highlightAddress: recipient } })
    await s.idle()
    const elapsed = performance.now() - t0
    const run = s.status().run!
    expect(run.error).toBeUndefined()
    expect(run.status).toBe('completed')
    expect(OpDeriveStatusSchema.safeParse(s.status()).success).toBe(true)
    expect(run.request.chain).toBe('devnet-rollup.json (L2 chain 901)')
    const result = run.result!

    // The chain advanced through sequencing-window empty batches only, none executed (the approximation is said).
    expect(run.progress.phase).toBe('done')
    expect(run.progress.batcherTransactions).toBe(0)
    expect(run.progress.emptyBatches).toBeGreaterThan(0)
    expect(run.progress.emptyBatches).toBe(run.progress.l2BlocksDerived)
    expect(result.safeHead.number).toBe(run.progress.l2BlocksDerived)
    expect(result.approximation).toBe(true)
    expect(result.blocks.every((b) => b.execution === 'assumed-valid' && b.emptyBatch)).toBe(true)
    expect(run.progress.userDeposits).toBe(1)

    // The deposit: in the first L2 block whose L1 origin is the deposit's L1 block, right after the L1-info tx.
    const depositBlocks = result.blocks.filter((b) => b.reasons.includes('deposit'))
    expect(depositBlocks).toHaveLength(1)
    const block = depositBlocks[0]!
    expect(block.reasons).toContain('highlight')
    expect(block.l1Origin.number).toBe(Number(receipt.blockNumber))
    expect(block.l1Origin.hash).toBe(receipt.blockHash)
    expect(block.sequenceNumber).toBe(0)
    expect(block.userDeposits).toBe(1)
    expect(block.txs.map((t) => t.kind)).toEqual(['l1-info', 'deposit'])
    const [l2Hash] = getL2TransactionHashes(receipt)
    expect(block.txs[1]).toEqual({ index: 1, hash: l2Hash, kind: 'deposit', from: user, to: recipient, value: VALUE.toString(), mint: MINT.toString(), involves: ['recipient'] })
    expect(block.txs[0]).toMatchObject({ kind: 'l1-info', from: '0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001', to: '0x4200000000000000000000000000000000000015', involves: [] })
    expect(run.progress.highlightedTxs).toBe(1)
    // The last blocks are listed in full too.
    expect(result.blocks.filter((b) => b.reasons.includes('recent'))).toHaveLength(20)
    expect(result.blocks.at(-1)!.number).toBe(result.safeHead.number)

    // Progress arrived live, in order, at most ~4 a second (the first, then one per 250 ms, then the final status).
    const progress = events.filter((e) => e.event === 'opDeriveProgress').map((e) => OpDeriveProgressEventSchema.parse(e.payload))
    expect(progress.map((p) => p.seq)).toEqual(progress.map((_, i) => i + 1))
    expect(progress[0]).toMatchObject({ status: 'running', progress: { phase: 'deriving', l1From: devnet.manifest.op!.startBlock } })
    expect(progress.filter((p) => p.status === 'running').length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2)
    expect(progress.at(-1)).toMatchObject({ status: 'completed', progress: { phase: 'done' } })
    const finished = events.filter((e) => e.event === 'opDeriveFinished').map((e) => OpDeriveFinishedEventSchema.parse(e.payload))
    expect(finished).toEqual([{ runId, status: 'completed', l2BlocksDerived: run.progress.l2BlocksDerived, highlightedTxs: 1 }])
  }, 120_000)

  it('marks the depositor as the sender when the address is the L1 sender, stops at a given L1 block, and reports each block as it comes', async () => {
    const { service: s, events } = service(0) // unthrottled: every change is an event
    const to = Number(receipt.blockNumber) + 20 + 2 // the deposit's epoch is past its sequencing window here
    s.start(request({ highlightAddress: user.toLowerCase() as `0x${string}`, toL1Block: to }))
    await s.idle()
    const { result, progress } = s.status().run!
    expect(result!.l1Reached.number).toBe(to)
    expect(progress.l1To).toBe(to)
    const tx = result!.blocks.flatMap((b) => b.txs).find((t) => t.kind === 'deposit')
    expect(tx).toMatchObject({ from: user, to: recipient, involves: ['sender'] })
    const derived = events.flatMap((e) => (e.event === 'opDeriveProgress' ? [(e.payload as { progress: { l2BlocksDerived: number } }).progress.l2BlocksDerived] : []))
    for (let i = 1; i < derived.length; i++) expect(derived[i]!).toBeGreaterThanOrEqual(derived[i - 1]!)
    // Blocks arrived one by one while L1 was read, not all at the end.
    expect(new Set(derived.filter((n) => n > 0 && n < progress.l2BlocksDerived)).size).toBeGreaterThan(10)
  }, 120_000)

  it('cancels: the run ends cancelled with the cancel error, and a second start is refused while one runs', async () => {
    const { service: s, events } = service()
    const { runId } = s.start(request())
    expect(() => s.start(request())).toThrow(expect.objectContaining({ name: 'OpDeriveAlreadyRunningError', shortMessage: 'A rebuild from L1 is already running.' }))
    expect(s.cancel('op-derive-not-this-one-000')).toEqual({ status: 'unknown' })
    expect(s.cancel(runId)).toEqual({ status: 'cancelling' })
    await s.idle()
    const run = s.status().run!
    expect(run.status).toBe('cancelled')
    expect(run.result).toBeUndefined()
    expect(run.error).toMatchObject({ name: 'OpDeriveCancelledError', kind: 'user-action' })
    expect(events.filter((e) => e.event === 'opDeriveFinished').map((e) => (e.payload as { status: string }).status)).toEqual(['cancelled'])
    // A new run can start once it is over.
    s.start(request({ toL1Block: devnet.manifest.op!.startBlock }))
    await s.idle()
    expect(s.status().run).toMatchObject({ status: 'completed', progress: { l2BlocksDerived: 0 } })
  }, 120_000)

  it('fails with the error’s own next steps: wrong L1, a broken rollup.json, a range before genesis', async () => {
    const { service: s } = service()
    const failure = async (r: StartOpDeriveRequest) => {
      s.start(r)
      await s.idle()
      const run = s.status().run!
      expect(run.status).toBe('failed')
      expect(OpDeriveStatusSchema.safeParse(s.status()).success).toBe(true)
      return run.error!
    }
    expect(await failure(request({ rollup: { kind: 'network', network: 'op-mainnet' } }))).toMatchObject({
      name: 'OpDeriveWrongL1Error',
      shortMessage: `The L1 endpoint is on chain ${devnet.l1.chainId}, but this rollup settles on chain 1.`,
      kind: 'user-action',
    })
    expect(s.status().run!.request.chain).toBe('OP Mainnet')
    expect(await failure(request({ rollup: { kind: 'rollup-json', fileName: 'x.json', text: '{"l1_chain_id": ' } }))).toMatchObject({ shortMessage: '“x.json” is not valid JSON.', kind: 'user-action' })
    const invalid = await failure(request({ rollup: { kind: 'rollup-json', text: JSON.stringify({ ...JSON.parse(rollupText), batch_inbox_address: 'nope' }) } }))
    expect(invalid).toMatchObject({ name: 'NetworkConfigError', shortMessage: 'The rollup configuration is not a valid OP Stack rollup.json.' })
    expect(invalid.details).toContain('batch_inbox_address')
    expect(invalid.steps.length).toBeGreaterThan(0)
    const start = devnet.manifest.op!.startBlock
    expect(await failure(request({ toL1Block: start - 1 }))).toMatchObject({ name: 'OpDeriveRangeError', shortMessage: `The last L1 block (${start - 1}) is before the first block to read (${start}).` })
    // An anchor start reads the anchor from the devnet's real contracts, then refuses an L2 node on another chain
    // (here: the L1 node itself) before using anything it serves. The anchor is read at the finalized L1 head, which
    // anvil puts 64 blocks back: mine past that so the contracts are deployed there.
    await mine(devnet.l1.rpcUrl, 70, 12)
    expect(await failure(request({ start: { kind: 'anchor', l2RpcUrl: devnet.l1.rpcUrl } }))).toMatchObject({
      name: 'UntrustedL2DataError',
      shortMessage: `The L2 node is on chain ${devnet.l1.chainId}, not this rollup's chain 901. (L2 node ${devnet.l1.rpcUrl})`,
      kind: 'user-action',
    })
    expect(s.status().run!.request).toMatchObject({ start: 'anchor', l2Endpoint: devnet.l1.rpcUrl })
    // A dead endpoint: temporary, with what to check.
    expect(await failure(request({ l1RpcUrls: ['http://127.0.0.1:9'] }))).toMatchObject({ kind: 'temporary' })
  }, 120_000)
})
