/**
 * When no usable game covers the withdrawal: create one with the app's own, checked output root (notes §3 "Creating a
 * game without a proposer"; §9). DisputeGameFactory.create(gameType, rootClaim, abi.encode(l2BlockNumber)) with
 * msg.value == initBonds(gameType), read at run time. Only permissionless output-root types (0 CANNON, 8
 * CANNON_KONA) can be created by the user; a permissioned (1) or other respected type is refused plainly. The block
 * must be above the anchor's (else the game reverts), and the same (type, root, block) cannot be created twice.
 */
import { encodeAbiParameters, encodeFunctionData, formatEther, getAddress, type Address, type Hex } from 'viem'
import { disputeGameFactoryAbi } from '../../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import { formatDuration } from '../../../deadlines/countdown'
import type { L1Call } from '../../../signing/l1Call'
import { readAnchorRoot } from '../derive/start/readL1Anchor'
import { NoUsableGameError, OpPortalUnsupportedError } from './errors'
import { isRevert, type OpL1Client } from './opL1Client'
import { PERMISSIONLESS_GAME_TYPES, type PortalSetup } from './readPortalSetup'

export interface CreateGamePlan {
  gameType: number
  bond: bigint
  /** Seconds each side's clock runs (the implementation's maxClockDuration()). */
  maxClockDuration: bigint
  anchorL2Block: bigint
  finalityDelaySeconds: bigint
  /** Plain words: the bond, the clock, what can go wrong. */
  explanation: string
}

export async function readCreateGamePlan(l1: OpL1Client, setup: PortalSetup): Promise<CreateGamePlan> {
  const t = setup.respectedGameType
  if (!PERMISSIONLESS_GAME_TYPES.has(t)) {
    throw new OpPortalUnsupportedError(
      t === 1
        ? 'The respected dispute game type is permissioned (1): only the chain’s proposer can create games, so the app cannot create one for you.'
        : `The respected dispute game type is ${t}; the app can create only CANNON (0) or CANNON_KONA (8) games.`,
      { steps: ['Wait for the proposer to post a game that covers your withdrawal, then prove against it.', 'Check `escape-hatch status` for the games the app found.'] },
    )
  }
  const at = setup.l1Block
  const [bond, impl] = await Promise.all([
    l1.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'initBonds', args: [t], blockNumber: at }) as Promise<bigint>,
    l1.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameImpls', args: [t], blockNumber: at }) as Promise<Address>,
  ])
  if (/^0x0{40}$/i.test(impl)) throw new OpPortalUnsupportedError(`The dispute game factory has no implementation for game type ${t}; no game of that type can be created.`)
  const maxClockDuration = BigInt((await l1.readContract({ address: impl, abi: faultDisputeGameAbi, functionName: 'maxClockDuration', blockNumber: at })) as bigint)
  const anchor = await readAnchorRoot({ read: (c) => l1.readContract({ ...c, blockNumber: at } as never), isRevert }, setup.portal)
  const clock = formatDuration(Number(maxClockDuration))
  const airgap = formatDuration(Number(setup.disputeGameFinalityDelaySeconds))
  return {
    gameType: t,
    bond,
    maxClockDuration,
    anchorL2Block: BigInt(anchor.l2BlockNumber),
    finalityDelaySeconds: setup.disputeGameFinalityDelaySeconds,
    explanation: [
      `No dispute game on L1 covers your withdrawal, so the app can create one with the output root it checked itself.`,
      `Creating it locks a bond of ${formatEther(bond)} ETH (read from the factory) in the game.`,
      `If nobody counters the claim within ${clock}, anyone can resolve the game in your favour; after a further ${airgap} (the finality airgap) your withdrawal can be finalized, and the bond can be claimed back (after the DelayedWETH delay).`,
      `If someone counters it and wins — which an honest challenger can only do if the claim were wrong — the bond goes to them. Each counter move extends the clock.`,
    ].join(' '),
  }
}

export interface BuildCreateGameTxParameters {
  l1ChainId: number
  setup: PortalSetup
  plan: CreateGamePlan
  /** The output root the app computed (and checked) for `l2BlockNumber`. */
  rootClaim: Hex
  l2BlockNumber: bigint
}

export function buildCreateGameTx(p: BuildCreateGameTxParameters): L1Call {
  if (p.l2BlockNumber <= p.plan.anchorL2Block) {
    throw new NoUsableGameError(`A new game must be above the anchor state’s L2 block ${p.plan.anchorL2Block}; L2 block ${p.l2BlockNumber} is not.`, {
      steps: ['Use a later L2 block (one at or after your withdrawal, above the anchor).'],
    })
  }
  return {
    chainId: p.l1ChainId,
    to: getAddress(p.setup.disputeGameFactory),
    data: encodeFunctionDataCreate(p.plan.gameType, p.rootClaim, p.l2BlockNumber),
    value: p.plan.bond,
    description: `Create a dispute game (type ${p.plan.gameType}) claiming output root ${p.rootClaim} for L2 block ${p.l2BlockNumber}, with a bond of ${formatEther(p.plan.bond)} ETH. ${p.plan.explanation}`,
  }
}

function encodeFunctionDataCreate(gameType: number, rootClaim: Hex, l2BlockNumber: bigint): Hex {
  const extraData = encodeAbiParameters([{ type: 'uint256' }], [l2BlockNumber])
  return encodeFunctionData({ abi: disputeGameFactoryAbi, functionName: 'create', args: [gameType, rootClaim, extraData] })
}
