/**
 * What the window may see of a drill: the run in progress (steps, transactions, the human messages), its final
 * report, and the drills kept in the data folder's drills/ directory. Zod schemas, so both ends of the IPC boundary
 * check them, and the service checks a report file it reads back from disk with the same schema.
 *
 * Three drills, three reports: the Arbitrum escape (runArbitrumDrill.ts), the Arbitrum retryable redeem
 * (runRetryableDrill.ts) and the OP Stack escape, censored or with the operator gone (runOpDrill.ts). The drill
 * service maps each field by field (drillReportView.ts), so a field added to a flow's report does not reach the
 * window, or a report file, until it is added here.
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

export const DRILL_STACKS = ['arbitrum', 'op'] as const
export const DRILL_BATCH_MODES = ['calldata', 'blob'] as const
export const ARBITRUM_DRILL_SCENARIOS = ['escape', 'retryable'] as const
export const OP_DRILL_SCENARIOS = ['censored', 'operator-gone'] as const
export type DrillStack = (typeof DRILL_STACKS)[number]
export type DrillScenario = (typeof ARBITRUM_DRILL_SCENARIOS)[number] | (typeof OP_DRILL_SCENARIOS)[number]

/**
 * A drill's id: the name of its folder under drills/ (the flow names it `arbitrum-drill-<time>`), or, for a run in
 * this process that stopped before it had a folder, the run's own id. Never a path.
 */
export const DrillIdSchema = z.string().regex(/^[a-z0-9][A-Za-z0-9-]{2,100}$/, 'expected a drill id like arbitrum-drill-2026-11-21T20-44-58-971Z')

/** Which drill: the stack and its scenario (Arbitrum: escape when omitted; OP: censored when omitted). */
export const StartDrillRequestSchema = z.discriminatedUnion('stack', [
  z.strictObject({
    stack: z.literal('arbitrum'),
    scenario: z.enum(ARBITRUM_DRILL_SCENARIOS).optional(),
    /** How the devnet's batch poster posts batches on L1 (the retryable drill always posts calldata). */
    batchMode: z.enum(DRILL_BATCH_MODES),
  }),
  z.strictObject({ stack: z.literal('op'), scenario: z.enum(OP_DRILL_SCENARIOS).optional(), batchMode: z.enum(DRILL_BATCH_MODES) }),
])

/** The scenario a request names, its default filled in. */
export function drillScenarioOf(request: { stack: DrillStack; scenario?: DrillScenario | undefined }): DrillScenario {
  return request.scenario ?? (request.stack === 'op' ? 'censored' : 'escape')
}

export const DrillCheckSchema = z.strictObject({ name: text(500), ok: z.boolean(), detail: text(4000) })

const stepReport = z.strictObject({
  name: text(100),
  status: text(20),
  attempts: count,
  startedAt: isoTime,
  finishedAt: isoTime.optional(),
  durationMs: count.optional(),
})
const txReport = z.strictObject({ step: text(100), chainId: count, hash: hash32, status: text(20), blockNumber: decimal.optional() })
const devnetBase = { l1RpcUrl: text(500), l2RpcUrl: text(500), l1ChainId: count, l2ChainId: count, note: text(2000) }

/** The Arbitrum escape drill's report (reports kept before the scenario existed have none: escape). */
export const ArbitrumDrillReportSchema = z.strictObject({
  stack: z.literal('arbitrum'),
  scenario: z.literal('escape').optional(),
  ok: z.boolean(),
  startedAt: isoTime,
  finishedAt: isoTime,
  wallTimeMs: count,
  peakRssBytes: count,
  devnet: z.strictObject({ ...devnetBase, batchMode: text(20) }),
  user: address,
  amountWei: decimal,
  setup: z.strictObject({ fundL2TxHash: hashOrEmpty, censorship: text(2000), devnetStartMs: count }),
  jobId: text(100).optional(),
  steps: z.array(stepReport).max(100),
  transactions: z.array(txReport).max(100),
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
      proofMethod: z.enum(['node-interface', 'send-list']).optional(),
    })
    .optional(),
  /** How many requests the escape made to the untrusted L2 node, by method (absent from older reports). */
  l2Rpc: z.strictObject({ total: count, byMethod: z.record(text(100), count) }).optional(),
  roots: z.strictObject({ confirmedSendRoot: hash32.optional(), recomputedFromL2SendList: hash32.optional(), matched: z.boolean() }),
  checks: z.array(DrillCheckSchema).max(50),
  restarts: count,
  error: SerializedErrorSchema.optional(),
})

/** The Arbitrum retryable drill's report: a ticket left without an auto-redeem, redeemed through L1 while censored. */
export const RetryableDrillReportSchema = z.strictObject({
  stack: z.literal('arbitrum'),
  scenario: z.literal('retryable'),
  ok: z.boolean(),
  startedAt: isoTime,
  finishedAt: isoTime,
  wallTimeMs: count,
  user: address,
  beneficiary: address,
  callValueWei: decimal,
  ticketId: hash32.optional(),
  createTicketL1Tx: hash32.optional(),
  jobId: text(100).optional(),
  steps: z.array(stepReport).max(100),
  transactions: z.array(txReport).max(100),
  result: z
    .strictObject({ redeemL2TxHash: hash32.optional(), forceInclusionTx: hash32.optional(), sequencedInBatch: decimal.optional(), forced: z.boolean(), redeemedBy: hash32.optional() })
    .optional(),
  checks: z.array(DrillCheckSchema).max(50),
  error: SerializedErrorSchema.optional(),
})

