/**
 * Re-execute a run of consecutive L2 blocks from a trusted anchor with data from an UNTRUSTED L2 node, and arrive at
 * our own state root, block hash and output root for the last block.
 *
 * Trust: the anchor (header + hash) is trusted by the caller (checked against an output root on L1, or computed by
 * our own rebuild). For each next block the node supplies the header it claims (hash and transactionsRoot re-checked),
 * and a witness whose every entry is keyed by its own hash; the block must name our previous block as its parent.
 * Execution then runs on state reached only through hashes our previous state root commits to, so the resulting state
 * root is ours, not the node's. If our block hash differs from the node's, the node's block is wrong (a lying node, or
 * a witness that hides state) and the replay stops naming the node. What the node CAN choose is the transaction list:
 * an output root reached this way says "the chain the node served, executed by us, reaches X"; comparing X with an
 * L1 root claim confirms or refutes that claim for the chain the node served (derivation from L1 pins the list).
 *
 * Throughput: the next blocks' data are fetched while the current one executes (a small bounded prefetch).
 */
import { hexToBytes, type Hex } from 'viem'
import { encodeHeader, type BlockHeader } from '../../../eth/header'
import type { AbortSignalLike } from '../../../l1/BlobSource'
import { EscapeError } from '../../../errors/EscapeError'
import type { RollupConfig } from '../config/rollupConfig'
import { UntrustedL2DataError } from '../derive/start/errors'
import type { UntrustedL2Block } from '../derive/start/L2BlockSource'
import { verifyL2Block, type VerifiedL2Block } from '../derive/start/verifyL2Block'
import { executeBlock, type ExecuteBlockParameters } from '../execute/executeBlock'
import { BlockExecutionError } from '../execute/errors'
import { loadFastKeccak256 } from '../../../trie/keccak'
import { createWitnessStore } from '../state/createWitnessStore'
import { attributesFromBlock } from './attributesFromBlock'
import { parseExecutionWitness } from './parseExecutionWitness'

/** What the replay reads from the untrusted node. */
export interface ReplaySource {
  /** Names the node in errors (host only). */
  readonly label: string
  blockByNumber(number: number, signal?: AbortSignalLike): Promise<UntrustedL2Block>
  /** The node's raw debug_executionWitness answer for this block (parsed and re-keyed here). */
  executionWitness(number: number, signal?: AbortSignalLike): Promise<unknown>
}

export interface ReplayProgress {
  /** The last block re-executed and matched. */
  head: bigint
  blocks: number
  transactions: number
  gasUsed: bigint
  elapsedMs: number
  /** Blocks still to go. */
  remaining: number
}

export interface ReplayRangeParameters {
  config: RollupConfig
  /** The trusted start: the parent of the first block re-executed. */
  anchor: VerifiedL2Block
  /** Last block to re-execute (inclusive). */
  toBlock: bigint
  source: ReplaySource
  kzg?: ExecuteBlockParameters['kzg']
  signal?: AbortSignalLike
  /** After each block (cheap: the caller throttles what it prints). */
  onProgress?(progress: ReplayProgress): void
  /** Blocks fetched ahead of execution (default 2, at most 8). */
  prefetch?: number
  /** Monotonic milliseconds (tests). */
  now?(): number
}

export interface ReplayRangeResult {
  head: { number: bigint; hash: Hex; stateRoot: Hex; header: BlockHeader }
  /** Output root v0 of the last block; undefined when its witness did not hold the message passer (pre-Isthmus). */
  outputRoot: Hex | undefined
  messagePasserStorageRoot: Hex | undefined
  blocks: number
  transactions: number
  gasUsed: bigint
  elapsedMs: number
}

/** Ancestor headers kept for BLOCKHASH (the EVM looks back at most 256 blocks). */
const BLOCKHASH_WINDOW = 256

export class ReplayRangeError extends EscapeError {
  override name = 'ReplayRangeError'
}

