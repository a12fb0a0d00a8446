/**
 * Run an 'arb-escape' job on a real network from where its journal stands, until it finishes or has to stop: a long
 * wait without `wait` (force-inclusion delay, confirm period), or an offline signature. The deps the drill wires for
 * the devnet (time travel) are wired here for real L1: stopping waiters, or polling ones with `wait`.
 *
 * A stop is an outcome, not an error: `{ outcome: 'paused', pause }` carries the deadline and the steps. The user's
 * Ctrl-C leaves the job as it is (the journal has every signed transaction; a resume re-sends the same bytes).
 */
import type { PublicClient } from 'viem'
import type { Signer } from '../../../../shared/signing/Signer'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import type { BroadcastJournal } from '../../journal/journalPort'
import type { BroadcastProgress } from '../../broadcast/watchJournaledTx'
import { JobPausedError } from '../../journal/JobPausedError'
import { arbitrumEscapeParamsSchema } from './arbitrumEscapeJob'
import { connectArbitrumEndpoints } from './connectArbitrumEndpoints'
import { createPollingWaiters } from './pollingWaiters'
import { runArbitrumEscape, type ArbitrumEscapeDeps, type ArbitrumEscapeResult } from './runArbitrumEscape'
import { createStoppingWaiters } from './stoppingWaiters'

export interface ContinueArbitrumEscapeParameters {
  store: BroadcastJournal
  jobId: string
  /** The user's L1 endpoints for this run (when the job did not save them). */
  l1Urls?: readonly string[]
  l2Url?: string
  signer: Signer
  /** Keep polling through long waits instead of stopping. */
  wait: boolean
  /** Poll interval for every wait (default: 12 s for blocks, 10 min for confirmations); receipts at a third of it. */
  pollMs?: number
  /** The command that continues this job, for the instructions of a stop. */
  resumeCommand: string
  signal?: AbortSignal
  onProgress?: (message: string) => void
  /** The job kind's runner (default: the escape). Any Arbitrum job that forces an L2 transaction in runs with these deps. */
  runner?: (jobId: string, deps: ArbitrumEscapeDeps & { l2: PublicClient }) => Promise<unknown>
}

export type ContinueArbitrumEscapeReturnType = { outcome: 'finished'; result: ArbitrumEscapeResult } | { outcome: 'paused'; pause: JobPausedError }

/** What every Arbitrum job saves about where it runs (the escape's and the redeem's params both have it). */
const endpointParamsSchema = arbitrumEscapeParamsSchema.pick({ network: true, l1Endpoints: true, l2RpcUrl: true, rpcLabels: true })

export async function continueArbitrumEscape(p: ContinueArbitrumEscapeParameters): Promise<ContinueArbitrumEscapeReturnType> {
  const { state } = await p.store.load(p.jobId)
  const params = endpointParamsSchema.parse(state.params)
  const l1Urls = p.l1Urls && p.l1Urls.length > 0 ? p.l1Urls : params.l1Endpoints
  const l2Url = p.l2Url ?? params.l2RpcUrl
  if (!l1Urls || l1Urls.length === 0 || !l2Url) {
    const missing = [!l1Urls || l1Urls.length === 0 ? `--l1-rpc URL${params.rpcLabels ? ` (you used ${params.rpcLabels.l1.join(', ')})` : ''}` : undefined, !l2Url ? `--l2-rpc URL${params.rpcLabels ? ` (you used ${params.rpcLabels.l2})` : ''}` : undefined].filter(Boolean)
    throw new EscapeError('This job did not save its RPC URLs (they may contain API keys), so they are needed again.', {
      kind: 'user-action',
      steps: [`Add ${missing.join(' and ')} to the command.`],
    })
  }
  const { l1, l2 } = await connectArbitrumEndpoints({ network: params.network, l1Urls, l2Url })
  // An explicit poll interval is used for every wait; by default blocks are polled each slot and confirmations every 10 min.
  const pollMs = p.pollMs ?? 12_000
  const waiters = p.wait
    ? createPollingWaiters({ l1, blockPollMs: pollMs, pauseMs: pollMs, confirmationPollMs: p.pollMs ?? 10 * 60_000, signal: p.signal })
    : createStoppingWaiters({ l1, network: params.network, store: p.store, jobId: p.jobId, resumeCommand: p.resumeCommand, pollMs, signal: p.signal })
  const progress = p.onProgress ?? (() => undefined)
  try {
    const result = await (p.runner ?? runArbitrumEscape)(p.jobId, {
      store: p.store,
      signer: p.signer,
      l1,
      l2,
      l1Endpoints: l1Urls,
      l2Source: l2Url,
      ...waiters,
      onProgress: ({ step, message }) => progress(`[${step}] ${message}`),
      broadcast: {
        pollIntervalMs: Math.max(Math.floor(pollMs / 3), 50),
        onProgress: (b) => {
          const line = describeBroadcast(b, p.jobId)
          if (line) progress(line)
        },
      },
      signal: p.signal,
    })
    return { outcome: 'finished', result: result as ArbitrumEscapeResult }
  } catch (error) {
    if (error instanceof JobPausedError) return { outcome: 'paused', pause: error }
    if (p.signal?.aborted) {
      throw new EscapeError('Interrupted. The job is saved as it was; nothing signed is lost.', { kind: 'user-action', steps: [`Continue with: ${p.resumeCommand}`], cause: error })
    }
    throw error
  }
}

function describeBroadcast(b: BroadcastProgress, jobId: string): string | undefined {
  switch (b.phase) {
    case 'journaled':
      return `  tx ${b.hash} signed and saved in the journal`
    case 'sent':
      return `  tx ${b.hash} sent to ${b.endpoints.join(', ')}`
    case 'underpriced':
      return `  ! tx ${b.hash}: the L1 endpoints say its fee is too low now; it stays queued and is re-sent. To raise its fee (you approve the new cost): escape-hatch jobs bump-fee ${jobId} --tx ${b.hash}`
    case 'waiting':
      return undefined
    case 'mined':
      return `  tx ${b.hash} mined in L1 block ${b.blockNumber} (${b.status})`
  }
}
