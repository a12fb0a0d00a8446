/**
 * Rebuilds an OP Stack chain from L1 for the window: one run at a time, in this process (Electron main or the
 * bridge), cancellable, with throttled progress events and a bounded result. A thin layer over runOpDerivation, which
 * does exactly what `escape-hatch op derive` does. Read-only: nothing is signed or sent.
 *
 * The snapshot (`status`) and the events never disagree: every progress event is folded into the snapshot first.
 */
import { serializeError, toEscapeError, type SerializedError } from '../../../shared/errors/EscapeError'
import type { EventPayload } from '../../../shared/ipc/contract'
import { OpDeriveAlreadyRunningError, OpDeriveCancelledError } from '../../../shared/ipc/opDeriveErrors'
import {
  applyOpDeriveProgress,
  endpointLabel,
  type OpDeriveProgressView,
  type OpDeriveResultView,
  type OpDeriveRunView,
  type OpDeriveStatusView,
  type StartOpDeriveRequest,
} from '../../../shared/ipc/opDeriveSchemas'
import { cacheDir as cacheDirOf, runsDir } from '../paths'
import { resolveOpDeriveRollup } from '../networks/resolveOpDeriveRollup'
import { createRunRegistry, type RunRegistry } from '../jobs/createRunRegistry'
import { emptyOpDeriveProgress, runOpDerivation } from './runOpDerivation'
import { throttleLatest } from './throttleLatest'

type OpDeriveEventName = 'opDeriveProgress' | 'opDeriveFinished'

/** ~4 progress events a second: enough to see it move, little enough for a window on a slow machine. */
export const OP_DERIVE_PROGRESS_INTERVAL_MS = 250

export interface CreateOpDeriveServiceParameters {
  /** The data folder: finalized L1 data is cached under `<dataDir>/cache` (shared with the CLI). */
  dataDir: string
  /** Send an event to the windows (the IPC router's publish). */
  publish<E extends OpDeriveEventName>(event: E, payload: EventPayload<E>): void
  /** Bugs: a publish that failed, a failure that is not an EscapeError. */
  onUnexpectedError?(error: unknown, where: string): void
  now?: () => Date
  progressIntervalMs?: number
  /** The process's run registry (shared with drills and escapes); a private one when omitted. */
  runs?: RunRegistry
}

/** The registry key of rebuilds: one at a time per process, and across processes through its lock. */
export const OP_DERIVE_RUN_KEY = 'op-derive'

export interface OpDeriveService {
  /** Start a rebuild; throws OpDeriveAlreadyRunningError while one runs. Returns at once; progress comes as events. */
  start(request: StartOpDeriveRequest): { runId: string; startedAt: string }
  /** Ask the run to stop. A run that is not the current one is 'unknown'. */
  cancel(runId: string): { status: OpDeriveRunView['status'] | 'unknown' }
  /** The current run, or the last one since this process started. */
  status(): OpDeriveStatusView
  /** Resolves when no run is in progress. */
  idle(): Promise<void>
  /** Cancel a running rebuild and wait until it has stopped. */
  stop(): Promise<void>
}