/** The OP Stack drill's report: censored by the sequencer, or the operator gone (rebuilt from L1 alone). */
export const OpDrillReportSchema = z.strictObject({
  stack: z.literal('op'),
  scenario: z.enum(OP_DRILL_SCENARIOS),
  ok: z.boolean(),
  startedAt: isoTime,
  finishedAt: isoTime,
  wallTimeMs: count,
  peakRssBytes: count,
  devnet: z.strictObject({ ...devnetBase, dataAvailability: text(20) }),
  user: address,
  assets: z.array(z.strictObject({ kind: z.enum(['eth', 'erc20']), symbol: text(20), l1Token: address.optional(), l2Token: address.optional(), amountWei: decimal })).max(20),
  setup: z.strictObject({ fundTxs: z.array(z.strictObject({ what: text(200), hash: hash32 })).max(20), censorship: text(2000), devnetStartMs: count }),
  jobId: text(100).optional(),
  steps: z.array(stepReport).max(100),
  transactions: z.array(txReport).max(100),
  result: z
    .strictObject({
      withdrawals: z.array(z.strictObject({ asset: count, l2TxHash: hash32, withdrawalHash: hash32 })).max(20),
      game: z.strictObject({ address, index: decimal, l2Block: decimal, rootClaim: hash32, createdByUs: z.boolean() }),
      rounds: count,
      rootSource: text(500),
    })
    .optional(),
  roots: z.strictObject({ gameRootClaim: hash32.optional(), gameL2Block: decimal.optional(), devnetChainOutputRoot: hash32.optional(), source: text(500).optional(), matched: z.boolean() }),
  checks: z.array(DrillCheckSchema).max(50),
  error: SerializedErrorSchema.optional(),
})

/** Any drill's report; `stack` and `scenario` say which. */
export const DrillReportSchema = z.union([ArbitrumDrillReportSchema, RetryableDrillReportSchema, OpDrillReportSchema])

/** The root the drill checked independently matched (the send root, the game's output root); undefined when it has none. */
export function drillRootMatched(report: DrillReportView): boolean | undefined {
  return report.stack === 'op' || report.scenario !== 'retryable' ? report.roots.matched : undefined
}

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
  scenario: z.enum([...ARBITRUM_DRILL_SCENARIOS, ...OP_DRILL_SCENARIOS]),
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
  stack: z.enum(DRILL_STACKS),
  scenario: z.enum([...ARBITRUM_DRILL_SCENARIOS, ...OP_DRILL_SCENARIOS]),
  ok: z.boolean(),
  cancelled: z.boolean(),
  wallTimeMs: count,
  checks: z.array(z.strictObject({ name: text(500), ok: z.boolean() })).max(50),
  /** The root the drill checked (Arbitrum's send root, the OP game's output root); absent for a drill without one. */
  rootMatched: z.boolean().optional(),
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
  /** Which drill, from its report or its folder's name. */
  stack: z.enum(DRILL_STACKS).optional(),
  scenario: z.enum([...ARBITRUM_DRILL_SCENARIOS, ...OP_DRILL_SCENARIOS]).optional(),
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

/**
 * Where a report goes: the data folder's reports/ directory (the default), a file the user picks in the native save
 * dialog main opens (the app), or a path the user typed in the window (behind the loopback bridge, which has no
 * dialog). A typed path is untrusted: main refuses folders, links and special files (writeFileAtChosenPath.ts).
 */
export const ReportDestinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reports-folder') }),
  z.strictObject({ kind: z.literal('choose') }),
  z.strictObject({ kind: z.literal('path'), path: z.string().min(1, 'type the full path of the file').max(4096) }),
])
export type ReportDestination = z.output<typeof ReportDestinationSchema>

export const SaveDrillReportRequestSchema = z.strictObject({ drillId: DrillIdSchema, to: ReportDestinationSchema.optional() })
export const SavedDrillReportSchema = z.union([
  z.strictObject({
    /** Where the HTML file was written (the data folder's reports/ directory, or the file the user chose). */
    path: text(4096),
    bytes: count,
  }),
  /** The user closed the save dialog without choosing: nothing was written. */
  z.strictObject({ cancelled: z.literal(true) }),
])

export type StartDrillRequest = z.output<typeof StartDrillRequestSchema>
export type DrillReportView = z.output<typeof DrillReportSchema>
export type ArbitrumDrillReportView = z.output<typeof ArbitrumDrillReportSchema>
export type RetryableDrillReportView = z.output<typeof RetryableDrillReportSchema>
export type OpDrillReportView = z.output<typeof OpDrillReportSchema>
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
  const rootMatched = drillRootMatched(report)
  return {
    stack: report.stack,
    scenario: report.scenario ?? 'escape',
    ok: report.ok,
    cancelled,
    wallTimeMs: report.wallTimeMs,
    checks: report.checks.map(({ name, ok }) => ({ name, ok })),
    ...(rootMatched === undefined ? {} : { rootMatched }),
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
