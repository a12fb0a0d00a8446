/**
 * Check an untrusted L2 block against its own commitments: the header fields hash to the claimed (or expected) block
 * hash, the header has exactly the fields of its fork (London base; Canyon withdrawalsRoot; Ecotone blob gas fields
 * and parentBeaconBlockRoot; Isthmus requestsHash — op-stack notes §1.12 (b)), and the transactions rebuild its
 * transactionsRoot (Yellow Paper §4.3: trie of rlp(index) → EIP-2718 bytes). A block that passes is bound by its hash:
 * whoever trusts the hash (an output root on L1, or a verified child's parentHash) can trust every byte returned.
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, type Hex } from 'viem'
import { buildTrie } from '../../../../trie/buildTrie'
import { isForkActive, type RollupConfig } from '../../config/rollupConfig'
import { UntrustedL2DataError } from './errors'
import type { UntrustedL2Block } from './L2BlockSource'
import { hashHeader, type BlockHeader } from '../../../../eth/header'
import { bigintToMinimalBytes } from '../../../../eth/bytes'

export interface VerifiedL2Block {
  hash: Hex
  header: BlockHeader
  transactions: Uint8Array[]
}

export interface VerifyL2BlockParameters {
  config: RollupConfig
  block: UntrustedL2Block
  /** The hash an L1 commitment (or a verified child) says this block has. */
  expectedHash?: Hex
  /** Names the node in errors. */
  node?: string
  /** Check the header only (a start block whose state, not its transactions, is used); transactions are dropped. */
  headerOnly?: boolean
}

export function verifyL2Block(p: VerifyL2BlockParameters): VerifiedL2Block {
  const { config, block, node } = p
  const h = block.header
  const n = h.number
  const fail = (problem: 'block-hash' | 'header-fields' | 'transactions-root', msg: string, details: string): never => {
    throw new UntrustedL2DataError(problem, msg, { node, details })
  }
  const t = Number(h.timestamp)
  const active = (f: Parameters<typeof isForkActive>[1]): boolean => isForkActive(config, f, t)
  const expect = (field: keyof BlockHeader, present: boolean): void => {
    if ((h[field] !== undefined) !== present) fail('header-fields', `The L2 node's block ${n} has the wrong header fields for its fork.`, `${field} is ${present ? 'missing' : 'present'} at timestamp ${t}`)
  }
  expect('withdrawalsRoot', active('canyon'))
  expect('blobGasUsed', active('ecotone'))
  expect('excessBlobGas', active('ecotone'))
  expect('parentBeaconBlockRoot', active('ecotone'))
  expect('requestsHash', active('isthmus'))
  const hash = hashHeader({ ...h, hash: undefined })
  if (hash !== h.hash.toLowerCase()) fail('block-hash', `The L2 node's block ${n} does not hash to the hash it claims.`, `header fields hash to ${hash}, node says ${h.hash}`)
  if (p.expectedHash !== undefined && hash !== p.expectedHash.toLowerCase()) {
    fail('block-hash', `The L2 node served the wrong block ${n}.`, `block hash ${hash}, expected ${p.expectedHash}`)
  }
  if (p.headerOnly) return { hash, header: { ...h, hash }, transactions: [] }
  const root = transactionsRoot(block.transactions)
  if (root !== h.transactionsRoot.toLowerCase()) {
    fail('transactions-root', `The transactions the L2 node sent for block ${n} do not match the block's transactionsRoot.`, `${block.transactions.length} transactions rebuild ${root}, header says ${h.transactionsRoot}`)
  }
  return { hash, header: { ...h, hash }, transactions: block.transactions }
}

export function transactionsRoot(transactions: readonly Uint8Array[]): Hex {
  const keys = transactions.map((_, i) => RLP.encode(bigintToMinimalBytes(BigInt(i))))
  return bytesToHex(buildTrie({ keys, values: transactions }).root)
}
