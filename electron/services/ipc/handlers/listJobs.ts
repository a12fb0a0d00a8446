import type { JobList } from '../../../../shared/ipc/contract'
import { describeProblem, type JournalStore } from '../../journal/JournalStore'

export function createListJobs(store: Pick<JournalStore, 'list'>): () => Promise<JobList> {
  return async () => {
    const { jobs, problems } = await store.list()
    return { jobs, problems: problems.map((p) => ({ jobId: p.jobId, messages: p.problems.map(describeProblem) })) }
  }
}
