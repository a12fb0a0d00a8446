import type { InvokeRequest } from '../../../../shared/ipc/contract'
import { toJobDetailView, type JobDetailView } from '../../../../shared/ipc/jobSchemas'
import { describeProblem, type JournalStore } from '../../journal/JournalStore'

export function createGetJob(store: Pick<JournalStore, 'load'>): (request: InvokeRequest<'getJob'>) => Promise<JobDetailView> {
  return async ({ jobId }) => {
    const loaded = await store.load(jobId)
    return toJobDetailView(loaded.state, { problems: loaded.problems.map(describeProblem), damaged: loaded.damaged })
  }
}
