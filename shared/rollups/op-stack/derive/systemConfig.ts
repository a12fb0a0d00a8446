/**
 * The SystemConfig as derivation tracks it, and ConfigUpdate log processing (specs/protocol/system-config.md
 * §"System Config Updates"; op-node system_config.go `ProcessSystemConfigUpdateLogEvent`).
 *
 *   event ConfigUpdate(uint256 indexed version, UpdateType indexed updateType, bytes data)
 *
 * The contract only emits well-formed events, so (like op-node) a malformed one stops derivation with a critical error
 * instead of being skipped silently.
 */
import type { L1Log } from '../../../l1/L1Source'
import type { RollupConfig } from '../config/rollupConfig'
import { isForkActive } from '../config/rollupConfig'
import { DerivationError } from './errors'
import type { Hex } from './batchTypes'
import { hexBytes, toHex } from '../../../eth/bytes'

export type Address = `0x${string}`

/** keccak256("ConfigUpdate(uint256,uint8,bytes)") */
export const CONFIG_UPDATE_TOPIC = '0x1d2b0bda21d56b8bd12d4f94ebacffdfb35f5e226f84b461103bb8beab6353be'

export interface SystemConfig {
  batcherAddress: Address
  /** bytes32; zeroed after Ecotone scalar updates. */
  overhead: Hex
  /** bytes32, versioned after Ecotone (v0: bedrock scalar, v1: blob ‖ base scalars). */
  scalar: Hex
  gasLimit: bigint
  /** 8 bytes: denominator u32 ‖ elasticity u32 (Holocene). */
  eip1559Params: Hex
  /** bytes32: [20:24] operatorFeeScalar u32, [24:32] operatorFeeConstant u64 (Isthmus). */
  operatorFeeParams: Hex
  minBaseFee: bigint
  daFootprintGasScalar: number
}

const ZERO32 = `0x${'00'.repeat(32)}` as Hex

export function genesisSystemConfig(config: RollupConfig): SystemConfig {
  const g = config.genesis.systemConfig
  const eip =
    g.eip1559Denominator !== null && g.eip1559Elasticity !== null
      ? (`0x${g.eip1559Denominator.toString(16).padStart(8, '0')}${g.eip1559Elasticity.toString(16).padStart(8, '0')}` as Hex)
      : (`0x${'00'.repeat(8)}` as Hex)
  const opScalar = g.operatorFeeScalar ?? 0
  const opConst = g.operatorFeeConstant ?? 0n
  return {
    batcherAddress: g.batcherAddress,
    overhead: pad32(g.overhead),
    scalar: pad32(g.scalar),
    gasLimit: g.gasLimit,
    eip1559Params: eip,
    operatorFeeParams: `0x${'00'.repeat(20)}${opScalar.toString(16).padStart(8, '0')}${opConst.toString(16).padStart(16, '0')}` as Hex,
    minBaseFee: g.minBaseFee ?? 0n,
    daFootprintGasScalar: g.daFootprintGasScalar ?? 0,
  }
}

function pad32(h: Hex): Hex {
  return `0x${h.slice(2).padStart(64, '0')}` as Hex
}

/**
 * Apply the ConfigUpdate events among `logs` (one L1 block, in log order) emitted by the SystemConfig proxy.
 * `l1Timestamp` decides the Ecotone scalar handling (op-node compares the L1 time against the L2 fork time).
 */
export function applySystemConfigLogs(sys: SystemConfig, logs: readonly L1Log[], config: RollupConfig, l1Timestamp: number): SystemConfig {
  const addr = config.l1SystemConfigAddress.toLowerCase()
  let out = sys
  for (const log of [...logs].sort((a, b) => a.logIndex - b.logIndex)) {
    if (log.address.toLowerCase() !== addr || log.topics[0]?.toLowerCase() !== CONFIG_UPDATE_TOPIC) continue
    out = applyConfigUpdate(out, log, config, l1Timestamp)
  }
  return out
}

