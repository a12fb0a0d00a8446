import { RLP } from '@ethereumjs/rlp'
import { createMPT } from '@ethereumjs/mpt'
import { bytesToHex, concat, hexToBytes, keccak256, numberToHex, toRlp, type Address, type Hex } from 'viem'
import type { L2Log, L2Receipt, L2Transaction } from './l2Types'

/**
 * Block-level encodings of the devnet L2: header RLP and hash (geth London header, the fields the RPC serves),
 * logs bloom, and the transaction/receipt/state tries (@ethereumjs/mpt). Arbitrum's header carries sendRoot in
 * extraData and sendCount ‖ l1BlockNumber ‖ arbosVersion in mixHash (go-ethereum core/types/arb_types.go).
 */
export const EMPTY_UNCLES_HASH: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'
export const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'
export const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

/** Canonical RLP integer: minimal big-endian bytes, 0 as the empty string. */
export function rlpInt(value: bigint | number): Hex {
  const n = BigInt(value)
  if (n < 0n) throw new RangeError('negative integer in RLP')
  if (n === 0n) return '0x'
  const h = n.toString(16)
  return `0x${h.length % 2 === 1 ? `0${h}` : h}`
}

export function uint64Bytes(value: bigint): Hex {
  return numberToHex(value, { size: 8 })
}

/** 2048-bit logs bloom (yellow paper §4.3.1): 3 bits per address and topic. */
export function logsBloom(logs: readonly Pick<L2Log, 'address' | 'topics'>[]): Hex {
  const bloom = new Uint8Array(256)
  const add = (item: Hex): void => {
    const h = keccak256(item, 'bytes')
    for (let i = 0; i < 6; i += 2) {
      const bit = (((h[i] as number) << 8) | (h[i + 1] as number)) & 2047
      bloom[255 - (bit >> 3)] = (bloom[255 - (bit >> 3)] as number) | (1 << (bit & 7))
    }
  }
  for (const log of logs) {
    add(log.address)
    for (const topic of log.topics) add(topic)
  }
  return bytesToHex(bloom)
}

export function orBlooms(blooms: readonly Hex[]): Hex {
  const out = new Uint8Array(256)
  for (const b of blooms) {
    const bytes = hexToBytes(b)
    for (let i = 0; i < 256; i++) out[i] = (out[i] as number) | (bytes[i] as number)
  }
  return bytesToHex(out)
}

/** The EIP-2718 receipt encoding that goes into the receipts trie. */
export function encodeReceipt(typeByte: number, receipt: L2Receipt): Hex {
  const body = toRlp([
    receipt.status === 'success' ? '0x01' : '0x',
    rlpInt(receipt.cumulativeGasUsed),
    receipt.logsBloom,
    receipt.logs.map((log) => [log.address, log.topics, log.data]),
  ])
  return typeByte === 0 ? body : concat([numberToHex(typeByte, { size: 1 }), body])
}

async function orderedTrieRoot(values: readonly Hex[]): Promise<Hex> {
  if (values.length === 0) return EMPTY_TRIE_ROOT
  const trie = await createMPT()
  for (let i = 0; i < values.length; i++) await trie.put(RLP.encode(i), hexToBytes(values[i] as Hex))
  return bytesToHex(trie.root())
}

export function transactionsRoot(transactions: readonly L2Transaction[]): Promise<Hex> {
  return orderedTrieRoot(transactions.map((tx) => tx.encoded))
}

export function receiptsRoot(transactions: readonly L2Transaction[], receipts: readonly L2Receipt[]): Promise<Hex> {
  return orderedTrieRoot(receipts.map((r, i) => encodeReceipt((transactions[i] as L2Transaction).typeByte, r)))
}

/** The account trie root: secure MPT of rlp([nonce, balance, emptyStorageRoot, emptyCodeHash]); empty accounts are absent (EIP-161). */
export async function stateRoot(accounts: ReadonlyMap<string, { balance: bigint; nonce: bigint }>): Promise<Hex> {
  const trie = await createMPT({ useKeyHashing: true })
  let any = false
  for (const [address, account] of accounts) {
    if (account.balance === 0n && account.nonce === 0n) continue
    any = true
    await trie.put(hexToBytes(address as Hex), hexToBytes(toRlp([rlpInt(account.nonce), rlpInt(account.balance), EMPTY_TRIE_ROOT, EMPTY_CODE_HASH])))
  }
  return any ? bytesToHex(trie.root()) : EMPTY_TRIE_ROOT
}

// The devnet's own header encoding, deliberately not shared/eth/header.ts: the app hashes the
// headers this node serves with that one, so the two must agree independently (readConfirmedSendCount's tests).
export interface HeaderFields {
  parentHash: Hex
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
}

/** The header RLP (London field set: the 16 fields the devnet RPC serves, in geth order) and its keccak hash. */
export function encodeHeader(h: HeaderFields): { rlp: Hex; hash: Hex } {
  const rlp = toRlp([
    h.parentHash,
    EMPTY_UNCLES_HASH,
    h.miner,
    h.stateRoot,
    h.transactionsRoot,
    h.receiptsRoot,
    h.logsBloom,
    rlpInt(h.difficulty),
    rlpInt(h.number),
    rlpInt(h.gasLimit),
    rlpInt(h.gasUsed),
    rlpInt(h.timestamp),
    h.extraData,
    h.mixHash,
    h.nonce,
    rlpInt(h.baseFeePerGas),
  ])
  return { rlp, hash: keccak256(rlp) }
}

/** Byte size of rlp([header, transactions, uncles]), as eth_getBlockByNumber reports `size`. */
export function blockSize(headerRlp: Hex, transactions: readonly L2Transaction[]): bigint {
  const txItems = transactions.map((tx) => (tx.typeByte === 0 ? RLP.decode(hexToBytes(tx.encoded)) : hexToBytes(tx.encoded)))
  return BigInt(RLP.encode([RLP.decode(hexToBytes(headerRlp)), txItems as never, []]).length)
}
