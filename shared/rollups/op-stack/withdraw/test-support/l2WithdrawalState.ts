/**
 * An L2 state holding withdrawals, built with the project's trie builder (tests only): the L2ToL1MessagePasser's
 * storage trie with sentMessages[hash] = true for each withdrawal (plus filler slots so proofs have depth), the state
 * trie with the message passer and filler accounts, and the output-root preimage for a given block hash. Proofs come
 * in OptimismPortal form (embedded nodes as their own elements) and in eth_getProof form (embedded nodes left inside
 * their parent, as geth/reth answer).
 */
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem'

import { L2_TO_L1_MESSAGE_PASSER } from '../../../../eth/predeploys'
import { buildTrie } from '../../../../trie/buildTrie'
import { computeOutputRoot, OUTPUT_ROOT_VERSION_0, type OutputRootProof } from '../../common/computeOutputRoot'
import { computeWithdrawalHash, computeWithdrawalStorageSlot, type WithdrawalTransaction } from '../../proof/withdrawalProof'
import { encodeAccount, encodeStorageValue } from '../../state/encodeAccount'

export interface L2WithdrawalState {
  withdrawalHashes: Hex[]
  messagePasserStorageRoot: Hex
  stateRoot: Hex
  /** Storage-trie nodes by hash (what a state backend would give buildWithdrawalProof). */
  getNode: (hash: Uint8Array) => Uint8Array | undefined
  /** The message passer's account proof against stateRoot (OptimismPortal form). */
  messagePasserAccountProof: Hex[]
  /** eth_getProof-style storage proof of withdrawal i: embedded nodes stay inside their parent. */
  rpcStorageProof(i: number): Hex[]
  outputRootProof(blockHash: Hex): OutputRootProof
  outputRoot(blockHash: Hex): Hex
}

/**
 * `embeddedLeaf`: add a slot whose trie path differs from the first withdrawal's in the last nibble only, so both
 * leaves sit under one deep branch and are embedded in it (< 32 bytes): the notes §3 pitfall.
 */
export function buildL2WithdrawalState(p: { withdrawals: readonly WithdrawalTransaction[]; fillerSlots?: number; fillerAccounts?: number; embeddedLeaf?: boolean }): L2WithdrawalState {
  const withdrawalHashes = p.withdrawals.map(computeWithdrawalHash)
  const slotKeys = [
    ...withdrawalHashes.map((h) => keccak256(computeWithdrawalStorageSlot(h))),
    ...(p.embeddedLeaf ? [twinPath(keccak256(computeWithdrawalStorageSlot(withdrawalHashes[0] as Hex)))] : []),
    ...Array.from({ length: p.fillerSlots ?? 20 }, (_, i) => keccak256(computeWithdrawalStorageSlot(keccak256(`0x${(i + 1).toString(16).padStart(64, '0')}`)))),
  ]
  const nodes = new Map<string, Uint8Array>()
  const storage = buildTrie({
    keys: slotKeys.map((k) => hexToBytes(k)),
    values: slotKeys.map(() => encodeStorageValue(Uint8Array.of(1))),
    prove: withdrawalHashes.map((_, i) => i),
    onNode: (h, n) => nodes.set(bytesToHex(h), n),
  })
  const messagePasserStorageRoot = bytesToHex(storage.root)
  const addresses: Hex[] = [L2_TO_L1_MESSAGE_PASSER, ...Array.from({ length: p.fillerAccounts ?? 30 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}` as Hex)]
  const emptyCode = hexToBytes(keccak256('0x'))
  const state = buildTrie({
    keys: addresses.map((a) => hexToBytes(keccak256(a))),
    values: addresses.map((_, i) => encodeAccount(BigInt(i), 10n ** 18n, i === 0 ? storage.root : hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'), emptyCode)),
    prove: [0],
  })
  const stateRoot = bytesToHex(state.root)
  const outputRootProof = (blockHash: Hex): OutputRootProof => ({ version: OUTPUT_ROOT_VERSION_0, stateRoot, messagePasserStorageRoot, latestBlockhash: blockHash })
  return {
    withdrawalHashes,
    messagePasserStorageRoot,
    stateRoot,
    getNode: (h) => nodes.get(bytesToHex(h)),
    messagePasserAccountProof: (state.proofs[0] as Uint8Array[]).map((n) => bytesToHex(n)),
    rpcStorageProof: (i) => (storage.proofs[i] as Uint8Array[]).filter((n, j) => j === 0 || n.length >= 32).map((n) => bytesToHex(n)),
    outputRootProof,
    outputRoot: (blockHash) => computeOutputRoot(outputRootProof(blockHash)),
  }
}

/** A withdrawal as L2ToL1MessagePasser.initiateWithdrawal records it (nonce version 1 in the top 16 bits). */
export function messagePasserWithdrawal(p: { n: bigint; sender: Hex; target: Hex; value: bigint; gasLimit?: bigint; data?: Hex }): WithdrawalTransaction {
  return { nonce: (1n << 240n) | p.n, sender: p.sender, target: p.target, value: p.value, gasLimit: p.gasLimit ?? 100_000n, data: p.data ?? '0x' }
}


function twinPath(path: Hex): Hex {
  const last = parseInt(path.slice(-1), 16) ^ 1
  return `${path.slice(0, -1)}${last.toString(16)}` as Hex
}