export function createOpDeriveService({
  dataDir,
  publish,
  onUnexpectedError = () => {},
  now = () => new Date(),
  progressIntervalMs = OP_DERIVE_PROGRESS_INTERVAL_MS,
  runs: sharedRuns,
}: CreateOpDeriveServiceParameters): OpDeriveService {
  const runs = sharedRuns ?? createRunRegistry({ lockDir: runsDir(dataDir), now, onUnexpectedError })
  let run: OpDeriveRunView | undefined

  const safePublish = <E extends OpDeriveEventName>(event: E, payload: EventPayload<E>) => {
    try {
      publish(event, payload)
    } catch (error) {
      onUnexpectedError(error, `op derive event ${event}`)
    }
  }

  /** Fold the new state into the snapshot, then send it. */
  const emit = (runId: string, patch: { status?: OpDeriveRunView['status']; progress?: OpDeriveProgressView }) => {
    if (!run || run.runId !== runId) return
    const event = { runId, seq: run.seq + 1, status: patch.status ?? run.status, progress: patch.progress ?? run.progress }
    run = applyOpDeriveProgress(run, event)
    safePublish('opDeriveProgress', event)
    runs.publish(runId, event)
  }

  const execute = async (runId: string, request: StartOpDeriveRequest, signal: AbortSignal, release: () => void): Promise<void> => {
    const throttle = throttleLatest(progressIntervalMs, (progress: OpDeriveProgressView) => emit(runId, { progress }))
    let result: OpDeriveResultView | undefined
    let error: SerializedError | undefined
    try {
      const { config, label } = await resolveOpDeriveRollup(request.rollup, dataDir)
      if (run?.runId === runId) run = { ...run, request: { ...run.request, chain: label, l2ChainId: config.l2ChainId } }
      result = await runOpDerivation({
        request,
        config,
        cacheDir: cacheDirOf(dataDir),
        signal,
        onProgress: (progress) => throttle.push(progress),
      })
    } catch (failure) {
      if (signal.aborted) error = boundError(serializeError(new OpDeriveCancelledError()))
      else {
        const escape = toEscapeError(failure, 'The rebuild from L1 stopped unexpectedly.', {
          steps: ['Try again. If it fails again, run `npx escape-hatch op derive` from a terminal to see more, and report the details below.'],
        })
        if (escape !== failure) onUnexpectedError(failure, 'op derive')
        error = boundError(serializeError(escape))
      }
    }
    throttle.flush()
    const status = result ? 'completed' : signal.aborted ? 'cancelled' : 'failed'
    if (run?.runId === runId) run = { ...run, finishedAt: now().toISOString(), ...(result ? { result } : {}), ...(error ? { error } : {}) }
    emit(runId, { status })
    release()
    safePublish('opDeriveFinished', {
      runId,
      status,
      l2BlocksDerived: run?.progress.l2BlocksDerived ?? 0,
      highlightedTxs: run?.progress.highlightedTxs ?? 0,
      ...(error ? { error } : {}),
    })
  }

  return {
    start(request) {
      const { runId, startedAt } = runs.start({
        key: OP_DERIVE_RUN_KEY,
        idPrefix: 'op-derive',
        alreadyRunning: (other) =>
          new OpDeriveAlreadyRunningError(other.startedAt ?? run?.startedAt ?? `an unknown time, in another Escape Hatch window or command (process ${other.pid ?? 'unknown'})`),
        // A rebuild that was killed is not resumed: it starts again (finalized L1 data it fetched is in the cache).
        onStart: ({ runId, startedAt }) => (run = initialRun(runId, startedAt, request)),
        // execute handles derivation failures; the registry reports anything past it and frees the key.
        work: ({ runId, signal, release }) => execute(runId, request, signal, release),
      })
      return { runId, startedAt }
    },

    cancel(runId) {
      if (!run || run.runId !== runId) return { status: 'unknown' }
      if (run.status === 'running' && runs.cancel(runId, new OpDeriveCancelledError())) emit(runId, { status: 'cancelling' })
      return { status: run.status }
    },

    status: () => ({ run }),

    idle: () => runs.idle(OP_DERIVE_RUN_KEY),

    stop: () => runs.stop(new OpDeriveCancelledError(), OP_DERIVE_RUN_KEY),
  }
}

function initialRun(runId: string, startedAt: string, request: StartOpDeriveRequest): OpDeriveRunView {
  return {
    runId,
    status: 'running',
    startedAt,
    request: {
      chain: request.rollup.kind === 'network' ? request.rollup.network : (request.rollup.fileName ?? 'rollup.json'),
      start: request.start.kind,
      ...(request.start.kind === 'anchor' ? { l2Endpoint: endpointLabel(request.start.l2RpcUrl) } : {}),
      toL1Block: request.toL1Block,
      l1Endpoints: request.l1RpcUrls.map(endpointLabel),
      beacon: request.beaconUrl !== undefined,
      ...(request.highlightAddress ? { highlightAddress: request.highlightAddress } : {}),
    },
    seq: 0,
    progress: emptyOpDeriveProgress(),
  }
}

/**
 * An error as the IPC schema bounds it (wire.ts): RPC libraries put whole request bodies in their messages, and an
 * oversized error would be refused at the boundary instead of shown.
 */
function boundError(e: SerializedError, depth = 0): SerializedError {
  const clip = (t: string, max: number) => (t.length <= max ? t : `${t.slice(0, max - 1)}…`)
  return {
    name: clip(e.name, 200),
    shortMessage: clip(e.shortMessage, 4000),
    steps: e.steps.slice(0, 50).map((step) => clip(step, 4000)),
    kind: e.kind,
    ...(e.details !== undefined ? { details: clip(e.details, 20_000) } : {}),
    ...(e.cause && depth < 8 ? { cause: boundError(e.cause, depth + 1) } : {}),
  }
}
