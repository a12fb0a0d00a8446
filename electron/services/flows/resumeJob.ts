/**
 * Continue any job from its journal, whatever its kind: the one entry point `escape-hatch jobs resume` (and later the
 * app) uses. It refuses what must not be touched — an unknown job, a damaged journal (with the journal's own error),
 * a kind this version cannot run — says so for a finished job, and dispatches the rest by kind. Every resume is noted
 * in the journal first, which also takes the job's writer lock: two resumes of one job cannot run at once.
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JobState } from '../../../shared/journal/reduce'
import type { Signer } from '../../../shared/signing/Signer'
import { JournalError, type JournalStore } from '../journal/JournalStore'
import { ARBITRUM_ESCAPE_JOB_KIND } from './arbitrum/arbitrumEscapeJob'
import { continueArbitrumEscape } from './arbitrum/continueArbitrumEscape'
import type { JobPausedError } from './JobPausedError'

export interface ResumeJobParameters {
  store: JournalStore
  jobId: string
  /** Open the signer this run uses (the caller's choice, or the kind the job was created with). */
  openSigner(job: JobState): Promise<{ signer: Signer; release: () => Promise<void> }>
  /** Endpoints for jobs that did not save theirs. */
  l1Urls?: readonly string[]
  l2Url?: string
  wait: boolean
  pollMs?: number
  /** The command that continues this job (for the instructions of a stop). */
  resumeCommand: string
  /** One line for the journal note, e.g. "from the CLI, signer file, signed file x.json". */
  how?: string
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

export type ResumeJobReturnType =
  | { outcome: 'already-finished'; job: JobState }
  | { outcome: 'finished'; job: JobState; result: unknown }
  | { outcome: 'paused'; job: JobState; pause: JobPausedError }

export const RESUMABLE_JOB_KINDS = [ARBITRUM_ESCAPE_JOB_KIND] as const

export async function resumeJob(p: ResumeJobParameters): Promise<ResumeJobReturnType> {
  const loaded = await p.store.load(p.jobId)
  if (loaded.damaged) {
    // The store refuses to write to a damaged journal with its own error (what was set aside, what to do).
    await p.store.append(p.jobId, { type: 'note', text: 'Resume attempted on a damaged journal.' })
    throw new JournalError('This job\'s journal is damaged, so Escape Hatch will not act on it.', { kind: 'user-action' })
  }
  if (loaded.state.status !== 'active') return { outcome: 'already-finished', job: loaded.state }
  const kind = loaded.state.kind
  if (!(RESUMABLE_JOB_KINDS as readonly string[]).includes(kind)) {
    throw new EscapeError(`Job ${p.jobId} is of kind "${kind}", which this version of Escape Hatch cannot resume.`, {
      kind: 'user-action',
      steps: [`Resumable kinds: ${RESUMABLE_JOB_KINDS.join(', ')}. Use the version of Escape Hatch that created the job.`],
    })
  }
  await p.store.append(p.jobId, { type: 'note', text: `Resumed${p.how ? ` ${p.how}` : ''}.` })
  const { signer, release } = await p.openSigner(loaded.state)
  try {
    const run = await continueArbitrumEscape({
      store: p.store, jobId: p.jobId, l1Urls: p.l1Urls, l2Url: p.l2Url, signer, wait: p.wait, pollMs: p.pollMs, resumeCommand: p.resumeCommand, signal: p.signal, onProgress: p.onProgress,
    })
    const job = (await p.store.load(p.jobId)).state
    return run.outcome === 'finished' ? { outcome: 'finished', job, result: run.result } : { outcome: 'paused', job, pause: run.pause }
  } finally {
    await release()
  }
}
