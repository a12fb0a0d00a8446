/**
 * The L1-attributes deposit (first tx of every L2 block): calldata per fork and the 0x7E wrapper
 * (specs/protocol/deposits.md §"L1 Attributes Deposited Transaction", l1-attributes.md, ecotone|isthmus|jovian/
 * l1-attributes.md; op-node l1_block_info.go).
 *
 * Format by L2 block timestamp: Jovian (178 bytes) / Isthmus (176) / Ecotone (164) / Bedrock (ABI, 260). A fork's
 * activation block still uses the previous fork's format (the L1Block contract is upgraded inside that block).
 */
import type { L1BlockHeader } from '../../../l1/L1Source'
import { L1_BLOB_SCHEDULES, blobBaseFee, blobUpdateFraction, CANCUN_UPDATE_FRACTION, type BlobScheduleEntry } from '../../../l1/blobBaseFee'
import { isForkActivationBlock, isForkActive, type RollupConfig } from '../config/rollupConfig'
import type { Hex } from './batchTypes'
import { l1InfoDepositSourceHash } from './deposits'
import { DerivationError, MalformedBatcherDataError } from './errors'
import { ecotoneScalars, operatorFee, type SystemConfig } from './systemConfig'
import { L1_BLOCK } from '../../../eth/predeploys'
import { type TxDeposit, serializeTxDeposit } from '../../../eth/TxDeposit'
import { concatBytes, hexBytes, toHex, u256, uintBytes } from '../../../eth/bytes'

export const L1_INFO_DEPOSITOR = '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001'
export const REGOLITH_SYSTEM_TX_GAS = 1_000_000n
/** Pre-Regolith L1-info deposits carried 150M gas and isSystemTx = true. */
export const BEDROCK_SYSTEM_TX_GAS = 150_000_000n
export const DA_FOOTPRINT_GAS_SCALAR_DEFAULT = 400

export const L1_INFO_SELECTORS = {
  bedrock: '0x015d8eb9',
  ecotone: '0x440a5e20',
  isthmus: '0x098999be',
  jovian: '0x3db6be2b',
} as const
export type L1InfoFormat = keyof typeof L1_INFO_SELECTORS

export interface L1BlockInfo {
  format: L1InfoFormat
  l1BlockNumber: bigint
  l1Timestamp: bigint
  l1BaseFee: bigint
  l1BlockHash: Hex
  sequenceNumber: bigint
  batcherHash: Hex
  /** Bedrock only */
  l1FeeOverhead?: bigint
  l1FeeScalar?: bigint
  /** Ecotone+ */
  baseFeeScalar?: number
  blobBaseFeeScalar?: number
  l1BlobBaseFee?: bigint
  /** Isthmus+ */
  operatorFeeScalar?: number
  operatorFeeConstant?: bigint
  /** Jovian+ */
  daFootprintGasScalar?: number
}

/** The calldata format for an L2 block at `l2Timestamp` (op-node `L1InfoDeposit`). */
export function l1InfoFormat(config: RollupConfig, l2Timestamp: number): L1InfoFormat {
  if (isForkActive(config, 'jovian', l2Timestamp) && !isForkActivationBlock(config, 'jovian', l2Timestamp)) return 'jovian'
  if (isForkActive(config, 'isthmus', l2Timestamp) && !isForkActivationBlock(config, 'isthmus', l2Timestamp)) return 'isthmus'
  if (isForkActive(config, 'ecotone', l2Timestamp) && !isForkActivationBlock(config, 'ecotone', l2Timestamp)) return 'ecotone'
  return 'bedrock'
}

export function encodeL1InfoCalldata(info: L1BlockInfo): Uint8Array {
  const sel = hexBytes(L1_INFO_SELECTORS[info.format])
  if (info.format === 'bedrock') {
    return concatBytes([
      sel, u256(info.l1BlockNumber), u256(info.l1Timestamp), u256(info.l1BaseFee), hexBytes(info.l1BlockHash, 32),
      u256(info.sequenceNumber), hexBytes(info.batcherHash, 32), u256(info.l1FeeOverhead ?? 0n), u256(info.l1FeeScalar ?? 0n),
    ])
  }
  const parts = [
    sel, uintBytes(info.baseFeeScalar ?? 0, 4), uintBytes(info.blobBaseFeeScalar ?? 0, 4), uintBytes(info.sequenceNumber, 8), uintBytes(info.l1Timestamp, 8),
    uintBytes(info.l1BlockNumber, 8), u256(info.l1BaseFee), u256(info.l1BlobBaseFee ?? 1n), hexBytes(info.l1BlockHash, 32), hexBytes(info.batcherHash, 32),
  ]
  if (info.format === 'isthmus' || info.format === 'jovian') parts.push(uintBytes(info.operatorFeeScalar ?? 0, 4), uintBytes(info.operatorFeeConstant ?? 0n, 8))
  if (info.format === 'jovian') parts.push(uintBytes(info.daFootprintGasScalar ?? 0, 2))
  return concatBytes(parts)
}

const LENGTHS: Record<L1InfoFormat, number> = { bedrock: 260, ecotone: 164, isthmus: 176, jovian: 178 }

