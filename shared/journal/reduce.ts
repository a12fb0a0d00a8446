/**
 * The pure reducer: journal records → job state. Nothing else may produce a JobState, so whatever the UI, the CLI
 * or a resumed flow sees is exactly what the journal on disk says.
 */
import type { SerializedError } from '../errors/EscapeError'
import type { JournalRecord, JsonValue } from './records'

export type JobStatus = 'active' | 'succeeded' | 'failed' | 'abandoned'
export type StepStatus = 'started' | 'completed' | 'failed'
export type TxStatus = 'signed' | 'sent' | 'mined' | 'reverted' | 'dropped' | 'replaced'

export interface StepState {
  name: string
  status: StepStatus
  startedAt: string
  finishedAt?: string
  /** How many times the step was started (a retry after a failure counts). */
  attempts: number
  detail?: JsonValue
  result?: JsonValue
  error?: SerializedError
  /** Set while the step waits on purpose (a step.waiting record); any later record of the step clears it. */
  waiting?: StepWaiting
}

export interface StepWaiting {
  /** What kind of wait: 'deadline', 'confirmation', 'signature', … */
  wait: string
  /** The sentence shown to the user. */
  reason: string
  since: string
  /** When the wait ends (ISO date, an estimate), when known. */
  until?: string
  l1Block?: string
}

export interface TxState {
  hash: `0x${string}`
  step: string
  chainId: number
  from: `0x${string}`
  nonce: number
  raw: `0x${string}`
  status: TxStatus
  signedAt: string
  sentTo: string[]
  replaces?: `0x${string}`
  replacedBy?: `0x${string}`
  blockNumber?: string
  droppedReason?: string
  /** Set when the tx was found on L1 (tx.found) rather than signed by this run: how it was found. */
  foundOnChain?: string
}

export interface JobState {
  id: string
  kind: string
  title: string
  params: JsonValue
  createdAt: string
  updatedAt: string
  status: JobStatus
  summary?: string
  /** Steps in the order they were first started. */
  steps: StepState[]
  /** Transactions in the order they were signed. */
  txs: TxState[]
  prompts: Record<string, JsonValue>
  files: { path: string; sha256: string; purpose: string; at: string }[]
  notes: { text: string; at: string }[]
  /** seq of the last applied record; the next append must use lastSeq + 1. */
  lastSeq: number
}

export interface JobSummary {
  id: string
  kind: string
  title: string
  status: JobStatus
  createdAt: string
  updatedAt: string
  currentStep?: string
  lastError?: SerializedError
  /** Signed or sent transactions without a final outcome: what a resume must look after. */
  pendingTxs: number
  /** The job is paused on purpose (not in progress): at which step, why, and until when. */
  paused?: StepWaiting & { step: string }
}

export function reduce(records: readonly JournalRecord[]): JobState | undefined {
  let state: JobState | undefined
  for (const record of records) state = applyRecord(state, record)
  return state
}

