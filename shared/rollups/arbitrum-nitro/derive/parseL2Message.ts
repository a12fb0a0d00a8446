/**
 * One L2 message → its ordered transactions, copying nitro arbos/parse_l2.go (notes §1.1 "L2 message kinds").
 *
 * Rules copied exactly, because getting them wrong lists transactions that never ran (or hides ones that did):
 * - a message over 256 KiB is ignored;
 * - kind 3 (Batch) is `(u64be length ‖ nested message)*`, at most 16 deep; a short read ends the batch, but a nested
 *   message that fails to parse drops the WHOLE batch;
 * - kind 4 (SignedTx) is one EIP-2718 transaction; blob and Arbitrum-internal types are rejected;
 * - kinds 0/1 (unsigned / contract tx) take 32-byte big-endian fields and the rest as calldata; a contract tx needs a
 *   request id (so only delayed messages can carry one); nested request ids are keccak(requestId ‖ uint256(index));
 * - kind 6 (heartbeat) is ignored before 2022-08-08 16:00 UTC and invalid after; kinds 2, 7 and unknown are invalid.
 */
import { bytesToHex, concatHex, getAddress, hexToBigInt, keccak256, numberToHex, type Address, type Hex } from 'viem'
import { decodeSignedTransaction, SignedTransactionDecodeError, type DecodedSignedTransaction } from './decodeSignedTransaction'
import { encodeArbitrumContractTx, encodeArbitrumUnsignedTx } from './arbitrumTransactions'
import { readUint64BE } from './sequencerMessage'

/** arbostypes.MaxL2MessageSize */
export const MAX_L2_MESSAGE_SIZE = 256 * 1024
const MAX_BATCH_DEPTH = 16
/** parse_l2.go HeartbeatsDisabledAt: Mon, 08 Aug 2022 16:00:00 GMT */
const HEARTBEATS_DISABLED_AT = 1659974400n

export const L2MessageKind = {
  UnsignedUserTx: 0,
  ContractTx: 1,
  NonmutatingCall: 2,
  Batch: 3,
  SignedTx: 4,
  Heartbeat: 6,
  SignedCompressedTx: 7,
} as const

export type L2TransactionType =
  | 'legacy'
  | 'eip2930'
  | 'eip1559'
  | 'eip7702'
  | 'arbitrum-deposit'
  | 'arbitrum-unsigned'
  | 'arbitrum-contract'
  | 'arbitrum-submit-retryable'

export interface L2Transaction {
  hash: Hex
  type: L2TransactionType
  /** undefined for a pre-EIP-155 legacy transaction (valid on any chain). */
  chainId: bigint | undefined
  /** Known without signature recovery only for the unsigned Arbitrum types. */
  from?: Address
  nonce?: bigint
  to: Address | null
  value: bigint
  /** The EIP-2718 bytes whose keccak256 is `hash`. */
  raw: Hex
}

export interface L2MessageContext {
  /** The L1 poster: the batch poster address for sequencer messages, the (aliased) sender for delayed ones. */
  poster: Address
  /** The message timestamp (after clamping). */
  timestamp: bigint
  /** bytes32 request id; undefined for sequencer messages. */
  requestId: Hex | undefined
  chainId: bigint
}

export interface ParsedL2Message {
  /** The first byte of the message, when present. */
  l2Kind: number | undefined
  transactions: L2Transaction[]
  /** Why ArbOS will not run anything from this message; undefined when it parsed. */
  error: string | undefined
}

class L2MessageInvalid extends Error {}

export function parseL2Message(message: Uint8Array, context: L2MessageContext): ParsedL2Message {
  const l2Kind = message[0]
  if (message.length > MAX_L2_MESSAGE_SIZE) return { l2Kind, transactions: [], error: `message too large (${message.length} bytes)` }
  try {
    return { l2Kind, transactions: parseNested(message, context, context.requestId, 0), error: undefined }
  } catch (error) {
    if (error instanceof L2MessageInvalid) return { l2Kind, transactions: [], error: error.message }
    throw error
  }
}

