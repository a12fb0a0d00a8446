/**
 * Base fee of an OP block from its parent. Holocene takes the EIP-1559 parameters from the *parent's* extraData;
 * Jovian adds a minimum base fee and meters max(gasUsed, blobGasUsed).
 * Spec: specs/protocol/holocene/exec-engine.md §"Dynamic EIP-1559 Parameters", jovian/exec-engine.md;
 * op-geth consensus/misc/eip1559 CalcBaseFee.
 */
import type { BlockHeader } from '../../../eth/header'
import { decodeFeeExtraData, defaultParams, type Eip1559Params } from '../common/feeExtraData'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'

/** Base fee of the block after `parent`, at `timestamp`. */
export function computeNextBaseFee(config: RollupConfig, parent: BlockHeader, timestamp: number): bigint {
  const parentTime = Number(parent.timestamp)
  let params: Eip1559Params
  let minBaseFee: bigint | undefined
  let gasUsed = parent.gasUsed
  if (isForkActive(config, 'holocene', parentTime)) {
    const jovian = isForkActive(config, 'jovian', parentTime)
    const decoded = decodeFeeExtraData(parent.extraData, jovian)
    params = decoded
    minBaseFee = decoded.minBaseFee
    if (jovian && (parent.blobGasUsed ?? 0n) > gasUsed) gasUsed = parent.blobGasUsed ?? 0n
  } else {
    params = defaultParams(config, timestamp)
  }
  const baseFee = parent.baseFeePerGas
  const target = parent.gasLimit / params.elasticity
  let next: bigint
  if (gasUsed === target) next = baseFee
  else if (gasUsed > target) {
    const delta = (baseFee * (gasUsed - target)) / target / params.denominator
    next = baseFee + (delta > 1n ? delta : 1n)
  } else {
    const delta = (baseFee * (target - gasUsed)) / target / params.denominator
    next = baseFee > delta ? baseFee - delta : 0n
  }
  if (minBaseFee !== undefined && next < minBaseFee) next = minBaseFee
  return next
}
