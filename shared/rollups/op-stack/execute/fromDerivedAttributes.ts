/**
 * Derivation's payload attributes (derive/l2Types: numbers, EIP-2718 bytes) as the executor takes them (bigint
 * timestamp, hex transactions). One conversion for the ExecutionOracle and the devnet sequencer.
 */
import { bytesToHex } from 'viem'
import type { PayloadAttributes as DerivedAttributes } from '../derive/l2Types'
import type { PayloadAttributes } from './executeBlock'

export function fromDerivedAttributes(a: DerivedAttributes): PayloadAttributes {
  return {
    timestamp: BigInt(a.timestamp),
    prevRandao: a.prevRandao,
    suggestedFeeRecipient: a.suggestedFeeRecipient,
    parentBeaconBlockRoot: a.parentBeaconBlockRoot,
    transactions: a.transactions.map((t) => bytesToHex(t)),
    gasLimit: a.gasLimit,
    eip1559Params: a.eip1559Params,
    minBaseFee: a.minBaseFee,
  }
}
