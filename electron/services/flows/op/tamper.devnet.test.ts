/**
 * Tamper tests of the OP escape's trust checks (issue 12 "Must show"), on the devnet OP L2 with the real L1 contracts:
 * the untrusted L2 node lies (wrong storage proof, wrong header, wrong witness node — the devnet RPC's lying modes,
 * each one flipped byte in one answer) and the proposer posts a game whose root claim is wrong. Each lie is caught by
 * the withdraw/ and replay/ functions the OP flow uses, before anything is signed (the user's L1 nonce does not move),
 * with an error naming the L2 node (host:port) or the game; the wrong game is refused and the correct one — or one
 * the app creates with the output root it re-executed itself — carries the proof, which the real portal accepts.
 */
import { isAddressEqual, parseEther, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeOutputRoot, OUTPUT_ROOT_VERSION_0, type OutputRootProof } from '../../../../shared/rollups/op-stack/common/computeOutputRoot'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import { UntrustedL2DataError } from '../../../../shared/rollups/op-stack/derive/start/errors'
import { verifyL2Block, type VerifiedL2Block } from '../../../../shared/rollups/op-stack/derive/start/verifyL2Block'
import { replayRange } from '../../../../shared/rollups/op-stack/replay/replayRange'
import { buildCreateGameTx, readCreateGamePlan } from '../../../../shared/rollups/op-stack/withdraw/buildCreateGameTx'
import { buildProveWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildProveWithdrawalTx'
import { checkGameRootClaimAgainstOutputRoot, checkGameRootClaimWithL2Node } from '../../../../shared/rollups/op-stack/withdraw/checkGameRootClaim'
import { findProvableGame } from '../../../../shared/rollups/op-stack/withdraw/findProvableGame'
import type { GameFacts } from '../../../../shared/rollups/op-stack/withdraw/gameFacts'
import { readPortalSetup } from '../../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import { readUntrustedWithdrawalProof } from '../../../../shared/rollups/op-stack/withdraw/readUntrustedWithdrawalProof'
import type { OpL2RpcLie } from '../../../devnet/op/l2/types'
import type { DevnetKey } from '../../../devnet/sendDevnetTransaction'
import { mine } from '../../../devnet/timeTravel'
import { createRpcL2BlockSource, type RpcL2BlockSource } from '../../op/createRpcL2BlockSource'
import { forceEthWithdrawal, startOpEscapeDevnet, type ForcedEthWithdrawal, type OpEscapeDevnet } from './test-support/opEscapeDevnet'

let d: OpEscapeDevnet
let user: DevnetKey
let forced: ForcedEthWithdrawal
let node: RpcL2BlockSource
let config: RollupConfig
let nodeLabel: string
let userNonce: number

beforeAll(async () => {
  d = await startOpEscapeDevnet()
  user = d.anvil.accounts[6]!
  config = d.devnet.genesis.rollupConfig
  forced = await forceEthWithdrawal(d, user, parseEther('1'))
  node = createRpcL2BlockSource({ url: d.rpc.url, retryCount: 0 })
  nodeLabel = node.label
  userNonce = await d.gateway.getTransactionCount({ address: user.address })
}, 300_000)
afterAll(async () => {
  if (d) d.l2.switches.rpcLies = undefined
  await d?.stop()
})

/** Runs `f` with the L2 node lying in one way; honest again afterwards. */
async function lying<T>(lie: OpL2RpcLie, f: () => Promise<T>): Promise<T> {
  d.l2.switches.rpcLies = lie
  try {
    return await f()
  } finally {
    d.l2.switches.rpcLies = undefined
  }
}

async function setupNow() {
  const head = await d.gateway.getBlock({})
  return { setup: await readPortalSetup(d.gateway, d.devnet.deployment.contracts.optimismPortal, head.number), l1Timestamp: head.timestamp }
}

/** The untrusted-node check findProvableGame is given in the OP Mainnet path. */
const withL2Node = (game: GameFacts) => checkGameRootClaimWithL2Node({ game, l2: node, config })

/** The genesis, checked against the rollup config's hash: the trusted anchor re-execution starts from. */
async function genesisAnchor(): Promise<VerifiedL2Block> {
  return verifyL2Block({ config, block: await node.blockByNumber(0), expectedHash: config.genesis.l2.hash as Hex, node: nodeLabel })
}

/** "Nothing signed": the user's L1 nonce is where it was before the checks. */
async function expectNothingSigned(): Promise<void> {
  expect(await d.gateway.getTransactionCount({ address: user.address })).toBe(userNonce)
}

const namesTheNode = () => new RegExp(`\\(L2 node ${nodeLabel.replace(/[.]/g, '\\.')}\\)`)

describe('OP escape tamper tests on the devnet OP L2 (lying L2 node, wrong game)', () => {
  let wrongGame: Hex
  let ownRoot: Hex

  it('a game with a wrong root claim is refused naming the game and the node; with no other game, the app creates one with the output root it re-executed', async () => {
    const at = forced.l2Block.number
    wrongGame = (await d.propose({ l2BlockNumber: at, wrongRoot: true })).game.toLowerCase() as Hex
    await mine(d.anvil.rpcUrl, 1, 12)
    let { setup, l1Timestamp } = await setupNow()
    const search = await findProvableGame({ l1: d.gateway, setup, withdrawalL2Block: at, l1Timestamp, checkRootClaim: withL2Node })
    expect(search.found).toBeUndefined()
    const refusal = search.refused.find((r) => isAddressEqual(r.address, wrongGame))
    expect(refusal?.reason).toMatch(new RegExp(`^Dispute game #0 \\(${wrongGame}\\) claims an output root for L2 block ${at} that the L2 node ${nodeLabel} does not confirm; the game is not used\\.$`, 'i'))
    await expectNothingSigned()

    // Our own output root for that block: re-execute from the anchor with the node's witnesses, every node checked by hash.
    const replayed = await replayRange({ config, anchor: await genesisAnchor(), toBlock: at, source: node })
    expect(replayed.head.hash).toBe(forced.l2Block.hash)
    ownRoot = replayed.outputRoot as Hex
    expect(ownRoot).toBe(forced.l2Block.outputRoot)
    // Our execution refutes the wrong claim too (the full-rebuild / re-execution source).
    const source = 'the app’s re-execution of the L2 node’s blocks'
    const ownProof: OutputRootProof = { version: OUTPUT_ROOT_VERSION_0, stateRoot: replayed.head.stateRoot, messagePasserStorageRoot: replayed.messagePasserStorageRoot as Hex, latestBlockhash: replayed.head.hash }
    expect(computeOutputRoot(ownProof)).toBe(ownRoot)
    const againstOwn = async (game: GameFacts) => checkGameRootClaimAgainstOutputRoot({ game, outputRootProof: ownProof, l2BlockNumber: at, source })
    const ownSearch = await findProvableGame({ l1: d.gateway, setup, withdrawalL2Block: at, l1Timestamp, checkRootClaim: againstOwn })
    expect(ownSearch.found).toBeUndefined()
    expect(ownSearch.refused.find((r) => isAddressEqual(r.address, wrongGame))?.reason).toMatch(/the app’s re-execution of the L2 node’s blocks does not confirm; the game is not used\.$/)
    await expectNothingSigned()

    // No usable game: the app creates one with its own root (bond from the factory); the search then uses it.
    const plan = await readCreateGamePlan(d.gateway, setup)
    await d.send(user, buildCreateGameTx({ l1ChainId: d.anvil.chainId, setup, plan, rootClaim: ownRoot, l2BlockNumber: at }))
    userNonce++
    await mine(d.anvil.rpcUrl, 1, 12)
    ;({ setup, l1Timestamp } = await setupNow())
    const again = await findProvableGame({ l1: d.gateway, setup, withdrawalL2Block: at, l1Timestamp, checkRootClaim: withL2Node })
    expect(again.found?.game.rootClaim).toBe(ownRoot)
    expect(again.found?.game.index).toBe(1n)
    expect(again.refused.some((r) => isAddressEqual(r.address, wrongGame))).toBe(true)
  }, 300_000)

  it('a wrong header (state root changed, real hash claimed) is caught naming the node; the search stops before any game is trusted', async () => {
    const { setup, l1Timestamp } = await setupNow()
    const err = await lying('wrong-header', () => findProvableGame({ l1: d.gateway, setup, withdrawalL2Block: forced.l2Block.number, l1Timestamp, checkRootClaim: withL2Node })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UntrustedL2DataError)
    expect((err as UntrustedL2DataError).problem).toBe('block-hash')
    expect((err as Error).message).toMatch(namesTheNode())
    await expectNothingSigned()
  }, 120_000)

  it('a wrong storage proof is caught naming the node: the message-passer account proof in the root-claim check, and the withdrawal’s storage proof', async () => {
    const { setup, l1Timestamp } = await setupNow()
    const at = forced.l2Block.number
    // The account proof (the message passer's storage root behind the root claim).
    const err = await lying('wrong-proof', () => findProvableGame({ l1: d.gateway, setup, withdrawalL2Block: at, l1Timestamp, checkRootClaim: withL2Node })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UntrustedL2DataError)
    expect((err as UntrustedL2DataError).problem).toBe('account-proof')
    expect((err as Error).message).toMatch(namesTheNode())

    // The withdrawal's own storage proof, under a root claim checked while the node was honest.
    const honest = await findProvableGame({ l1: d.gateway, setup, withdrawalL2Block: at, l1Timestamp, checkRootClaim: withL2Node })
    const found = honest.found!
    const proofErr = await lying('wrong-proof', () => readUntrustedWithdrawalProof({ l2: node, withdrawalHash: forced.withdrawalHash, outputRootProof: found.outputRootProof })).catch((e: unknown) => e)
    expect(proofErr).toBeInstanceOf(UntrustedL2DataError)
    expect((proofErr as UntrustedL2DataError).problem).toBe('account-proof')
    expect((proofErr as Error).message).toMatch(new RegExp(`^The L2 node’s storage proof for withdrawal ${forced.withdrawalHash} does not verify under the checked storage root\\.`))
    expect((proofErr as Error).message).toMatch(namesTheNode())
    await expectNothingSigned()

    // Honest again: the proof verifies locally (inside the builder), then the real portal accepts it against the right game.
    const withdrawalProof = await readUntrustedWithdrawalProof({ l2: node, withdrawalHash: forced.withdrawalHash, outputRootProof: found.outputRootProof })
    const prove = buildProveWithdrawalTx({ l1ChainId: d.anvil.chainId, setup, game: found.game, withdrawal: forced.withdrawal, outputRootProof: found.outputRootProof, withdrawalProof })
    const r = await d.send(user, prove)
    userNonce++
    expect(r.status).toBe('success')
    expect(found.game.rootClaim).toBe(ownRoot)
    expect(isAddressEqual(found.game.address, wrongGame)).toBe(false)
  }, 120_000)

  it('a wrong witness node is caught by re-execution naming the node (the game’s claim is neither confirmed nor refuted by it)', async () => {
    const anchor = await genesisAnchor()
    const err = await lying('wrong-witness', () => replayRange({ config, anchor, toBlock: forced.l2Block.number, source: node })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UntrustedL2DataError)
    expect((err as UntrustedL2DataError).problem).toBe('witness')
    expect((err as Error).message).toMatch(namesTheNode())
    await expectNothingSigned()
  }, 120_000)

})
