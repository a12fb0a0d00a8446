/**
 * The extraData of an OP block, which carries its EIP-1559 fee parameters. Here, not in execute/, because derivation
 * reads it too (a mid-chain start recovers the system config from an L2 block's extraData) and derive/ must not
 * import execute/: both stages import this neutral module (lint enforces the direction).
 * Holocene: 0x00 ‖ denominator u32 ‖ elasticity u32; Jovian: 0x01 ‖ … ‖ minBaseFee u64.
 * Spec: specs/protocol/holocene/exec-engine.md §"Dynamic EIP-1559 Parameters", jovian/exec-engine.md.
 */
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'

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

/** The chain's EIP-1559 parameters before Holocene (and when payload attributes leave them zero). */
export function defaultParams(config: RollupConfig, timestamp: number): Eip1559Params {
  const p = config.eip1559 ?? { elasticity: 6, denominator: 50, denominatorCanyon: 250 }
  return {
    denominator: BigInt(isForkActive(config, 'canyon', timestamp) ? p.denominatorCanyon : p.denominator),
    elasticity: BigInt(p.elasticity),
  }
}
