/**
 * What the window may see of a drill: the run in progress (steps, transactions, the human messages), its final
 * report, and the drills kept in the data folder's drills/ directory. Zod schemas, so both ends of the IPC boundary
 * check them, and the service checks a report file it reads back from disk with the same schema.
 *
 * The report mirrors the Arbitrum drill's report (electron/services/drill/runArbitrumDrill.ts); the drill
 * service maps it field by field, so a field added there does not reach the window until it is added here.
 */
import { z } from 'zod'
import { SerializedErrorSchema } from './wire'

const isoTime = z.iso.datetime()
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as z.ZodType<`0x${string}`>
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address') as z.ZodType<`0x${string}`>
/** A hash, or the bare `0x` the drill reports when it stopped before it had one. */
const hashOrEmpty = z.string().regex(/^0x(?:[0-9a-fA-F]{64})?$/, 'expected a 32-byte hash or 0x') as z.ZodType<`0x${string}`>
/** Integers that may exceed 2^53 (wei, block numbers, indices) are decimal strings, as in the journal. */
const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string')
const text = (max: number) => z.string().max(max)
const count = z.number().int().nonnegative()

export const DRILL_STACKS = ['arbitrum'] as const
export const DRILL_BATCH_MODES = ['calldata', 'blob'] as const

/**
 * A drill's id: the name of its folder under drills/ (the flow names it `arbitrum-drill-<time>`), or, for a run in
 * this process that stopped before it had a folder, the run's own id. Never a path.
 */
export const DrillIdSchema = z.string().regex(/^[a-z0-9][A-Za-z0-9-]{2,100}$/, 'expected a drill id like arbitrum-drill-2026-11-21T20-44-58-971Z')

export const StartDrillRequestSchema = z.strictObject({
  stack: z.enum(DRILL_STACKS),
  /** How the devnet's batch poster posts batches on L1. */
  batchMode: z.enum(DRILL_BATCH_MODES),
})

export const DrillCheckSchema = z.strictObject({ name: text(500), ok: z.boolean(), detail: text(4000) })

export const DrillReportSchema = z.strictObject({
  stack: z.enum(DRILL_STACKS),
  ok: z.boolean(),
  startedAt: isoTime,
  finishedAt: isoTime,
  wallTimeMs: count,
  peakRssBytes: count,
  devnet: z.strictObject({
    l1RpcUrl: text(500),
    l2RpcUrl: text(500),
    l1ChainId: count,
    l2ChainId: count,
    note: text(2000),
    batchMode: text(20),
  }),
  user: address,
  amountWei: decimal,
  setup: z.strictObject({ fundL2TxHash: hashOrEmpty, censorship: text(2000), devnetStartMs: count }),
  jobId: text(100).optional(),
  steps: z
    .array(
      z.strictObject({
        name: text(100),
        status: text(20),
        attempts: count,
        startedAt: isoTime,
        finishedAt: isoTime.optional(),
        durationMs: count.optional(),
      }),
    )
    .max(100),
  transactions: z
    .array(z.strictObject({ step: text(100), chainId: count, hash: hash32, status: text(20), blockNumber: decimal.optional() }))
    .max(100),
  result: z
    .strictObject({
      jobId: text(100),
      l2TxHash: hash32,
      sendL2MessageTx: hash32,
      forceInclusionTx: hash32.optional(),
      messageIndex: decimal,
      sequencedInBatch: decimal,
      forced: z.boolean(),
      l2Block: decimal,
      sendPosition: decimal,
      confirmedSendRoot: hash32,
      executeTx: hash32.optional(),
      alreadySpent: z.boolean(),
    })
    .optional(),
  roots: z.strictObject({ confirmedSendRoot: hash32.optional(), recomputedFromL2SendList: hash32.optional(), matched: z.boolean() }),
  checks: z.array(DrillCheckSchema).max(50),
  restarts: count,
  error: SerializedErrorSchema.optional(),
})

/**
 * One line of the drill's plan. `devnet-setup` (start the devnet, fund the user, show the censorship) and
 * `drill-checks` (balance, replay, duplicates, send root) frame the escape job's own steps, which come from its journal.
 */
export const DrillStepSchema = z.strictObject({
  name: text(100),
  status: z.enum(['pending', 'started', 'completed', 'failed', 'cancelled']),
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  durationMs: count.optional(),
  attempts: count,
})

export const DrillTxSchema = z.strictObject({
  step: text(100),
  chainId: count,
  hash: hash32,
  status: z.enum(['signed', 'sent', 'mined', 'reverted', 'dropped', 'replaced']),
  blockNumber: decimal.optional(),
})

export const DrillMessageSchema = z.strictObject({ at: isoTime, text: text(2000) })

export const DrillRunStatusSchema = z.enum(['running', 'cancelling', 'passed', 'failed', 'cancelled'])

/** A run of this process (the current one, or the last one). */
export const DrillRunSchema = z.strictObject({
  runId: DrillIdSchema,
  /** The drill's folder under drills/, once the flow has created it. */
  drillId: DrillIdSchema.optional(),
  stack: z.enum(DRILL_STACKS),
  batchMode: z.enum(DRILL_BATCH_MODES),
  status: DrillRunStatusSchema,
  startedAt: isoTime,
  finishedAt: isoTime.optional(),
  jobId: text(100).optional(),
  /** Sequence number of the last progress event folded into this snapshot; the next event has seq + 1. */
  seq: count,
  steps: z.array(DrillStepSchema).max(100),
  txs: z.array(DrillTxSchema).max(100),
  /** The most recent human progress messages (older ones are dropped past the limit). */
  messages: z.array(DrillMessageSchema).max(500),
  report: DrillReportSchema.optional(),
  /** Why the run failed when it has no report (the flow itself broke); otherwise the report's `error` says. */
  error: SerializedErrorSchema.optional(),
})

