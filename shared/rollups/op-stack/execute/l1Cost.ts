/**
 * The L1 data fee and the operator fee of a non-deposit transaction, from the L1Block predeploy's storage as it is
 * after the block's L1-info deposit. Spec: specs/protocol/{ecotone,fjord,isthmus,jovian}/exec-engine.md;
 * op-revm l1block.rs. Storage layout: L1Block storageLayout (npm artifact) + Isthmus slot 8.
 */
import { flzCompressLen } from './flzCompressLen'

export interface L1BlockInfo {
  l1BaseFee: bigint
  l1BlobBaseFee: bigint
  baseFeeScalar: bigint
  blobBaseFeeScalar: bigint
  /** Pre-Ecotone fee parameters (still used in the Ecotone activation block while the scalars are zero). */
  l1FeeOverhead: bigint
  l1FeeScalar: bigint
  operatorFeeScalar: bigint
  operatorFeeConstant: bigint
  daFootprintGasScalar: bigint
}

/** Reads a slot of L1Block as a bigint. */
export type L1BlockStorageReader = (slot: bigint) => Promise<bigint>

const u = (word: bigint, byteOffset: number, bytes: number): bigint => (word >> BigInt(byteOffset * 8)) & ((1n << BigInt(bytes * 8)) - 1n)

/**
 * Reads only the slots the reference implementation reads for this fork (op-revm L1BlockInfo::try_fetch): a
 * witness holds exactly those trie paths, so reading more would fail stateless replay.
 */
export async function readL1BlockInfo(read: L1BlockStorageReader, fork: { ecotone: boolean; isthmus: boolean }): Promise<L1BlockInfo> {
  const l1BaseFee = await read(1n)
  let baseFeeScalar = 0n
  let blobBaseFeeScalar = 0n
  let l1BlobBaseFee = 0n
  if (fork.ecotone) {
    const slot3 = await read(3n)
    baseFeeScalar = u(slot3, 12, 4)
    blobBaseFeeScalar = u(slot3, 8, 4)
    l1BlobBaseFee = await read(7n)
  }
  // Bedrock parameters: before Ecotone, and in the Ecotone activation block while the new scalars are still zero.
  const bedrockParams = !fork.ecotone || (baseFeeScalar === 0n && blobBaseFeeScalar === 0n)
  const slot8 = fork.isthmus ? await read(8n) : 0n
  return {
    l1BaseFee,
    l1BlobBaseFee,
    baseFeeScalar,
    blobBaseFeeScalar,
    l1FeeOverhead: bedrockParams ? await read(5n) : 0n,
    l1FeeScalar: bedrockParams ? await read(6n) : 0n,
    operatorFeeConstant: u(slot8, 0, 8),
    operatorFeeScalar: u(slot8, 8, 4),
    daFootprintGasScalar: u(slot8, 12, 2),
  }
}

export type L1CostRules = 'bedrock' | 'ecotone' | 'fjord'

function calldataGas(tx: Uint8Array): bigint {
  let gas = 0
  for (let i = 0; i < tx.length; i++) gas += tx[i] === 0 ? 4 : 16
  return BigInt(gas)
}

/** Fjord estimated compressed size, scaled by 1e6: max(100e6, -42_585_600 + 836_500 * fastlzSize). */
export function fjordEstimatedSizeScaled(tx: Uint8Array): bigint {
  const est = 836_500n * BigInt(flzCompressLen(tx)) - 42_585_600n
  return est < 100_000_000n ? 100_000_000n : est
}

/** L1 data fee in wei for the signed EIP-2718 bytes of a non-deposit transaction (Regolith and later). */
export function computeL1Cost(tx: Uint8Array, info: L1BlockInfo, rules: L1CostRules): bigint {
  if (tx.length === 0 || tx[0] === 0x7e) return 0n
  const ecotoneScaled = info.baseFeeScalar * info.l1BaseFee * 16n + info.blobBaseFeeScalar * info.l1BlobBaseFee
  if (rules === 'fjord') return (fjordEstimatedSizeScaled(tx) * ecotoneScaled) / 1_000_000_000_000n
  // In the Ecotone activation block the new scalars are still zero: the Bedrock formula applies (op-revm).
  if (rules === 'bedrock' || (info.baseFeeScalar === 0n && info.blobBaseFeeScalar === 0n)) {
    return ((calldataGas(tx) + info.l1FeeOverhead) * info.l1BaseFee * info.l1FeeScalar) / 1_000_000n
  }
  return (calldataGas(tx) * ecotoneScaled) / 16_000_000n
}

/** Operator fee for `gas` (Isthmus: gas*scalar/1e6 + constant; Jovian: gas*scalar*100 + constant). */
export function computeOperatorFee(gas: bigint, info: L1BlockInfo, jovian: boolean): bigint {
  if (info.operatorFeeScalar === 0n && info.operatorFeeConstant === 0n) return 0n
  return jovian ? gas * info.operatorFeeScalar * 100n + info.operatorFeeConstant : (gas * info.operatorFeeScalar) / 1_000_000n + info.operatorFeeConstant
}

/** Jovian DA footprint of one transaction: max(100, estimatedSizeScaled/1e6) * daFootprintGasScalar (0 → 400). */
export function computeDaFootprint(tx: Uint8Array, info: L1BlockInfo): bigint {
  const scalar = info.daFootprintGasScalar === 0n ? 400n : info.daFootprintGasScalar
  return (fjordEstimatedSizeScaled(tx) / 1_000_000n) * scalar
}