export function decodeL1InfoCalldata(data: Uint8Array): L1BlockInfo {
  const sel = toHex(data.subarray(0, 4))
  const format = (Object.keys(L1_INFO_SELECTORS) as L1InfoFormat[]).find((f) => L1_INFO_SELECTORS[f] === sel)
  if (!format) throw new MalformedBatcherDataError('l1-info', `unknown L1-info selector ${sel}`)
  if (data.length !== LENGTHS[format]) throw new MalformedBatcherDataError('l1-info', `${format} L1-info calldata must be ${LENGTHS[format]} bytes, got ${data.length}`)
  const num = (at: number, len: number): bigint => data.subarray(at, at + len).reduce((a, b) => (a << 8n) | BigInt(b), 0n)
  if (format === 'bedrock') {
    const word = (i: number): bigint => num(4 + 32 * i, 32)
    return {
      format,
      l1BlockNumber: word(0), l1Timestamp: word(1), l1BaseFee: word(2), l1BlockHash: toHex(data.subarray(100, 132)),
      sequenceNumber: word(4), batcherHash: toHex(data.subarray(164, 196)), l1FeeOverhead: word(6), l1FeeScalar: word(7),
    }
  }
  const info: L1BlockInfo = {
    format,
    baseFeeScalar: Number(num(4, 4)), blobBaseFeeScalar: Number(num(8, 4)), sequenceNumber: num(12, 8), l1Timestamp: num(20, 8),
    l1BlockNumber: num(28, 8), l1BaseFee: num(36, 32), l1BlobBaseFee: num(68, 32), l1BlockHash: toHex(data.subarray(100, 132)),
    batcherHash: toHex(data.subarray(132, 164)),
  }
  if (format === 'isthmus' || format === 'jovian') {
    info.operatorFeeScalar = Number(num(164, 4))
    info.operatorFeeConstant = num(168, 8)
  }
  if (format === 'jovian') info.daFootprintGasScalar = Number(num(176, 2))
  return info
}

export interface BuildL1InfoParameters {
  config: RollupConfig
  sys: SystemConfig
  l1: L1BlockHeader
  sequenceNumber: number
  l2Timestamp: number
  /** L1 blob schedule override (devnets); defaults to the known schedule of config.l1ChainId. */
  blobSchedule?: readonly BlobScheduleEntry[]
}

/** The L1-info deposit of an L2 block (op-node `L1InfoDeposit`). */
export function buildL1InfoDeposit(p: BuildL1InfoParameters): { tx: TxDeposit; info: L1BlockInfo; raw: Uint8Array } {
  const { config, sys, l1 } = p
  const format = l1InfoFormat(config, p.l2Timestamp)
  const base = {
    format,
    l1BlockNumber: BigInt(l1.number),
    l1Timestamp: BigInt(l1.timestamp),
    l1BaseFee: l1.baseFeePerGas ?? 0n,
    l1BlockHash: l1.hash,
    sequenceNumber: BigInt(p.sequenceNumber),
    batcherHash: `0x${sys.batcherAddress.slice(2).toLowerCase().padStart(64, '0')}` as Hex,
  }
  let info: L1BlockInfo
  if (format === 'bedrock') {
    info = { ...base, l1FeeOverhead: BigInt(sys.overhead), l1FeeScalar: BigInt(sys.scalar) }
  } else {
    const scalars = ecotoneScalars(sys)
    info = { ...base, ...scalars, l1BlobBaseFee: l1BlobBaseFee(p) }
    if (format === 'isthmus' || format === 'jovian') Object.assign(info, operatorFee(sys))
    if (format === 'jovian') info.daFootprintGasScalar = sys.daFootprintGasScalar === 0 ? DA_FOOTPRINT_GAS_SCALAR_DEFAULT : sys.daFootprintGasScalar
  }
  const regolith = isForkActive(config, 'regolith', p.l2Timestamp)
  const tx: TxDeposit = {
    sourceHash: l1InfoDepositSourceHash(l1.hash, p.sequenceNumber),
    from: L1_INFO_DEPOSITOR,
    to: L1_BLOCK,
    mint: 0n,
    value: 0n,
    gas: regolith ? REGOLITH_SYSTEM_TX_GAS : BEDROCK_SYSTEM_TX_GAS,
    isSystemTransaction: !regolith,
    data: encodeL1InfoCalldata(info),
  }
  return { tx, info, raw: serializeTxDeposit(tx) }
}

/**
 * Blob base fee of the L1 origin (1 when the header has no excessBlobGas). Before `pectra_blob_schedule_time` (Sepolia
 * chains only) op-node used the Cancun fraction even on Prague L1 blocks; kept for consensus
 * (specs/protocol/pectra-blob-schedule/derivation.md).
 */
function l1BlobBaseFee(p: BuildL1InfoParameters): bigint {
  const excess = p.l1.excessBlobGas
  if (excess === null) return 1n
  if (p.config.pectraBlobScheduleTime !== undefined && p.l2Timestamp < p.config.pectraBlobScheduleTime) return blobBaseFee(excess, CANCUN_UPDATE_FRACTION)
  const schedule = p.blobSchedule ?? L1_BLOB_SCHEDULES[p.config.l1ChainId]
  if (!schedule) {
    throw new DerivationError(`The blob fee schedule of L1 chain ${p.config.l1ChainId} is not known.`, {
      kind: 'user-action',
      steps: ['Use a supported L1 (Ethereum mainnet or Sepolia), or give the L1 blob schedule in the network settings.'],
    })
  }
  const fraction = blobUpdateFraction(schedule, p.l1.timestamp)
  if (fraction === undefined) return 1n
  return blobBaseFee(excess, fraction)
}
