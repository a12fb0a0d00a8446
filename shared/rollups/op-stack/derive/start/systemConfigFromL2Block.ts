/**
 * The SystemConfig in force for a verified L2 block, read back from the block (op-node derive/payload_util.go
 * `PayloadToSystemConfig`; kona protocol utils.rs `to_system_config`):
 * - genesis: the rollup config's genesis SystemConfig (the block hash must be the configured genesis hash);
 * - batcher, overhead and scalar from the L1-attributes deposit. From Ecotone the deposit carries the two scalars,
 *   re-encoded as a v1 scalar (0x01 ‖ … ‖ blobBaseFeeScalar u32 ‖ baseFeeScalar u32): op-node cannot tell whether
 *   L1 set a v0 or v1 scalar, and both give the same L1-info for the following blocks;
 * - gasLimit from the header;
 * - Holocene: EIP-1559 denominator/elasticity from extraData (0x00 ‖ denominator u32 ‖ elasticity u32); Jovian:
 *   extraData 0x01 ‖ … ‖ minBaseFee u64 (specs/protocol/holocene/exec-engine.md, jovian/exec-engine.md);
 * - Isthmus: operator fee scalar/constant from the deposit (zero in the Isthmus activation block, whose deposit still
 *   has the Ecotone layout — as op-node);
 * - Jovian: daFootprintGasScalar from the deposit.
 * extraData with all-zero EIP-1559 params never appears in a block (the engine writes the chain defaults instead);
 * reading those defaults back is equivalent for the blocks that follow (encodeFeeExtraData maps zero to them).
 */
import type { Hex } from 'viem'
import { isForkActive, type RollupConfig } from '../../config/rollupConfig'
import { genesisSystemConfig, type Address, type SystemConfig } from '../systemConfig'
import { UntrustedL2DataError } from './errors'
import { readL2BlockInfo } from './readL2BlockInfo'
import type { VerifiedL2Block } from './verifyL2Block'
import { decodeFeeExtraData } from '../../common/feeExtraData'

const ZERO32 = `0x${'00'.repeat(32)}` as Hex

export function systemConfigFromL2Block(config: RollupConfig, block: VerifiedL2Block, node?: string): SystemConfig {
  const { l1Info: info } = readL2BlockInfo(config, block, node)
  if (!info) return genesisSystemConfig(config)
  const timestamp = Number(block.header.timestamp)
  const hex = (v: bigint, bytes: number): string => v.toString(16).padStart(bytes * 2, '0')
  const batcherHash = info.batcherHash.toLowerCase()
  if (!/^0x0{24}[0-9a-f]{40}$/.test(batcherHash)) {
    throw new UntrustedL2DataError('l1-info', `L2 block ${block.header.number} has a batcher hash that is not an address.`, { node, details: batcherHash })
  }
  const sys: SystemConfig = {
    batcherAddress: `0x${batcherHash.slice(26)}` as Address,
    overhead: ZERO32,
    scalar: ZERO32,
    gasLimit: block.header.gasLimit,
    eip1559Params: `0x${'00'.repeat(8)}` as Hex,
    operatorFeeParams: ZERO32,
    minBaseFee: 0n,
    daFootprintGasScalar: 0,
  }
  if (info.format === 'bedrock') {
    sys.overhead = `0x${hex(info.l1FeeOverhead ?? 0n, 32)}` as Hex
    sys.scalar = `0x${hex(info.l1FeeScalar ?? 0n, 32)}` as Hex
  } else {
    sys.scalar = `0x01${'00'.repeat(23)}${hex(BigInt(info.blobBaseFeeScalar ?? 0), 4)}${hex(BigInt(info.baseFeeScalar ?? 0), 4)}` as Hex
  }
  const jovian = isForkActive(config, 'jovian', timestamp)
  if (isForkActive(config, 'holocene', timestamp)) {
    let fee: ReturnType<typeof decodeFeeExtraData>
    try {
      fee = decodeFeeExtraData(block.header.extraData, jovian)
    } catch (cause) {
      throw new UntrustedL2DataError('header-fields', `L2 block ${block.header.number} has extraData that is not in its fork's format.`, { node, details: (cause as Error).message, cause })
    }
    sys.eip1559Params = `0x${hex(fee.denominator, 4)}${hex(fee.elasticity, 4)}` as Hex
    if (jovian) sys.minBaseFee = fee.minBaseFee ?? 0n
  }
  if (isForkActive(config, 'isthmus', timestamp)) {
    sys.operatorFeeParams = `0x${'00'.repeat(20)}${hex(BigInt(info.operatorFeeScalar ?? 0), 4)}${hex(info.operatorFeeConstant ?? 0n, 8)}` as Hex
  }
  if (jovian && info.daFootprintGasScalar !== undefined) sys.daFootprintGasScalar = info.daFootprintGasScalar
  return sys
}
