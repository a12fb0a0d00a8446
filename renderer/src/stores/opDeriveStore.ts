/**
 * Read model of the rebuild from L1: the current (or last) run as main reports it, fed by `opDeriveProgress` events
 * and re-read with `getOpDeriveStatus` whenever an event does not follow the last one seen (a gap, another run) and
 * when a run finishes (the result is in the snapshot, not in the event). The rebuild runs in main.
 *
 * The screen subscribes while it is open (`subscribe`), then reads the snapshot (`load`): events missed while it was
 * closed are covered by the snapshot, and the sequence numbers settle any race between the two.
 */
import { create } from 'zustand'
// Registers the rebuild's error classes, so refusals arrive as themselves (instanceof, kind) in this window.
import '../../../shared/ipc/opDeriveErrors'
import { applyOpDeriveProgress, type OpDeriveProgressEvent, type OpDeriveRunView, type StartOpDeriveRequest } from '../../../shared/ipc/opDeriveSchemas'
import { invoke, onEvent } from '../bridge'
import { useErrorStore } from './errorStore'
import { mirrorRun } from './mirrorRun'

export interface OpDeriveState {
  status: 'idle' | 'loading' | 'ready' | 'failed'
  run: OpDeriveRunView | undefined
  /** An action waiting for main's answer (controls show it and do not send it twice). */
  pending: 'start' | 'cancel' | undefined
  /** Listen to main's events; returns the unsubscribe function. */
  subscribe(): () => void
  load(): Promise<void>
  start(request: StartOpDeriveRequest): Promise<boolean>
  cancel(): Promise<void>
  applyProgress(event: OpDeriveProgressEvent): void
  applyFinished(): void
}

export const useOpDeriveStore = create<OpDeriveState>()((set, get) => {
  const report = (error: unknown, context: string) => useErrorStore.getState().report(error, context)

  const { takeSnapshot, resync } = mirrorRun<OpDeriveRunView, OpDeriveState>(
    set,
    async () => (await invoke('getOpDeriveStatus')).run,
    (error) => report(error, 'Reading the rebuild’s progress'),
  )

  return {
    status: 'idle',
    run: undefined,
    pending: undefined,

    subscribe() {
      const off = [
        onEvent('opDeriveProgress', (event) => get().applyProgress(event), (error) => report(error, 'Receiving the rebuild’s progress')),
        onEvent('opDeriveFinished', () => get().applyFinished(), (error) => report(error, 'Receiving the rebuild’s result')),
      ]
      return () => {
        for (const f of off) f()
      }
    },

    async load() {
      if (get().status === 'idle') set({ status: 'loading' })
      try {
        takeSnapshot((await invoke('getOpDeriveStatus')).run)
      } catch (error) {
        set((state) => ({ status: state.run ? state.status : 'failed' }))
        report(error, 'Reading the rebuild’s progress')
      }
    },

    async start(request) {
      if (get().pending) return false
      set({ pending: 'start' })
      try {
        await invoke('startOpDerive', request)
        // The run's events may have arrived before this answer; the snapshot settles it either way.
        await resync()
        return true
      } catch (error) {
        report(error, 'Starting the rebuild from L1')
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
        const { status } = await invoke('cancelOpDerive', { runId: run.runId })
        if (status !== 'unknown') set((state) => (state.run?.runId === run.runId && state.run.status === 'running' ? { run: { ...state.run, status } } : {}))
      } catch (error) {
        report(error, 'Cancelling the rebuild')
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
      set({ run: applyOpDeriveProgress(run, event) })
    },

    applyFinished() {
      // The event carries counts; the result (blocks, transactions) is in the snapshot.
      void resync()
    },
  }
})
