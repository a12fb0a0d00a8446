/**
 * Merkle-Patricia trie root (and inclusion proofs) for a whole key set at once, stack-trie style: the key set is
 * partitioned nibble by nibble (an MSD radix sort, so unsorted input costs no comparison sort) and every node is
 * encoded and hashed exactly once, bottom-up. Nothing is stored unless the caller asks for it through `onNode`.
 *
 * This is what @ethereumjs/mpt cannot do quickly (it inserts key by key, re-hashing paths, at ~3k keys/s), and what
 * genesis, transaction/receipt roots and large storage tries need. Spec: Yellow Paper appendix D (modified
 * Merkle-Patricia trie), hex-prefix in appendix C.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { branchNodeLength, copy, encodeBranchNodeInto, encodeLeafNodeInto, encodeShortNode, hexPrefix, leafNodeLength, nibbleAt } from './encodeNode'
import { TrieInputError } from './errors'
import type { Keccak256 } from './keccak'

export interface BuildTrieParameters {
  /** Trie paths as bytes (for a secure trie, already keccak-hashed). Must be distinct. */
  keys: readonly Uint8Array[]
  /** Values, aligned with `keys`; none may be empty (an empty value means "absent" in a trie). */
  values: readonly Uint8Array[]
  /** Indices into `keys` whose inclusion proofs to record while building. */
  prove?: readonly number[]
  /** Receives every node referenced by hash (encoding ≥ 32 bytes) and the root node, e.g. to persist them. */
  onNode?: (hash: Uint8Array, node: Uint8Array) => void
  /** keccak-256 implementation (default @noble/hashes; see keccak.ts for the faster WebAssembly one). */
  keccak?: Keccak256
}

export interface BuildTrieReturnType {
  root: Uint8Array
  /**
   * Proofs aligned with `prove`: the nodes from the root to the leaf, in the form OptimismPortal's MerkleTrie
   * verifier accepts — every node on the path is its own element, including nodes embedded (< 32 bytes) in their
   * parent (see op-stack notes §3, "embedded leaf"). Standard verifiers (geth, @ethereumjs/mpt) accept it too.
   */
  proofs: Uint8Array[][]
}

/** Subtrees up to this many entries get their entries touched ahead of the build (see branch()). */
const PREFETCH_MAX = 256

/** keccak256(rlp('')): the root of the empty trie. */
export const EMPTY_TRIE_ROOT = keccak_256(Uint8Array.of(0x80))

