/**
 * The OP Stack escape as a resumable journaled job (issue 12). The steps are in opEscapeJob.ts; the deps in
 * opEscapeDeps.ts. (Interface first: the steps land in the following commits.)
 */
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { runJob } from '../../jobs/runJob'
import type { OpEscapeDeps, OpEscapeResult } from './opEscapeDeps'
import { OP_ESCAPE_JOB_KIND, opEscapeParamsSchema } from './opEscapeJob'

export type { OpEscapeDeps, OpEscapeResult } from './opEscapeDeps'

export async function runOpEscape(jobId: string, deps: OpEscapeDeps): Promise<OpEscapeResult> {
  return runJob({
    store: deps.store,
    jobId,
    kind: OP_ESCAPE_JOB_KIND,
    signal: deps.signal,
    failureMessage: 'The OP Stack escape stopped.',
    summarize: (r) => `${r.withdrawals.length} withdrawal(s) finalized.`,
    async body(run) {
      opEscapeParamsSchema.parse((await run.state()).params)
      throw new EscapeError('The OP Stack escape steps are not built in this version yet.', { kind: 'user-action' })
    },
  })
}