function applyConfigUpdate(sys: SystemConfig, log: L1Log, config: RollupConfig, l1Timestamp: number): SystemConfig {
  const fail = (why: string): never => {
    throw new DerivationError('A SystemConfig update on L1 could not be read.', {
      kind: 'critical',
      steps: [
        'Check that the rollup config names the right SystemConfig contract.',
        'If the chain added a new kind of config update, this app version may be too old for it: update Escape Hatch.',
      ],
      details: `${why} (L1 block ${log.blockNumber}, log ${log.logIndex})`,
    })
  }
  if (log.topics.length !== 3) fail('expected 3 topics')
  if (BigInt(log.topics[1] as Hex) !== 0n) fail(`unknown ConfigUpdate version ${log.topics[1]}`)
  const updateType = BigInt(log.topics[2] as Hex)
  const data = hexBytes(log.data)
  const word = (i: number): Uint8Array => {
    if (data.length < 32 * (i + 1)) fail('data too short')
    return data.subarray(32 * i, 32 * i + 32)
  }
  const uint = (w: Uint8Array): bigint => w.reduce((a, b) => (a << 8n) | BigInt(b), 0n)
  // abi.encode(bytes): pointer (32), length, content padded to 32 bytes; exactly `contentWords` words.
  const content = (length: number): Uint8Array => {
    if (uint(word(0)) !== 32n) fail('invalid pointer field')
    if (uint(word(1)) !== BigInt(length)) fail('invalid length field')
    const words = Math.ceil(length / 32)
    if (data.length !== 64 + 32 * words) fail('too many bytes')
    return data.subarray(64, 64 + 32 * words)
  }
  const u64 = (w: Uint8Array): bigint => {
    const v = uint(w)
    if (v >= 1n << 64n) fail('value does not fit uint64')
    return v
  }
  switch (updateType) {
    case 0n: {
      const w = content(32)
      if (w.subarray(0, 12).some((b) => b !== 0)) fail('address has dirty upper bytes')
      return { ...sys, batcherAddress: toHex(w.subarray(12)) as Address }
    }
    case 1n: {
      const c = content(64)
      const overhead = toHex(c.subarray(0, 32))
      const scalar = c.subarray(32, 64)
      if (isForkActive(config, 'ecotone', l1Timestamp)) {
        if (ecotoneScalarProblem(scalar) === 'unknown-version') return sys // op-node ignores unknown scalar formats
        return { ...sys, scalar: toHex(scalar), overhead: ZERO32 }
      }
      return { ...sys, overhead, scalar: toHex(scalar) }
    }
    case 2n:
      return { ...sys, gasLimit: u64(content(32)) }
    case 3n:
      return sys // unsafe block signer: not used by derivation
    case 4n:
      return { ...sys, eip1559Params: toHex(content(32).subarray(24, 32)) }
    case 5n:
      return { ...sys, operatorFeeParams: toHex(content(32)) }
    case 6n:
      return { ...sys, minBaseFee: u64(content(32)) }
    case 7n: {
      const v = uint(content(32))
      if (v > 0xffffn) fail('daFootprintGasScalar does not fit uint16')
      return { ...sys, daFootprintGasScalar: Number(v) }
    }
    default:
      return fail(`unknown SystemConfig update type ${updateType}`)
  }
}

/** op-node `CheckEcotoneL1SystemConfigScalar`. */
function ecotoneScalarProblem(scalar: Uint8Array): 'ok' | 'bedrock-padding' | 'ecotone-padding' | 'unknown-version' {
  if (scalar[0] === 0) return scalar.subarray(1, 28).some((b) => b !== 0) ? 'bedrock-padding' : 'ok'
  if (scalar[0] === 1) return scalar.subarray(1, 24).some((b) => b !== 0) ? 'ecotone-padding' : 'ok'
  return 'unknown-version'
}

/**
 * Ecotone fee scalars from the versioned `scalar` (op-node `EcotoneScalars`): v0 → base = low u32, blob = 0; v1 →
 * blob = bytes [24:28], base = [28:32]; a v0 scalar with non-zero padding → base = MaxUint32 (spec-mandated).
 */
export function ecotoneScalars(sys: SystemConfig): { baseFeeScalar: number; blobBaseFeeScalar: number } {
  const s = hexBytes(sys.scalar, 32)
  const be32 = (i: number): number => ((s[i] as number) * 0x1000000) + (((s[i + 1] as number) << 16) | ((s[i + 2] as number) << 8) | (s[i + 3] as number))
  switch (ecotoneScalarProblem(s)) {
    case 'bedrock-padding':
      return { baseFeeScalar: 0xffffffff, blobBaseFeeScalar: 0 }
    case 'ok':
      return s[0] === 0 ? { baseFeeScalar: be32(28), blobBaseFeeScalar: 0 } : { baseFeeScalar: be32(28), blobBaseFeeScalar: be32(24) }
    default:
      throw new DerivationError('The SystemConfig fee scalar has an invalid format.', { kind: 'critical', details: `scalar ${sys.scalar}` })
  }
}

export function operatorFee(sys: SystemConfig): { operatorFeeScalar: number; operatorFeeConstant: bigint } {
  const p = hexBytes(sys.operatorFeeParams, 32)
  let c = 0n
  for (let i = 24; i < 32; i++) c = (c << 8n) | BigInt(p[i] as number)
  return { operatorFeeScalar: ((p[20] as number) * 0x1000000) + (((p[21] as number) << 16) | ((p[22] as number) << 8) | (p[23] as number)), operatorFeeConstant: c }
}
