/**
 * The payload attributes a block was built from, read back from the block itself: timestamp, prevRandao (mixHash),
 * fee recipient (miner), parent beacon block root, gas limit, the EIP-1559 parameters in extraData (Holocene+) and
 * the Jovian min base fee, and the transactions in order. Re-executing these attributes on the parent's state must
 * give the block's hash again; any difference means the block (or the witness) is not what the node says.
 * Spec: specs/protocol/exec-engine.md §"Extended PayloadAttributesV3", holocene/jovian exec-engine.md.
 */
import type { Hex } from 'viem'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'
import type { BlockHeader } from '../../../eth/header'
import { toHex } from '../../../eth/bytes'
import { decodeFeeExtraData } from '../common/feeExtraData'
import type { PayloadAttributes } from '../execute/executeBlock'

export function attributesFromBlock(config: RollupConfig, header: BlockHeader, transactions: readonly Uint8Array[]): PayloadAttributes {
  const t = Number(header.timestamp)
  const attributes: PayloadAttributes = {
    timestamp: header.timestamp,
    prevRandao: header.mixHash,
    suggestedFeeRecipient: header.miner,
    gasLimit: header.gasLimit,
    transactions: transactions.map((tx) => toHex(tx)),
    ...(header.parentBeaconBlockRoot !== undefined ? { parentBeaconBlockRoot: header.parentBeaconBlockRoot } : {}),
  }
  if (!isForkActive(config, 'holocene', t)) return attributes
  const jovian = isForkActive(config, 'jovian', t)
  // Throws ExtraDataError for a malformed extraData; the caller names the block and the node.
  const fee = decodeFeeExtraData(header.extraData, jovian)
  const eip1559Params = `0x${fee.denominator.toString(16).padStart(8, '0')}${fee.elasticity.toString(16).padStart(8, '0')}` as Hex
  return { ...attributes, eip1559Params, ...(jovian ? { minBaseFee: fee.minBaseFee } : {}) }
}