/** Apply one record. Records are validated before they get here; an impossible transition throws (a bug, not data). */
export function applyRecord(state: JobState | undefined, record: JournalRecord): JobState {
  if (state === undefined) {
    if (record.type !== 'job.created') throw new Error(`journal ${record.jobId}: first record is ${record.type}, not job.created`)
    return {
      id: record.jobId,
      kind: record.kind,
      title: record.title,
      params: record.params,
      createdAt: record.at,
      updatedAt: record.at,
      status: 'active',
      steps: [],
      txs: [],
      prompts: {},
      files: [],
      notes: [],
      lastSeq: record.seq,
    }
  }
  if (record.seq !== state.lastSeq + 1) throw new Error(`journal ${state.id}: record ${record.seq} after ${state.lastSeq}`)
  const next: JobState = { ...state, updatedAt: record.at, lastSeq: record.seq }

  switch (record.type) {
    case 'job.created':
      throw new Error(`journal ${state.id}: job created twice`)
    case 'step.started': {
      const prev = next.steps.find((s) => s.name === record.step)
      const step: StepState = {
        name: record.step,
        status: 'started',
        startedAt: record.at,
        attempts: (prev?.attempts ?? 0) + 1,
        ...(record.detail !== undefined ? { detail: record.detail } : {}),
      }
      next.steps = prev ? next.steps.map((s) => (s.name === record.step ? step : s)) : [...next.steps, step]
      return next
    }
    case 'step.completed':
      next.steps = upsertStep(next.steps, record.step, record.at, (s) => ({
        ...withoutOutcome(s),
        status: 'completed',
        finishedAt: record.at,
        ...(record.result !== undefined ? { result: record.result } : {}),
      }))
      return next
    case 'step.failed':
      next.steps = upsertStep(next.steps, record.step, record.at, (s) => ({ ...withoutOutcome(s), status: 'failed', finishedAt: record.at, error: record.error }))
      return next
    case 'step.waiting': {
      const waiting: StepWaiting = {
        wait: record.wait,
        reason: record.reason,
        since: record.at,
        ...(record.until !== undefined ? { until: record.until } : {}),
        ...(record.l1Block !== undefined ? { l1Block: record.l1Block } : {}),
      }
      next.steps = upsertStep(next.steps, record.step, record.at, (s) => ({ ...withoutOutcome(s), status: 'started', waiting }))
      return next
    }
    case 'tx.signed': {
      const tx: TxState = {
        hash: record.hash as `0x${string}`,
        step: record.step,
        chainId: record.chainId,
        from: record.from as `0x${string}`,
        nonce: record.nonce,
        raw: record.raw as `0x${string}`,
        status: 'signed',
        signedAt: record.at,
        sentTo: [],
        ...(record.replaces ? { replaces: record.replaces as `0x${string}` } : {}),
      }
      const replaced = record.replaces
      next.txs = [
        ...next.txs.filter((t) => t.hash !== tx.hash).map((t) => (replaced && t.hash === replaced ? { ...t, status: 'replaced' as const, replacedBy: tx.hash } : t)),
        tx,
      ]
      return next
    }
    case 'tx.found': {
      const tx: TxState = {
        hash: record.hash as `0x${string}`,
        step: record.step,
        chainId: record.chainId,
        from: record.from as `0x${string}`,
        nonce: record.nonce,
        // Found mined: never re-sent, so no bytes are kept.
        raw: '0x',
        status: record.status === 'success' ? 'mined' : 'reverted',
        signedAt: record.at,
        sentTo: [],
        blockNumber: record.blockNumber,
        foundOnChain: record.reason,
      }
      next.txs = [...next.txs.filter((t) => t.hash !== tx.hash), tx]
      return next
    }
    case 'tx.sent':
      next.txs = updateTx(next.txs, record.hash, (t) => ({
        ...t,
        status: t.status === 'signed' ? 'sent' : t.status,
        sentTo: [...new Set([...t.sentTo, ...record.endpoints])],
      }))
      return next
    case 'tx.mined':
      next.txs = updateTx(next.txs, record.hash, (t) => ({ ...t, status: record.status === 'success' ? 'mined' : 'reverted', blockNumber: record.blockNumber }))
      return next
    case 'tx.dropped':
      next.txs = updateTx(next.txs, record.hash, (t) => ({ ...t, status: 'dropped', droppedReason: record.reason }))
      return next
    case 'prompt.answered':
      next.prompts = { ...next.prompts, [record.prompt]: record.answer }
      return next
    case 'file.exported':
      next.files = [...next.files, { path: record.path, sha256: record.sha256, purpose: record.purpose, at: record.at }]
      return next
    case 'note':
      next.notes = [...next.notes, { text: record.text, at: record.at }]
      return next
    case 'job.finished':
      next.status = record.outcome
      if (record.summary !== undefined) next.summary = record.summary
      return next
  }
}

function withoutOutcome(s: StepState): StepState {
  const { result: _r, error: _e, finishedAt: _f, waiting: _w, ...rest } = s
  return rest
}

function upsertStep(steps: StepState[], name: string, at: string, f: (s: StepState) => StepState): StepState[] {
  const existing = steps.find((s) => s.name === name)
  // A step may complete without an explicit start (e.g. an instantaneous check); treat it as started then.
  if (!existing) return [...steps, f({ name, status: 'started', startedAt: at, attempts: 1 })]
  return steps.map((s) => (s.name === name ? f(s) : s))
}

function updateTx(txs: TxState[], hash: string, f: (t: TxState) => TxState): TxState[] {
  // Outcome records for a hash we never signed are kept out of the state rather than invented; the store refuses them.
  return txs.map((t) => (t.hash === hash ? f(t) : t))
}

/**
 * Newest activity first. Two jobs changed in the same millisecond (a CLI appending to one and creating another)
 * are ordered by creation, newest first, then by id, so every list shows the same order.
 */
export function compareJobsNewestFirst(a: Pick<JobSummary, 'updatedAt' | 'createdAt' | 'id'>, b: Pick<JobSummary, 'updatedAt' | 'createdAt' | 'id'>): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function summarize(state: JobState): JobSummary {
  const current = [...state.steps].reverse().find((s) => s.status !== 'completed') ?? state.steps[state.steps.length - 1]
  const lastFailed = [...state.steps].reverse().find((s) => s.status === 'failed')
  const waiting = state.status === 'active' ? state.steps.find((s) => s.waiting !== undefined) : undefined
  return {
    id: state.id,
    kind: state.kind,
    title: state.title,
    status: state.status,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    ...(current ? { currentStep: current.name } : {}),
    ...(lastFailed?.error ? { lastError: lastFailed.error } : {}),
    pendingTxs: state.txs.filter((t) => t.status === 'signed' || t.status === 'sent').length,
    ...(waiting?.waiting ? { paused: { step: waiting.name, ...waiting.waiting } } : {}),
  }
}

/** Transactions a resume must re-send (same raw bytes, same hash) or watch; never re-sign these. */
export function unfinishedTxs(state: JobState): TxState[] {
  return state.txs.filter((t) => t.status === 'signed' || t.status === 'sent')
}
