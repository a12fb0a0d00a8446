/**
 * Read model of the escapes main runs: per job, whether a run is going on (escapeRunChanged) and the flow's recent
 * progress lines (escapeProgress). The journal itself reaches the window through jobChanged / getJob.
 */
import { create } from 'zustand'
import type { EscapeRunStateView } from '../../../shared/ipc/escapeSchemas'

const MAX_LINES = 200

export interface ProgressLine {
  at: string
  message: string
}

export interface EscapeRunState {
  runs: Record<string, EscapeRunStateView>
  progress: Record<string, ProgressLine[]>
  setRun(run: EscapeRunStateView): void
  addProgress(jobId: string, line: ProgressLine): void
  clearProgress(jobId: string): void
}

export const useEscapeRunStore = create<EscapeRunState>()((set) => ({
  runs: {},
  progress: {},
  setRun: (run) => set((s) => ({ runs: { ...s.runs, [run.jobId]: run } })),
  addProgress: (jobId, line) => set((s) => ({ progress: { ...s.progress, [jobId]: [...(s.progress[jobId] ?? []), line].slice(-MAX_LINES) } })),
  clearProgress: (jobId) => set((s) => ({ progress: { ...s.progress, [jobId]: [] } })),
}))
