/**
 * Turns the drill's escape job, as its journal reduces it, into the changes the window has not seen yet: steps that
 * started, completed or failed, and transactions that were signed, sent or mined. Times come from the journal
 * records, so what the window shows is what is on disk.
 */
import type { DrillStepView, DrillTxView } from '../../../shared/ipc/drillSchemas'
import type { JobState } from '../../../shared/journal/reduce'

export interface DiffDrillJobParameters {
  steps: readonly DrillStepView[]
  txs: readonly DrillTxView[]
}

export interface DiffDrillJobReturnType {
  steps: DrillStepView[]
  txs: DrillTxView[]
}

export function diffDrillJob(known: DiffDrillJobParameters, state: Pick<JobState, 'steps' | 'txs'>): DiffDrillJobReturnType {
  const steps: DrillStepView[] = []
  for (const step of state.steps) {
    const view = toStepView(step)
    const before = known.steps.find((s) => s.name === step.name)
    if (!before || before.status !== view.status || before.attempts !== view.attempts || before.finishedAt !== view.finishedAt) steps.push(view)
  }
  const txs: DrillTxView[] = []
  for (const tx of state.txs) {
    const view: DrillTxView = { step: tx.step, chainId: tx.chainId, hash: tx.hash, status: tx.status, blockNumber: tx.blockNumber }
    const before = known.txs.find((t) => t.hash === tx.hash)
    if (!before || before.status !== view.status || before.blockNumber !== view.blockNumber) txs.push(view)
  }
  return { steps, txs }
}

export function toStepView(step: JobState['steps'][number]): DrillStepView {
  return {
    name: step.name,
    status: step.status,
    startedAt: step.startedAt,
    finishedAt: step.finishedAt,
    durationMs: step.finishedAt ? Math.max(0, Date.parse(step.finishedAt) - Date.parse(step.startedAt)) : undefined,
    attempts: step.attempts,
  }
}
