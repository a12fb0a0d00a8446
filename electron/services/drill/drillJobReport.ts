/**
 * What every drill report takes from its escape job's journal: the steps with their times, the transactions, and the
 * check that no transaction was signed twice. One definition for the Arbitrum and the OP drill.
 */
import type { Hex } from 'viem'
import type { JobState } from '../../../shared/journal/reduce'
import { serializeError, toEscapeError } from '../../../shared/errors/EscapeError'

export interface DrillStepReport {
  name: string
  status: string
  attempts: number
  startedAt: string
  finishedAt: string | undefined
  durationMs: number | undefined
}

export interface DrillTxReport {
  step: string
  chainId: number
  hash: Hex
  status: string
  blockNumber: string | undefined
}

export interface DrillCheck {
  name: string
  ok: boolean
  detail: string
}

export function drillStepsOf(state: JobState): DrillStepReport[] {
  return state.steps.map((s) => ({
    name: s.name,
    status: s.status,
    attempts: s.attempts,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    durationMs: s.finishedAt ? Date.parse(s.finishedAt) - Date.parse(s.startedAt) : undefined,
  }))
}

export function drillTxsOf(state: JobState): DrillTxReport[] {
  return state.txs.map((t) => ({ step: t.step, chainId: t.chainId, hash: t.hash, status: t.status, blockNumber: t.blockNumber }))
}

/** No nonce of the account was signed for twice (a resume re-sends, never re-signs); optionally one tx per step. */
export function checkNoDuplicateTxs(state: JobState, opts: { onePerStep: boolean }): DrillCheck {
  const perStep = new Map<string, number>()
  for (const t of state.txs) perStep.set(t.step, (perStep.get(t.step) ?? 0) + 1)
  const nonces = state.txs.map((t) => `${t.chainId}:${t.from.toLowerCase()}:${t.nonce}`)
  const ok = (!opts.onePerStep || [...perStep.values()].every((n) => n === 1)) && new Set(nonces).size === nonces.length
  return { name: opts.onePerStep ? 'one L1 transaction per step, no duplicate nonce' : 'no nonce signed twice', ok, detail: [...perStep].map(([s, n]) => `${s}: ${n}`).join(', ') }
}

/** What a drill that failed keeps for its report: the error, and the job's steps and transactions as far as it went. */
export async function drillFailure(
  error: unknown,
  failureMessage: string,
  job: { store: { load(jobId: string): Promise<{ state: JobState }> } | undefined; jobId: string | undefined },
): Promise<{ error: ReturnType<typeof serializeError>; steps?: DrillStepReport[]; transactions?: DrillTxReport[] }> {
  const failure = { error: serializeError(toEscapeError(error, failureMessage)) }
  if (!job.store || !job.jobId) return failure
  const loaded = await job.store.load(job.jobId).catch(() => undefined)
  return loaded ? { ...failure, steps: drillStepsOf(loaded.state), transactions: drillTxsOf(loaded.state) } : failure
}
