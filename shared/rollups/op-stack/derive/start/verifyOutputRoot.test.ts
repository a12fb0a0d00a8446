/**
 * verifyOutputRoot: the output-root preimage of a verified block, with the message-passer storage root from an account
 * proof (before Isthmus; a state trie built here with the project's trie builder, proofs from it) or from the header's
 * withdrawalsRoot (Isthmus). Block hash, header and transactions are the real OP Sepolia block 26207960.
 */
import { describe, expect, it } from 'vitest'
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem'
import { buildTrie } from '../../../../trie/buildTrie'
import { encodeAccount } from '../../state/encodeAccount'
import { UntrustedL2DataError } from './errors'
import type { UntrustedAccountProof } from './L2BlockSource'
import { realL2Blocks } from './test-support/realL2Blocks'
import { verifyL2Block } from './verifyL2Block'
import { verifyOutputRoot } from './verifyOutputRoot'
import { computeOutputRoot } from '../../common/computeOutputRoot'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../../eth/predeploys'

const { config, blocks } = realL2Blocks()
const real = verifyL2Block({ config, block: blocks[0] })
const passerStorageRoot = keccak256('0x01')
const codeHash = keccak256('0x02')

/** A state with the message passer and a few other accounts; the block's stateRoot set to its root. */
function withState(): { block: typeof real; proof: UntrustedAccountProof } {
  const addresses = [L2_TO_L1_MESSAGE_PASSER, ...Array.from({ length: 40 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}` as Hex)]
  const keys = addresses.map((a) => hexToBytes(keccak256(a)))
  const values = addresses.map((_, i) => encodeAccount(BigInt(i), 10n ** 18n, i === 0 ? hexToBytes(passerStorageRoot) : hexToBytes(keccak256('0x'), { size: 32 }), hexToBytes(codeHash)))
  const t = buildTrie({ keys, values, prove: [0] })
  const block = { ...real, header: { ...real.header, stateRoot: bytesToHex(t.root) } }
  const proof: UntrustedAccountProof = { address: L2_TO_L1_MESSAGE_PASSER, accountProof: (t.proofs[0] as Uint8Array[]).map((n) => bytesToHex(n)), nonce: 0n, balance: 10n ** 18n, codeHash, storageHash: passerStorageRoot }
  return { block, proof }
}

function problemOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof UntrustedL2DataError) return e.problem
    throw e
  }
  return undefined
}

describe('verifyOutputRoot', () => {
  it('before Isthmus: takes the storage root from a proof verified against the state root', () => {
    const { block, proof } = withState()
    const outputRoot = computeOutputRoot({ stateRoot: block.header.stateRoot, messagePasserStorageRoot: passerStorageRoot, latestBlockhash: block.hash })
    expect(verifyOutputRoot({ config, block, outputRoot, messagePasserProof: proof })).toEqual({ messagePasserStorageRoot: passerStorageRoot })
    // The header's withdrawalsRoot (the empty root before Isthmus) is not used.
    expect(block.header.withdrawalsRoot).not.toBe(passerStorageRoot)
  })

  it('refuses a wrong output root, a missing or tampered proof, and a storageHash the proof does not show', () => {
    const { block, proof } = withState()
    const outputRoot = computeOutputRoot({ stateRoot: block.header.stateRoot, messagePasserStorageRoot: passerStorageRoot, latestBlockhash: block.hash })
    expect(problemOf(() => verifyOutputRoot({ config, block, outputRoot: keccak256('0x03'), messagePasserProof: proof }))).toBe('output-root')
    expect(problemOf(() => verifyOutputRoot({ config, block, outputRoot }))).toBe('account-proof')
    const tampered = proof.accountProof.map((n, i) => (i === proof.accountProof.length - 1 ? (`${n.slice(0, -2)}${n.endsWith('00') ? '01' : '00'}` as Hex) : n))
    expect(problemOf(() => verifyOutputRoot({ config, block, outputRoot, messagePasserProof: { ...proof, accountProof: tampered } }))).toBe('account-proof')
    // A node that lies in storageHash gains nothing: the root comes from the proven account leaf.
    expect(verifyOutputRoot({ config, block, outputRoot, messagePasserProof: { ...proof, storageHash: keccak256('0x04') } }).messagePasserStorageRoot).toBe(passerStorageRoot)
    // The real block's own state root does not contain this account.
    expect(problemOf(() => verifyOutputRoot({ config, block: real, outputRoot, messagePasserProof: proof }))).toBe('account-proof')
  })

  it('from Isthmus: uses the header withdrawalsRoot, bound by the block hash', () => {
    const isthmus = { ...config, forks: { ...config.forks, isthmus: Number(real.header.timestamp) - 100 } }
    const outputRoot = computeOutputRoot({ stateRoot: real.header.stateRoot, messagePasserStorageRoot: real.header.withdrawalsRoot as Hex, latestBlockhash: real.hash })
    expect(verifyOutputRoot({ config: isthmus, block: real, outputRoot }).messagePasserStorageRoot).toBe(real.header.withdrawalsRoot)
    const wrong = computeOutputRoot({ stateRoot: real.header.stateRoot, messagePasserStorageRoot: passerStorageRoot, latestBlockhash: real.hash })
    const e = (() => {
      try {
        verifyOutputRoot({ config: isthmus, block: real, outputRoot: wrong, node: 'http://l2.example' })
      } catch (x) {
        return x as UntrustedL2DataError
      }
    })()
    expect(e?.shortMessage).toBe("The L2 node's block 26207960 does not match the output root on L1. (L2 node http://l2.example)")
  })
})