function parseNested(message: Uint8Array, context: L2MessageContext, requestId: Hex | undefined, depth: number): L2Transaction[] {
  if (message.length === 0) throw new L2MessageInvalid('empty L2 message')
  const kind = message[0] as number
  const body = message.subarray(1)
  switch (kind) {
    case L2MessageKind.UnsignedUserTx:
    case L2MessageKind.ContractTx:
      return [parseUnsignedTx(body, context.poster, requestId, context.chainId, kind as 0 | 1)]
    case L2MessageKind.NonmutatingCall:
      throw new L2MessageInvalid('L2 message kind NonmutatingCall is unimplemented')
    case L2MessageKind.Batch: {
      if (depth >= MAX_BATCH_DEPTH) throw new L2MessageInvalid('L2 message batches have a max depth of 16')
      const out: L2Transaction[] = []
      let offset = 0
      for (let index = 0n; ; index++) {
        // util.BytestringFromReader: any short read or oversize length ends the batch without error.
        if (body.length - offset < 8) return out
        const length = readUint64BE(body, offset)
        if (length > BigInt(MAX_L2_MESSAGE_SIZE) || BigInt(body.length - offset - 8) < length) return out
        const nested = body.subarray(offset + 8, offset + 8 + Number(length))
        offset += 8 + Number(length)
        const nestedRequestId = requestId === undefined ? undefined : keccak256(concatHex([requestId, numberToHex(index, { size: 32 })]))
        out.push(...parseNested(nested, context, nestedRequestId, depth + 1))
      }
    }
    case L2MessageKind.SignedTx:
      return [parseSignedTx(body)]
    case L2MessageKind.Heartbeat:
      if (context.timestamp >= HEARTBEATS_DISABLED_AT) throw new L2MessageInvalid('heartbeat messages have been disabled')
      return []
    case L2MessageKind.SignedCompressedTx:
      throw new L2MessageInvalid('L2 message kind SignedCompressedTx is unimplemented')
    default:
      throw new L2MessageInvalid(`unknown L2 message kind ${kind}`)
  }
}

/** types.Transaction.UnmarshalBinary plus parse_l2.go's type filter (blob and Arbitrum-internal types rejected). */
export function parseSignedTx(bytes: Uint8Array): L2Transaction {
  if (bytes[0] === 0x03) throw new L2MessageInvalid('blob transactions are not accepted on Arbitrum')
  let tx: DecodedSignedTransaction
  try {
    tx = decodeSignedTransaction(bytes)
  } catch (error) {
    if (error instanceof SignedTransactionDecodeError) throw new L2MessageInvalid(`undecodable signed transaction: ${error.message}`)
    throw error
  }
  return { hash: tx.hash, type: tx.type, chainId: tx.chainId, nonce: tx.nonce, to: tx.to, value: tx.value, raw: tx.raw }
}

function parseUnsignedTx(body: Uint8Array, poster: Address, requestId: Hex | undefined, chainId: bigint, kind: 0 | 1): L2Transaction {
  let offset = 0
  const word = (): bigint => {
    if (body.length - offset < 32) throw new L2MessageInvalid('unexpected end of unsigned transaction')
    const value = hexToBigInt(bytesToHex(body.subarray(offset, offset + 32)))
    offset += 32
    return value
  }
  const gas = word()
  if (gas >= 1n << 64n) throw new L2MessageInvalid('unsigned user tx gas limit >= 2^64')
  const maxFeePerGas = word()
  let nonce = 0n
  if (kind === L2MessageKind.UnsignedUserTx) {
    nonce = word()
    if (nonce >= 1n << 64n) throw new L2MessageInvalid('unsigned user tx nonce >= 2^64')
  }
  // util.AddressFrom256FromReader keeps the low 20 bytes of the word.
  const toWord = word()
  const toLow = toWord & ((1n << 160n) - 1n)
  const to: Address | null = toLow === 0n ? null : getAddress(`0x${toLow.toString(16).padStart(40, '0')}`)
  const value = word()
  const data = bytesToHex(body.subarray(offset))
  if (kind === L2MessageKind.UnsignedUserTx) {
    const { hash, raw } = encodeArbitrumUnsignedTx({ chainId, from: poster, nonce, maxFeePerGas, gas, to, value, data })
    return { hash, type: 'arbitrum-unsigned', chainId, from: poster, nonce, to, value, raw }
  }
  if (requestId === undefined) throw new L2MessageInvalid('cannot issue contract tx without L1 request id')
  const { hash, raw } = encodeArbitrumContractTx({ chainId, requestId, from: poster, maxFeePerGas, gas, to, value, data })
  return { hash, type: 'arbitrum-contract', chainId, from: poster, to, value, raw }
}
