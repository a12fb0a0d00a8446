/**
 * The root of a block's list trie (transactions or receipts): key rlp(index), value the item's encoding, in block
 * order (Yellow Paper §4.3, appendix D). Built with the project's one-pass trie builder (shared/trie).
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, type Hex } from 'viem'
import { buildTrie } from '../trie/buildTrie'

export function orderedTrieRoot(values: readonly Uint8Array[]): Hex {
  const keys = values.map((_, i) => RLP.encode(i))
  return bytesToHex(buildTrie({ keys, values }).root)
}
