/**
 * Reads of the devnet L2 state at a block's state root, straight from the node store: accounts, storage slots and
 * eth_getProof proofs. Proofs are built with the project's trie walker (shared/trie/createProof) and every value is
 * read *through* its proof (shared/trie/verifyProof), so a value returned here always matches the proof served.
 */
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, getAddress, hexToBytes, pad, type Address, type Hex } from 'viem'
import { createProof } from '../../../../../shared/trie/createProof'
import { verifyProof } from '../../../../../shared/trie/verifyProof'
import type { StateNodeStore } from '../../../../../shared/rollups/op-stack/state/StateNodeStore'
import type { OpL2AccountProof } from '../types'

const EMPTY_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'
const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

export interface AccountState {
  nonce: bigint
  balance: bigint
  storageRoot: Hex
  codeHash: Hex
}

/** eth_getProof form: the OptimismPortal form (createProof) minus the embedded nodes it repeats (< 32 bytes). */
function getProofForm(portal: readonly Uint8Array[]): Uint8Array[] {
  return portal.filter((node, i) => i === 0 || node.length >= 32)
}

function prove(store: StateNodeStore, root: Hex, key: Uint8Array): { proof: Uint8Array[]; value: Uint8Array | null } {
  const rootBytes = hexToBytes(root)
  const portal = createProof({ root: rootBytes, key, getNode: (h) => store.get(h) })
  const value = portal.length === 0 ? null : verifyProof({ root: rootBytes, key, proof: portal })
  return { proof: getProofForm(portal), value }
}

const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(bytesToHex(b)))

function decodeAccount(value: Uint8Array | null): AccountState | undefined {
  if (value === null) return undefined
  const [nonce, balance, storageRoot, codeHash] = RLP.decode(value) as Uint8Array[]
  return { nonce: big(nonce!), balance: big(balance!), storageRoot: bytesToHex(storageRoot!), codeHash: bytesToHex(codeHash!) }
}

export function readAccount(store: StateNodeStore, stateRoot: Hex, address: Address): AccountState | undefined {
  return decodeAccount(prove(store, stateRoot, keccak_256(hexToBytes(address))).value)
}

export function readStorage(store: StateNodeStore, stateRoot: Hex, address: Address, slot: Hex): bigint {
  const account = readAccount(store, stateRoot, address)
  if (!account || account.storageRoot === EMPTY_ROOT) return 0n
  const { value } = prove(store, account.storageRoot, keccak_256(hexToBytes(pad(slot, { size: 32 }))))
  return value === null ? 0n : big(RLP.decode(value) as Uint8Array)
}

export function readCode(store: StateNodeStore, stateRoot: Hex, address: Address): Hex {
  const account = readAccount(store, stateRoot, address)
  if (!account || account.codeHash === EMPTY_CODE_HASH) return '0x'
  const code = store.get(hexToBytes(account.codeHash))
  return code ? bytesToHex(code) : '0x'
}

/** eth_getProof at `stateRoot` (EIP-1186: absent accounts prove as empty; slots are 32-byte keys). */
export function accountProof(store: StateNodeStore, stateRoot: Hex, address: Address, slots: readonly Hex[]): OpL2AccountProof {
  const a = prove(store, stateRoot, keccak_256(hexToBytes(address)))
  const account = decodeAccount(a.value) ?? { nonce: 0n, balance: 0n, storageRoot: EMPTY_ROOT, codeHash: EMPTY_CODE_HASH }
  return {
    address: getAddress(address),
    accountProof: a.proof.map((n) => bytesToHex(n)),
    balance: account.balance,
    nonce: account.nonce,
    codeHash: account.codeHash,
    storageHash: account.storageRoot,
    storageProof: slots.map((slot) => {
      const key = pad(slot, { size: 32 }).toLowerCase() as Hex
      if (account.storageRoot === EMPTY_ROOT) return { key, value: 0n, proof: [] }
      const s = prove(store, account.storageRoot, keccak_256(hexToBytes(key)))
      return { key, value: s.value === null ? 0n : big(RLP.decode(s.value) as Uint8Array), proof: s.proof.map((n) => bytesToHex(n)) }
    }),
  }
}
