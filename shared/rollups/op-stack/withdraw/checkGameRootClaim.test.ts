/**
 * Root-claim checks before a game is trusted: against the app's own output root, and with an untrusted L2 node whose
 * block (a real OP Sepolia header, pre-Isthmus, its state root replaced by a state built here and re-hashed) and
 * proofs are checked. The lying node's modes — wrong header, wrong account proof, wrong storage proof — are each
 * detected and named; a consistent node whose block gives another output root refuses the game, naming the node.
 */
import { describe, expect, it } from 'vitest'
import { keccak256, type Hex } from 'viem'
import { hashHeader } from '../../../eth/header'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import { UntrustedL2DataError } from '../derive/start/errors'
import type { L2BlockSource, UntrustedAccountProof, UntrustedL2Block } from '../derive/start/L2BlockSource'
import { realL2Blocks } from '../derive/start/test-support/realL2Blocks'
import { checkGameRootClaimAgainstOutputRoot, checkGameRootClaimWithL2Node } from './checkGameRootClaim'
import { GameRootClaimRefusedError } from './errors'
import { readUntrustedWithdrawalProof, type WithdrawalStorageProofSource } from './readUntrustedWithdrawalProof'
import { buildL2WithdrawalState, messagePasserWithdrawal } from './test-support/l2WithdrawalState'
import { verifyWithdrawalProof } from '../proof/withdrawalProof'

const { config, blocks } = realL2Blocks()
const user = '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6'
const withdrawals = Array.from({ length: 12 }, (_, i) => messagePasserWithdrawal({ n: BigInt(i), sender: user, target: user, value: 10n ** 15n * BigInt(i + 1) }))
const state = buildL2WithdrawalState({ withdrawals, fillerSlots: 3, embeddedLeaf: true })
const header = { ...blocks[0].header, stateRoot: state.stateRoot }
const block: UntrustedL2Block = { header: { ...header, hash: hashHeader({ ...header, hash: undefined }) }, transactions: blocks[0].transactions }
const n = block.header.number
const outputRoot = state.outputRoot(block.header.hash)
const game = { index: 7n, address: '0x00000000000000000000000000000000000000a7' as const, rootClaim: outputRoot, l2BlockNumber: n }

type Lie = 'none' | 'header' | 'account-proof' | 'storage-proof' | 'other-state'
function node(lie: Lie): L2BlockSource & WithdrawalStorageProofSource {
  const other = buildL2WithdrawalState({ withdrawals: withdrawals.slice(1), fillerSlots: 3 })
  return {
    label: 'l2.example',
    async blockByNumber() {
      if (lie === 'header') return { ...block, header: { ...block.header, gasUsed: block.header.gasUsed + 1n } }
      if (lie === 'other-state') {
        const h = { ...blocks[0].header, stateRoot: other.stateRoot }
        return { header: { ...h, hash: hashHeader({ ...h, hash: undefined }) }, transactions: blocks[0].transactions }
      }
      return block
    },
    blockByHash: async () => block,
    async accountProof(): Promise<UntrustedAccountProof> {
      const s = lie === 'other-state' ? other : state
      const accountProof = lie === 'account-proof' ? [...s.messagePasserAccountProof.slice(0, -1), keccak256('0x66')] : s.messagePasserAccountProof
      return { address: L2_TO_L1_MESSAGE_PASSER, accountProof, nonce: 0n, balance: 10n ** 18n, codeHash: keccak256('0x'), storageHash: s.messagePasserStorageRoot }
    },
    async messagePasserStorageProof(_slot: Hex) {
      const proof = state.rpcStorageProof(0)
      return { storageHash: state.messagePasserStorageRoot, proof: lie === 'storage-proof' ? state.rpcStorageProof(1) : proof }
    },
  }
}

describe('checkGameRootClaimAgainstOutputRoot', () => {
  it('confirms a game whose claim is the output root the app computed, refuses another naming the source', () => {
    const orp = state.outputRootProof(block.header.hash)
    expect(checkGameRootClaimAgainstOutputRoot({ game, outputRootProof: orp, l2BlockNumber: n, source: 'the app’s rebuild from L1' })).toBe(orp)
    const wrong = { ...game, rootClaim: keccak256('0x01') }
    expect(() => checkGameRootClaimAgainstOutputRoot({ game: wrong, outputRootProof: orp, l2BlockNumber: n, source: 'the app’s rebuild from L1' })).toThrow(
      /^Dispute game #7 \(0x00000000000000000000000000000000000000a7\) claims an output root for L2 block 26207960 that the app’s rebuild from L1 does not confirm; the game is not used\./,
    )
    expect(() => checkGameRootClaimAgainstOutputRoot({ game, outputRootProof: orp, l2BlockNumber: n + 1n, source: 'x' })).toThrow(GameRootClaimRefusedError)
  })
})

describe('checkGameRootClaimWithL2Node (untrusted L2 node, before Isthmus)', () => {
  it('confirms the game from a consistent node and builds a storage proof the portal accepts (embedded leaf added)', async () => {
    const orp = await checkGameRootClaimWithL2Node({ game, l2: node('none'), config })
    expect(orp).toEqual(state.outputRootProof(block.header.hash))
    const proof = await readUntrustedWithdrawalProof({ l2: node('none'), withdrawalHash: state.withdrawalHashes[0] as Hex, outputRootProof: orp })
    expect(verifyWithdrawalProof({ withdrawalHash: state.withdrawalHashes[0] as Hex, outputRootProof: orp, withdrawalProof: proof, outputRoot })).toBe(outputRoot)
    // The node's answer left the embedded leaf inside its parent; the portal form has it as its own element.
    expect(proof.length).toBeGreaterThan(state.rpcStorageProof(0).length)
  })
  it('names the node when its header does not hash to its hash', async () => {
    const e = await checkGameRootClaimWithL2Node({ game, l2: node('header'), config }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UntrustedL2DataError)
    expect((e as UntrustedL2DataError).problem).toBe('block-hash')
    expect((e as Error).message).toMatch(/\(L2 node l2\.example\)/)
  })
  it('names the node when its account proof does not verify against the state root', async () => {
    const e = await checkGameRootClaimWithL2Node({ game, l2: node('account-proof'), config }).catch((x: unknown) => x)
    expect((e as UntrustedL2DataError).problem).toBe('account-proof')
  })
  it('refuses the game, naming the node, when a consistent block gives another output root', async () => {
    const e = await checkGameRootClaimWithL2Node({ game, l2: node('other-state'), config }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(GameRootClaimRefusedError)
    expect((e as Error).message).toMatch(/that the L2 node l2\.example does not confirm; the game is not used/)
  })
  it('names the node when its storage proof is for another slot', async () => {
    const orp = state.outputRootProof(block.header.hash)
    const e = await readUntrustedWithdrawalProof({ l2: node('storage-proof'), withdrawalHash: state.withdrawalHashes[0] as Hex, outputRootProof: orp }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UntrustedL2DataError)
    expect((e as Error).message).toMatch(/storage proof for withdrawal 0x[0-9a-f]{64} does not verify.*\(L2 node l2\.example\)/)
  })
})
