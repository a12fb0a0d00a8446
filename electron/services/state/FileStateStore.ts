/**
 * The persistent local state for full rebuilds: a content-addressed node/code/header store (StateNodeStore) in an
 * append-only log, plus a checkpoint file naming the last fully executed block. Writes of a block stay in memory
 * until `checkpoint()`, which appends them, fsyncs, then atomically replaces the checkpoint; on reopen, anything
 * after the checkpointed log length (a block interrupted mid-write) is cut off, so a restart resumes exactly at the
 * checkpoint. Every record is re-hashed when the log is opened: a corrupted file fails loudly, never silently.
 *
 * Hand-written rather than a database package: the data is immutable and content-addressed, so an append-only log
 * with an in-memory offset index is all that is needed, and it avoids a native dependency.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, ftruncateSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, type Hex } from 'viem'
import { z } from 'zod'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import type { StateNodeStore } from '../../../shared/rollups/op-stack/state/StateNodeStore'

export interface StateCheckpoint {
  blockNumber: bigint
  blockHash: Hex
  stateRoot: Hex
  /** The block header RLP, so the next block can be executed on top of it. */
  headerRlp: Hex
}

export class StateStoreError extends EscapeError {
  override name = 'StateStoreError'
  constructor(shortMessage: string, details: string, cause?: unknown) {
    super(shortMessage, {
      kind: 'critical',
      steps: ['The local state files are damaged: delete the state directory and rebuild from genesis or an earlier checkpoint.'],
      details,
      cause,
    })
  }
}
registerErrorClass('StateStoreError', StateStoreError)

const checkpointSchema = z.object({
  version: z.literal(1),
  blockNumber: z.string().regex(/^[0-9]+$/),
  blockHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  stateRoot: z.string().regex(/^0x[0-9a-f]{64}$/),
  headerRlp: z.string().regex(/^0x([0-9a-f]{2})*$/),
  logBytes: z.number().int().nonnegative(),
})

const HEADER = 36 // 32-byte hash + u32 length
const MAX_VALUE = 16 * 1024 * 1024

export class FileStateStore implements StateNodeStore {
  private readonly index = new Map<string, { offset: number; length: number }>()
  private readonly pending = new Map<string, Uint8Array>()
  private logBytes = 0

  private constructor(
    private readonly dir: string,
    private readonly fd: number,
    private current: StateCheckpoint | undefined,
  ) {}

  /** Opens (or creates) the store in `dir`, verifying the log up to the last checkpoint. */
  static open(dir: string): FileStateStore {
    mkdirSync(dir, { recursive: true })
    const logPath = join(dir, 'nodes.log')
    const fd = openSync(logPath, existsSync(logPath) ? 'r+' : 'w+')
    let checkpoint: StateCheckpoint | undefined
    let committedBytes = 0
    const cpPath = join(dir, 'checkpoint.json')
    if (existsSync(cpPath)) {
      let parsed: z.infer<typeof checkpointSchema>
      try {
        parsed = checkpointSchema.parse(JSON.parse(readFileSync(cpPath, 'utf8')))
      } catch (cause) {
        closeSync(fd)
        throw new StateStoreError('The local state checkpoint is unreadable.', cpPath, cause)
      }
      checkpoint = { blockNumber: BigInt(parsed.blockNumber), blockHash: parsed.blockHash as Hex, stateRoot: parsed.stateRoot as Hex, headerRlp: parsed.headerRlp as Hex }
      committedBytes = parsed.logBytes
    }
    const store = new FileStateStore(dir, fd, checkpoint)
    const size = statSync(logPath).size
    if (size < committedBytes) {
      closeSync(fd)
      throw new StateStoreError('The local state log is shorter than its checkpoint says.', `${size} < ${committedBytes} bytes`)
    }
    // Drop whatever an interrupted block appended after the checkpoint.
    if (size > committedBytes) ftruncateSync(fd, committedBytes)
    store.scan(committedBytes)
    return store
  }

  private scan(end: number): void {
    const header = new Uint8Array(HEADER)
    let pos = 0
    while (pos < end) {
      if (readSync(this.fd, header, 0, HEADER, pos) !== HEADER) throw new StateStoreError('The local state log is truncated.', `at byte ${pos}`)
      const length = new DataView(header.buffer).getUint32(32)
      if (length > MAX_VALUE || pos + HEADER + length > end) throw new StateStoreError('The local state log is corrupted.', `bad record length at byte ${pos}`)
      const value = new Uint8Array(length)
      readSync(this.fd, value, 0, length, pos + HEADER)
      const key = bytesToHex(header.subarray(0, 32))
      if (bytesToHex(keccak_256(value)) !== key) throw new StateStoreError('The local state log is corrupted.', `record at byte ${pos} does not hash to ${key}`)
      this.index.set(key, { offset: pos + HEADER, length })
      pos += HEADER + length
    }
    this.logBytes = end
  }

  /** The last checkpointed block, or undefined for a new store. */
  get checkpointed(): StateCheckpoint | undefined {
    return this.current
  }

  get size(): number {
    return this.index.size + this.pending.size
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    const key = bytesToHex(hash)
    const p = this.pending.get(key)
    if (p) return p
    const at = this.index.get(key)
    if (!at) return undefined
    const value = new Uint8Array(at.length)
    readSync(this.fd, value, 0, at.length, at.offset)
    return value
  }

  put(hash: Uint8Array, value: Uint8Array): void {
    const key = bytesToHex(hash)
    if (!this.index.has(key)) this.pending.set(key, value)
  }

  /** Makes everything written so far durable and records `checkpoint` as the resume point. */
  checkpoint(checkpoint: StateCheckpoint): void {
    let pos = this.logBytes
    for (const [key, value] of this.pending) {
      const record = new Uint8Array(HEADER + value.length)
      record.set(hexBytes(key), 0)
      new DataView(record.buffer).setUint32(32, value.length)
      record.set(value, HEADER)
      writeSync(this.fd, record, 0, record.length, pos)
      this.index.set(key, { offset: pos + HEADER, length: value.length })
      pos += record.length
    }
    fsyncSync(this.fd)
    this.pending.clear()
    this.logBytes = pos
    const tmp = join(this.dir, 'checkpoint.json.tmp')
    const body = JSON.stringify({
      version: 1,
      blockNumber: checkpoint.blockNumber.toString(),
      blockHash: checkpoint.blockHash,
      stateRoot: checkpoint.stateRoot,
      headerRlp: checkpoint.headerRlp,
      logBytes: pos,
    })
    const tfd = openSync(tmp, 'w')
    writeSync(tfd, body)
    fsyncSync(tfd)
    closeSync(tfd)
    renameSync(tmp, join(this.dir, 'checkpoint.json'))
    const dfd = openSync(this.dir, 'r')
    fsyncSync(dfd)
    closeSync(dfd)
    this.current = checkpoint
  }

  close(): void {
    closeSync(this.fd)
  }
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}