export function buildTrie(parameters: BuildTrieParameters): BuildTrieReturnType {
  const { keys, values, onNode } = parameters
  const keccak = parameters.keccak ?? keccak_256
  const n = keys.length
  if (values.length !== n) throw new TrieInputError('empty-value', `${n} keys but ${values.length} values`)
  const prove = parameters.prove ?? []
  const proofs: Uint8Array[][] = prove.map(() => [])
  if (n === 0) {
    if (prove.length > 0) throw new TrieInputError('unknown-proof-key', 'proof requested from an empty trie')
    return { root: EMPTY_TRIE_ROOT.slice(), proofs }
  }

  // proofSlots[entry] lists the `prove` positions asking for that entry (a key may be asked for twice).
  const proofSlots = new Map<number, number[]>()
  prove.forEach((entry, slot) => {
    if (!Number.isInteger(entry) || entry < 0 || entry >= n) throw new TrieInputError('unknown-proof-key', `index ${entry}`)
    const slots = proofSlots.get(entry)
    if (slots) slots.push(slot)
    else proofSlots.set(entry, [slot])
  })

  const perm = new Int32Array(n)
  for (let i = 0; i < n; i++) perm[i] = i
  const tmp = new Int32Array(n)
  // The first 8 nibbles and the nibble length of every key, kept in the same (permuted) order as `perm`: the radix
  // passes then read two flat arrays sequentially instead of chasing a million separate key objects, which was the
  // other main cost after allocation (cache misses).
  const head = new Uint32Array(n)
  const nib = new Int32Array(n)
  const tmpHead = new Uint32Array(n)
  const tmpNib = new Int32Array(n)
  let maxNibbles = 0
  // Keys and values are also copied once, in input order (a sequential read), into one flat buffer, each value
  // right after its key. In sorted order the build visits entries at random; reading key and value objects there cost
  // several cache misses per leaf (array slots, typed-array headers, bytes) and was the largest non-hashing cost at
  // 10^6 keys; a 32-byte key with a 32-byte value now usually sits in one cache line. With fixed-size keys and values
  // (the usual case) an entry's offset is index × size, so no offset table is read either.
  const flat = flattenEntries(keys, values)
  const eb = flat.bytes
  const kStride = flat.keyStride
  const vStride = flat.valueStride
  const entryStride = kStride >= 0 && vStride >= 0 ? kStride + vStride : -1
  const eOff = flat.offsets
  const kLen = flat.keyLengths
  // From the flat buffer rather than the key objects: one sequential pass over a million objects is enough.
  for (let i = 0; i < n; i++) {
    const ko = entryStride >= 0 ? i * entryStride : eOff[i]!
    const len = kStride >= 0 ? kStride : kLen[i]!
    head[i] =
      (((len > 0 ? eb[ko]! : 0) << 24) | ((len > 1 ? eb[ko + 1]! : 0) << 16) | ((len > 2 ? eb[ko + 2]! : 0) << 8) | (len > 3 ? eb[ko + 3]! : 0)) >>> 0
    nib[i] = len * 2
    if (len * 2 > maxNibbles) maxNibbles = len * 2
  }
  const keyOffset = (i: number): number => (entryStride >= 0 ? i * entryStride : eOff[i]!)
  /** Nibble `d` of the key with input index `i`, read from the flat buffer. */
  const flatNibble = (i: number, d: number): number => {
    const b = eb[keyOffset(i) + (d >> 1)]!
    return d & 1 ? b & 0x0f : b >> 4
  }
  /** Branch slot of the j-th key (in perm order) at `depth`: its nibble, or 16 when the key ends there. */
  const slotAt = (j: number, depth: number): number => {
    if (nib[j] === depth) return 16
    return depth < 8 ? (head[j]! >>> (28 - 4 * depth)) & 15 : flatNibble(perm[j]!, depth)
  }
  // Per-depth counters for the radix partition (no allocation per branch).
  const counts = new Int32Array(17 * (maxNibbles + 1))
  const offsets = new Int32Array(17 * (maxNibbles + 1))
  const cursor = new Int32Array(17)
  // One reusable children array per depth: children recurse deeper, so a depth's array is free again on return.
  const childrenAt: (Uint8Array | undefined)[][] = []
  // Nodes are encoded into one reusable buffer and hashed from there; a node is copied out only when it is kept
  // (embedded in its parent, handed to onNode, or part of a requested proof). Allocation, not hashing, was the
  // bottleneck of the naive version.
  let scratch = new Uint8Array(1024)
  // views[len] = scratch.subarray(0, len), made once per length instead of once per node.
  let views: Uint8Array[] = []
  const ensure = (len: number): Uint8Array => {
    if (scratch.length < len) {
      scratch = new Uint8Array(Math.max(len, scratch.length * 2))
      views = []
    }
    return scratch
  }
  const keep = onNode !== undefined
  let _touched = 0 // the prefetch loads go here (a write to a closure variable is never optimised away)

  const finish = (len: number, provables: number[] | null): Uint8Array => {
    const view = (views[len] ??= scratch.subarray(0, len))
    let node: Uint8Array | undefined
    if (provables) {
      node = view.slice()
      for (const p of provables) for (const slot of proofSlots.get(p)!) proofs[slot]!.push(node)
    }
    // A child reference is the node itself when embedded (< 32 bytes) or its 32-byte hash; the lengths never clash.
    if (len < 32) return node ?? view.slice()
    const hash = keccak(view)
    if (keep) onNode(hash, node ?? view.slice())
    return hash
  }

  const leaf = (i: number, depth: number, provables: number[] | null): Uint8Array => {
    const ko = keyOffset(i)
    const keyBytes = kStride >= 0 ? kStride : kLen[i]!
    const vo = ko + keyBytes
    const vLen = vStride >= 0 ? vStride : (entryStride >= 0 ? ko + entryStride : eOff[i + 1]!) - vo
    const out = ensure(leafNodeLength(keyBytes * 2 - depth, vLen, eb[vo]!))
    return finish(encodeLeafNodeInto(out, eb, ko, keyBytes, depth, eb, vo, vLen), provables)
  }

  const build = (start: number, end: number, depth: number, provables: number[] | null): Uint8Array => {
    if (end - start === 1) return leaf(perm[start]!, depth, provables)
    // Longest common prefix of the group, from `depth` on.
    const first = perm[start]!
    let lcp = nib[start]!
    for (let j = start + 1; j < end && lcp > depth; j++) {
      // Common case: the group already differs at `depth` (decided from the flat arrays).
      if (nib[start]! > depth && nib[j]! > depth && slotAt(start, depth) !== slotAt(j, depth)) {
        lcp = depth
        break
      }
      const k = perm[j]!
      const max = Math.min(lcp, nib[j]!)
      let l = depth
      while (l < max && flatNibble(first, l) === flatNibble(k, l)) l++
      lcp = l
    }
    if (lcp > depth) {
      const child = branch(start, end, lcp, provables)
      return finish(writeTo(encodeShortNode(hexPrefix(keys[first]!, depth, lcp, false), child, true)), provables)
    }
    return branch(start, end, depth, provables)
  }

  const writeTo = (node: Uint8Array): number => {
    copy(ensure(node.length), 0, node)
    return node.length
  }

  const branch = (start: number, end: number, depth: number, provables: number[] | null): Uint8Array => {
    // Counting sort of perm[start, end) by the nibble at `depth`; a key ending here takes the value slot (16).
    const base = depth * 17
    counts.fill(0, base, base + 17)
    for (let j = start; j < end; j++) counts[base + slotAt(j, depth)]!++
    if (counts[base + 16]! > 1) throw new TrieInputError('duplicate-key', `a key occurs more than once (depth ${depth})`)
    let acc = start
    // The value-slot entry (if any) goes first, then nibbles 0..15.
    offsets[base + 16] = acc
    cursor[16] = acc
    acc += counts[base + 16]!
    for (let c = 0; c < 16; c++) {
      offsets[base + c] = acc
      cursor[c] = acc
      acc += counts[base + c]!
    }
    for (let j = start; j < end; j++) {
      const to = cursor[slotAt(j, depth)]!++
      tmp[to] = perm[j]!
      tmpHead[to] = head[j]!
      tmpNib[to] = nib[j]!
    }
    for (let j = start; j < end; j++) {
      perm[j] = tmp[j]!
      head[j] = tmpHead[j]!
      nib[j] = tmpNib[j]!
    }

    // Touch the entries of a small subtree in one tight loop before building it: their cache misses (entries are
    // visited in key order, i.e. at random in memory) then overlap instead of stalling each leaf one by one.
    if (end - start <= PREFETCH_MAX) for (let j = start; j < end; j++) _touched ^= eb[keyOffset(perm[j]!)]!

    let childProvables: (number[] | null)[] | null = null
    if (provables) {
      childProvables = new Array<number[] | null>(17).fill(null)
      for (const p of provables) {
        const slot = keys[p]!.length * 2 === depth ? 16 : nibbleAt(keys[p]!, depth)
        ;(childProvables[slot] ??= []).push(p)
      }
    }

    const children = (childrenAt[depth] ??= new Array<Uint8Array | undefined>(16))
    for (let c = 0; c < 16; c++) {
      const count = counts[base + c]!
      if (count === 0) {
        children[c] = undefined
        continue
      }
      // Children recurse at deeper depths, so this depth's counters stay intact while they run.
      const from = offsets[base + c]!
      children[c] = build(from, from + count, depth + 1, childProvables?.[c] ?? null)
    }
    const value = counts[base + 16] === 1 ? values[perm[offsets[base + 16]!]!] : undefined
    const len = branchNodeLength(children, value)
    return finish(encodeBranchNodeInto(ensure(len), children, value), provables)
  }

  const rootRef = build(0, n, 0, prove.length > 0 ? [...proofSlots.keys()] : null)
  let root: Uint8Array
  if (rootRef.length === 32) {
    root = rootRef
  } else {
    // A root node shorter than 32 bytes is still referenced by its hash.
    root = keccak(rootRef)
    onNode?.(root, rootRef)
  }
  for (const proof of proofs) proof.reverse()
  return { root, proofs }
}

