/**
 * Rebuilds an OP Stack chain from L1 for the window: one run at a time, in this process (Electron main or the
 * bridge), cancellable, with throttled progress events and a bounded result. A thin layer over runOpDerivation, which
 * does exactly what `escape-hatch op derive` does. Read-only: nothing is signed or sent.
 *
 * The snapshot (`status`) and the events never disagree: every progress event is folded into the snapshot first.
 */
import { randomBytes } from 'node:crypto'
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
import { cacheDir as cacheDirOf } from '../paths'
import { resolveOpDeriveRollup } from '../networks/resolveOpDeriveRollup'
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
}

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
}: CreateOpDeriveServiceParameters): OpDeriveService {
  let run: OpDeriveRunView | undefined
  let active: { runId: string; controller: AbortController; done: Promise<void> } | undefined

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
  }

  const execute = async (runId: string, request: StartOpDeriveRequest, controller: AbortController): Promise<void> => {
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
        signal: controller.signal,
        onProgress: (progress) => throttle.push(progress),
      })
    } catch (failure) {
      if (controller.signal.aborted) error = boundError(serializeError(new OpDeriveCancelledError()))
      else {
        const escape = toEscapeError(failure, 'The rebuild from L1 stopped unexpectedly.', {
          steps: ['Try again. If it fails again, run `npx escape-hatch op derive` from a terminal to see more, and report the details below.'],
        })
        if (escape !== failure) onUnexpectedError(failure, 'op derive')
        error = boundError(serializeError(escape))
      }
    }
    throttle.flush()
    const status = result ? 'completed' : controller.signal.aborted ? 'cancelled' : 'failed'
    if (run?.runId === runId) run = { ...run, finishedAt: now().toISOString(), ...(result ? { result } : {}), ...(error ? { error } : {}) }
    emit(runId, { status })
    if (active?.runId === runId) active = undefined
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
      if (active && run) throw new OpDeriveAlreadyRunningError(run.startedAt)
      const startedAt = now().toISOString()
      const runId = `op-derive-${startedAt.replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`
      run = {
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
      const controller = new AbortController()
      const current: NonNullable<typeof active> = { runId, controller, done: Promise.resolve() }
      active = current
      current.done = execute(runId, request, controller).catch((error: unknown) => {
        // execute handles derivation failures; reaching here is a bug in this file. Never leave the service stuck.
        onUnexpectedError(error, 'op derive service')
        if (active === current) active = undefined
      })
      return { runId, startedAt }
    },

    cancel(runId) {
      if (!run || run.runId !== runId) return { status: 'unknown' }
      if (active?.runId === runId && run.status === 'running') {
        active.controller.abort(new OpDeriveCancelledError())
        emit(runId, { status: 'cancelling' })
      }
      return { status: run.status }
    },

    status: () => ({ run }),

    idle: async () => {
      await active?.done
    },

    async stop() {
      if (!active) return
      active.controller.abort(new OpDeriveCancelledError())
      await active.done
    },
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
