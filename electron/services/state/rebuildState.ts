/**
 * Full rebuild of an OP Stack L2 state: seed the persistent store from genesis (once), then execute derived blocks
 * one by one on top of the last checkpoint, checkpointing every `checkpointEvery` blocks. A restart (crash, abort,
 * app quit) resumes from the checkpoint; blocks at or below it are skipped.
 */
import { bytesToHex, hexToBytes } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { executeBlock, type ExecuteBlockParameters, type PayloadAttributes } from '../../../shared/rollups/op-stack/execute/executeBlock'
import { buildGenesis } from '../../../shared/rollups/op-stack/genesis/buildGenesis'
import type { Genesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import type { FileStateStore } from './FileStateStore'
import { decodeHeader, encodeHeader, type BlockHeader } from '../../../shared/eth/header'

export interface RebuildStateParameters {
  store: FileStateStore
  config: RollupConfig
  genesis: Genesis
  /** Derived blocks in order, each with its L2 block number. */
  blocks: AsyncIterable<{ number: bigint; attributes: PayloadAttributes }> | Iterable<{ number: bigint; attributes: PayloadAttributes }>
  checkpointEvery?: number
  signal?: AbortSignal
  onBlock?: (header: BlockHeader & { hash: `0x${string}` }) => void
  /** KZG for the point-evaluation precompile (createExecutionKzg). */
  kzg?: ExecuteBlockParameters['kzg']
}

export async function rebuildState(parameters: RebuildStateParameters): Promise<BlockHeader> {
  const { store, config } = parameters
  const every = parameters.checkpointEvery ?? 100
  let head: BlockHeader
  if (!store.checkpointed) seedGenesis(store, config, parameters.genesis)
  const cp = store.checkpointed!
  head = { ...decodeHeader(hexToBytes(cp.headerRlp)), hash: cp.blockHash }
  let sinceCheckpoint = 0
  for await (const block of parameters.blocks) {
    if (parameters.signal?.aborted) break
    if (block.number <= head.number) continue
    if (block.number !== head.number + 1n) {
      throw new EscapeError('The derived blocks skip a block number.', { kind: 'critical', steps: ['Re-run derivation from the checkpoint.'], details: `expected ${head.number + 1n}, got ${block.number}` })
    }
    const r = await executeBlock({ config, parent: head, attributes: block.attributes, store, ...(parameters.kzg ? { kzg: parameters.kzg } : {}) })
    const rlp = encodeHeader(r.header)
    store.put(hexToBytes(r.blockHash), rlp) // ancestor headers serve BLOCKHASH
    head = { ...r.header, hash: r.blockHash }
    parameters.onBlock?.(head as BlockHeader & { hash: `0x${string}` })
    if (++sinceCheckpoint >= every) {
      store.checkpoint({ blockNumber: r.header.number, blockHash: r.blockHash, stateRoot: r.stateRoot, headerRlp: bytesToHex(rlp) })
      sinceCheckpoint = 0
    }
  }
  if (sinceCheckpoint > 0) store.checkpoint({ blockNumber: head.number, blockHash: head.hash!, stateRoot: head.stateRoot, headerRlp: bytesToHex(encodeHeader(head)) })
  return head
}

/**
 * A new state store's first checkpoint: the genesis state and header, refused unless the genesis file builds the
 * block the rollup config names (a wrong file would otherwise rebuild another chain).
 */
export function seedGenesis(store: FileStateStore, config: RollupConfig, genesis: Genesis): void {
  const g = buildGenesis({ genesis, config, onNode: (h, n) => store.put(h, n), onCode: (h, c) => store.put(h, c) })
  if (g.blockHash !== config.genesis.l2.hash) {
    throw new EscapeError('The genesis file does not produce this chain\'s genesis block.', {
      kind: 'user-action',
      steps: ['Use the genesis file that belongs to this rollup config.'],
      details: `built ${g.blockHash}, rollup config says ${config.genesis.l2.hash}`,
    })
  }
  const rlp = encodeHeader(g.header)
  store.put(hexToBytes(g.blockHash), rlp)
  store.checkpoint({ blockNumber: g.header.number, blockHash: g.blockHash, stateRoot: g.stateRoot, headerRlp: bytesToHex(rlp) })
}
