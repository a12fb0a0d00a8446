/**
 * A job that stops on purpose: the next step needs a long wait (a force-inclusion delay of about a day, a BoLD confirm
 * period of about 6.4 days) or the user (carry a file to the offline signer). This is not a failure: a flow that
 * catches it journals no `step.failed`, the job stays active, and `escape-hatch jobs resume` continues it from the
 * journal. `until` says when a resume makes sense (an L1 block and its estimated time), when that is known.
 * It lives with the journal, below the flows and the signers: the air-gapped file signer pauses a job with it.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'

export type PauseReason = 'deadline' | 'confirmation' | 'signature'

export interface PauseUntil {
  /** The L1 block from which resuming can make progress. */
  l1Block?: bigint
  /** Its estimated wall-clock time (the L1's measured block time from the current head); an estimate, never a promise. */
  estimatedAt?: Date
}

export interface JobPausedErrorOptions extends Omit<EscapeErrorOptions, 'kind'> {
  reason: PauseReason
  until?: PauseUntil
  /** Files the user has to act on (the exported unsigned transaction). */
  files?: readonly string[]
}

export class JobPausedError extends EscapeError {
  override name = 'JobPausedError'
  readonly reason: PauseReason
  readonly until: PauseUntil | undefined
  readonly files: readonly string[]

  constructor(shortMessage: string, options: JobPausedErrorOptions) {
    super(shortMessage, { ...options, kind: 'user-action' })
    this.reason = options.reason
    this.until = options.until
    this.files = options.files ?? []
  }
}
registerErrorClass('JobPausedError', JobPausedError)

/** Anything that stops a run without being its fault: a planned pause, or the user interrupting (Ctrl-C). */
export function isPlannedStop(error: unknown, signal?: AbortSignal): boolean {
  return error instanceof JobPausedError || signal?.aborted === true
}
