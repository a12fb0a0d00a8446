/**
 * The one run registry (issue 11 item 6) for everything that runs in this process on the user's behalf: drills, OP
 * rebuilds, escapes. A run has a key (a job id, or 'drill' / 'op-derive' for the one-at-a-time kinds) and a run id.
 *
 * - Single flight per key: a second start while one runs is refused with the caller's error.
 * - Cancel goes through the run's AbortSignal; `idle`/`stop` wait for the run to end; a run that throws past its own
 *   handler never leaves the key taken.
 * - Across processes: with a lock folder, a started run holds `<key>.lock` containing its PID. A live holder in another
 *   process refuses the start; a lock whose process is gone (the app was killed mid-run) is detected by its PID,
 *   cleared, and reported to the new run as `interrupted`, so the caller can say plainly what happened to it.
 * - Progress: `publish(runId, update)` reaches every subscriber; a subscriber that throws is reported, never the run.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { releasePidLock, takePidLock } from '../processes/pidLock'

export interface RunInfo {
  key: string
  runId: string
  startedAt: string
  status: 'running' | 'cancelling'
}

export interface RunContext {
  runId: string
  startedAt: string
  signal: AbortSignal
  /** A run of this key in a process that is gone (killed) left its lock; it was cleared. */
  interrupted: { pid: number } | undefined
  /** Free the key now (before the run's last event goes out), so a start from that event's handler is accepted. */
  release(): void
}

export interface RunProgress {
  key: string
  runId: string
  update: unknown
}

export interface StartRunParameters {
  key: string
  /** Prefix of the run id, e.g. 'drill-run' → drill-run-2026-12-07T15-00-00-000Z-ab12cd. */
  idPrefix: string
  /** The error for a start while a run of this key is in progress (here, or in another live process). */
  alreadyRunning(existing: { startedAt?: string; pid?: number }): Error
  /** Called synchronously before `work` starts (set up the caller's snapshot). */
  onStart?(run: RunContext): void
  work(run: RunContext): Promise<void>
}

export interface RunRegistry {
  start(p: StartRunParameters): RunContext
  get(runId: string): RunInfo | undefined
  list(): RunInfo[]
  /** Ask a run to stop; false when no such run is in progress. */
  cancel(runId: string, reason: Error): boolean
  subscribe(listener: (progress: RunProgress) => void): () => void
  publish(runId: string, update: unknown): void
  /** Resolves when no run of `key` (of any key when omitted) is in progress. */
  idle(key?: string): Promise<void>
  /** Cancel the runs of `key` (all when omitted) and wait until they have ended. */
  stop(reason: Error, key?: string): Promise<void>
}

export interface CreateRunRegistryParameters {
  /** Where run locks are kept (cross-process single flight, stale-lock detection). Without it, in-process only. */
  lockDir?: string
  now?: () => Date
  onUnexpectedError?(error: unknown, where: string): void
}

interface ActiveRun extends RunInfo {
  controller: AbortController
  done: Promise<void>
}

export function createRunRegistry({ lockDir, now = () => new Date(), onUnexpectedError = () => {} }: CreateRunRegistryParameters = {}): RunRegistry {
  const byKey = new Map<string, ActiveRun>()
  const listeners = new Set<(progress: RunProgress) => void>()
  const byId = (runId: string) => [...byKey.values()].find((r) => r.runId === runId)

  return {
    start(p) {
      const existing = byKey.get(p.key)
      if (existing) throw p.alreadyRunning({ startedAt: existing.startedAt })
      const interrupted = lockDir ? takeRunLock(lockDir, p.key, p.alreadyRunning) : undefined
      const startedAt = now().toISOString()
      const runId = `${p.idPrefix}-${startedAt.replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`
      const controller = new AbortController()
      const active: ActiveRun = { key: p.key, runId, startedAt, status: 'running', controller, done: Promise.resolve() }
      let released = false
      const finish = () => {
        if (released) return
        released = true
        if (byKey.get(p.key) === active) byKey.delete(p.key)
        if (lockDir) releaseRunLock(lockDir, p.key)
      }
      const ctx: RunContext = { runId, startedAt, signal: controller.signal, interrupted, release: finish }
      byKey.set(p.key, active)
      try {
        p.onStart?.(ctx)
      } catch (error) {
        finish()
        throw error
      }
      active.done = p
        .work(ctx)
        .catch((error: unknown) => onUnexpectedError(error, `run ${p.key}`)) // the caller handles its run's failures; this is a bug
        .finally(finish)
      return ctx
    },

    get(runId) {
      const r = byId(runId)
      return r ? info(r) : undefined
    },

    list: () => [...byKey.values()].map(info),

    cancel(runId, reason) {
      const r = byId(runId)
      if (!r) return false
      r.status = 'cancelling'
      r.controller.abort(reason)
      return true
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    publish(runId, update) {
      const r = byId(runId)
      if (!r) return
      for (const listener of listeners) {
        try {
          listener({ key: r.key, runId, update })
        } catch (error) {
          onUnexpectedError(error, `run ${r.key} progress`)
        }
      }
    },

    async idle(key) {
      const runs = key === undefined ? [...byKey.values()] : [byKey.get(key)].filter((r) => r !== undefined)
      await Promise.all(runs.map((r) => r.done))
    },

    async stop(reason, key) {
      const runs = key === undefined ? [...byKey.values()] : [byKey.get(key)].filter((r) => r !== undefined)
      for (const r of runs) {
        r.status = 'cancelling'
        r.controller.abort(reason)
      }
      await Promise.all(runs.map((r) => r.done))
    },
  }
}

function info(r: ActiveRun): RunInfo {
  return { key: r.key, runId: r.runId, startedAt: r.startedAt, status: r.status }
}

function lockFile(dir: string, key: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,80}$/.test(key)) throw new EscapeError(`"${key}" is not a run key.`, { details: 'expected lowercase letters, digits and dashes' })
  return path.join(dir, `${key}.lock`)
}

/** Take the cross-process lock of `key`; returns the PID of a dead holder whose lock was cleared. */
function takeRunLock(dir: string, key: string, alreadyRunning: StartRunParameters['alreadyRunning']): { pid: number } | undefined {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const taken = takePidLock(lockFile(dir, key))
  if (!taken.taken) throw alreadyRunning(taken.holder > 0 ? { pid: taken.holder } : {})
  // A cleared holder was killed: its run cannot be going on (a drill says it restarts from the beginning).
  return taken.clearedDeadHolder === undefined ? undefined : { pid: taken.clearedDeadHolder }
}

function releaseRunLock(dir: string, key: string): void {
  releasePidLock(lockFile(dir, key))
}
