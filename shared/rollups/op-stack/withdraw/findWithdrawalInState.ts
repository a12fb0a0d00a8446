/**
 * Find a withdrawal in an L2 state this app computed itself (a full rebuild from L1): the L2ToL1MessagePasser's
 * `msgNonce` (slot 1) says how many messages were passed; for a forced withdrawal every other field is known from
 * the deposit we built (sender = the L1 account, as a deposit from an EOA is not aliased; target, value, gas limit,
 * data), so the only unknown is its nonce. Candidate nonces are tried newest first, each hashed and looked up in
 * `sentMessages` (slot 0). No receipts, no L2 node: the state alone answers, at any block the rebuild reached.
 * Storage layout: contracts-bedrock L2ToL1MessagePasser (sentMessages slot 0, msgNonce uint240 slot 1; version 1).
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes, keccak256, numberToHex, pad, type Address, type Hex } from 'viem'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import { createProof } from '../../../trie/createProof'
import type { TrieNodeSource } from '../../../trie/createProof'
import { verifyProof } from '../../../trie/verifyProof'
import { EMPTY_TRIE_ROOT } from '../../../trie/buildTrie'
import { computeWithdrawalHash, computeWithdrawalStorageSlot, type WithdrawalTransaction } from '../proof/withdrawalProof'

/** The message passer's MESSAGE_VERSION, in the top 16 bits of every withdrawal nonce. */
const MESSAGE_VERSION = 1n

export interface MessagePasserState {
  storageRoot: Hex
  /** Messages passed so far (the unversioned counter). */
  messageCount: bigint
}

function readTrie(root: Uint8Array, key: Uint8Array, getNode: TrieNodeSource): Uint8Array | null {
  if (bytesToHex(root) === bytesToHex(EMPTY_TRIE_ROOT)) return null
  return verifyProof({ root, key, proof: createProof({ root, key, getNode }) })
}

export function readMessagePasserState(p: { stateRoot: Hex; getNode: TrieNodeSource }): MessagePasserState {
  const leaf = readTrie(hexToBytes(p.stateRoot), hexToBytes(keccak256(L2_TO_L1_MESSAGE_PASSER)), p.getNode)
  if (!leaf) return { storageRoot: bytesToHex(EMPTY_TRIE_ROOT), messageCount: 0n }
  const storageRoot = (RLP.decode(leaf) as Uint8Array[])[2] as Uint8Array
  const slot1 = readTrie(storageRoot, hexToBytes(keccak256(pad(numberToHex(1), { size: 32 }))), p.getNode)
  const value = slot1 ? (RLP.decode(slot1) as Uint8Array) : new Uint8Array()
  return { storageRoot: bytesToHex(storageRoot), messageCount: value.length === 0 ? 0n : BigInt(bytesToHex(value)) }
}

export interface FindWithdrawalInStateParameters {
  stateRoot: Hex
  getNode: TrieNodeSource
  /** Everything but the nonce. */
  expected: { sender: Address; target: Address; value: bigint; gasLimit: bigint; data: Hex }
  /** Nonces tried, newest first (default 100,000). */
  maxScan?: number
}

export function findWithdrawalInState(p: FindWithdrawalInStateParameters): { withdrawal: WithdrawalTransaction; withdrawalHash: Hex; messagePasser: MessagePasserState } | undefined {
  const messagePasser = readMessagePasserState(p)
  const root = hexToBytes(messagePasser.storageRoot)
  const limit = BigInt(p.maxScan ?? 100_000)
  for (let n = messagePasser.messageCount - 1n; n >= 0n && messagePasser.messageCount - n <= limit; n--) {
    const withdrawal: WithdrawalTransaction = { nonce: (MESSAGE_VERSION << 240n) | n, ...p.expected }
    const withdrawalHash = computeWithdrawalHash(withdrawal)
    const stored = readTrie(root, hexToBytes(keccak256(computeWithdrawalStorageSlot(withdrawalHash))), p.getNode)
    if (stored && (RLP.decode(stored) as Uint8Array).some((b) => b !== 0)) return { withdrawal, withdrawalHash, messagePasser }
  }
  return undefined
}
