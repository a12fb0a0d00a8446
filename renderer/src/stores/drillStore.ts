/**
 * Read model of the drill: the current (or last) run as main reports it, fed by `drillProgress` events and re-read
 * with `getDrillStatus` whenever an event does not follow the last one seen (a gap, another run), and the drills kept
 * in the drills folder. The drill itself runs in main; nothing here decides anything about it.
 *
 * Actions (start, cancel, save) report their failures to the app's error panel, with the error's own next steps.
 */
import { create } from 'zustand'
// Registers the drill error classes, so refusals arrive as themselves (instanceof, kind) in this window.
import '../../../shared/ipc/drillErrors'
import {
  applyDrillProgress,
  type DrillFinishedEvent,
  type DrillProgressEvent,
  type DrillRunView,
  type PastDrillView,
  type ReportDestination,
  type StartDrillRequest,
} from '../../../shared/ipc/drillSchemas'
import { invoke } from '../bridge'
import { useErrorStore } from './errorStore'
import { mirrorRun } from './mirrorRun'

export interface DrillState {
  /** Reading the run from main. */
  status: 'idle' | 'loading' | 'ready' | 'failed'
  run: DrillRunView | undefined
  past: { status: 'idle' | 'loading' | 'ready' | 'failed'; drills: PastDrillView[]; truncated: boolean }
  /** An action waiting for main's answer (controls show it and do not send it twice). */
  pending: 'start' | 'cancel' | 'save' | undefined
  /** Reports saved in this window, by drill id (or run id). */
  saved: Record<string, { path: string; bytes: number }>
  /** Read the run and the drills list (the Drill screen calls this when it opens). */
  load(): Promise<void>
  refreshPast(): Promise<void>
  /** Start the drill the user chose (stack, scenario, batch mode). */
  start(request: StartDrillRequest): Promise<boolean>
  cancel(): Promise<void>
  /** Save a drill's report: into the reports folder, where the user picks in the save dialog, or at a typed path. */
  saveReport(drillId: string, to?: ReportDestination): Promise<void>
  applyProgress(event: DrillProgressEvent): void
  applyFinished(event: DrillFinishedEvent): void
}

export const useDrillStore = create<DrillState>()((set, get) => {
  const report = (error: unknown, context: string) => useErrorStore.getState().report(error, context)

  const { takeSnapshot, resync } = mirrorRun<DrillRunView, DrillState>(
    set,
    async () => (await invoke('getDrillStatus')).run,
    (error) => report(error, 'Reading the drill’s progress'),
  )

  return {
    status: 'idle',
    run: undefined,
    past: { status: 'idle', drills: [], truncated: false },
    pending: undefined,
    saved: {},

    async load() {
      if (get().status === 'idle') set({ status: 'loading' })
      await Promise.all([
        invoke('getDrillStatus').then(
          ({ run }) => takeSnapshot(run),
          (error: unknown) => {
            set((state) => ({ status: state.run ? state.status : 'failed' }))
            report(error, 'Reading the drill’s progress')
          },
        ),
        get().refreshPast(),
      ])
    },

    async refreshPast() {
      set((state) => ({ past: { ...state.past, status: state.past.status === 'ready' ? 'ready' : 'loading' } }))
      try {
        const { drills, truncated } = await invoke('listDrills')
        set({ past: { status: 'ready', drills, truncated } })
      } catch (error) {
        set((state) => ({ past: { ...state.past, status: 'failed' } }))
        report(error, 'Listing past drills')
      }
    },

    async start(request) {
      if (get().pending) return false
      set({ pending: 'start' })
      try {
        await invoke('startDrill', request)
        // The events of the new run may have arrived before this answer; the snapshot settles it either way.
        await resync()
        return true
      } catch (error) {
        report(error, 'Starting the drill')
        return false
      } finally {
        set({ pending: undefined })
      }
    },

    async cancel() {
      const run = get().run
      if (!run || get().pending === 'cancel') return
      set({ pending: 'cancel' })
      try {
        const { status } = await invoke('cancelDrill', { runId: run.runId })
        if (status !== 'unknown') set((state) => (state.run?.runId === run.runId && state.run.status === 'running' ? { run: { ...state.run, status } } : {}))
      } catch (error) {
        report(error, 'Cancelling the drill')
      } finally {
        set({ pending: undefined })
      }
    },

    async saveReport(drillId, to) {
      if (get().pending) return
      set({ pending: 'save' })
      try {
        const saved = await invoke('saveDrillReport', to ? { drillId, to } : { drillId })
        // A closed save dialog wrote nothing: what was shown before stays.
        if ('path' in saved) set((state) => ({ saved: { ...state.saved, [drillId]: saved } }))
      } catch (error) {
        report(error, 'Saving the drill report')
      } finally {
        set({ pending: undefined })
      }
    },

    applyProgress(event) {
      const run = get().run
      if (run && run.runId === event.runId && event.seq <= run.seq) return // already folded in (a snapshot was newer)
      if (!run || run.runId !== event.runId || event.seq !== run.seq + 1) {
        void resync()
        return
      }
      set({ run: applyDrillProgress(run, event) })
    },

    applyFinished(_event) {
      // The event carries the summary; the full report (checks' details, hashes, roots) is in the snapshot.
      void resync()
      void get().refreshPast()
    },
  }
})
