/**
 * The on-disk form of a journal: one record per line, `<16 hex chars of sha256(json)> <json>\n`.
 *
 * The checksum covers the exact JSON text written, so a flipped bit, a zero-filled block after a power cut, or a
 * hand edit is detected instead of being replayed. A final segment without '\n' is a torn write (the process died
 * mid-append): the caller never got an acknowledgement for it, so it is set aside, not replayed.
 *
 * Since record version 3 each record also carries `prev`, the sha256 of the previous line's bytes (a hash chain): a
 * line removed or swapped in the middle breaks the chain. A cut at the end leaves a valid chain, which is why the
 * store also keeps the journal's committed length apart (commitCodec.ts): only together do they tell a torn tail (the
 * unacknowledged last record) from lost records.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { JOURNAL_RECORD_VERSION, journalRecordSchema, type JournalRecord } from './records'

const CHECKSUM_CHARS = 16
/** A record line longer than this is not something we wrote: refuse it rather than parse megabytes of junk. */
export const MAX_RECORD_LINE_BYTES = 1 << 20

export function encodeRecordLine(record: JournalRecord): string {
  const json = JSON.stringify(record)
  if (json.length > MAX_RECORD_LINE_BYTES) throw new RangeError(`journal record too large (${json.length} bytes)`)
  return `${checksum(json)} ${json}\n`
}

/** The chain link to a line: sha256 (hex) of its bytes, without the newline. `line` may end with '\n' (ignored). */
export function lineHash(line: string): string {
  return bytesToHex(sha256(utf8ToBytes(line.endsWith('\n') ? line.slice(0, -1) : line)))
}

function checksum(json: string): string {
  return bytesToHex(sha256(utf8ToBytes(json))).slice(0, CHECKSUM_CHARS)
}

export type JournalProblem =
  | { kind: 'torn-tail'; byteOffset: number; bytes: number; text: string }
  | { kind: 'corrupt'; line: number; byteOffset: number; reason: string; text: string; linesAfter: number }
  | { kind: 'newer-version'; line: number; byteOffset: number; version: number; linesAfter: number }
  /**
   * Records that were written (the committed length says so) are not in the file, or the file's record at the
   * committed length is not the one written: the file was cut or replaced by another copy. `present` records are
   * intact, `committed` were written.
   */
  | { kind: 'lost'; present: number; committed: number; reason: string; text: string }

export interface DecodedJournal {
  /** The longest intact prefix, in order. */
  records: JournalRecord[]
  /** lineHash of each intact record's line (same order): the chain, and what the committed length is checked against. */
  lineHashes: string[]
  problems: JournalProblem[]
  /** Bytes covered by complete lines (intact or not); a torn tail starts here. */
  completeBytes: number
  /** True when a complete line could not be replayed: the job must not advance until a person looks. */
  damaged: boolean
}

/**
 * Decode a whole journal file. Never throws on content: every defect becomes a problem, and replay stops at the first
 * defective complete line (later records may depend on the lost one, so applying them could invent a state).
 */
export function decodeJournal(text: string, expectedJobId?: string): DecodedJournal {
  const records: JournalRecord[] = []
  const lineHashes: string[] = []
  const problems: JournalProblem[] = []
  let offset = 0
  let line = 0
  let damaged = false
  const lastNewline = text.lastIndexOf('\n')
  const completeEnd = lastNewline + 1
  const completeLines = completeEnd === 0 ? [] : text.slice(0, lastNewline).split('\n')

  for (let i = 0; i < completeLines.length; i++) {
    const raw = completeLines[i] ?? ''
    const lineOffset = offset
    offset += byteLength(raw) + 1
    line = i + 1
    if (damaged) continue
    const result = decodeLine(raw, records.length, expectedJobId ?? records[0]?.jobId)
    const chainBreak = result.ok ? chainProblem(result.record, records.at(-1), lineHashes.at(-1)) : undefined
    if (result.ok && chainBreak === undefined) {
      records.push(result.record)
      lineHashes.push(lineHash(raw))
      continue
    }
    damaged = true
    const linesAfter = completeLines.length - i - 1
    if (!result.ok && result.newerVersion !== undefined) {
      problems.push({ kind: 'newer-version', line, byteOffset: lineOffset, version: result.newerVersion, linesAfter })
    } else {
      problems.push({ kind: 'corrupt', line, byteOffset: lineOffset, reason: result.ok ? chainBreak! : result.reason, text: clip(raw), linesAfter })
    }
  }

  const tail = text.slice(completeEnd)
  if (tail.length > 0) problems.push({ kind: 'torn-tail', byteOffset: offset, bytes: byteLength(tail), text: clip(tail) })
  return { records, lineHashes, problems, completeBytes: offset, damaged }
}

/**
 * A record must follow the line before it: since version 3 it names that line's hash. Old (v1/v2) records carry no
 * link and may only come before the first chained one: an unchained record after a chained one was not written by us.
 */
function chainProblem(record: JournalRecord, previous: JournalRecord | undefined, previousHash: string | undefined): string | undefined {
  if (record.v < 3) {
    if (record.prev !== undefined) return 'a version-1/2 record cannot carry a chain link'
    if (previous !== undefined && previous.v >= 3) return 'an unchained record after chained ones (a record was replaced)'
    return undefined
  }
  if (previous === undefined) return record.prev === undefined ? undefined : 'the first record cannot follow another'
  if (record.prev !== previousHash) return 'it does not follow the line before it (a record between them is missing or was replaced)'
  return undefined
}

type LineResult = { ok: true; record: JournalRecord } | { ok: false; reason: string; newerVersion?: number }

function decodeLine(raw: string, expectedSeq: number, expectedJobId: string | undefined): LineResult {
  if (raw.length > MAX_RECORD_LINE_BYTES) return { ok: false, reason: 'line is longer than any record the app writes' }
  const sep = raw.indexOf(' ')
  if (sep !== CHECKSUM_CHARS) return { ok: false, reason: 'missing checksum' }
  const json = raw.slice(sep + 1)
  if (checksum(json) !== raw.slice(0, sep)) return { ok: false, reason: 'checksum mismatch (the line was changed or damaged after it was written)' }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return { ok: false, reason: 'not valid JSON' }
  }
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined
  if (typeof version === 'number' && version > JOURNAL_RECORD_VERSION) return { ok: false, reason: 'written by a newer app version', newerVersion: version }
  const parsed = journalRecordSchema.safeParse(value)
  if (!parsed.success) return { ok: false, reason: `not a valid record: ${parsed.error.issues[0]?.message ?? 'schema mismatch'}` }
  const record = parsed.data as JournalRecord
  if (record.seq !== expectedSeq) return { ok: false, reason: `sequence number ${record.seq}, expected ${expectedSeq}` }
  if (expectedJobId !== undefined && record.jobId !== expectedJobId) return { ok: false, reason: `record belongs to job ${record.jobId}` }
  if (expectedSeq === 0 && record.type !== 'job.created') return { ok: false, reason: 'the first record must create the job' }
  if (expectedSeq > 0 && record.type === 'job.created') return { ok: false, reason: 'a job can only be created once' }
  return { ok: true, record }
}

function byteLength(s: string): number {
  return utf8ToBytes(s).length
}

function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s
}
