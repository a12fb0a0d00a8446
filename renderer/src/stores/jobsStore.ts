/**
 * Read model of the jobs list: filled by `listJobs` at start and kept current by `jobChanged` events from main.
 * Nothing here decides anything about a job; it only mirrors what the journal says.
 */
import { create } from 'zustand'
import type { JobList } from '../../../shared/ipc/contract'
import type { JobSummaryView } from '../../../shared/ipc/jobSchemas'
import { compareJobsNewestFirst } from '../../../shared/journal/reduce'

export interface JobsState {
  status: 'loading' | 'ready' | 'failed'
  /** Most recently updated first. */
  jobs: JobSummaryView[]
  problems: JobList['problems']
  /** Replace the list with a fresh read, keeping any entry an event already made newer. */
  setList(list: JobList): void
  /** One job changed (or appeared). */
  upsert(job: JobSummaryView): void
  setFailed(): void
}

export const useJobsStore = create<JobsState>()((set) => ({
  status: 'loading',
  jobs: [],
  problems: [],
  setList: (list) =>
    set((state) => {
      const byId = new Map(list.jobs.map((job) => [job.id, job]))
      // The list may have been read just before an event we already applied: keep whichever is newer.
      for (const job of state.jobs) {
        const listed = byId.get(job.id)
        if (!listed || job.updatedAt > listed.updatedAt) byId.set(job.id, job)
      }
      return { status: 'ready', jobs: sortJobs([...byId.values()]), problems: list.problems }
    }),
  upsert: (job) =>
    set((state) => {
      const existing = state.jobs.find((j) => j.id === job.id)
      if (existing && existing.updatedAt > job.updatedAt) return {}
      return { jobs: sortJobs([...state.jobs.filter((j) => j.id !== job.id), job]) }
    }),
  setFailed: () => set({ status: 'failed' }),
}))

function sortJobs(jobs: JobSummaryView[]): JobSummaryView[] {
  return jobs.sort(compareJobsNewestFirst)
}
