/**
 * The committed length of a job's journal: how many records were written (each acknowledged only after it was
 * fsynced), how many bytes they take, and the hash of the last one. It is kept beside the journal
 * (`<jobId>.commit`) and updated after every append, so a journal that lost records at its end — cut inside a line,
 * or replaced by an older copy — is told apart from a torn tail (the last append, never acknowledged, so never acted
 * on). The hash chain in the records (lineCodec.ts) catches what a length cannot: a line replaced in the middle.
 *
 * Why a small file beside the journal and not a field in each record: a record cannot vouch for the records written
 * after it, so anything that describes the journal's end must live outside the part that can be cut off.
 *
 * Format: two fixed-size slots (COMMIT_SLOT_BYTES each), `<16 hex of sha256(json)> <json>` padded with spaces and a
 * final newline. The commit of record count N goes to slot N % 2, written in place: a write torn by a crash spoils
 * one slot, and the other still holds N − 1 — which the journal (fsynced before the commit) is never shorter than.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { z } from 'zod'

export const COMMIT_SLOT_BYTES = 192
export const COMMIT_FILE_BYTES = 2 * COMMIT_SLOT_BYTES

export interface JournalCommit {
  /** Records written and acknowledged. */
  records: number
  /** Bytes of those records' lines, newlines included. */
  bytes: number
  /** lineHash of the last of them. */
  last: string
}

const commitSchema = z.strictObject({
  records: z.number().int().positive(),
  bytes: z.number().int().positive(),
  last: z.string().regex(/^[0-9a-f]{64}$/),
})

/** One slot's text (exactly COMMIT_SLOT_BYTES ASCII bytes) and where it goes in the file. */
export function encodeCommitSlot(commit: JournalCommit): { offset: number; text: string } {
  const json = JSON.stringify(commitSchema.parse(commit))
  const body = `${checksum(json)} ${json}`
  if (body.length > COMMIT_SLOT_BYTES - 1) throw new RangeError('journal commit too large')
  return { offset: (commit.records % 2) * COMMIT_SLOT_BYTES, text: `${body.padEnd(COMMIT_SLOT_BYTES - 1, ' ')}\n` }
}

/** The whole file for a new commit (both slots the same): written once, by rename, when the commit file is created. */
export function encodeCommitFile(commit: JournalCommit): string {
  const slot = encodeCommitSlot(commit).text
  return slot + slot
}

/** The newest readable slot, or undefined when neither slot can be read (then the commit is unknown: damage). */
export function decodeCommitFile(text: string): JournalCommit | undefined {
  let best: JournalCommit | undefined
  for (let i = 0; i < 2; i++) {
    const slot = decodeSlot(text.slice(i * COMMIT_SLOT_BYTES, (i + 1) * COMMIT_SLOT_BYTES))
    if (slot && (!best || slot.records > best.records)) best = slot
  }
  return best
}

function decodeSlot(text: string): JournalCommit | undefined {
  const body = text.trimEnd()
  const sep = body.indexOf(' ')
  if (sep !== 16) return undefined
  const json = body.slice(sep + 1)
  if (checksum(json) !== body.slice(0, sep)) return undefined
  try {
    const parsed = commitSchema.safeParse(JSON.parse(json))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * What the journal's intact records say against its commit: undefined when they cover it (a torn tail beyond the
 * commit is the unacknowledged last append), otherwise why records that were written are missing.
 */
export function checkAgainstCommit(lineHashes: readonly string[], commit: JournalCommit): string | undefined {
  if (lineHashes.length < commit.records) {
    return `${commit.records} records were written and acknowledged, but only ${lineHashes.length} are intact in the file: the journal was cut or replaced by an older copy`
  }
  if (lineHashes[commit.records - 1] !== commit.last) {
    return `record ${commit.records} is not the one that was written: the journal was replaced by another copy`
  }
  return undefined
}

function checksum(json: string): string {
  return bytesToHex(sha256(utf8ToBytes(json))).slice(0, 16)
}
