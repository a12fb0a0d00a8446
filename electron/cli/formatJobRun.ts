/**
 * How a run of an escape job is reported by the commands that run one (`arb escape`, `jobs resume`): what is done,
 * what happened now, and exactly what to do next — as text and as JSON.
 */
import { formatEther, type Address } from 'viem'
import type { JobState } from '../../shared/journal/reduce'
import type { StuckTx } from '../services/broadcast/findStuckTxs'
import type { JobPausedError } from '../services/journal/JobPausedError'
import { arbitrumEscapeParamsSchema } from '../services/flows/arbitrum/arbitrumEscapeJob'
import type { ArbitrumEscapeResult } from '../services/flows/arbitrum/runArbitrumEscape'
import type { RetryableRedeemResult } from '../services/flows/arbitrum/retryable/runRetryableRedeem'
import type { OpEscapeResult } from '../services/flows/op/opEscapeDeps'
import { opEscapeParamsSchema } from '../services/flows/op/opEscapeJob'
import { describeStuckTx } from '../services/jobs/resumeJob'
import type { CommandResult } from './command'

export interface JobRunOutput {
  jobId: string
  job: JobState
  outcome: { finished: ArbitrumEscapeResult | OpEscapeResult | RetryableRedeemResult } | { paused: JobPausedError } | { stuck: (StuckTx & { bumpFeeCommand: string })[] }
  resumeCommand: string
  notes?: string[]
  /** Lines printed before the outcome (e.g. the plan). */
  head?: string[]
  json?: Record<string, unknown>
}

/** How a run of an escape job is reported: what is done, what happened now, and exactly what to do next. */
export function formatJobRun(o: JobRunOutput): CommandResult {
  const params = arbitrumEscapeParamsSchema.safeParse(o.job.params)
  const lines = [...(o.head ?? []), `Job ${o.jobId}: ${o.job.title}`]
  const done = o.job.steps.filter((s) => s.status === 'completed').map((s) => s.name)
  lines.push(`Steps done: ${done.length === 0 ? 'none yet' : done.join(', ')}.`)
  for (const t of o.job.txs) lines.push(`  L${params.success && t.chainId === params.data.network.l2ChainId ? 2 : 1} tx ${t.hash} (${t.step}): ${t.status}${t.blockNumber ? ` in block ${t.blockNumber}` : ''}`)
  let json: Record<string, unknown>
  if ('finished' in o.outcome && 'withdrawals' in o.outcome.finished) {
    lines.push(...opFinishedLines(o.outcome.finished, o.job))
    json = { jobId: o.jobId, outcome: 'finished', result: o.outcome.finished }
  } else if ('finished' in o.outcome && 'ticketId' in o.outcome.finished) {
    const r = o.outcome.finished
    lines.push(
      r.alreadyRedeemed
        ? `Finished: ticket ${r.ticketId} had already been redeemed (as the L2 node reports it); nothing was signed.`
        : `Finished: ticket ${r.ticketId} redeemed by ${r.redeemedBy ?? '—'} (as the L2 node reports it), after your redeem ${r.redeemL2TxHash} was ${r.forced ? 'forced in' : 'sequenced'} in batch ${r.sequencedInBatch} (L1 confirms that).`,
    )
    json = { jobId: o.jobId, outcome: 'finished', result: r }
  } else if ('finished' in o.outcome) {
    const r = o.outcome.finished as ArbitrumEscapeResult // the OP result (with `withdrawals`) took the branch above
    const amount = params.success ? `${formatEther(BigInt(params.data.amountWei))} ETH` : 'the amount'
    lines.push(
      r.alreadySpent
        ? `Finished: withdrawal #${r.sendPosition} had already been executed on L1 (by someone else); nothing more to do.`
        : `Finished: ${amount} paid out on L1 to ${params.success ? (params.data.destination as Address) : 'your address'} by ${r.executeTx} (withdrawal #${r.sendPosition}, proven against the confirmed send root ${r.confirmedSendRoot}).`,
    )
    json = { jobId: o.jobId, outcome: 'finished', result: r }
  } else if ('stuck' in o.outcome) {
    const stuck = o.outcome.stuck
    lines.push('', 'Stopped: a transaction of this job is stuck (nothing was bumped; that needs your approval).')
    for (const t of stuck) {
      lines.push(`  ${describeStuckTx(t)}`, `  - To replace it with a higher fee (you will see the new maximum cost and be asked to approve): ${t.bumpFeeCommand}`)
    }
    lines.push(`  - Or keep waiting for fees to fall: ${o.resumeCommand} --wait`)
    json = {
      jobId: o.jobId,
      outcome: 'stuck',
      stuck: stuck.map((t) => ({ hash: t.hash, step: t.step, nonce: t.nonce, maxFeePerGas: t.maxFeePerGas.toString(), baseFee: t.baseFee.toString(), blocks: t.blocks, bumpFeeCommand: t.bumpFeeCommand })),
      resumeCommand: o.resumeCommand,
    }
  } else {
    const p = o.outcome.paused
    lines.push('', `Paused: ${p.shortMessage}`, ...p.steps.map((s) => `  - ${s}`))
    if (p.reason !== 'signature') lines.push('', `Resume with: ${o.resumeCommand}`)
    json = {
      jobId: o.jobId,
      outcome: 'paused',
      pause: { reason: p.reason, message: p.shortMessage, steps: p.steps, untilL1Block: p.until?.l1Block ?? null, estimatedAt: p.until?.estimatedAt?.toISOString() ?? null, files: p.files },
      resumeCommand: o.resumeCommand,
    }
  }
  for (const n of o.notes ?? []) lines.push(`! ${n}`)
  return { json: { ...o.json, ...json, status: o.job.status, steps: o.job.steps.map((s) => ({ name: s.name, status: s.status })), transactions: o.job.txs.map((t) => ({ step: t.step, chainId: t.chainId, hash: t.hash, status: t.status, blockNumber: t.blockNumber ?? null })), notes: o.notes ?? [] }, text: lines.join('\n') }
}

/** An OP escape's end: each asset with the transaction that paid it out on L1, and the game its proof stood on. */
function opFinishedLines(r: OpEscapeResult, job: JobState): string[] {
  const params = opEscapeParamsSchema.safeParse(job.params)
  const lines = [`Finished: proven against game ${r.game.address} (root ${r.game.rootClaim}, ${r.rootSource}${r.game.createdByUs ? ', a game this job created' : ''}${r.rounds > 1 ? `, after ${r.rounds} proof rounds` : ''}).`]
  for (const w of r.withdrawals) {
    const asset = params.success ? params.data.assets[w.asset] : undefined
    const what = asset === undefined ? `asset #${w.asset + 1}` : asset.kind === 'eth' ? `${formatEther(BigInt(asset.amountWei))} ETH` : `${asset.amountWei} base units of ${asset.symbol ?? asset.l1Token}`
    const to = params.success ? (params.data.destination as Address) : 'your address'
    lines.push(w.alreadyFinalized ? `  ${what}: already finalized on L1 (withdrawal ${w.withdrawalHash}).` : `  ${what} paid out on L1 to ${to} by ${w.finalizeTx}${w.relay === 'replayed' ? ' (bridge message replayed)' : ''}.`)
  }
  return lines
}
