/**
 * readStartAnchor against the real OP Stack L1 contracts on the devnet (npm op-contracts v1.4: OptimismPortal2 3.10,
 * AnchorStateRegistry 1.0, FaultDisputeGame 1.2 — the registry is found through the factory and read with
 * `anchors(type)`), and the finalized-game rules: unresolved, not past the airgap, and final.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keccak256, parseEventLogs, stringToBytes, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { disputeGameFactoryAbi } from '../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../contracts-abi/op-stack/FaultDisputeGame'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { deployOpStack, DEVNET_OP_PARAMETERS, type OpStackDevnetDeployment } from '../../devnet/op/deploy'
import { increaseTime } from '../../devnet/timeTravel'
import { DerivationStartError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { createViemL1Source } from '../l1/createViemL1Source'
import { readStartAnchor } from './readStartAnchor'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'

const ANCHOR_ROOT = keccak256(stringToBytes('mid-chain test anchor'))
let anvil: AnvilHandle
let deployment: OpStackDevnetDeployment

beforeAll(async () => {
  anvil = await startAnvil({ chainId: 900 })
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  deployment = await deployOpStack({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil, startingAnchor: { root: ANCHOR_ROOT, l2BlockNumber: 1234n } })
}, 120_000)

afterAll(async () => {
  await anvil?.stop()
})

const client = () => devnetPublicClient(anvil.rpcUrl)
const latest = async () => Number(await client().getBlockNumber())
const read = async (start: Parameters<typeof readStartAnchor>[0]['start']) =>
  readStartAnchor({ rpcUrls: [anvil.rpcUrl, anvil.rpcUrl], l1ChainId: 900, l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }), portal: deployment.contracts.optimismPortal, start, atL1Block: await latest() })

async function createGame(root: Hex, l2Block: bigint): Promise<Address> {
  const user = privateKeyToAccount(anvil.accounts[7]!.privateKey)
  const wallet = devnetWalletClient(anvil.rpcUrl, user)
  const hash = await wallet.writeContract({ address: deployment.contracts.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'create', args: [0, root, `0x${l2Block.toString(16).padStart(64, '0')}`], value: DEVNET_OP_PARAMETERS.initBond, chain: null })
  const receipt = await client().waitForTransactionReceipt({ hash })
  const [created] = parseEventLogs({ abi: disputeGameFactoryAbi, logs: receipt.logs, eventName: 'DisputeGameCreated' })
  return created!.args.disputeProxy
}

async function resolve(game: Address): Promise<void> {
  const wallet = devnetWalletClient(anvil.rpcUrl, privateKeyToAccount(anvil.accounts[7]!.privateKey))
  await client().waitForTransactionReceipt({ hash: await wallet.writeContract({ address: game, abi: faultDisputeGameAbi, functionName: 'resolveClaim', args: [0n, 0n], chain: null }) })
  await client().waitForTransactionReceipt({ hash: await wallet.writeContract({ address: game, abi: faultDisputeGameAbi, functionName: 'resolve', chain: null }) })
}

describe('readStartAnchor on the devnet OP Stack L1 contracts', () => {
  it('reads the AnchorStateRegistry anchor through the factory (v1.4 portal), pinned to an L1 block, endpoints cross-checked', async () => {
    const r = await read({ kind: 'anchor' })
    expect(r.anchor).toMatchObject({ kind: 'anchor-state-registry', outputRoot: ANCHOR_ROOT, l2BlockNumber: 1234, gameType: 0 })
    expect(r.anchor.source.toLowerCase()).toBe(deployment.contracts.anchorStateRegistry.toLowerCase())
    expect(r.anchor.method).toBe('DisputeGameFactory.gameImpls(0).anchorStateRegistry() → anchors(0)')
    expect(r.l1Block.number).toBe(await latest())
  })

  it('accepts a dispute game only once it resolved DEFENDER_WINS and passed the finality airgap', async () => {
    const root = keccak256(stringToBytes('game root at 1300'))
    const game = await createGame(root, 1300n)
    const refusal = async () => (await read({ kind: 'game', game }).catch((e: unknown) => e)) as DerivationStartError
    let e = await refusal()
    expect(e).toBeInstanceOf(DerivationStartError)
    expect(e.shortMessage).toBe(`The dispute game ${game} cannot be used as a start: it has not resolved yet.`)
    await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.maxClockDuration + 1)
    await resolve(game)
    e = await refusal()
    expect(e.shortMessage).toMatch(/it is not finalized yet \(final after /)
    await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.disputeGameFinalityDelaySeconds + 1)
    const r = await read({ kind: 'game', game })
    expect(r.anchor).toMatchObject({ kind: 'dispute-game', outputRoot: root, l2BlockNumber: 1300, gameType: 0 })
    expect(r.anchor.source.toLowerCase()).toBe(game.toLowerCase())
  }, 60_000)

  it('says what to check when the portal does not answer at the pinned block (before the contracts existed)', async () => {
    const e = (await readStartAnchor({ rpcUrls: [anvil.rpcUrl], l1ChainId: 900, l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }), portal: deployment.contracts.optimismPortal, start: { kind: 'anchor' }, atL1Block: 0 }).catch((x: unknown) => x)) as DerivationStartError
    expect(e).toBeInstanceOf(DerivationStartError)
    expect(e.shortMessage).toBe(`The rollup's L1 contracts (portal ${deployment.contracts.optimismPortal}) did not answer as expected at L1 block 0.`)
    expect(e.steps.join(' ')).toMatch(/finalized L1 block/)
  })

  it('refuses an address that is not a dispute game', async () => {
    const e = (await read({ kind: 'game', game: deployment.contracts.systemConfig }).catch((x: unknown) => x)) as DerivationStartError
    expect(e.shortMessage).toMatch(/cannot be used as a start: it is not a dispute game/)
  })
})
