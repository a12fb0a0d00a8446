/**
 * Test-only: an in-memory L1 chain that implements the L1Source port with data the test builds (headers, batcher
 * transactions, logs), plus helpers to encode batches into channels and frames as a batcher would. It counts calls so
 * tests can assert what derivation asked for.
 */
import { deflateSync } from 'node:zlib'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Address, Hex, L1BlockHeader, L1BlockRef, L1Log, L1Source, L1Transaction } from '../../../../l1/L1Source'
import { parseRollupConfig, type RollupConfig } from '../../config/rollupConfig'
import { encodeFrame } from '../parseFrames'
import { encodeRlpBytes, encodeRlpList, encodeRlpUint } from '../rlpReader'
import { TRANSACTION_DEPOSITED_TOPIC } from '../deposits'
import { CONFIG_UPDATE_TOPIC } from '../systemConfig'
import { readVectorJson } from '../../../../../fixtures/vectors'
import { concatBytes, toHex, u256 } from '../../../../eth/bytes'

export const T0 = 1_800_000_000
export const L1_BLOCK_TIME = 12
export const BATCHER: Address = '0x00000000000000000000000000000000000ba7c4'
export const INBOX: Address = '0xff00000000000000000000000000000000000042'
export const PORTAL: Address = '0x00000000000000000000000000000000000d0e05'
export const SYSTEM_CONFIG: Address = '0x0000000000000000000000000000000000005c5c'

export function hashOf(label: string): Hex {
  return toHex(keccak_256(new TextEncoder().encode(label)))
}

/** A rollup config for synthetic chains: OP Sepolia's, with test addresses and fork times overridden. */
export function syntheticConfig(overrides: Record<string, unknown> = {}): RollupConfig {
  const base = readVectorJson<{ rollupConfig: Record<string, unknown> }>('op/genesis/op-sepolia-rollup-config.json').rollupConfig
  const forks = ['regolith_time', 'canyon_time', 'delta_time', 'ecotone_time', 'fjord_time', 'granite_time', 'holocene_time', 'isthmus_time', 'jovian_time', 'karst_time', 'pectra_blob_schedule_time']
  const json: Record<string, unknown> = { ...base }
  for (const f of forks) delete json[f]
  Object.assign(json, {
    genesis: {
      l1: { hash: headerHash(0), number: 0 },
      l2: { hash: hashOf('l2-genesis'), number: 0 },
      l2_time: T0,
      system_config: { batcherAddr: BATCHER, overhead: `0x${'00'.repeat(32)}`, scalar: `0x01${'00'.repeat(23)}000000000000abcd`, gasLimit: 30_000_000 },
    },
    batch_inbox_address: INBOX,
    deposit_contract_address: PORTAL,
    l1_system_config_address: SYSTEM_CONFIG,
    regolith_time: 0, canyon_time: 0, delta_time: 0, ecotone_time: 0, fjord_time: 0, granite_time: 0, holocene_time: 0,
    ...overrides,
  })
  return parseRollupConfig(json)
}

export function headerHash(n: number, fork = ''): Hex {
  return hashOf(`l1-block-${n}${fork}`)
}

interface BlockData {
  header: L1BlockHeader
  txs: L1Transaction[]
  logs: L1Log[]
}

export class SyntheticL1 implements L1Source {
  readonly blocks: BlockData[] = []
  calls = { getHeader: 0, getTransactionsTo: 0, getLogs: 0 }

  constructor(count: number) {
    for (let n = 0; n < count; n++) this.addBlock()
  }

  addBlock(): BlockData {
    const n = this.blocks.length
    const header: L1BlockHeader = {
      number: n,
      hash: headerHash(n),
      parentHash: n === 0 ? (`0x${'00'.repeat(32)}` as Hex) : headerHash(n - 1),
      timestamp: T0 + L1_BLOCK_TIME * n,
      baseFeePerGas: 1_000_000_000n + BigInt(n),
      excessBlobGas: 0n,
      blobGasUsed: 0n,
      mixHash: hashOf(`randao-${n}`),
      parentBeaconBlockRoot: hashOf(`beacon-${n}`),
      gasLimit: 30_000_000n,
    }
    const b = { header, txs: [], logs: [] }
    this.blocks.push(b)
    return b
  }

  block(n: number): BlockData {
    const b = this.blocks[n]
    if (!b) throw new Error(`no synthetic block ${n}`)
    return b
  }

