/**
 * The proposer role on the real devnet (the real DisputeGameFactory and FaultDisputeGame of contracts-bedrock): games
 * at every interval with the chain's output roots and the factory's bond, read back from the game contracts; the
 * wrong-root switch (a game whose claim is not the chain's root); the stop switch; and resolution after the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getAddress, type Address } from 'viem'
import { disputeGameFactoryAbi } from '../../../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../../../contracts-abi/op-stack/FaultDisputeGame'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet'
import { devnetPublicClient } from '../../../devnetClients'
import { connectDevnetL1 } from '../../../sendDevnetTransaction'
import { increaseTime, mine } from '../../../timeTravel'
import { DEVNET_OP_PARAMETERS } from '../../deploy'
import { readDevnetRollupConfig } from '../../readDevnetRollupConfig'
import { createFakeOpL2Chain, type FakeOpL2Chain } from '../batcher/test-support/fakeOpL2Chain'
import { createOpL2Switches } from '../types'
import { flipLastByte } from '../rpc/lies'
import { createOpProposer, type OpProposer } from './createOpProposer'
import { OpProposerError } from './errors'

let devnet: Devnet
let chain: FakeOpL2Chain
let proposer: OpProposer
const switches = createOpL2Switches()

const read = (game: Address, functionName: 'rootClaim' | 'l2BlockNumber' | 'gameType' | 'status' | 'gameCreator') =>
  devnetPublicClient(devnet.l1.rpcUrl).readContract({ address: game, abi: faultDisputeGameAbi, functionName })

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['op'] })
  const op = devnet.manifest.op!
  const config = await readDevnetRollupConfig(devnet.l1.rpcUrl, op)
  chain = createFakeOpL2Chain(devnetPublicClient(devnet.l1.rpcUrl), config)
  await chain.extend(12)
  proposer = createOpProposer({
    l1: await connectDevnetL1(devnet.l1.rpcUrl, devnet.anvil),
    key: devnet.anvil.accounts[DEVNET_ROLES.opProposer]!,
    disputeGameFactory: op.contracts.disputeGameFactory,
    view: chain,
    switches,
    intervalBlocks: 5,
  })
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
})

describe('devnet OP proposer', () => {
  it('creates a game at every interval with the output root of that block and the factory bond', async () => {
    const games = await proposer.proposePending()
    expect(games.map((g) => g.l2BlockNumber)).toEqual([5n, 10n])
    for (const g of games) {
      expect(g.rootClaim).toBe(chain.block(g.l2BlockNumber)!.outputRoot)
      expect(await read(g.game, 'rootClaim')).toBe(g.rootClaim)
      expect(await read(g.game, 'l2BlockNumber')).toBe(g.l2BlockNumber)
      expect(await read(g.game, 'gameType')).toBe(0)
      expect(await read(g.game, 'gameCreator')).toBe(getAddress(devnet.anvil.accounts[DEVNET_ROLES.opProposer]!.address))
      expect(g.bond).toBe(DEVNET_OP_PARAMETERS.initBond)
      expect(await devnetPublicClient(devnet.l1.rpcUrl).getBalance({ address: g.game })).toBe(0n) // the bond sits in DelayedWETH
    }
    const count = await devnetPublicClient(devnet.l1.rpcUrl).readContract({ address: devnet.manifest.op!.contracts.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameCount' })
    expect(count).toBe(2n)
    expect(await proposer.proposePending()).toEqual([]) // nothing new until block 15
  }, 120_000)

  it('claims a wrong root when told to lie, and stops proposing when stopped', async () => {
    await chain.extend(5)
    proposer.wrongRoots = true
    const [wrong] = await proposer.proposePending()
    expect(wrong!.l2BlockNumber).toBe(15n)
    expect(wrong!.rootClaim).toBe(flipLastByte(chain.block(15n)!.outputRoot))
    expect(wrong!.rootClaim).not.toBe(wrong!.outputRoot)
    expect(await read(wrong!.game, 'rootClaim')).toBe(wrong!.rootClaim)
    proposer.wrongRoots = false

    switches.proposerStopped = true
    await chain.extend(5)
    expect(await proposer.proposePending()).toEqual([])
    await expect(proposer.propose()).rejects.toBeInstanceOf(OpProposerError)
    switches.proposerStopped = false
    expect((await proposer.proposePending()).map((g) => g.l2BlockNumber)).toEqual([20n])
  }, 120_000)

  it('resolves an unchallenged game after its clock (DEFENDER_WINS), and not before', async () => {
    const game = await proposer.propose(chain.head().number)
    await expect(proposer.resolve(game.game)).rejects.toThrow(/resolve the root claim of dispute game/)
    await increaseTime(devnet.l1.rpcUrl, DEVNET_OP_PARAMETERS.maxClockDuration + 1)
    await mine(devnet.l1.rpcUrl, 1)
    expect(await proposer.resolve(game.game)).toBe(2)
    expect(await read(game.game, 'status')).toBe(2)
  }, 120_000)
})
