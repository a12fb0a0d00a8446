// The waits of a real escape, against a real L1 node (anvil) whose time is moved by hand: the polling waiters (--wait)
// resolve only once the chain reaches the block and stop on Ctrl-C; the stopping waiters (no --wait) poll through a
// short wait and stop at a long one with the block and its time estimated from the L1 clock, not the local one.
import { getEventListeners } from 'node:events'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../../devnet/anvil'
import { increaseTime, mine } from '../../../devnet/timeTravel'
import { JournalStore } from '../../journal/JournalStore'
import { JobPausedError } from '../../journal/JobPausedError'
import { createPollingWaiters } from './pollingWaiters'
import { createStoppingWaiters } from './stoppingWaiters'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { devnetPublicClient } from '../../../devnet/devnetClients'

let anvil: AnvilHandle
let l1: PublicClient
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-waiters-'))

beforeAll(async () => {
  anvil = await startAnvil()
  l1 = devnetPublicClient(anvil.rpcUrl)
}, 60_000)
afterAll(async () => {
  await anvil?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

const settle = () => new Promise((r) => setTimeout(r, 150))

function track<T>(p: Promise<T>) {
  const state = { done: false, error: undefined as unknown }
  p.then(() => (state.done = true), (e: unknown) => (state.error = e))
  return state
}

describe('createPollingWaiters (--wait)', () => {
  it('waitForL1Block resolves only when L1 reaches the block', async () => {
    const waiters = createPollingWaiters({ l1, blockPollMs: 20 })
    const target = (await l1.getBlockNumber()) + 5n
    const wait = waiters.waitForL1Block(target, 'test')
    const state = track(wait)
    await settle()
    expect(state.done).toBe(false)
    await mine(anvil.rpcUrl, 4, 12)
    await settle()
    expect(state.done).toBe(false)
    await mine(anvil.rpcUrl, 1, 12)
    await wait
    expect(await l1.getBlockNumber()).toBe(target)
  })

  it('Ctrl-C (the abort signal) stops every wait with its reason', async () => {
    const controller = new AbortController()
    const waiters = createPollingWaiters({ l1, blockPollMs: 20, confirmationPollMs: 60_000, pauseMs: 60_000, signal: controller.signal })
    const far = waiters.waitForL1Block((await l1.getBlockNumber()) + 1000n, 'test')
    const confirmation = waiters.waitForConfirmation('test')
    const pause = waiters.pause('test')
    const settled = Promise.allSettled([far, confirmation, pause])
    const reason = new Error('Interrupted.')
    controller.abort(reason)
    expect(await settled).toEqual(Array(3).fill({ status: 'rejected', reason }))
    await expect(waiters.pause('after')).rejects.toBe(reason)
  })

  it('waitForConfirmation and pause come back after their interval, to re-check L1, leaving no listener behind', async () => {
    const controller = new AbortController()
    const waiters = createPollingWaiters({ l1, confirmationPollMs: 30, pauseMs: 1, signal: controller.signal })
    await waiters.waitForConfirmation('test')
    for (let i = 0; i < 20; i++) await waiters.pause('test')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})

describe('createStoppingWaiters (no --wait)', () => {
  const network = { name: 'test', l1ChainId: 31337, l2ChainId: 1, contracts: {} } as unknown as ArbitrumNetwork

  it('polls through a short wait, stops at a long one with the block and its time from the L1 clock', async () => {
    const store = await JournalStore.open(dir)
    try {
      const job = await store.createJob({ kind: 'test', title: 'waits', params: {} })
      const waiters = createStoppingWaiters({ l1, network, store, jobId: job.id, resumeCommand: 'escape-hatch jobs resume X', pollMs: 20 })
      const head = await l1.getBlockNumber()
      await waiters.waitForL1Block(head, 'test') // reached already

      const short = waiters.waitForL1Block(head + 3n, 'test')
      const state = track(short)
      await settle()
      expect(state.done).toBe(false)
      expect(state.error).toBeUndefined()
      await mine(anvil.rpcUrl, 3, 12)
      await short

      // The L1 clock runs a day ahead of this machine's: the estimate follows L1.
      await increaseTime(anvil.rpcUrl, 86_400)
      const latest = await l1.getBlock({ blockTag: 'latest' })
      const target = latest.number + 7200n
      const error = await waiters.waitForL1Block(target, 'force-inclusion deadline').then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(JobPausedError)
      const paused = error as JobPausedError
      expect(paused.reason).toBe('deadline')
      expect(paused.until?.l1Block).toBe(target)
      // Dated at the L1's measured block time ((t_head − t_genesis)/(head − 0) here: the chain is shorter than a day of
      // blocks, and the jump above makes it far from 12 s), not at a literal 12 s a block.
      const genesis = await l1.getBlock({ blockNumber: 0n })
      const expected = latest.timestamp * 1000n + (7200n * (latest.timestamp - genesis.timestamp) * 1000n) / latest.number
      expect(paused.until?.estimatedAt?.getTime()).toBe(Number(expected))
      expect(paused.until?.estimatedAt?.getTime()).not.toBe(Number(latest.timestamp + 7200n * 12n) * 1000)
      expect(paused.shortMessage).toBe(`Waiting for the force-inclusion deadline: L1 block ${target}, about ${paused.until?.estimatedAt?.toISOString().slice(0, 16).replace('T', ' ')} UTC (now block ${latest.number}).`)
      expect(paused.steps[0]).toMatch(/run: escape-hatch jobs resume X$/)

      // Nothing sequenced yet in this job: the confirmation wait stops without an estimate rather than guessing.
      await expect(waiters.waitForConfirmation('an assertion covering the withdrawal')).rejects.toMatchObject({ name: 'JobPausedError', reason: 'confirmation' })
    } finally {
      store.close()
    }
  })
})
