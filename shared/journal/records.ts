/**
 * Journal records: the only source of truth for a job. A job's state is `reduce(records)` and nothing else.
 *
 * Each record is one line of a per-job append-only file. Records are versioned (`v`); a record written by an older
 * version is migrated on read (see `parseRecord`), never rewritten in place. A record written by a newer version of
 * the app is refused with a clear error rather than guessed at.
 *
 * Versions: 1 is every record type of the first release; 2 adds `step.waiting` (a job paused on purpose, with its
 * reason and until when); 3 adds the hash chain (`prev`: sha256 of the previous line's bytes, so a line that went
 * missing or was swapped is seen) and `tx.found` (a transaction of the job found on L1 instead of being signed again).
 * Every record written since version 3 carries `prev` and is version 3: an older app must not append to a chained
 * journal (its records would break the chain, and it would take a journal cut in the middle for a torn tail), so it
 * refuses these records as "written by a newer version" instead. Version-1 and -2 records need no migration: they
 * replay as they are, and a journal that has them continues with chained version-3 records.
 */
import { z } from 'zod'
import type { SerializedError } from '../errors/EscapeError'

/** The newest record version this app reads and writes. */
export const JOURNAL_RECORD_VERSION = 3

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-prefixed hex')
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address')
/** Integers that may exceed 2^53 (block numbers, wei) are decimal strings. */
const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string')
const stepName = z.string().min(1).max(100)

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
export const jsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
)
export type JsonValue = Json

const serializedError: z.ZodType<SerializedError> = z.lazy(() =>
  z.object({
    name: z.string().max(200),
    shortMessage: z.string().max(4000),
    steps: z.array(z.string().max(2000)).max(50),
    kind: z.enum(['temporary', 'critical', 'user-action']),
    details: z.string().max(20000).optional(),
    cause: serializedError.optional(),
  }),
)

export const journalEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.created'), kind: z.string().min(1).max(100), title: z.string().min(1).max(300), params: jsonValue }),
  z.object({ type: z.literal('step.started'), step: stepName, detail: jsonValue.optional() }),
  z.object({ type: z.literal('step.completed'), step: stepName, result: jsonValue.optional() }),
  z.object({ type: z.literal('step.failed'), step: stepName, error: serializedError }),
  /**
   * (v2) The step stopped on purpose and the job waits: for an L1 deadline, a confirmation, the user's signature.
   * `reason` is the sentence shown to the user; `until` when it ends (ISO date, an estimate from the deadline
   * computation), `l1Block` the L1 block it waits for, when known. The next step.* record of the step ends the wait.
   */
  z.object({
    type: z.literal('step.waiting'),
    step: stepName,
    wait: z.string().min(1).max(100),
    reason: z.string().min(1).max(4000),
    until: z.iso.datetime().optional(),
    l1Block: decimal.optional(),
  }),
  z.object({
    type: z.literal('tx.signed'),
    step: stepName,
    chainId: z.number().int().positive(),
    from: address,
    nonce: z.number().int().nonnegative(),
    hash: hash32,
    raw: hex,
    /** Set when this tx replaces an earlier one (same nonce, higher fee) with the user's consent. */
    replaces: hash32.optional(),
  }),
  /**
   * (v3) A transaction of this step found on L1 (mined) although the journal did not know it: the journal lost its
   * tx.signed, or another party delivered the same message. Adopted instead of signing again; it is final (mined),
   * so its bytes are not kept. `reason` says how it was found.
   */
  z.object({
    type: z.literal('tx.found'),
    step: stepName,
    chainId: z.number().int().positive(),
    from: address,
    nonce: z.number().int().nonnegative(),
    hash: hash32,
    blockNumber: decimal,
    status: z.enum(['success', 'reverted']),
    reason: z.string().min(1).max(2000),
  }),
  z.object({ type: z.literal('tx.sent'), hash: hash32, endpoints: z.array(z.string().max(500)).max(20) }),
  z.object({ type: z.literal('tx.mined'), hash: hash32, blockNumber: decimal, status: z.enum(['success', 'reverted']) }),
  z.object({ type: z.literal('tx.dropped'), hash: hash32, reason: z.string().max(2000) }),
  z.object({ type: z.literal('prompt.answered'), prompt: z.string().min(1).max(200), answer: jsonValue }),
  z.object({ type: z.literal('file.exported'), path: z.string().max(4096), sha256: hash32, purpose: z.string().max(200) }),
  z.object({ type: z.literal('note'), text: z.string().max(10000) }),
  z.object({ type: z.literal('job.finished'), outcome: z.enum(['succeeded', 'failed', 'abandoned']), summary: z.string().max(4000).optional() }),
])

export type JournalEvent = z.infer<typeof journalEventSchema>
export type JournalEventType = JournalEvent['type']

const recordHeaderSchema = z.object({
  v: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** (v3) sha256 (hex) of the previous line's bytes (checksum, space and JSON; no newline). Absent on the first record. */
  prev: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 hex digest').optional(),
  seq: z.number().int().nonnegative(),
  at: z.iso.datetime(),
  jobId: z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/, 'expected a job id'),
})

export const journalRecordSchema = z.intersection(recordHeaderSchema, journalEventSchema)
export type JournalRecord = z.infer<typeof recordHeaderSchema> & JournalEvent

/** The version of every record this app writes (see the versions note at the top): all carry the chain link. */
export function recordVersionOf(_event: JournalEvent): 3 {
  return JOURNAL_RECORD_VERSION
}
