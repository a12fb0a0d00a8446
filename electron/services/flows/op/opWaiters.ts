/**
 * The waits of a real OP escape (not the drill), which only watch L1: polling ones for --wait, and stopping ones
 * otherwise — a wait longer than a few L1 blocks stops the run with a JobPausedError saying until when (the L1 block,
 * or the L1 time of a game clock, proof maturity or airgap) and how to resume; the job engine journals it as
 * `step.waiting`. Short waits are polled through. The drill replaces these with time travel.
 */
import type { PublicClient } from 'viem'
import { readL1Clock } from '../../../../shared/deadlines/readL1Clock'
import { l1BlockDate } from '../../../../shared/deadlines/l1BlockDate'
import { JobPausedError } from '../../journal/JobPausedError'
import { createPollingWaiters } from '../arbitrum/pollingWaiters'
import { utc } from '../arbitrum/stoppingWaiters'
import type { OpEscapeWaiters } from './opEscapeDeps'

type L1 = Pick<PublicClient, 'getBlockNumber' | 'getBlock'>

export function createOpPollingWaiters(o: { l1: L1; pollMs?: number; signal?: AbortSignal }): OpEscapeWaiters {
  const polling = createPollingWaiters({ l1: o.l1, blockPollMs: o.pollMs ?? 12_000, pauseMs: o.pollMs ?? 12_000, signal: o.signal })
  return {
    waitForL1Block: polling.waitForL1Block,
    pause: polling.pause,
    async waitForL1Time(timestamp, why) {
      while ((await o.l1.getBlock({ blockTag: 'latest' })).timestamp <= timestamp) await polling.pause(why)
    },
  }
}

export function createOpStoppingWaiters(o: { l1: L1; resumeCommand: string; pollMs?: number; shortWaitSeconds?: bigint; signal?: AbortSignal }): OpEscapeWaiters {
  const polling = createOpPollingWaiters(o)
  const short = o.shortWaitSeconds ?? 60n
  const stop = (why: string, until: { l1Block?: bigint; estimatedAt: Date }, what: string): never => {
    throw new JobPausedError(`Waiting for ${why}: ${what}, about ${utc(until.estimatedAt)}.`, {
      reason: 'deadline',
      until,
      steps: [`After ${utc(until.estimatedAt)}, run: ${o.resumeCommand}`, 'Nothing needs to stay open meanwhile: everything is in the job journal.'],
    })
  }
  return {
    pause: polling.pause,
    async waitForL1Block(block, why) {
      const head = await o.l1.getBlock({ blockTag: 'latest' })
      if (head.number >= block) return
      if (block - head.number <= 5n) return polling.waitForL1Block(block, why)
      const at = l1BlockDate(await readL1Clock({ l1: o.l1, head }), block, why)
      stop(why, { l1Block: block, estimatedAt: at.at }, `L1 block ${block} (now ${head.number})`)
    },
    async waitForL1Time(timestamp, why) {
      const head = await o.l1.getBlock({ blockTag: 'latest' })
      if (head.timestamp > timestamp) return
      if (timestamp - head.timestamp <= short) return polling.waitForL1Time(timestamp, why)
      stop(why, { estimatedAt: new Date(Number(timestamp + 1n) * 1000) }, `an L1 block after ${new Date(Number(timestamp) * 1000).toISOString()}`)
    },
  }
}
