/**
 * An Ethereum block header (L1, and OP Stack L2 blocks, which use the same format): fields, RLP encoding and hash. Which optional fields are present depends on the fork of the
 * block (London base; Canyon withdrawalsRoot; Ecotone blob gas fields and parentBeaconBlockRoot; Isthmus
 * requestsHash). Spec: Yellow Paper §4.3; EIP-1559/4895/4844/4788/7685; op-stack notes §1.12 (b).
 */
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, type Address, type Hex } from 'viem'
import { bigintToMinimalBytes as quantity } from './bytes'

export interface BlockHeader {
  parentHash: Hex
  sha3Uncles: Hex
  miner: Address
  stateRoot: Hex
  transactionsRoot: Hex
  receiptsRoot: Hex
  logsBloom: Hex
  difficulty: bigint
  number: bigint
  gasLimit: bigint
  gasUsed: bigint
  timestamp: bigint
  extraData: Hex
  mixHash: Hex
  nonce: Hex
  baseFeePerGas: bigint
  withdrawalsRoot?: Hex | undefined
  blobGasUsed?: bigint | undefined
  excessBlobGas?: bigint | undefined
  parentBeaconBlockRoot?: Hex | undefined
  requestsHash?: Hex | undefined
  /** Known hash of this header (not encoded; e.g. from a parent header record). */
  hash?: Hex | undefined
}

export const EMPTY_UNCLES_HASH: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'
export const EMPTY_ROOT_HASH: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'
/** sha256(''): requestsHash of a block with no EIP-7685 requests (OP from Isthmus). */
export const EMPTY_REQUESTS_HASH: Hex = '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export function encodeHeader(h: BlockHeader): Uint8Array {
  const fields: Uint8Array[] = [
    hexToBytes(h.parentHash),
    hexToBytes(h.sha3Uncles),
    hexToBytes(h.miner),
    hexToBytes(h.stateRoot),
    hexToBytes(h.transactionsRoot),
    hexToBytes(h.receiptsRoot),
    hexToBytes(h.logsBloom),
    quantity(h.difficulty),
    quantity(h.number),
    quantity(h.gasLimit),
    quantity(h.gasUsed),
    quantity(h.timestamp),
    hexToBytes(h.extraData),
    hexToBytes(h.mixHash),
    hexToBytes(h.nonce),
    quantity(h.baseFeePerGas),
  ]
  // Optional fields are positional: each later one requires all earlier ones.
  const optional: (Uint8Array | undefined)[] = [
    h.withdrawalsRoot === undefined ? undefined : hexToBytes(h.withdrawalsRoot),
    h.blobGasUsed === undefined ? undefined : quantity(h.blobGasUsed),
    h.excessBlobGas === undefined ? undefined : quantity(h.excessBlobGas),
    h.parentBeaconBlockRoot === undefined ? undefined : hexToBytes(h.parentBeaconBlockRoot),
    h.requestsHash === undefined ? undefined : hexToBytes(h.requestsHash),
  ]
  const last = optional.findLastIndex((f) => f !== undefined)
  for (let i = 0; i <= last; i++) {
    const f = optional[i]
    if (f === undefined) throw new TypeError('header optional fields must be contiguous')
    fields.push(f)
  }
  return RLP.encode(fields)
}

export function hashHeader(h: BlockHeader): Hex {
  return bytesToHex(keccak_256(encodeHeader(h)))
}

/** Decodes a header RLP (e.g. a parent header from a witness); throws on malformed input. */
export function decodeHeader(rlp: Uint8Array): BlockHeader {
  const f = RLP.decode(rlp) as Uint8Array[]
  if (!Array.isArray(f) || f.length < 15 || f.length > 21 || f.some((x) => !(x instanceof Uint8Array))) {
    throw new TypeError(`not a block header (${Array.isArray(f) ? f.length : 0} fields)`)
  }
  const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(bytesToHex(b)))
  const hex = (b: Uint8Array): Hex => bytesToHex(b)
  return {
    parentHash: hex(f[0]!),
    sha3Uncles: hex(f[1]!),
    miner: hex(f[2]!),
    stateRoot: hex(f[3]!),
    transactionsRoot: hex(f[4]!),
    receiptsRoot: hex(f[5]!),
    logsBloom: hex(f[6]!),
    difficulty: big(f[7]!),
    number: big(f[8]!),
    gasLimit: big(f[9]!),
    gasUsed: big(f[10]!),
    timestamp: big(f[11]!),
    extraData: hex(f[12]!),
    mixHash: hex(f[13]!),
    nonce: hex(f[14]!),
    baseFeePerGas: big(f[15] ?? new Uint8Array(0)),
    withdrawalsRoot: f[16] ? hex(f[16]) : undefined,
    blobGasUsed: f[17] ? big(f[17]) : undefined,
    excessBlobGas: f[18] ? big(f[18]) : undefined,
    parentBeaconBlockRoot: f[19] ? hex(f[19]) : undefined,
    requestsHash: f[20] ? hex(f[20]) : undefined,
  }
}
