/**
 * Hashes of the Arbitrum-specific transaction types that ArbOS creates from L1 messages. They have no signature;
 * their hash is keccak256(type ‖ rlp(fields)) with the field order of OffchainLabs/go-ethereum core/types/arb_types.go.
 * No library encodes these types, so the field lists are written out here; the deposit form is pinned by the real
 * Arbitrum One deposit in the vectors.
 */
import { encode as encodeRlp } from '@ethereumjs/rlp'
import { bytesToHex, concatBytes, hexToBytes, keccak256, type Address, type Hex } from 'viem'

export const ArbitrumTxType = {
  deposit: 0x64,
  unsigned: 0x65,
  contract: 0x66,
  retry: 0x68,
  submitRetryable: 0x69,
  internal: 0x6a,
} as const

type RlpField = bigint | Uint8Array

function typedHash(type: number, fields: RlpField[]): { hash: Hex; raw: Hex } {
  const raw = concatBytes([Uint8Array.of(type), encodeRlp(fields)])
  return { hash: keccak256(raw), raw: bytesToHex(raw) }
}

/** `*common.Address` with `rlp:"nil"`: a missing address (contract creation) is the empty string. */
function optionalAddress(to: Address | null): Uint8Array {
  return to === null ? new Uint8Array() : hexToBytes(to)
}

export interface ArbitrumDepositTxFields {
  chainId: bigint
  requestId: Hex
  from: Address
  to: Address
  value: bigint
}

export function encodeArbitrumDepositTx(tx: ArbitrumDepositTxFields): { hash: Hex; raw: Hex } {
  return typedHash(ArbitrumTxType.deposit, [tx.chainId, hexToBytes(tx.requestId), hexToBytes(tx.from), hexToBytes(tx.to), tx.value])
}

export interface ArbitrumUnsignedTxFields {
  chainId: bigint
  from: Address
  nonce: bigint
  maxFeePerGas: bigint
  gas: bigint
  to: Address | null
  value: bigint
  data: Hex
}

export function encodeArbitrumUnsignedTx(tx: ArbitrumUnsignedTxFields): { hash: Hex; raw: Hex } {
  return typedHash(ArbitrumTxType.unsigned, [
    tx.chainId, hexToBytes(tx.from), tx.nonce, tx.maxFeePerGas, tx.gas, optionalAddress(tx.to), tx.value, hexToBytes(tx.data),
  ])
}

export interface ArbitrumContractTxFields {
  chainId: bigint
  requestId: Hex
  from: Address
  maxFeePerGas: bigint
  gas: bigint
  to: Address | null
  value: bigint
  data: Hex
}

export function encodeArbitrumContractTx(tx: ArbitrumContractTxFields): { hash: Hex; raw: Hex } {
  return typedHash(ArbitrumTxType.contract, [
    tx.chainId, hexToBytes(tx.requestId), hexToBytes(tx.from), tx.maxFeePerGas, tx.gas, optionalAddress(tx.to), tx.value, hexToBytes(tx.data),
  ])
}

export interface ArbitrumSubmitRetryableTxFields {
  chainId: bigint
  requestId: Hex
  from: Address
  l1BaseFee: bigint
  depositValue: bigint
  maxFeePerGas: bigint
  gas: bigint
  retryTo: Address | null
  retryValue: bigint
  beneficiary: Address
  maxSubmissionFee: bigint
  feeRefundAddress: Address
  retryData: Hex
}

export function encodeArbitrumSubmitRetryableTx(tx: ArbitrumSubmitRetryableTxFields): { hash: Hex; raw: Hex } {
  return typedHash(ArbitrumTxType.submitRetryable, [
    tx.chainId, hexToBytes(tx.requestId), hexToBytes(tx.from), tx.l1BaseFee, tx.depositValue, tx.maxFeePerGas, tx.gas,
    optionalAddress(tx.retryTo), tx.retryValue, hexToBytes(tx.beneficiary), tx.maxSubmissionFee, hexToBytes(tx.feeRefundAddress),
    hexToBytes(tx.retryData),
  ])
}

/** ArbitrumRetryTx (0x68): one redeem attempt of a retryable ticket, the auto-redeem (nonce 0) or a manual redeem. */
export interface ArbitrumRetryTxFields {
  chainId: bigint
  /** The ticket's redeem sequence number: 0 for the auto-redeem, then one more per redeem attempt. */
  nonce: bigint
  /** The ticket's `from` (the aliased L1 sender). */
  from: Address
  /** The L2 base fee of the block the attempt ran in. */
  gasFeeCap: bigint
  gas: bigint
  to: Address | null
  value: bigint
  data: Hex
  ticketId: Hex
  /** The ticket's excess-fee refund address. */
  refundTo: Address
  maxRefund: bigint
  submissionFeeRefund: bigint
}

export function encodeArbitrumRetryTx(tx: ArbitrumRetryTxFields): { hash: Hex; raw: Hex } {
  return typedHash(ArbitrumTxType.retry, [
    tx.chainId, tx.nonce, hexToBytes(tx.from), tx.gasFeeCap, tx.gas, optionalAddress(tx.to), tx.value, hexToBytes(tx.data),
    hexToBytes(tx.ticketId), hexToBytes(tx.refundTo), tx.maxRefund, tx.submissionFeeRefund,
  ])
}
