/**
 * The part of the JournalStore the broadcaster and the air-gapped file signer use. JournalStore satisfies it; the
 * narrow port keeps them generic (any flow, OP or Arbitrum, passes its store and job). It lives with the journal,
 * below both, so a signer never imports the broadcaster (lint: signers must not import broadcast or flows).
 */
import type { JournalEvent } from '../../../shared/journal/records'
import type { JobState } from '../../../shared/journal/reduce'

export interface BroadcastJournal {
  /** Resolves after the record is on disk (fsync). */
  append(jobId: string, event: JournalEvent): Promise<unknown>
  /** `damaged`: the journal lost or spoiled records (JournalStore sets it): nothing may be signed for the job. */
  load(jobId: string): Promise<{ state: JobState; damaged?: boolean }>
}

/** The prompt id under which the user's consent to replace `hash` (fee bump) is journaled. appendRules checks it. */
export function feeBumpPromptId(hash: string): string {
  return `replace:${hash}`
}
