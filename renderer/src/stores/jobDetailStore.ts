/** The job shown on the job screen, loaded with `getJob` and reloaded when main reports a change to it. */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { JobDetailView } from '../../../shared/ipc/jobSchemas'
import { invoke } from '../bridge'

export interface JobDetailState {
  jobId: string | undefined
  status: 'idle' | 'loading' | 'ready' | 'failed'
  job: JobDetailView | undefined
  error: EscapeError | undefined
  show(jobId: string): Promise<void>
  /** Reload if this job is the one on screen (called for `jobChanged`). */
  refreshIfShowing(jobId: string): Promise<void>
  clear(): void
}

// Each load gets a number; a response for an older one (the user moved on) is dropped.
let generation = 0

export const useJobDetailStore = create<JobDetailState>()((set, get) => {
  async function load(jobId: string, keepShowing: boolean): Promise<void> {
    const mine = ++generation
    set(keepShowing ? { jobId } : { jobId, status: 'loading', job: undefined, error: undefined })
    try {
      const job = await invoke('getJob', { jobId })
      if (mine === generation) set({ status: 'ready', job, error: undefined })
    } catch (error) {
      if (mine === generation) set({ status: 'failed', job: undefined, error: toEscapeError(error, 'This job could not be loaded.') })
    }
  }
  return {
    jobId: undefined,
    status: 'idle',
    job: undefined,
    error: undefined,
    show: (jobId) => load(jobId, false),
    refreshIfShowing: async (jobId) => {
      if (get().jobId === jobId && get().status !== 'loading') await load(jobId, true)
    },
    clear: () => {
      generation++
      set({ jobId: undefined, status: 'idle', job: undefined, error: undefined })
    },
  }
})
