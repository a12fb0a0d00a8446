/**
 * Worker-thread entry for heavy rebuilds (STYLE.md: heavy work off the main thread). The main process or the CLI
 * calls `runRebuildInWorker(job)`; the worker opens the persistent state, executes the block inputs from a JSON-lines
 * file on top of the last checkpoint and reports progress. Errors cross back serialized, and are rebuilt by name.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { isMainThread, parentPort, type Worker, workerData } from 'node:worker_threads'
import { deserializeError, serializeError, type SerializedError } from '../../../shared/errors/EscapeError'
import { parseRollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { parsePayloadAttributes } from '../../../shared/rollups/op-stack/execute/parseExecutorVector'
import { parseGenesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import type { PayloadAttributes } from '../../../shared/rollups/op-stack/execute/executeBlock'
import { readUserTextFile } from '../files/readUserFile'
import { spawnModuleWorker } from '../processes/spawnModuleWorker'
import { createExecutionKzg } from './createExecutionKzg'
import { FileStateStore } from './FileStateStore'
import { rebuildState } from './rebuildState'
// Loaded for their registerErrorClass side effects, so errors from the worker come back as the right classes.
import '../../../shared/rollups/op-stack/execute/errors'
import './FileStateStore'

export interface RebuildJob {
  stateDir: string
  /** rollup.json (or op-chain-config/v1). */
  configPath: string
  /** Genesis JSON (used only when the state directory is new). */
  genesisPath: string
  /** JSON lines: {"number": "<decimal>", "attributes": {...payload attributes...}} in block order. */
  blocksPath: string
  checkpointEvery?: number
}

export interface RebuildResult {
  blockNumber: string
  blockHash: string
  stateRoot: string
}

type WorkerMessage = { type: 'progress'; blockNumber: string; blockHash: string } | { type: 'done'; result: RebuildResult } | { type: 'error'; error: SerializedError }

export function runRebuildInWorker(job: RebuildJob, onProgress?: (p: { blockNumber: bigint; blockHash: string }) => void): Promise<RebuildResult> {
  return new Promise((resolve, reject) => {
    const worker = spawnSelf(job)
    let settled = false
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.({ blockNumber: BigInt(m.blockNumber), blockHash: m.blockHash })
      else if (m.type === 'done') {
        settled = true
        resolve(m.result)
      } else {
        settled = true
        reject(deserializeError(m.error))
      }
    })
    worker.on('error', (e) => {
      settled = true
      reject(e)
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`rebuild worker exited with code ${code}`))
    })
  })
}

function spawnSelf(job: RebuildJob): Worker {
  return spawnModuleWorker(import.meta.url, job)
}

async function* readBlocks(path: string): AsyncGenerator<{ number: bigint; attributes: PayloadAttributes }> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.trim() === '') continue
    const entry = JSON.parse(line) as { number: string; attributes: unknown }
    const number = BigInt(entry.number)
    yield { number, attributes: parsePayloadAttributes(entry.attributes, number) }
  }
}

async function workerMain(job: RebuildJob): Promise<void> {
  const store = FileStateStore.open(job.stateDir)
  try {
    const config = parseRollupConfig(JSON.parse(await readUserTextFile(job.configPath, { what: 'rollup config', maxBytes: 1024 * 1024 })))
    const genesis = parseGenesis(JSON.parse(await readUserTextFile(job.genesisPath, { what: 'genesis file', maxBytes: 512 * 1024 * 1024 })))
    const head = await rebuildState({
      store,
      config,
      genesis,
      blocks: readBlocks(job.blocksPath),
      kzg: createExecutionKzg(),
      ...(job.checkpointEvery === undefined ? {} : { checkpointEvery: job.checkpointEvery }),
      onBlock: (h) => parentPort!.postMessage({ type: 'progress', blockNumber: h.number.toString(), blockHash: h.hash } satisfies WorkerMessage),
    })
    parentPort!.postMessage({ type: 'done', result: { blockNumber: head.number.toString(), blockHash: head.hash!, stateRoot: head.stateRoot } } satisfies WorkerMessage)
  } finally {
    store.close()
  }
}

if (!isMainThread && parentPort && (workerData as RebuildJob | undefined)?.blocksPath) {
  workerMain(workerData as RebuildJob).catch((e: unknown) => parentPort!.postMessage({ type: 'error', error: serializeError(e) } satisfies WorkerMessage))
}
