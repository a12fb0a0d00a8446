/**
 * The job engine's runner (issue 11 item 6). A job is an ordered list of typed steps (defineStep); a run goes through
 * them in order, and for each one:
 *  - completed in the journal → its journaled result is decoded with the step's schema and returned (never re-run);
 *    a result that does not decode is a clear error that leaves the job as it is (resumable with the right version);
 *  - otherwise `step.started` is journaled (fsynced) before the work, `step.completed` with the encoded result after;
 *  - a planned stop (JobPausedError: a long wait, an offline signature) journals `step.waiting` with its reason and
 *    until when — the job is reported paused, not in progress — and the user's Ctrl-C journals nothing;
 *  - any other error journals `step.failed`; the job ends (`job.finished` failed) only by the failure rule
 *    (classifyFailure.ts): an RPC error, a timeout, a node that is down or a bug leaves it resumable.
 * Side effects inside a step (signing, broadcasting) go through the broadcaster, which journals before it sends.
 */
import { z } from 'zod'
import { EscapeError, serializeError } from '../../../shared/errors/EscapeError'
import type { JsonValue } from '../../../shared/journal/records'
import type { JobState } from '../../../shared/journal/reduce'
import { describeIssues } from '../../../shared/ipc/wire'
import type { BroadcastJournal } from '../journal/journalPort'
import { isPlannedStop, JobPausedError } from '../journal/JobPausedError'
import { endsJob, toStepError, type JobFailureRule } from './classifyFailure'
import type { StepDefinition, StepResult } from './defineStep'
import { decodeResult } from './readStepResult'

export interface RunJobParameters<R> extends JobFailureRule {
  store: BroadcastJournal
  jobId: string
  /** The job kind this runner handles; another kind is refused before anything is written. */
  kind?: string
  signal?: AbortSignal
  /** The steps, in order, through the run's `step`; returns the job's typed result. */
  body(run: JobRun): Promise<R>
  /** The `job.finished` summary of a success. */
  summarize(result: R): string
  /** The fallback message of an unexpected error. */
  failureMessage: string
}

export async function runJob<R>(p: RunJobParameters<R>): Promise<R> {
  const { state } = await p.store.load(p.jobId)
  if (state.status !== 'active') throw new EscapeError(`This job is already ${state.status}.`, { kind: 'user-action' })
  if (p.kind !== undefined && state.kind !== p.kind) throw new EscapeError(`Job ${p.jobId} is a "${state.kind}" job, not "${p.kind}".`, { kind: 'user-action' })
  const run = new JobRun(p.jobId, p.store, p.signal)
  try {
    const result = await p.body(run)
    await p.store.append(p.jobId, { type: 'job.finished', outcome: 'succeeded', summary: p.summarize(result) })
    return result
  } catch (error) {
    if (isPlannedStop(error, p.signal)) throw error
    const e = toStepError(error, p.failureMessage)
    if (endsJob(error, p)) await p.store.append(p.jobId, { type: 'job.finished', outcome: 'failed', summary: e.shortMessage }).catch(() => undefined)
    throw e
  }
}

export class JobRun {
  constructor(
    readonly jobId: string,
    private readonly store: BroadcastJournal,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async state(): Promise<JobState> {
    return (await this.store.load(this.jobId)).state
  }

  /** Run a step once (see the top of this file); returns its typed result. */
  async step<D extends StepDefinition>(def: D, work: () => Promise<StepResult<D>>): Promise<StepResult<D>> {
    const current = (await this.state()).steps.find((s) => s.name === def.name)
    if (current?.status === 'completed') return decodeResult(def, current.result, this.jobId)
    this.signal?.throwIfAborted()
    // A step resumed after a planned wait starts again, visibly: the job is no longer paused.
    if (current?.status !== 'started' || current.waiting) await this.store.append(this.jobId, { type: 'step.started', step: def.name })
    let value: StepResult<D>
    let result: JsonValue
    try {
      value = await work()
      result = encodeResult(def, value)
    } catch (error) {
      if (error instanceof JobPausedError) {
        await this.store.append(this.jobId, {
          type: 'step.waiting',
          step: def.name,
          wait: error.reason,
          reason: error.shortMessage.slice(0, 4000),
          ...(error.until?.estimatedAt ? { until: error.until.estimatedAt.toISOString() } : {}),
          ...(error.until?.l1Block !== undefined ? { l1Block: error.until.l1Block.toString() } : {}),
        })
        throw error
      }
      // The user's Ctrl-C is not a failure of the step: it stays started and a resume continues it.
      if (isPlannedStop(error, this.signal)) throw error
      const e = toStepError(error, `The step "${def.name}" failed.`)
      await this.store.append(this.jobId, { type: 'step.failed', step: def.name, error: serializeError(e) }).catch(() => undefined)
      throw e
    }
    await this.store.append(this.jobId, { type: 'step.completed', step: def.name, result })
    // What later steps see is what a resumed run would read back from the journal.
    return decodeResult(def, result, this.jobId)
  }
}

function encodeResult<D extends StepDefinition>(def: D, value: StepResult<D>): JsonValue {
  const encoded = z.safeEncode(def.result, value as never)
  if (encoded.success) return encoded.data as JsonValue
  // A bug, not a fact about the job: 'user-action' keeps the job resumable once fixed.
  throw new EscapeError(`The step "${def.name}" produced a result that does not match its schema.`, {
    kind: 'user-action',
    steps: ['This is a bug in Escape Hatch; nothing was journaled for this step. Export the job report and send it to support.'],
    details: describeIssues(encoded.error).join('; '),
  })
}
