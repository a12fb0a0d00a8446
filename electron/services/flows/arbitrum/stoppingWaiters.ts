/**
 * The waits of an escape run from the command line without --wait: a wait of more than a few L1 blocks is not sat
 * through — the run stops with a JobPausedError saying until when (L1 block and estimated UTC time) and how to resume;
 * the journal keeps everything. Short waits (a few blocks, a node catching up) are polled through as usual.
 * The drill uses time travel instead; `--wait` uses createPollingWaiters.
 */
import type { PublicClient } from 'viem'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import type { ArbL1Client } from '../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { BroadcastJournal } from '../../journal/journalPort'
import { JobPausedError } from '../../journal/JobPausedError'
import { readStepResult } from '../../jobs/readStepResult'
import { detectSequencingStep } from './arbitrumEscapeSteps'
import { createPollingWaiters } from './pollingWaiters'
import { readL1Clock } from '../../../../shared/deadlines/readL1Clock'
import { estimateBlockTime, estimateWithdrawalConfirmation } from './estimateWithdrawalConfirmation'
import type { ArbitrumEscapeDeps } from './runArbitrumEscape'

export interface StoppingWaitersOptions {
  l1: ArbL1Client & Pick<PublicClient, 'getBlockNumber'>
  network: ArbitrumNetwork
  store: BroadcastJournal
  jobId: string
  /** What the user runs to continue, e.g. `escape-hatch jobs resume arb-escape-… --l1-rpc URL --l2-rpc URL`. */
  resumeCommand: string
  /** Waits up to this many L1 blocks are polled through instead of stopping. Default 5 (one minute). */
  shortWaitBlocks?: bigint
  /** Poll interval for short waits and re-checks. Default 12 s. */
  pollMs?: number
  signal?: AbortSignal
}

export function createStoppingWaiters(options: StoppingWaitersOptions): Pick<ArbitrumEscapeDeps, 'waitForL1Block' | 'waitForConfirmation' | 'pause'> {
  const polling = createPollingWaiters({ l1: options.l1, blockPollMs: options.pollMs ?? 12_000, pauseMs: options.pollMs ?? 12_000, signal: options.signal })
  const shortWait = options.shortWaitBlocks ?? 5n
  return {
    pause: polling.pause,
    async waitForL1Block(block, why) {
      const head = await options.l1.getBlock({ blockTag: 'latest' })
      if (head.number >= block) return
      if (block - head.number <= shortWait) return polling.waitForL1Block(block, why)
      const estimatedAt = estimateBlockTime(await readL1Clock({ l1: options.l1, head }), block)
      throw new JobPausedError(`Waiting for the ${why}: L1 block ${block}, about ${utc(estimatedAt)} (now block ${head.number}).`, {
        reason: 'deadline',
        until: { l1Block: block, estimatedAt },
        steps: [`After L1 block ${block} (about ${utc(estimatedAt)}), run: ${options.resumeCommand}`, 'Nothing needs to stay open meanwhile: everything is in the job journal.'],
      })
    },
    async waitForConfirmation(why) {
      const { state } = await options.store.load(options.jobId)
      const sequencing = readStepResult(state, detectSequencingStep)
      if (!sequencing) {
        throw new JobPausedError(`Waiting for ${why}.`, { reason: 'confirmation', steps: [`Try again later: ${options.resumeCommand}`] })
      }
      const e = await estimateWithdrawalConfirmation({ l1: options.l1, network: options.network, batch: sequencing.batch, fromBlock: sequencing.batchL1Block })
      if (e.exact && e.head >= e.confirmableFromBlock) {
        // The covering assertion is past its confirm period: a validator confirms it any moment now.
        // (estimatedAt is the head's time here, the confirmable block being behind the head.)
        const block = e.head + 300n
        const at = estimateBlockTime(e.clock, block)
        throw new JobPausedError(`The assertion covering your withdrawal (${e.coveringAssertion?.assertionHash}) can be confirmed now; waiting for a validator to confirm it.`, {
          reason: 'confirmation',
          until: { l1Block: block, estimatedAt: at },
          steps: [`Try again in about an hour: ${options.resumeCommand}`],
        })
      }
      const what = e.exact
        ? `assertion ${e.coveringAssertion?.assertionHash} (created at L1 block ${e.coveringAssertion?.createdAtBlock}) covers your withdrawal; it can be confirmed from L1 block ${e.confirmableFromBlock}`
        : `no assertion covers your withdrawal yet; once a validator posts one, it can be confirmed ${e.confirmPeriodBlocks} L1 blocks later — L1 block ${e.confirmableFromBlock} at the earliest`
      throw new JobPausedError(`Waiting for ${why}: ${what}, about ${utc(e.estimatedAt)}.`, {
        reason: 'confirmation',
        until: { l1Block: e.confirmableFromBlock, estimatedAt: e.estimatedAt },
        steps: [
          `After L1 block ${e.confirmableFromBlock} (about ${utc(e.estimatedAt)}), run: ${options.resumeCommand}`,
          'A challenge of the assertion would delay this by days; the resume tells you where it stands.',
        ],
      })
    },
  }
}

export function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
