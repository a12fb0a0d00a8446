import type { InvokeRequest } from '../../../../shared/ipc/contract'
import { toJobDetailView, type JobDetailView } from '../../../../shared/ipc/jobSchemas'
import { describeProblem, type JournalStore } from '../../journal/JournalStore'
import { redactUrlsDeep } from '../../../../shared/errors/redactUrls'

export function createGetJob(store: Pick<JournalStore, 'load'>): (request: InvokeRequest<'getJob'>) => Promise<JobDetailView> {
  return async ({ jobId }) => {
    const loaded = await store.load(jobId)
    // What the window may show: every URL cut to its host (a journaled RPC error, or saved endpoints, may hold a key).
    return redactUrlsDeep(toJobDetailView(loaded.state, { problems: loaded.problems.map(describeProblem), damaged: loaded.damaged }))
  }
}
