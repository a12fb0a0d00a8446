/**
 * Read a step's journaled result back as its typed value (defineStep). A result the step's schema refuses is a clear
 * error that changes nothing: the journal stays as it is, and the job stays resumable by a version that reads it.
 */
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import { describeIssues } from '../../../shared/ipc/wire'
import type { JsonValue } from '../../../shared/journal/records'
import type { JobState } from '../../../shared/journal/reduce'
import type { StepDefinition, StepResult } from './defineStep'

/** A journaled step result that the step's schema refuses: the journal is intact, this version cannot read it. */
export class JournaledResultError extends EscapeError {
  override name = 'JournaledResultError'
}
registerErrorClass('JournaledResultError', JournaledResultError)

/** The typed result of `def` if the job completed it, else undefined. Throws JournaledResultError if it does not decode. */
export function readStepResult<D extends StepDefinition>(state: JobState, def: D): StepResult<D> | undefined {
  const step = state.steps.find((s) => s.name === def.name)
  if (step?.status !== 'completed') return undefined
  return decodeResult(def, step.result, state.id)
}

export function decodeResult<D extends StepDefinition>(def: D, json: JsonValue | undefined, jobId: string): StepResult<D> {
  const parsed = def.result.safeDecode(json as never)
  if (parsed.success) return parsed.data as StepResult<D>
  throw new JournaledResultError(`The journal of job ${jobId} has a result for step "${def.name}" that this version of Escape Hatch cannot read.`, {
    kind: 'user-action',
    steps: [
      'Nothing was changed and the job is kept as it is: continue it with the version of Escape Hatch that created it.',
      'If that does not help, export the job report (escape-hatch jobs export) and contact support.',
    ],
    details: describeIssues(parsed.error).join('; '),
  })
}

