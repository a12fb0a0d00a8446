/**
 * An L2BlockSource over blocks this machine derived and executed itself: the last blocks of a rebuild (headers from
 * the state store, transactions as derived), kept in a bounded window. It lets a rebuild's checkpoint reuse
 * planDerivationStart — the same walk-back op-node does on a reset — with our own blocks instead of an untrusted
 * node's, so a resumed rebuild starts exactly where a fresh derivation would have been at that block.
 */
import { hexToBytes, keccak256, type Hex } from 'viem'
import { decodeHeader } from '../../../shared/eth/header'
import { toHex } from '../../../shared/eth/bytes'
import { RLP } from '@ethereumjs/rlp'
import type { L2BlockSource, UntrustedAccountProof, UntrustedL2Block } from '../../../shared/rollups/op-stack/derive/start/L2BlockSource'
import type { StateNodeStore } from '../../../shared/rollups/op-stack/state/StateNodeStore'
import { createProof } from '../../../shared/trie/createProof'
import { verifyProof } from '../../../shared/trie/verifyProof'
import { EscapeError } from '../../../shared/errors/EscapeError'

/** A block (or account) older than the window was asked for: the caller postpones what needed it. */
export class LocalBlockMissingError extends EscapeError {
  override name = 'LocalBlockMissingError'
  constructor(what: string, held: number) {
    super(`The rebuild's recent-block window does not hold ${what}.`, { kind: 'temporary', details: `the window holds ${held} blocks` })
  }
}

export interface LocalL2BlockSource extends L2BlockSource {
  /** Records a block executed as valid (in order). */
  add(block: { number: number; hash: Hex; transactions: readonly Uint8Array[] }): void
  readonly size: number
}

/** `window`: how many recent blocks to keep (enough for the channel-timeout walk back; the caller sizes it). */
export function createLocalL2BlockSource(store: StateNodeStore, window: number): LocalL2BlockSource {
  const byHash = new Map<string, { number: number; transactions: readonly Uint8Array[] }>()
  const byNumber = new Map<number, Hex>()
  const order: Hex[] = []
  const missing = (what: string): EscapeError => new LocalBlockMissingError(what, order.length)
  const block = (hash: Hex): UntrustedL2Block => {
    const entry = byHash.get(hash.toLowerCase())
    const raw = store.get(hexToBytes(hash))
    if (!entry || !raw) throw missing(`L2 block ${hash}`)
    return { header: { ...decodeHeader(raw), hash }, transactions: [...entry.transactions] }
  }
  return {
    label: 'this rebuild',
    get size() {
      return order.length
    },
    add(b) {
      const hash = b.hash.toLowerCase() as Hex
      byHash.set(hash, { number: b.number, transactions: b.transactions })
      byNumber.set(b.number, hash)
      order.push(hash)
      while (order.length > window) {
        const old = order.shift() as Hex
        const e = byHash.get(old)
        byHash.delete(old)
        if (e && byNumber.get(e.number) === old) byNumber.delete(e.number)
      }
    },
    async blockByNumber(number) {
      const hash = byNumber.get(number)
      if (!hash) throw missing(`L2 block ${number}`)
      return block(hash)
    },
    async blockByHash(hash) {
      return block(hash)
    },
    async accountProof(address, blockHash): Promise<UntrustedAccountProof> {
      const raw = store.get(hexToBytes(blockHash))
      if (!raw) throw missing(`L2 block ${blockHash}`)
      const root = hexToBytes(decodeHeader(raw).stateRoot)
      const key = hexToBytes(keccak256(address))
      const proof = createProof({ root, key, getNode: (h) => store.get(h) })
      const leaf = verifyProof({ root, key, proof })
      if (!leaf) throw missing(`account ${address} at ${blockHash}`)
      const account = decodeAccountLeaf(leaf)
      return { address, accountProof: proof.map((n) => toHex(n)), ...account }
    },
  }
}

function decodeAccountLeaf(leaf: Uint8Array): Omit<UntrustedAccountProof, 'address' | 'accountProof'> {
  const [nonce, balance, storageRoot, codeHash] = RLP.decode(leaf) as Uint8Array[]
  const int = (b: Uint8Array | undefined): bigint => (!b || b.length === 0 ? 0n : BigInt(toHex(b)))
  return { nonce: int(nonce), balance: int(balance), storageHash: toHex(storageRoot as Uint8Array), codeHash: toHex(codeHash as Uint8Array) }
}
