/**
 * Base fee and extraData of an OP block. Holocene encodes the EIP-1559 parameters in extraData
 * (0x00 ‖ denominator u32 ‖ elasticity u32) and the *parent's* extraData drives the child's base fee; Jovian adds
 * a minimum base fee (0x01 ‖ … ‖ minBaseFee u64) and meters max(gasUsed, blobGasUsed).
 * Spec: specs/protocol/holocene/exec-engine.md §"Dynamic EIP-1559 Parameters", jovian/exec-engine.md;
 * op-geth consensus/misc/eip1559 CalcBaseFee.
 */
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'
import type { OpHeader } from './header'

export interface Eip1559Params {
  denominator: bigint
  elasticity: bigint
}

export class ExtraDataError extends Error {}

export function decodeFeeExtraData(extraData: Hex, jovian: boolean): Eip1559Params & { minBaseFee: bigint | undefined } {
  const b = hexToBytes(extraData)
  const expectedLen = jovian ? 17 : 9
  const expectedVersion = jovian ? 1 : 0
  if (b.length !== expectedLen || b[0] !== expectedVersion) {
    throw new ExtraDataError(`extraData ${extraData} is not the ${jovian ? 'Jovian' : 'Holocene'} format`)
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const denominator = BigInt(view.getUint32(1))
  const elasticity = BigInt(view.getUint32(5))
  if (denominator === 0n) throw new ExtraDataError(`extraData ${extraData} has a zero denominator`)
  return { denominator, elasticity, minBaseFee: jovian ? view.getBigUint64(9) : undefined }
}

/** extraData of a new block from the payload attributes' eip1559Params (all zero → the chain's Canyon defaults). */
export function encodeFeeExtraData(config: RollupConfig, timestamp: number, eip1559Params: Hex | undefined, minBaseFee: bigint | undefined): Hex {
  const jovian = isForkActive(config, 'jovian', timestamp)
  const p = hexToBytes(eip1559Params ?? '0x0000000000000000')
  if (p.length !== 8) throw new ExtraDataError(`eip1559Params must be 8 bytes, got ${p.length}`)
  const out = new Uint8Array(jovian ? 17 : 9)
  out[0] = jovian ? 1 : 0
  if (p.every((x) => x === 0)) {
    const d = defaultParams(config, timestamp)
    const view = new DataView(out.buffer)
    view.setUint32(1, Number(d.denominator))
    view.setUint32(5, Number(d.elasticity))
  } else {
    out.set(p, 1)
  }
  if (jovian) {
    if (minBaseFee === undefined) throw new ExtraDataError('Jovian payload attributes need minBaseFee')
    new DataView(out.buffer).setBigUint64(9, minBaseFee)
  }
  return bytesToHex(out)
}

function defaultParams(config: RollupConfig, timestamp: number): Eip1559Params {
  const p = config.eip1559 ?? { elasticity: 6, denominator: 50, denominatorCanyon: 250 }
  return {
    denominator: BigInt(isForkActive(config, 'canyon', timestamp) ? p.denominatorCanyon : p.denominator),
    elasticity: BigInt(p.elasticity),
  }
}

/** Base fee of the block after `parent`, at `timestamp`. */
export function computeNextBaseFee(config: RollupConfig, parent: OpHeader, timestamp: number): bigint {
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