interface FlatEntries {
  /** key 0, value 0, key 1, value 1, … */
  bytes: Uint8Array
  /** The common key length, or -1 when lengths differ (then see keyLengths). */
  keyStride: number
  /** The common value length, or -1 when lengths differ. */
  valueStride: number
  /** Start of each entry (n + 1 entries) unless both strides are fixed. */
  offsets: Int32Array
  /** Each key's length when keyStride is -1. */
  keyLengths: Int32Array
}

/** Also rejects empty values (checked here so the million value objects are read in one pass). */
function flattenEntries(keys: readonly Uint8Array[], values: readonly Uint8Array[]): FlatEntries {
  const n = keys.length
  // Optimistic single pass for the usual fixed-size entries; on the first size mismatch, the general path below.
  const k0 = keys[0]!.length
  const v0 = values[0]!.length
  const fixedBytes = new Uint8Array(n * (k0 + v0))
  let i = 0
  for (let pos = 0; i < n; i++) {
    const key = keys[i]!
    const value = values[i]!
    if (key.length !== k0 || value.length !== v0) break
    if (v0 === 0) throw new TrieInputError('empty-value', `value ${i} is empty`)
    copy(fixedBytes, pos, key)
    copy(fixedBytes, pos + k0, value)
    pos += k0 + v0
  }
  if (i === n) return { bytes: fixedBytes, keyStride: k0, valueStride: v0, offsets: new Int32Array(0), keyLengths: new Int32Array(0) }

  let total = 0
  let keyStride = k0
  let valueStride = v0
  for (let i = 0; i < n; i++) {
    const kl = keys[i]!.length
    const vl = values[i]!.length
    if (vl === 0) throw new TrieInputError('empty-value', `value ${i} is empty`)
    total += kl + vl
    if (kl !== keyStride) keyStride = -1
    if (vl !== valueStride) valueStride = -1
  }
  const fixed = keyStride >= 0 && valueStride >= 0
  const bytes = new Uint8Array(total)
  const offsets = new Int32Array(fixed ? 0 : n + 1)
  const keyLengths = new Int32Array(keyStride >= 0 ? 0 : n)
  let pos = 0
  for (let i = 0; i < n; i++) {
    const key = keys[i]!
    const value = values[i]!
    if (!fixed) offsets[i] = pos
    if (keyStride < 0) keyLengths[i] = key.length
    // Short arrays: a loop beats TypedArray#set here (see encodeNode.copy).
    copy(bytes, pos, key)
    pos += key.length
    copy(bytes, pos, value)
    pos += value.length
  }
  if (!fixed) offsets[n] = pos
  return { bytes, keyStride, valueStride, offsets, keyLengths }
}
