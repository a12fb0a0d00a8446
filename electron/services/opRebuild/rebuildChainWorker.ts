/**
 * A full OP rebuild (rebuildChain) on a worker thread, so the process that hosts the app's IPC or the CLI's signal
 * handling stays responsive while blocks execute. The worker opens the L1 endpoints itself (URLs cross in memory,
 * never to disk), reports throttled progress, and either finishes, fails (the error crosses back by class), is
 * stopped (abort: it ends at a clean point) or is killed (terminate: like a crash — the next run resumes from the
 * last checkpoint on disk).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { deserializeError, serializeError, type SerializedError } from '../../../shared/errors/EscapeError'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { parseGenesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import { createBeaconBlobSource } from '../blobs/createBeaconBlobSource'
import { readUserTextFile } from '../files/readUserFile'
import { loadKzg } from '../kzg'
import { createNodeDecompressor } from '../l1/createNodeDecompressor'
import { createViemL1Source } from '../l1/createViemL1Source'
import { spawnModuleWorker } from '../processes/spawnModuleWorker'
import { createExecutionKzg } from '../state/createExecutionKzg'
import { rebuildChain, type RebuildChainProgress, type RebuildChainResult } from './rebuildChain'
// Loaded for their registerErrorClass side effects, so errors from the worker come back as the right classes.
import '../../../shared/rollups/op-stack/execute/errors'
import '../../../shared/rollups/op-stack/derive/start/errors'
import '../state/FileStateStore'

export interface ChainRebuildJob {
  stateDir: string
  config: RollupConfig
  genesisPath: string
  l1RpcUrls: string[]
  beaconUrl?: string
  toL1Block: number
  checkpointEvery?: number
  /** Progress messages at most this often (default 250 ms). */
  progressIntervalMs?: number
}

export interface ChainRebuildHandle {
  readonly result: Promise<RebuildChainResult>
  /** Ask the rebuild to stop at its next block (it rejects with the abort); the checkpoint on disk stays valid. */
  stop(): void
  /** End the thread now, as a crash would. Resolves when the thread is gone. */
  kill(): Promise<void>
  readonly threadId: number
}

type ToWorker = { type: 'stop' }
type FromWorker = { type: 'progress'; progress: RebuildChainProgress } | { type: 'done'; result: RebuildChainResult } | { type: 'error'; error: SerializedError }

export function startChainRebuildInWorker(job: ChainRebuildJob, onProgress?: (p: RebuildChainProgress) => void): ChainRebuildHandle {
  const worker = spawnModuleWorker(import.meta.url, job)
  let killed = false
  const result = new Promise<RebuildChainResult>((resolve, reject) => {
    let settled = false
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') return onProgress?.(m.progress)
      settled = true
      // The thread has nothing left to do but its message listener keeps it (and so the process) alive: end it.
      void worker.terminate()
      if (m.type === 'done') resolve(m.result)
      else reject(deserializeError(m.error))
    })
    worker.on('error', (e) => {
      settled = true
      reject(e)
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(killed ? 'the rebuild worker was killed' : `the rebuild worker exited with code ${code}`))
    })
  })
  result.catch(() => undefined) // the caller observes it; never an unhandled rejection after kill()
  return {
    result,
    threadId: worker.threadId,
    stop: () => worker.postMessage({ type: 'stop' } satisfies ToWorker),
    kill: async () => {
      killed = true
      await worker.terminate()
    },
  }
}

async function workerMain(job: ChainRebuildJob): Promise<void> {
  const ac = new AbortController()
  parentPort!.on('message', (m: ToWorker) => {
    if (m.type === 'stop') ac.abort()
  })
  const genesis = parseGenesis(JSON.parse(await readUserTextFile(job.genesisPath, { what: 'genesis file', maxBytes: 512 * 1024 * 1024 })))
  const every = job.progressIntervalMs ?? 250
  let lastSent = 0
  const result = await rebuildChain({
    stateDir: job.stateDir,
    config: job.config,
    genesis,
    l1: createViemL1Source({ rpcUrls: job.l1RpcUrls }),
    ...(job.beaconUrl ? { blobs: createBeaconBlobSource({ kzg: loadKzg(), beaconUrl: job.beaconUrl }) } : {}),
    decompressor: createNodeDecompressor(),
    toL1Block: job.toL1Block,
    kzg: createExecutionKzg(),
    signal: ac.signal,
    ...(job.checkpointEvery === undefined ? {} : { checkpointEvery: job.checkpointEvery }),
    onProgress: (progress) => {
      const now = performance.now()
      if (progress.phase === 'rebuilding' && now - lastSent < every) return
      lastSent = now
      parentPort!.postMessage({ type: 'progress', progress } satisfies FromWorker)
    },
  })
  parentPort!.postMessage({ type: 'done', result } satisfies FromWorker)
}

if (!isMainThread && parentPort && (workerData as ChainRebuildJob | undefined)?.genesisPath && Array.isArray((workerData as ChainRebuildJob).l1RpcUrls)) {
  workerMain(workerData as ChainRebuildJob).catch((e: unknown) => parentPort!.postMessage({ type: 'error', error: serializeError(e) } satisfies FromWorker))
}
