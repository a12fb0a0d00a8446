/**
 * The node path's stronger check of a game's root claim (reexecuteGameClaim) on the devnet OP L2: our own execution
 * of the untrusted node's blocks from the game's anchor state (FaultDisputeGame.startingOutputRoot, checked against
 * the node's anchor block) confirms an honest claim, refutes a wrong one, catches a wrong witness naming the node,
 * and refuses — with the numbers and what is still checked — a range that cannot finish before the game's clock ends.
 */
import { parseEther, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UntrustedL2DataError } from '../../../../shared/rollups/op-stack/derive/start/errors'
import { GameRootClaimRefusedError } from '../../../../shared/rollups/op-stack/withdraw/errors'
import type { GameFacts } from '../../../../shared/rollups/op-stack/withdraw/gameFacts'
import { readGameAt } from '../../../../shared/rollups/op-stack/withdraw/readGames'
import { readPortalSetup } from '../../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import { reexecuteGameClaim, REEXECUTION_SOURCE, type ReexecutionProgress } from '../../../../shared/rollups/op-stack/withdraw/reexecuteGameClaim'
import { createRpcL2BlockSource, type RpcL2BlockSource } from '../../op/createRpcL2BlockSource'
import { forceEthWithdrawal, startOpEscapeDevnet, type ForcedEthWithdrawal, type OpEscapeDevnet } from './test-support/opEscapeDevnet'

let d: OpEscapeDevnet
let forced: ForcedEthWithdrawal
let node: RpcL2BlockSource

beforeAll(async () => {
  d = await startOpEscapeDevnet()
  forced = await forceEthWithdrawal(d, d.anvil.accounts[6]!, parseEther('1'))
  node = createRpcL2BlockSource({ url: d.rpc.url, retryCount: 0 })
}, 300_000)
afterAll(async () => {
  if (d) d.l2.switches.rpcLies = undefined
  await d?.stop()
})

async function gameAt(address: Address): Promise<GameFacts> {
  const setup = await readPortalSetup(d.gateway, d.devnet.deployment.contracts.optimismPortal)
  return readGameAt(d.gateway, setup, address)
}

const check = (game: GameFacts, o: { l1Timestamp?: bigint; probeBlocks?: number; now?: () => number; onProgress?: (p: ReexecutionProgress) => void } = {}) =>
  reexecuteGameClaim({ l1: d.gateway, game, l2: node, config: d.devnet.genesis.rollupConfig, l1Timestamp: o.l1Timestamp ?? game.createdAt + 1n, ...o })

describe('re-executing from the game’s anchor to its block with the untrusted node’s witnesses', () => {
  it('confirms an honest claim by our own execution, with progress, from the anchor L1 holds', async () => {
    const proposed = await d.propose({ l2BlockNumber: forced.l2Block.number })
    const game = await gameAt(proposed.game)
    const progress: ReexecutionProgress[] = []
    const r = await check(game, { onProgress: (p) => progress.push(p) })
    expect(r.outcome).toBe('confirmed')
    if (r.outcome !== 'confirmed') return
    expect(r.anchor.l2Block).toBe(BigInt(d.devnet.deployment.startingAnchor.l2BlockNumber))
    expect(r.blocks).toBe(Number(game.l2BlockNumber - r.anchor.l2Block))
    expect(r.outputRootProof.latestBlockhash).toBe(forced.l2Block.hash)
    expect(progress.at(-1)).toMatchObject({ done: r.blocks, total: r.blocks, head: game.l2BlockNumber })
  }, 300_000)

  it('refutes a wrong root claim by our own execution (the game is named, nothing to sign)', async () => {
    const proposed = await d.propose({ l2BlockNumber: forced.l2Block.number - 1n, wrongRoot: true })
    const err = await check(await gameAt(proposed.game)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GameRootClaimRefusedError)
    expect((err as GameRootClaimRefusedError).shortMessage).toContain(REEXECUTION_SOURCE)
    expect((err as GameRootClaimRefusedError).shortMessage).toContain(proposed.game)
  }, 300_000)

  it('a wrong witness node stops the re-execution naming the node', async () => {
    // The honest game of the first test (the proposer adopts the existing one).
    const game = await gameAt((await d.propose({ l2BlockNumber: forced.l2Block.number })).game)
    d.l2.switches.rpcLies = 'wrong-witness'
    try {
      const err = await check(game).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UntrustedL2DataError)
      expect((err as UntrustedL2DataError).problem).toBe('witness')
      expect((err as Error).message).toContain(node.label)
    } finally {
      d.l2.switches.rpcLies = undefined
    }
  }, 300_000)

  it('refuses a range that cannot finish before the game’s clock ends, with the numbers and what is still checked', async () => {
    const game = await gameAt((await d.propose()).game)
    // Clock over: nothing is executed.
    const over = await check(game, { l1Timestamp: game.createdAt + game.maxClockDuration })
    expect(over).toMatchObject({ outcome: 'too-long', blocks: 0, secondsLeft: 0 })
    // A slow machine (each block 100 s here): measured after 2 blocks, the rest would not fit in the clock.
    let t = 0
    const slow = await check(game, { probeBlocks: 2, now: () => (t += 100_000) })
    expect(slow.outcome).toBe('too-long')
    if (slow.outcome !== 'too-long') return
    expect(slow.blocks).toBe(2)
    expect(slow.total).toBe(Number(game.l2BlockNumber - slow.anchor.l2Block))
    expect(slow.reason).toMatch(new RegExp(`Re-executing the ${slow.total} L2 blocks .* would take about \\d+ s at [\\d.]+ blocks/s here, but the game's clock ends in \\d+ s\\. Not re-executed \\(2 done\\)\\. Still checked: `))
  }, 300_000)
})