export const DrillStatusSchema = z.strictObject({
  /** The run in progress, or the last one this app ran since it started. */
  run: DrillRunSchema.optional(),
})

export const DrillProgressEventSchema = z.strictObject({
  runId: DrillIdSchema,
  seq: z.number().int().positive(),
  update: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('step'), step: DrillStepSchema }),
    z.strictObject({ kind: z.literal('tx'), tx: DrillTxSchema }),
    z.strictObject({ kind: z.literal('message'), message: DrillMessageSchema }),
    z.strictObject({ kind: z.literal('started'), drillId: DrillIdSchema.optional(), jobId: text(100).optional() }),
    z.strictObject({ kind: z.literal('status'), status: DrillRunStatusSchema }),
  ]),
})

export const DrillSummarySchema = z.strictObject({
  ok: z.boolean(),
  cancelled: z.boolean(),
  wallTimeMs: count,
  checks: z.array(z.strictObject({ name: text(500), ok: z.boolean() })).max(50),
  sendRootMatched: z.boolean(),
  error: SerializedErrorSchema.optional(),
})

export const DrillFinishedEventSchema = z.strictObject({
  runId: DrillIdSchema,
  drillId: DrillIdSchema.optional(),
  status: z.enum(['passed', 'failed', 'cancelled']),
  summary: DrillSummarySchema,
})

/** A drill kept in the drills folder: its saved report when the app ran it, else what its journal says (CLI runs). */
export const PastDrillSchema = z.strictObject({
  drillId: DrillIdSchema,
  startedAt: isoTime.optional(),
  /** Present when the app saved the report next to the journal. */
  summary: DrillSummarySchema.optional(),
  /** The escape job's journal, when readable. */
  job: z
    .strictObject({
      jobId: text(100),
      status: z.enum(['active', 'succeeded', 'failed', 'abandoned']),
      stepsCompleted: count,
    })
    .optional(),
  /** Why the folder could not be read fully, one sentence. */
  problem: text(2000).optional(),
})

export const DrillListSchema = z.strictObject({
  drills: z.array(PastDrillSchema).max(200),
  /** True when more drills are on disk than listed (the newest are listed). */
  truncated: z.boolean(),
})

export const SaveDrillReportRequestSchema = z.strictObject({ drillId: DrillIdSchema })
export const SavedDrillReportSchema = z.strictObject({
  /** Where the HTML file was written (the data folder's reports/ directory). */
  path: text(4096),
  bytes: count,
})

export type StartDrillRequest = z.output<typeof StartDrillRequestSchema>
export type DrillReportView = z.output<typeof DrillReportSchema>
export type DrillStepView = z.output<typeof DrillStepSchema>
export type DrillTxView = z.output<typeof DrillTxSchema>
export type DrillMessageView = z.output<typeof DrillMessageSchema>
export type DrillRunStatus = z.output<typeof DrillRunStatusSchema>
export type DrillRunView = z.output<typeof DrillRunSchema>
export type DrillStatusView = z.output<typeof DrillStatusSchema>
export type DrillProgressEvent = z.output<typeof DrillProgressEventSchema>
export type DrillSummaryView = z.output<typeof DrillSummarySchema>
export type DrillFinishedEvent = z.output<typeof DrillFinishedEventSchema>
export type PastDrillView = z.output<typeof PastDrillSchema>
export type DrillListView = z.output<typeof DrillListSchema>
export type SavedDrillReport = z.output<typeof SavedDrillReportSchema>

/** The summary the finished event and the drills list carry, from a report. */
export function summarizeDrillReport(report: DrillReportView, cancelled: boolean): DrillSummaryView {
  return {
    ok: report.ok,
    cancelled,
    wallTimeMs: report.wallTimeMs,
    checks: report.checks.map(({ name, ok }) => ({ name, ok })),
    sendRootMatched: report.roots.matched,
    error: report.error,
  }
}

/** Apply one progress update to a run snapshot (the service and the window's store both use this). */
export function applyDrillProgress(run: DrillRunView, event: DrillProgressEvent, maxMessages = 500): DrillRunView {
  const { update } = event
  const next: DrillRunView = { ...run, seq: event.seq }
  switch (update.kind) {
    case 'step': {
      const i = run.steps.findIndex((s) => s.name === update.step.name)
      next.steps = i === -1 ? [...run.steps, update.step] : run.steps.map((s, j) => (j === i ? update.step : s))
      break
    }
    case 'tx': {
      const i = run.txs.findIndex((t) => t.hash === update.tx.hash)
      next.txs = i === -1 ? [...run.txs, update.tx] : run.txs.map((t, j) => (j === i ? update.tx : t))
      break
    }
    case 'message':
      next.messages = [...run.messages, update.message].slice(-maxMessages)
      break
    case 'started':
      next.drillId = update.drillId ?? run.drillId
      next.jobId = update.jobId ?? run.jobId
      break
    case 'status':
      next.status = update.status
      break
  }
  return next
}
