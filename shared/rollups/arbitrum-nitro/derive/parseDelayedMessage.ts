/**
 * One delayed-inbox message → the transactions ArbOS creates from it (nitro arbos/parse_l2.go ParseL2Transactions).
 * The message data must already be checked against `messageDataHash` (see checkDelayedMessageData).
 */
import { bytesToHex, getAddress, hexToBigInt, hexToBytes, keccak256, type Address, type Hex } from 'viem'
import {
  encodeArbitrumContractTx,
  encodeArbitrumDepositTx,
  encodeArbitrumSubmitRetryableTx,
  encodeArbitrumUnsignedTx,
} from './arbitrumTransactions'
import { delayedRequestId, L1MessageKind, type DelayedInboxMessage } from './delayedMessage'
import { decodeRetryableSubmission, submitRetryableTxFields } from '../retryables/retryableSubmission'
import { MAX_L2_MESSAGE_SIZE, parseL2Message, type L2Transaction, type ParsedL2Message } from './parseL2Message'

export interface ParsedDelayedMessage extends ParsedL2Message {
  /** Extra explanation for kinds that make no user transaction (rollup events, batch-posting reports). */
  note?: string
}

export function parseDelayedMessage(message: DelayedInboxMessage & { data: Hex }, chainId: bigint): ParsedDelayedMessage {
  const data = hexToBytes(message.data)
  const requestId = delayedRequestId(message.index)
  const none = (error: string): ParsedDelayedMessage => ({ l2Kind: undefined, transactions: [], error })
  if (data.length > MAX_L2_MESSAGE_SIZE) return none('message too large')
  switch (message.kind) {
    case L1MessageKind.L2Message:
      return parseL2Message(data, { poster: message.sender, timestamp: message.timestamp, requestId, chainId })
    case L1MessageKind.EthDeposit: {
      if (data.length < 52) return none('deposit message shorter than address ‖ value')
      const to = getAddress(bytesToHex(data.subarray(0, 20)))
      const value = hexToBigInt(bytesToHex(data.subarray(20, 52)))
      const { hash, raw } = encodeArbitrumDepositTx({ chainId, requestId, from: message.sender, to, value })
      return { l2Kind: undefined, transactions: [{ hash, type: 'arbitrum-deposit', chainId, from: message.sender, to, value, raw }], error: undefined }
    }
    case L1MessageKind.SubmitRetryable:
      return parseSubmitRetryable(data, message, chainId)
    case L1MessageKind.L2FundedByL1:
      return parseFundedByL1(data, message, requestId, chainId)
    case L1MessageKind.EndOfBlock:
      return { l2Kind: undefined, transactions: [], error: undefined, note: 'end-of-block message: no transaction' }
    case L1MessageKind.RollupEvent:
      return { l2Kind: undefined, transactions: [], error: undefined, note: 'rollup event: no transaction' }
    case L1MessageKind.BatchPostingReport:
      // Its internal tx hash depends on the batch's gas cost; it moves no user funds.
      return { l2Kind: undefined, transactions: [], error: undefined, note: 'batch-posting report: one ArbOS internal transaction (fee accounting)' }
    case L1MessageKind.Initialize:
      return none('initialize message outside genesis')
    case L1MessageKind.BatchForGasEstimation:
      return none('L1 message type BatchForGasEstimation is unimplemented')
    default:
      return none(`invalid message type ${message.kind}`)
  }
}

class Reader {
  offset = 0
  constructor(private readonly bytes: Uint8Array) {}
  word(): bigint | undefined {
    if (this.bytes.length - this.offset < 32) return undefined
    const v = hexToBigInt(bytesToHex(this.bytes.subarray(this.offset, this.offset + 32)))
    this.offset += 32
    return v
  }
  address256(): Address | undefined {
    const w = this.word()
    return w === undefined ? undefined : getAddress(`0x${(w & ((1n << 160n) - 1n)).toString(16).padStart(40, '0')}`)
  }
  rest(): Uint8Array {
    const r = this.bytes.subarray(this.offset)
    this.offset = this.bytes.length
    return r
  }
}

const ZERO: Address = '0x0000000000000000000000000000000000000000'

function parseSubmitRetryable(data: Uint8Array, message: DelayedInboxMessage, chainId: bigint): ParsedDelayedMessage {
  const decoded = decodeRetryableSubmission(data)
  if (decoded.error !== undefined) return { l2Kind: undefined, transactions: [], error: decoded.error }
  const s = decoded.submission
  const { hash, raw } = encodeArbitrumSubmitRetryableTx(
    submitRetryableTxFields({ l2ChainId: chainId, messageIndex: message.index, sender: message.sender, baseFeeL1: message.baseFeeL1, submission: s }),
  )
  const tx: L2Transaction = { hash, type: 'arbitrum-submit-retryable', chainId, from: message.sender, to: s.to, value: s.l2CallValue, raw }
  return { l2Kind: undefined, transactions: [tx], error: undefined, note: 'retryable ticket; its auto-redeem runs as a separate ArbitrumRetryTx' }
}

function parseFundedByL1(data: Uint8Array, message: DelayedInboxMessage, requestId: Hex, chainId: bigint): ParsedDelayedMessage {
  if (data.length < 1) return { l2Kind: undefined, transactions: [], error: 'L2FundedByL1 message has no data' }
  const kind = data[0] as number
  const depositRequestId = keccak256(hexToBytes(`${requestId}${'0'.repeat(64)}`))
  const unsignedRequestId = keccak256(hexToBytes(`${requestId}${'0'.repeat(63)}1`))
  const r = new Reader(data.subarray(1))
  const gas = r.word()
  const maxFeePerGas = r.word()
  let nonce: bigint | undefined = 0n
  if (kind === 0) nonce = r.word()
  const to = r.address256()
  const value = r.word()
  if (gas === undefined || maxFeePerGas === undefined || nonce === undefined || to === undefined || value === undefined) {
    return { l2Kind: kind, transactions: [], error: 'L2FundedByL1 message truncated' }
  }
  if (kind !== 0 && kind !== 1) return { l2Kind: kind, transactions: [], error: 'invalid L2 tx type in parseUnsignedTx' }
  const calldata = bytesToHex(r.rest())
  const dest = to === ZERO ? null : to
  const deposit = encodeArbitrumDepositTx({ chainId, requestId: depositRequestId, from: ZERO, to: message.sender, value })
  const inner =
    kind === 0
      ? { type: 'arbitrum-unsigned' as const, ...encodeArbitrumUnsignedTx({ chainId, from: message.sender, nonce, maxFeePerGas, gas, to: dest, value, data: calldata }) }
      : { type: 'arbitrum-contract' as const, ...encodeArbitrumContractTx({ chainId, requestId: unsignedRequestId, from: message.sender, maxFeePerGas, gas, to: dest, value, data: calldata }) }
  return {
    l2Kind: kind,
    transactions: [
      { hash: deposit.hash, type: 'arbitrum-deposit', chainId, from: ZERO, to: message.sender, value, raw: deposit.raw },
      { hash: inner.hash, type: inner.type, chainId, from: message.sender, to: dest, value, raw: inner.raw },
    ],
    error: undefined,
  }
}
