/**
 * Where a rebuild's derivation stands at a state checkpoint: the DerivationStart that resumes it (safe head, the
 * system configs, the L1 block traversal restarts from, the walked-back safe chain). Written beside the state
 * checkpoint as `derivation-<L2 block>.json` BEFORE the state checkpoint moves (write to a temp file, fsync, rename),
 * so the state checkpoint always has a matching derivation file; the two newest are kept.
 * Our own data, but read back as untrusted input (a damaged or foreign file fails with a clear error).
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { DerivationStart } from '../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import type { SystemConfig } from '../../../shared/rollups/op-stack/derive/systemConfig'
import { hexBytes, toHex } from '../../../shared/eth/bytes'
import { readUserTextFile } from '../files/readUserFile'

const hash = z.string().regex(/^0x[0-9a-f]{64}$/)
const hex = z.string().regex(/^0x([0-9a-f]{2})*$/)
const int = z.number().int().nonnegative()
const dec = z.string().regex(/^\d{1,78}$/)
const blockId = z.object({ number: int, hash })
const ref = z.object({ number: int, hash, timestamp: int, l1Origin: blockId, sequenceNumber: int })
const systemConfig = z.object({
  batcherAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  overhead: hex,
  scalar: hex,
  gasLimit: dec,
  eip1559Params: hex,
  operatorFeeParams: hex,
  minBaseFee: dec,
  daFootprintGasScalar: int,
})
const fileSchema = z.object({
  version: z.literal(1),
  l2Block: int,
  outputRoot: hash,
  start: z.object({
    safeHead: ref,
    safeHeadSystemConfig: systemConfig,
    l1Start: int,
    l1StartSystemConfig: systemConfig,
    safeChain: z.array(z.object({ ref, nonDepositTxHashes: z.array(hash).max(100_000) })).max(1_000_000),
  }),
  /** The walked-back blocks' transactions, so a resumed rebuild can plan its next checkpoint right away. */
  window: z.array(z.object({ number: int, hash, transactions: z.array(hex).max(100_000) })).max(1_000_000),
})

export interface DerivationCheckpoint {
  l2Block: number
  outputRoot: `0x${string}`
  start: DerivationStart
  window: { number: number; hash: `0x${string}`; transactions: readonly Uint8Array[] }[]
}

const MAX_FILE_BYTES = 512 * 1024 * 1024
const NAME = /^derivation-(\d+)\.json$/

const sysToJson = (s: SystemConfig) => ({ ...s, gasLimit: s.gasLimit.toString(), minBaseFee: s.minBaseFee.toString() })
const sysFromJson = (s: z.infer<typeof systemConfig>): SystemConfig => ({ ...s, batcherAddress: s.batcherAddress as `0x${string}`, overhead: s.overhead as `0x${string}`, scalar: s.scalar as `0x${string}`, eip1559Params: s.eip1559Params as `0x${string}`, operatorFeeParams: s.operatorFeeParams as `0x${string}`, gasLimit: BigInt(s.gasLimit), minBaseFee: BigInt(s.minBaseFee) })

export function writeDerivationCheckpoint(dir: string, cp: DerivationCheckpoint): void {
  const { start } = cp
  const json = {
    version: 1,
    l2Block: cp.l2Block,
    outputRoot: cp.outputRoot,
    start: {
      safeHead: start.safeHead,
      safeHeadSystemConfig: sysToJson(start.safeHeadSystemConfig),
      l1Start: start.l1Start,
      l1StartSystemConfig: sysToJson(start.l1StartSystemConfig),
      safeChain: start.safeChain ?? [],
    },
    window: cp.window.map((b) => ({ number: b.number, hash: b.hash, transactions: b.transactions.map((t) => toHex(t)) })),
  }
  const path = join(dir, `derivation-${cp.l2Block}.json`)
  const tmp = `${path}.tmp`
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, JSON.stringify(json))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
  // Keep the two newest: the state checkpoint may still name the previous one if the process dies right now.
  const numbers = listCheckpoints(dir).filter((n) => n < cp.l2Block).sort((a, b) => b - a)
  for (const old of numbers.slice(1)) rmSync(join(dir, `derivation-${old}.json`), { force: true })
}

function listCheckpoints(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => NAME.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
}

/** The derivation checkpoint for L2 block `l2Block` (the state checkpoint's block), or undefined when there is none. */
export async function readDerivationCheckpoint(dir: string, l2Block: number): Promise<DerivationCheckpoint | undefined> {
  if (!listCheckpoints(dir).includes(l2Block)) return undefined
  const path = join(dir, `derivation-${l2Block}.json`)
  let parsed: z.infer<typeof fileSchema>
  try {
    parsed = fileSchema.parse(JSON.parse(await readUserTextFile(path, { what: 'rebuild checkpoint', maxBytes: MAX_FILE_BYTES })))
  } catch (cause) {
    throw new EscapeError('The rebuild\'s derivation checkpoint is damaged.', {
      kind: 'critical',
      steps: ['Delete the rebuild\'s state folder and rebuild from genesis.'],
      details: path,
      cause,
    })
  }
  if (parsed.l2Block !== l2Block || parsed.start.safeHead.number !== l2Block) {
    throw new EscapeError('The rebuild\'s derivation checkpoint does not match its state checkpoint.', {
      kind: 'critical',
      steps: ['Delete the rebuild\'s state folder and rebuild from genesis.'],
      details: `${path} is for block ${parsed.start.safeHead.number}, the state is at ${l2Block}`,
    })
  }
  const s = parsed.start
  return {
    l2Block,
    outputRoot: parsed.outputRoot as `0x${string}`,
    start: {
      safeHead: s.safeHead as DerivationStart['safeHead'],
      safeHeadSystemConfig: sysFromJson(s.safeHeadSystemConfig),
      l1Start: s.l1Start,
      l1StartSystemConfig: sysFromJson(s.l1StartSystemConfig),
      safeChain: s.safeChain.map((e) => ({ ref: e.ref as DerivationStart['safeHead'], nonDepositTxHashes: e.nonDepositTxHashes as `0x${string}`[] })),
    },
    window: parsed.window.map((b) => ({ number: b.number, hash: b.hash as `0x${string}`, transactions: b.transactions.map((t) => hexBytes(t)) })),
  }
}
