/**
 * Read model of the escapes main runs: per job, whether a run is going on (escapeRunChanged) and the flow's recent
 * progress lines (escapeProgress). The journal itself reaches the window through jobChanged / getJob.
 */
import { create } from 'zustand'
import type { EscapeRunStateView, ProgressCounts } from '../../../shared/ipc/escapeSchemas'
import { addSample, type ProgressMeter } from '../progressEta'

const MAX_LINES = 200

export interface ProgressLine {
  at: string
  message: string
}

export interface EscapeRunState {
  runs: Record<string, EscapeRunStateView>
  progress: Record<string, ProgressLine[]>
  /** The counted progress of the step running now (for its bar and ETA), if it reports counts. */
  meters: Record<string, ProgressMeter | undefined>
  setRun(run: EscapeRunStateView): void
  addProgress(jobId: string, line: ProgressLine & { counts?: ProgressCounts }): void
  clearProgress(jobId: string): void
}

export const useEscapeRunStore = create<EscapeRunState>()((set) => ({
  runs: {},
  progress: {},
  meters: {},
  // A run that ends leaves no bar behind: a stopped step's last count is not progress going on.
  setRun: (run) => set((s) => ({ runs: { ...s.runs, [run.jobId]: run }, ...(run.running ? {} : { meters: { ...s.meters, [run.jobId]: undefined } }) })),
  addProgress: (jobId, { counts, ...line }) =>
    set((s) => ({
      progress: { ...s.progress, [jobId]: [...(s.progress[jobId] ?? []), line].slice(-MAX_LINES) },
      ...(counts ? { meters: { ...s.meters, [jobId]: addSample(s.meters[jobId], counts, Date.parse(line.at)) } } : {}),
    })),
  clearProgress: (jobId) => set((s) => ({ progress: { ...s.progress, [jobId]: [] }, meters: { ...s.meters, [jobId]: undefined } })),
}))
