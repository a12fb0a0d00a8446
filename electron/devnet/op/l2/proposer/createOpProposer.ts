/**
 * The devnet OP L2's proposer role (DEVNET_ROLES.opProposer), as op-proposer with fault proofs does it: every
 * `intervalBlocks` L2 blocks it creates a FaultDisputeGame on the DisputeGameFactory — game type 0 (the devnet's
 * respected type), root claim = the chain's output root of that block, extraData = abi.encode(uint256 l2BlockNumber)
 * (notes/op-stack.md §3 "Fault-proof flow"), paying the factory's initBonds(gameType), read at each creation.
 *
 * Like op-proposer it proposes only blocks that L1 already carries (`safeHead`, e.g. the batcher's postedUpTo), so
 * every honest game's root can be recomputed from L1 alone. And like op-proposer, which proposes the current safe
 * head rather than every interval it missed, it catches up after a jump (time travel builds hundreds of L2 blocks at
 * once) with at most MAX_PENDING_GAMES games, the newest interval boundaries: back-filling every boundary one L1
 * transaction at a time kept the newest game minutes behind the chain on a busy machine (escapes waiting for a game
 * covering their withdrawal timed out) and made stop() wait for the whole backlog.
 *
 * Switches, for the escape's drills and tamper tests:
 * - `switches.proposerStopped`: a proposer that went away (games stop appearing);
 * - `wrongRoots`: claim a wrong output root (the real one with its last byte flipped) — a game the app must refuse.
 * `resolve(game)` resolves an unchallenged game once its clock has run out (resolveClaim(0, 0), then resolve()).
 */
import { encodeAbiParameters, encodeFunctionData, parseEventLogs, zeroAddress, zeroHash, type Abi, type Address, type Hex } from 'viem'
import { disputeGameFactoryAbi } from '../../../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../../../contracts-abi/op-stack/FaultDisputeGame'
import { sendDevnetTransaction, type DevnetKey, type DevnetL1 } from '../../../sendDevnetTransaction'
import { GAME_TYPE_CANNON } from '../../deploy'
import type { OpL2ChainView, OpL2Switches } from '../types'
import { flipLastByte } from '../rpc/lies'
import { OpProposerError } from './errors'

/** Games created at most by one proposePending (the newest boundaries; older missed ones are skipped). */
export const MAX_PENDING_GAMES = 3n

export interface CreateOpProposerParameters {
  l1: DevnetL1
  key: DevnetKey
  disputeGameFactory: Address
  view: Pick<OpL2ChainView, 'head' | 'block'>
  switches: Pick<OpL2Switches, 'proposerStopped'>
  /** The newest block that may be proposed (default: the chain head). */
  safeHead?: () => bigint
  /** Propose every this many L2 blocks (default 10). */
  intervalBlocks?: number
  gameType?: number
  /** The last L2 block already proposed; default the anchor (block 0). */
  proposedUpTo?: bigint
}

export interface ProposedGame {
  game: Address
  gameType: number
  l2BlockNumber: bigint
  rootClaim: Hex
  /** The chain's real output root at that block (differs from rootClaim when wrongRoots was on). */
  outputRoot: Hex
  bond: bigint
  /** The create transaction; zero hash for a game someone else had already created (adopted). */
  l1TxHash: Hex
}

export interface OpProposer {
  readonly address: Address
  /** Claim wrong output roots from now on (tamper tests). */
  wrongRoots: boolean
  proposedUpTo(): bigint
  /** Create a game for one L2 block (the safe head by default), whatever the interval; refused while stopped. */
  propose(l2BlockNumber?: bigint): Promise<ProposedGame>
  /** Create games at the interval boundaries after proposedUpTo() up to the safe head (the newest MAX_PENDING_GAMES at most); none while stopped. */
  proposePending(): Promise<ProposedGame[]>
  /** Resolve a game whose clock has run out; returns its status (2 = DEFENDER_WINS). */
  resolve(game: Address): Promise<number>
}

