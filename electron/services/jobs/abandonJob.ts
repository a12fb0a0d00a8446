/**
 * The user's decision to end a job (issue 11: besides a rule of the chain, only the user ends a job). The one cancel
 * path for the CLI and the app: the decision is journaled as the user's answer first, then the job is finished as
 * 'abandoned'. A job with signed L1 transactions not yet mined is refused unless the user accepts that they may still
 * be mined (a signed transaction cannot be recalled; after this, Escape Hatch stops watching it).
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import { unfinishedTxs, type JobState } from '../../../shared/journal/reduce'
import type { BroadcastJournal } from '../journal/journalPort'

export interface AbandonJobParameters {
  store: BroadcastJournal
  jobId: string
  /** In the user's words, kept in the journal and the report. */
  reason?: string
  /** The user accepted that signed, unmined transactions may still be mined. */
  acceptPendingTxs?: boolean
}

export const ABANDON_PROMPT_ID = 'abandon'

export async function abandonJob(p: AbandonJobParameters): Promise<JobState> {
  const { state } = await p.store.load(p.jobId)
  if (state.status !== 'active') throw new EscapeError(`Job ${p.jobId} is already ${state.status}.`, { kind: 'user-action' })
  const pending = unfinishedTxs(state)
  if (pending.length > 0 && !p.acceptPendingTxs) {
    throw new EscapeError(`Job ${p.jobId} has ${pending.length} signed transaction(s) that may still be mined.`, {
      kind: 'user-action',
      steps: [
        'A signed transaction cannot be recalled: abandoning the job only stops Escape Hatch from watching it.',
        'Resume the job to see it through, or confirm that you accept this to abandon it anyway.',
      ],
      details: pending.map((t) => `${t.step}: ${t.hash} (${t.status})`).join('; '),
    })
  }
  const reason = (p.reason ?? '').trim().slice(0, 2000)
  await p.store.append(p.jobId, { type: 'prompt.answered', prompt: ABANDON_PROMPT_ID, answer: { abandon: true, reason, pendingTxs: pending.map((t) => t.hash) } })
  await p.store.append(p.jobId, { type: 'job.finished', outcome: 'abandoned', summary: reason ? `Abandoned by the user: ${reason}` : 'Abandoned by the user.' })
  return (await p.store.load(p.jobId)).state
}