  /** Add a batcher calldata transaction. */
  addBatcherTx(n: number, payload: Uint8Array, from: Address = BATCHER, to: Address = INBOX): void {
    const b = this.block(n)
    b.txs.push({ hash: hashOf(`tx-${n}-${b.txs.length}`), index: b.txs.length, type: 2, from, to, input: toHex(payload), blobVersionedHashes: [] })
  }

  addLog(n: number, log: Omit<L1Log, 'logIndex' | 'transactionIndex' | 'transactionHash' | 'blockHash' | 'blockNumber'>): L1Log {
    const b = this.block(n)
    const full: L1Log = { ...log, logIndex: b.logs.length, transactionIndex: 0, transactionHash: hashOf(`log-tx-${n}`), blockHash: b.header.hash, blockNumber: n }
    b.logs.push(full)
    return full
  }

  async chainId(): Promise<number> {
    return 11155111
  }

  async getHeader(block: number | string): Promise<L1BlockHeader> {
    this.calls.getHeader++
    if (typeof block !== 'number') return this.blocks[this.blocks.length - 1]!.header
    return this.block(block).header
  }

  async getTransactionsTo(block: L1BlockRef, to: Address): Promise<L1Transaction[]> {
    this.calls.getTransactionsTo++
    return this.block(block.number).txs.filter((t) => t.to?.toLowerCase() === to.toLowerCase())
  }

  async getLogs(block: L1BlockRef, addresses: readonly Address[]): Promise<L1Log[]> {
    this.calls.getLogs++
    const set = new Set(addresses.map((a) => a.toLowerCase()))
    return this.block(block.number).logs.filter((l) => set.has(l.address.toLowerCase()))
  }
}

/** A singular batch encoded as the RLP string payload of a channel: 0x00 ++ rlp([...]). */
export function encodeSingularBatch(b: { parentHash: Hex; epochNum: number; epochHash: Hex; timestamp: number; transactions: Uint8Array[] }): Uint8Array {
  return concatBytes([
    new Uint8Array([0]),
    encodeRlpList([
      encodeRlpBytes(hexToBytes(b.parentHash)),
      encodeRlpUint(b.epochNum),
      encodeRlpBytes(hexToBytes(b.epochHash)),
      encodeRlpUint(b.timestamp),
      encodeRlpList(b.transactions.map(encodeRlpBytes)),
    ]),
  ])
}

/** Channel = zlib(concat(rlp_string(batch))). */
export function encodeChannel(batches: Uint8Array[]): Uint8Array {
  return new Uint8Array(deflateSync(concatBytes(batches.map(encodeRlpBytes))))
}

/** Split channel data into `n` frames; returns each frame's bytes. */
export function splitFrames(channelId: string, data: Uint8Array, n: number): Uint8Array[] {
  const size = Math.ceil(data.length / n)
  const out: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    out.push(encodeFrame({ channelId, frameNumber: i, data: data.subarray(i * size, Math.min(data.length, (i + 1) * size)), isLast: i === n - 1 }))
  }
  return out
}

/** Batcher tx payload: version 0 ++ frames. */
export function batcherPayload(frames: Uint8Array[]): Uint8Array {
  return concatBytes([new Uint8Array([0]), ...frames])
}

export function depositLog(from: Address, to: Address, value: bigint, gas: bigint, data: Uint8Array = new Uint8Array(0)) {
  const opaque = concatBytes([u256(0n), u256(value), u256(gas).subarray(24), new Uint8Array([0]), data])
  const padded = new Uint8Array(Math.ceil(opaque.length / 32) * 32)
  padded.set(opaque)
  return {
    address: PORTAL,
    topics: [TRANSACTION_DEPOSITED_TOPIC as Hex, pad32(from), pad32(to), pad32('0x0')],
    data: toHex(concatBytes([u256(32n), u256(BigInt(opaque.length)), padded])),
  }
}

export function batcherUpdateLog(newBatcher: Address) {
  return {
    address: SYSTEM_CONFIG,
    topics: [CONFIG_UPDATE_TOPIC as Hex, pad32('0x0'), pad32('0x0')],
    data: toHex(concatBytes([u256(32n), u256(32n), hexToBytes(pad32(newBatcher))])),
  }
}

function pad32(a: string): Hex {
  return `0x${a.slice(2).toLowerCase().padStart(64, '0')}` as Hex
}

export function hexToBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.slice(2), 'hex'))
}
