/**
 * The part every "run in main, mirrored in the window" store shares (the drill, the rebuild from L1): take main's
 * snapshot of the run unless this window already folded in newer events of the same run, and re-read the snapshot
 * at most once at a time (a gap in the events, another run, or a finished run whose result is only in the snapshot).
 */
interface MirroredRun {
  runId: string
  seq: number
}

interface MirrorState<R extends MirroredRun> {
  status: 'idle' | 'loading' | 'ready' | 'failed'
  run: R | undefined
}

export interface RunMirror<R extends MirroredRun> {
  takeSnapshot(run: R | undefined): void
  /** Re-read main's snapshot; concurrent calls share one request. */
  resync(): Promise<void>
}

export function mirrorRun<R extends MirroredRun, S extends MirrorState<R>>(
  set: (update: (state: S) => Partial<S>) => void,
  readSnapshot: () => Promise<R | undefined>,
  onError: (error: unknown) => void,
): RunMirror<R> {
  const takeSnapshot = (run: R | undefined): void =>
    set((state) => {
      const mine = state.run
      if (run && mine && mine.runId === run.runId && mine.seq > run.seq) return { status: 'ready' } as Partial<S>
      return { status: 'ready', run } as Partial<S>
    })
  let resyncing: Promise<void> | undefined
  const resync = (): Promise<void> => {
    resyncing ??= readSnapshot()
      .then(takeSnapshot, onError)
      .finally(() => {
        resyncing = undefined
      })
    return resyncing
  }
  return { takeSnapshot, resync }
}
