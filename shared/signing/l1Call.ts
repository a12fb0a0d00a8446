/**
 * What every L1 builder (Arbitrum, OP Stack) returns: the call itself (target, calldata, value) and a sentence saying what it
 * does. It becomes an UnsignedTxRequest once nonce, gas and fees are chosen from L1 (toUnsignedL1Request), so the
 * same call can be shown, exported for air-gapped signing, or journaled before anything is signed.
 */
import type { Address, Hex } from 'viem'
import type { UnsignedTxRequest } from './unsignedTxRequest'

export interface L1Call {
  chainId: number
  to: Address
  data: Hex
  value: bigint
  /** For the user and the device display: what this transaction does. */
  description: string
}

export interface L1FeeChoice {
  nonce: number
  gas: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
}

export function toUnsignedL1Request(call: L1Call, fees: L1FeeChoice): UnsignedTxRequest {
  return {
    type: 'eip1559',
    chainId: call.chainId,
    nonce: fees.nonce,
    gas: fees.gas,
    to: call.to,
    value: call.value,
    data: call.data,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  }
}