export async function replayRange(p: ReplayRangeParameters): Promise<ReplayRangeResult> {
  const { config, anchor, toBlock, source } = p
  const node = source.label
  const now = p.now ?? (() => Date.now())
  const first = anchor.header.number + 1n
  if (toBlock < first) {
    throw new ReplayRangeError(`Nothing to replay: block ${toBlock} is not after the start block ${anchor.header.number}.`, {
      kind: 'user-action',
      steps: ['Give a last block after the first one.'],
    })
  }
  const total = Number(toBlock - anchor.header.number)
  const ahead = Math.max(1, Math.min(8, p.prefetch ?? 2))
  const started = now()

  // Bounded prefetch: block n+1..n+ahead are requested while block n executes. Each fetch is awaited in order.
  const pending = new Map<bigint, Promise<{ block: UntrustedL2Block; witness: unknown }>>()
  let nextToFetch = first
  const fetchAhead = (upTo: bigint): void => {
    while (nextToFetch <= toBlock && nextToFetch <= upTo) {
      const n = Number(nextToFetch)
      const both = Promise.all([source.blockByNumber(n, p.signal), source.executionWitness(n, p.signal)]).then(([block, witness]) => ({ block, witness }))
      both.catch(() => undefined) // observed when awaited; never an unhandled rejection while waiting in the queue
      pending.set(nextToFetch, both)
      nextToFetch++
    }
  }

  // The witness's hash checks on the WebAssembly keccak (~8× @noble's), as the executor's own hashing.
  const keccak = await loadFastKeccak256()
  const recent: BlockHeader[] = [anchor.header]
  let parent: BlockHeader = { ...anchor.header, hash: anchor.hash }
  let blocks = 0
  let transactions = 0
  let gasUsed = 0n
  let last: Awaited<ReturnType<typeof executeBlock>> | undefined
  for (let n = first; n <= toBlock; n++) {
    if (p.signal?.aborted) throw new ReplayRangeError('The replay was stopped.', { kind: 'user-action', steps: ['Run it again to start over from the anchor.'] })
    fetchAhead(n + BigInt(ahead))
    const fetched = await (pending.get(n) as Promise<{ block: UntrustedL2Block; witness: unknown }>)
    pending.delete(n)
    if (fetched.block.header.number !== n) {
      throw new UntrustedL2DataError('malformed', `The L2 node answered block ${fetched.block.header.number} when asked for block ${n}.`, { node })
    }
    const block = verifyL2Block({ config, block: fetched.block, node })
    if (block.header.parentHash.toLowerCase() !== (parent.hash as Hex).toLowerCase()) {
      throw new UntrustedL2DataError('parent', `The L2 node's block ${n} does not follow block ${n - 1n} as re-executed here.`, {
        node,
        details: `its parent hash is ${block.header.parentHash}; block ${n - 1n} re-executed is ${parent.hash}`,
      })
    }
    const store = createWitnessStore({ blockNumber: n, witness: parseExecutionWitness({ json: fetched.witness, blockNumber: n, node }), keccak })
    for (const h of recent) store.put(hexToBytes(h.hash as Hex), encodeHeader({ ...h, hash: undefined }))
    let attributes
    try {
      attributes = attributesFromBlock(config, block.header, block.transactions)
    } catch (cause) {
      throw new UntrustedL2DataError('header-fields', `The L2 node's block ${n} has an extraData that is not its fork's format.`, { node, details: (cause as Error).message, cause })
    }
    let result
    try {
      result = await executeBlock({ config, parent, attributes, store, ...(p.kzg ? { kzg: p.kzg } : {}) })
    } catch (cause) {
      // A node missing from the witness (hidden state) or a forged entry: the node's witness, not the block, failed.
      if (cause instanceof BlockExecutionError && (cause.problem === 'missing-witness-node' || cause.problem === 'invalid-witness-node')) {
        throw new UntrustedL2DataError('witness', `The L2 node's execution witness for block ${n} is incomplete or wrong.`, { node, details: cause.message, cause })
      }
      throw cause
    }
    if (result.blockHash !== block.hash) {
      throw new UntrustedL2DataError('execution', `Re-executing the L2 node's block ${n} does not give the block it claims.`, {
        node,
        details: `${differingFields(result.header, block.header)}; re-executed hash ${result.blockHash}, node says ${block.hash}`,
      })
    }
    parent = { ...result.header, hash: result.blockHash }
    recent.push(parent)
    if (recent.length > BLOCKHASH_WINDOW) recent.shift()
    last = result
    blocks++
    transactions += block.transactions.length
    gasUsed += result.header.gasUsed
    p.onProgress?.({ head: n, blocks, transactions, gasUsed, elapsedMs: now() - started, remaining: total - blocks })
  }
  const end = last as NonNullable<typeof last>
  return {
    head: { number: end.header.number, hash: end.blockHash, stateRoot: end.stateRoot, header: { ...end.header, hash: end.blockHash } },
    outputRoot: end.outputRoot,
    messagePasserStorageRoot: end.messagePasserStorageRoot,
    blocks,
    transactions,
    gasUsed,
    elapsedMs: now() - started,
  }
}

/** Which header fields the re-execution disagrees on (what the user's report needs, not the whole header). */
function differingFields(ours: BlockHeader, theirs: BlockHeader): string {
  const fields: (keyof BlockHeader)[] = ['stateRoot', 'receiptsRoot', 'gasUsed', 'logsBloom', 'baseFeePerGas', 'extraData', 'withdrawalsRoot', 'blobGasUsed', 'excessBlobGas', 'requestsHash']
  const diff = fields.filter((f) => String(ours[f] ?? '').toLowerCase() !== String(theirs[f] ?? '').toLowerCase())
  return diff.length === 0 ? 'no field differs but the hash does' : diff.map((f) => `${f} ours ${String(ours[f]).slice(0, 66)}, node's ${String(theirs[f]).slice(0, 66)}`).join('; ')
}