export function createOpProposer(p: CreateOpProposerParameters): OpProposer {
  const gameType = p.gameType ?? GAME_TYPE_CANNON
  const interval = BigInt(p.intervalBlocks ?? 10)
  if (interval < 1n) throw new RangeError('the proposal interval is at least one block')
  const wallet = p.l1.walletFor(p.key)
  let proposed = p.proposedUpTo ?? 0n
  const safeHead = p.safeHead ?? (() => p.view.head().number)
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f)
    queue = run.catch(() => undefined)
    return run
  }

  async function create(n: bigint): Promise<ProposedGame> {
    const block = p.view.block(n)
    if (!block) throw new OpProposerError(`The devnet OP proposer cannot read L2 block ${n}.`)
    const rootClaim = proposer.wrongRoots ? flipLastByte(block.outputRoot) : block.outputRoot
    const bond = await p.l1.public.readContract({ address: p.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'initBonds', args: [gameType] })
    const extraData = encodeAbiParameters([{ type: 'uint256' }], [n])
    // Anyone may create games: the escape itself creates one with its own (equal) root when none fits. Adopt an
    // existing game for the same type, root and block instead of sending a create the factory refuses (GameAlreadyExists).
    const [existing] = (await p.l1.public.readContract({ address: p.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'games', args: [gameType, rootClaim, extraData] })) as readonly [Hex, bigint]
    if (existing !== zeroAddress) {
      if (n > proposed) proposed = n
      return { game: existing, gameType, l2BlockNumber: n, rootClaim, outputRoot: block.outputRoot, bond, l1TxHash: zeroHash }
    }
    const receipt = await sendDevnetTransaction({
      l1: p.l1,
      step: `create a dispute game (type ${gameType}) for L2 block ${n}`,
      ErrorClass: OpProposerError,
      abi: [...disputeGameFactoryAbi, ...faultDisputeGameAbi] as Abi,
      steps: ['The devnet L1 refused the proposal: check that anvil is running, the proposer has ETH, and the block is newer than the anchor.'],
      send: () =>
        wallet.sendTransaction({
          to: p.disputeGameFactory,
          data: encodeFunctionData({ abi: disputeGameFactoryAbi, functionName: 'create', args: [gameType, rootClaim, extraData] }),
          value: bond,
        }),
    })
    const [created] = parseEventLogs({ abi: disputeGameFactoryAbi, eventName: 'DisputeGameCreated', logs: receipt.logs })
    if (!created) throw new OpProposerError(`The dispute game for L2 block ${n} was created without a DisputeGameCreated event (L1 tx ${receipt.transactionHash}).`)
    if (n > proposed) proposed = n
    return { game: created.args.disputeProxy, gameType, l2BlockNumber: n, rootClaim, outputRoot: block.outputRoot, bond, l1TxHash: receipt.transactionHash }
  }

  const refuseWhenStopped = (): void => {
    if (p.switches.proposerStopped) throw new OpProposerError('The devnet OP proposer is stopped.', { kind: 'user-action', steps: ['Clear switches.proposerStopped to create games again.'] })
  }

  const proposer: OpProposer = {
    address: wallet.account.address,
    wrongRoots: false,
    proposedUpTo: () => proposed,
    propose(l2BlockNumber) {
      return serial(async () => {
        refuseWhenStopped()
        return create(l2BlockNumber ?? safeHead())
      })
    },
    proposePending() {
      return serial(async () => {
        const out: ProposedGame[] = []
        const head = safeHead()
        const newest = (head / interval) * interval
        const next = (proposed / interval + 1n) * interval
        const first = newest - next >= MAX_PENDING_GAMES * interval ? newest - (MAX_PENDING_GAMES - 1n) * interval : next
        for (let n = first; n <= head && !p.switches.proposerStopped; n += interval) out.push(await create(n))
        return out
      })
    },
    resolve(game) {
      return serial(async () => {
        const step = (what: string) => `${what} of dispute game ${game}`
        const send = (what: string, functionName: 'resolveClaim' | 'resolve', args: readonly bigint[]) =>
          sendDevnetTransaction({
            l1: p.l1,
            step: step(what),
            ErrorClass: OpProposerError,
            abi: faultDisputeGameAbi as Abi,
            steps: ['A game resolves only after its clock has run out: advance the devnet time past maxClockDuration first.'],
            send: () => wallet.sendTransaction({ to: game, data: encodeFunctionData({ abi: faultDisputeGameAbi, functionName, args } as never) }),
          })
        await send('resolve the root claim', 'resolveClaim', [0n, 0n])
        await send('resolve', 'resolve', [])
        return Number(await p.l1.public.readContract({ address: game, abi: faultDisputeGameAbi, functionName: 'status' }))
      })
    },
  }
  return proposer
}
