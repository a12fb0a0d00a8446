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

  // The whole key set is sorted once (lexicographic, a key before the keys it prefixes), so every subtree is a
  // contiguous run: a group's common prefix is that of its first and last key, and its children are the runs of equal
  // nibbles, found by one sequential scan. (Partitioning nibble by nibble at every branch moved every entry once per
  // trie level and was the largest cost after hashing.) perm[j] is the input index of the j-th key in order; head[j]
  // holds its first 8 nibbles (zero-padded), which decide almost every comparison and nibble read.
  const { perm, head, keyLength } = sortKeys(keys, values)
  // Nibble length of each key, in order (with one common key length, the usual case, no key object is read again).
  const nib = new Int32Array(n)
  if (keyLength >= 0) nib.fill(keyLength * 2)
  else for (let j = 0; j < n; j++) nib[j] = keys[perm[j]!]!.length * 2
  /** Nibble `depth` of the j-th key in order (the key is longer than `depth` nibbles). */
  const nibbleOf = (j: number, depth: number): number => (depth < 8 ? (head[j]! >>> (28 - 4 * depth)) & 15 : nibbleAt(keys[perm[j]!]!, depth))
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
    const key = keys[i]!
    const value = values[i]!
    const out = ensure(leafNodeLength(key.length * 2 - depth, value.length, value[0]!))
    return finish(encodeLeafNodeInto(out, key, 0, key.length, depth, value, 0, value.length), provables)
  }

  /** Length of the common prefix of the j-th and k-th keys in order, known to be at least `depth`. */
  const commonPrefix = (j: number, k: number, depth: number): number => {
    const max = Math.min(nib[j]!, nib[k]!)
    let l = depth
    if (l < 8) {
      const x = head[j]! ^ head[k]!
      if (x !== 0) return Math.min(max, Math.clz32(x) >> 2)
      l = 8
    }
    const a = keys[perm[j]!]!
    const b = keys[perm[k]!]!
    while (l < max && nibbleAt(a, l) === nibbleAt(b, l)) l++
    return Math.min(l, max)
  }

  const build = (start: number, end: number, depth: number, provables: number[] | null): Uint8Array => {
    if (end - start === 1) return leaf(perm[start]!, depth, provables)
    // Sorted: the group's common prefix is its first and last keys' (from `depth` on).
    const lcp = commonPrefix(start, end - 1, depth)
    if (lcp > depth) {
      const child = branch(start, end, lcp, provables)
      return finish(writeTo(encodeShortNode(hexPrefix(keys[perm[start]!]!, depth, lcp, false), child, true)), provables)
    }
    return branch(start, end, depth, provables)
  }

  const writeTo = (node: Uint8Array): number => {
    copy(ensure(node.length), 0, node)
    return node.length
  }

  const branch = (start: number, end: number, depth: number, provables: number[] | null): Uint8Array => {
    // A key ending here takes the value slot; sorted, it is the group's first (it prefixes all the others).
    let from = start
    let value: Uint8Array | undefined
    if (nib[start] === depth) {
      if (nib[start + 1] === depth) throw new TrieInputError('duplicate-key', `a key occurs more than once (depth ${depth})`)
      value = values[perm[start]!]
      from++
    }

    // Touch the entries of a small subtree in one tight loop before building it: their cache misses (entries are
    // visited in key order, i.e. at random in memory) then overlap instead of stalling each leaf one by one.
    if (end - start <= PREFETCH_MAX) {
      for (let j = start; j < end; j++) {
        const i = perm[j]!
        _touched ^= keys[i]![0]! ^ values[i]![0]!
      }
    }

    let childProvables: (number[] | null)[] | null = null
    if (provables) {
      childProvables = new Array<number[] | null>(17).fill(null)
      for (const p of provables) {
        const slot = keys[p]!.length * 2 === depth ? 16 : nibbleAt(keys[p]!, depth)
        ;(childProvables[slot] ??= []).push(p)
      }
    }

    const children = (childrenAt[depth] ??= new Array<Uint8Array | undefined>(16))
    children.fill(undefined)
    // Children recurse at deeper depths, so this depth's array stays intact while they run.
    while (from < end) {
      const c = nibbleOf(from, depth)
      let to = from + 1
      while (to < end && nibbleOf(to, depth) === c) to++
      children[c] = build(from, to, depth + 1, childProvables?.[c] ?? null)
      from = to
    }
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

/** Radix digits of the 32-bit head: 11 + 11 + 10 bits (counters small enough to stay in cache). */
const DIGITS = [
  [0, 0x7ff],
  [11, 0x7ff],
  [22, 0x3ff],
] as const

/**
 * The keys in order: an LSD radix sort on each key's first 4 bytes (zero-padded), then runs of equal heads (keys
 * sharing 8 nibbles, or short keys that pad to the same head) ordered by comparing whole keys, a key before the longer
 * keys it prefixes. Also rejects empty values and finds the common key length (checked here so the million key and value
 * objects are read in one pass).
 */
function sortKeys(keys: readonly Uint8Array[], values: readonly Uint8Array[]): { perm: Int32Array; head: Uint32Array; keyLength: number } {
  const n = keys.length
  let perm = new Int32Array(n)
  let head = new Uint32Array(n)
  /** The common key length, or -1 when lengths differ. */
  let keyLength = keys[0]!.length
  for (let i = 0; i < n; i++) {
    const key = keys[i]!
    const len = key.length
    if (len !== keyLength) keyLength = -1
    if (values[i]!.length === 0) throw new TrieInputError('empty-value', `value ${i} is empty`)
    perm[i] = i
    head[i] = (len >= 4 ? (key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]! : ((len > 0 ? key[0]! : 0) << 24) | ((len > 1 ? key[1]! : 0) << 16) | ((len > 2 ? key[2]! : 0) << 8)) >>> 0
  }
  if (n > 1) {
    let perm2 = new Int32Array(n)
    let head2 = new Uint32Array(n)
    const counts = new Int32Array(2048)
    for (const [shift, mask] of DIGITS) {
      counts.fill(0)
      for (let j = 0; j < n; j++) counts[(head[j]! >>> shift) & mask]!++
      let acc = 0
      for (let c = 0; c <= mask; c++) {
        const k = counts[c]!
        counts[c] = acc
        acc += k
      }
      for (let j = 0; j < n; j++) {
        const h = head[j]!
        const to = counts[(h >>> shift) & mask]!++
        head2[to] = h
        perm2[to] = perm[j]!
      }
      ;[perm, perm2] = [perm2, perm]
      ;[head, head2] = [head2, head]
    }
  }
  const compareKeys = (a: number, b: number): number => {
    const ka = keys[a]!
    const kb = keys[b]!
    const m = Math.min(ka.length, kb.length)
    for (let k = 0; k < m; k++) {
      const d = ka[k]! - kb[k]!
      if (d !== 0) return d
    }
    return ka.length - kb.length
  }
  for (let j = 0; j < n; ) {
    let e = j + 1
    while (e < n && head[e] === head[j]) e++
    if (e - j > 1) perm.subarray(j, e).sort(compareKeys)
    j = e
  }
  return { perm, head, keyLength }
}
