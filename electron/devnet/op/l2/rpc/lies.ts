/**
 * The devnet OP L2 node's lying modes (switches.rpcLies), for the app's tamper tests. Each lie changes exactly one
 * byte of one answer and leaves every other call honest, so a test proves the app checks that very thing:
 * - 'wrong-proof': eth_getProof's storage proofs (or, for a call without slots, the account proof) with the last byte
 *   of the deepest node flipped — the proof no longer leads from the state root to the value;
 * - 'wrong-header': blocks served with the last byte of stateRoot flipped while claiming the real block hash — the
 *   header no longer hashes to its hash (and its state root is not the one the output root commits to);
 * - 'wrong-witness': debug_executionWitness with one byte flipped in the trie node the parent's state root names — the
 *   node no longer hashes to the root, so re-execution cannot start from it.
 */
import { keccak256, type Hex } from 'viem'
import type { BlockHeader } from '../../../../../shared/eth/header'
import type { OpL2AccountProof, OpL2ExecutionWitness } from '../types'

export function flipLastByte(h: Hex): Hex {
  if (h.length < 4) return h
  const last = parseInt(h.slice(-2), 16) ^ 0x01
  return `${h.slice(0, -2)}${last.toString(16).padStart(2, '0')}` as Hex
}

const flipDeepest = (proof: readonly Hex[]): Hex[] => proof.map((node, i) => (i === proof.length - 1 ? flipLastByte(node) : node))

export function lieAboutProof(p: OpL2AccountProof): OpL2AccountProof {
  const withNodes = p.storageProof.some((s) => s.proof.length > 0)
  if (!withNodes) return { ...p, accountProof: flipDeepest(p.accountProof) }
  return { ...p, storageProof: p.storageProof.map((s) => ({ ...s, proof: flipDeepest(s.proof) })) }
}

export function lieAboutHeader(h: BlockHeader): BlockHeader {
  return { ...h, stateRoot: flipLastByte(h.stateRoot) }
}

export function lieAboutWitness(w: OpL2ExecutionWitness, parentStateRoot: Hex): OpL2ExecutionWitness {
  let target = w.state.findIndex((node) => keccak256(node) === parentStateRoot.toLowerCase())
  if (target < 0) target = 0
  return { ...w, state: w.state.map((node, i) => (i === target ? flipLastByte(node) : node)) }
}
