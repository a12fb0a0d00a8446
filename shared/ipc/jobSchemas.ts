/**
 * What the renderer may see of a job: the reduced JobState (shared/journal/reduce.ts), as zod schemas so that both
 * ends of the IPC boundary check it. Signed transaction bytes (`raw`) stay in the main process: the window only
 * needs the hash and status, and keeping signed material out of the renderer means a compromised page cannot
 * exfiltrate or re-broadcast it.
 */
import { z } from 'zod'
import { jsonValue } from '../journal/records'
import type { JobState, JobSummary, StepState, TxState } from '../journal/reduce'
import { SerializedErrorSchema } from './wire'

/** Same rule as the journal's record header (shared/journal/records.ts): file names are derived from it. */
export const JobIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/, 'expected a job id like arb-escape-20261121-ab12cd')

const isoTime = z.iso.datetime()
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as z.ZodType<`0x${string}`>
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address') as z.ZodType<`0x${string}`>

export const JobStatusSchema = z.enum(['active', 'succeeded', 'failed', 'abandoned'])

/** A job paused on purpose (journal record step.waiting): why, and until when. */
const StepWaitingSchema = z.strictObject({
  wait: z.string().min(1).max(100),
  reason: z.string().min(1).max(4000),
  since: isoTime,
  until: isoTime.optional(),
  l1Block: z.string().regex(/^(0|[1-9][0-9]*)$/).optional(),
})

export const JobSummarySchema = z.strictObject({
  id: JobIdSchema,
  kind: z.string().min(1).max(100),
  title: z.string().min(1).max(300),
  status: JobStatusSchema,
  createdAt: isoTime,
  updatedAt: isoTime,
  currentStep: z.string().max(100).optional(),
  lastError: SerializedErrorSchema.optional(),
  pendingTxs: z.number().int().nonnegative(),
  paused: StepWaitingSchema.extend({ step: z.string().min(1).max(100) }).optional(),
})

const StepSchema = z.strictObject({
  name: z.string().min(1).max(100),
  status: z.enum(['started', 'completed', 'failed']),
  startedAt: isoTime,
  finishedAt: isoTime.optional(),
  attempts: z.number().int().positive(),
  detail: jsonValue.optional(),
  result: jsonValue.optional(),
  error: SerializedErrorSchema.optional(),
  waiting: StepWaitingSchema.optional(),
})

const TxSchema = z.strictObject({
  hash: hash32,
  step: z.string().min(1).max(100),
  chainId: z.number().int().positive(),
  from: address,
  nonce: z.number().int().nonnegative(),
  status: z.enum(['signed', 'sent', 'mined', 'reverted', 'dropped', 'replaced']),
  signedAt: isoTime,
  sentTo: z.array(z.string().max(500)).max(1000),
  replaces: hash32.optional(),
  replacedBy: hash32.optional(),
  blockNumber: z.string().regex(/^(0|[1-9][0-9]*)$/).optional(),
  droppedReason: z.string().max(2000).optional(),
  /** Found on L1 instead of signed again (journal tx.found): how it was found. */
  foundOnChain: z.string().max(2000).optional(),
})

export const JobDetailSchema = z.strictObject({
  id: JobIdSchema,
  kind: z.string().min(1).max(100),
  title: z.string().min(1).max(300),
  params: jsonValue,
  createdAt: isoTime,
  updatedAt: isoTime,
  status: JobStatusSchema,
  summary: z.string().max(4000).optional(),
  steps: z.array(StepSchema).max(1000),
  txs: z.array(TxSchema).max(1000),
  prompts: z.record(z.string().max(200), jsonValue),
  files: z.array(z.strictObject({ path: z.string().max(4096), sha256: z.string().max(66), purpose: z.string().max(200), at: isoTime })).max(1000),
  notes: z.array(z.strictObject({ text: z.string().max(10_000), at: isoTime })).max(10_000),
  lastSeq: z.number().int().nonnegative(),
  /** Journal defects found while reading (torn tail set aside, damaged lines), one sentence each. */
  problems: z.array(z.string().max(2000)).max(100),
  /** True when a complete record could not be read: the job is read-only until someone looks at it. */
  damaged: z.boolean(),
})

export type JobSummaryView = z.infer<typeof JobSummarySchema>
export type JobDetailView = z.infer<typeof JobDetailSchema>
export type JobStepView = JobDetailView['steps'][number]
export type JobTxView = JobDetailView['txs'][number]

/** A JobState with the fields the window does not get removed; the result is what JobDetailSchema checks. */
export function toJobDetailView(state: JobState, journal: { problems: string[]; damaged: boolean }): JobDetailView {
  return {
    ...state,
    txs: state.txs.map(({ raw: _raw, ...tx }) => tx),
    problems: journal.problems,
    damaged: journal.damaged,
  }
}

// Compile-time guards: if the journal's types change, these stop compiling and point here.
type Assert<T extends true> = T
export type _SummaryMatches = Assert<JobSummary extends z.input<typeof JobSummarySchema> ? true : false>
export type _StepMatches = Assert<StepState extends z.input<typeof StepSchema> ? true : false>
export type _TxMatches = Assert<Omit<TxState, 'raw'> extends z.input<typeof TxSchema> ? true : false>
