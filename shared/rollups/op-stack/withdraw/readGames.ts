/**
 * Read the games that could carry a proof, newest first and bounded (notes §3 "Prove"; §9 "spam/invalid games
 * breaking the game choice"): `DisputeGameFactory.findLatestGames(respectedType, gameCount-1, limit)` returns only
 * games of the respected type (spam of other types costs nothing), with their root claim and extraData in one call;
 * games whose extraData is not one L2 block number, or whose block number is absurd, are skipped before any further
 * read. For the rest: status, resolvedAt, maxClockDuration, and the validity rules of the portal's generation.
 */
import type { Address, Hex } from 'viem'
import { anchorStateRegistryAbi } from '../../../../contracts-abi/op-stack/AnchorStateRegistry'
import { disputeGameFactoryAbi } from '../../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { gameStatusOf, type GameFacts } from './gameFacts'
import type { OpL1Client } from './opL1Client'
import type { PortalSetup } from './readPortalSetup'

export const DEFAULT_GAME_SCAN_LIMIT = 50n
/** An L2 block number above this is not a real chain's (≈ 2^40 blocks is 70 000 years at 2 s): a spam game. */
const ABSURD_L2_BLOCK = 1n << 40n

export interface ReadGamesParameters {
  l1: OpL1Client
  setup: PortalSetup
  /** How many of the newest respected-type games to look at (default 50). */
  limit?: bigint
  /** Only games at or above this L2 block are read further. */
  minL2Block?: bigint
}

export interface ReadGamesReturnType {
  games: GameFacts[]
  /** Games skipped before reading them further, with why (spam, below the withdrawal). */
  skipped: { index: bigint; address: Address; reason: string }[]
  /** How many games the factory holds, and how many of the newest were looked at. */
  gameCount: bigint
  scanned: number
}

export async function readGames(p: ReadGamesParameters): Promise<ReadGamesReturnType> {
  const { l1, setup } = p
  const at = setup.l1Block
  const gameCount = (await l1.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameCount', blockNumber: at })) as bigint
  if (gameCount === 0n) return { games: [], skipped: [], gameCount, scanned: 0 }
  const limit = p.limit ?? DEFAULT_GAME_SCAN_LIMIT
  const found = (await l1.readContract({
    address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'findLatestGames',
    args: [setup.respectedGameType, gameCount - 1n, limit], blockNumber: at,
  })) as readonly { index: bigint; metadata: Hex; timestamp: bigint; rootClaim: Hex; extraData: Hex }[]
  const games: GameFacts[] = []
  const skipped: ReadGamesReturnType['skipped'] = []
  for (const g of found) {
    const address = `0x${g.metadata.slice(-40)}` as Address
    if (g.extraData.length < 2 + 64) {
      skipped.push({ index: g.index, address, reason: 'its extraData holds no L2 block number' })
      continue
    }
    const l2BlockNumber = BigInt(g.extraData.slice(0, 66))
    if (l2BlockNumber >= ABSURD_L2_BLOCK) {
      skipped.push({ index: g.index, address, reason: `its L2 block number ${l2BlockNumber} is absurd (spam)` })
      continue
    }
    if (p.minL2Block !== undefined && l2BlockNumber < p.minL2Block) {
      skipped.push({ index: g.index, address, reason: `its L2 block ${l2BlockNumber} is before the withdrawal's block ${p.minL2Block}` })
      continue
    }
    games.push(await readGame(l1, setup, { index: g.index, address, gameType: setup.respectedGameType, rootClaim: g.rootClaim, l2BlockNumber, createdAt: g.timestamp }))
  }
  return { games, skipped, gameCount, scanned: found.length }
}

/** The facts of one game (its identity from the factory; the rest read from the game and the validity contract). */
export async function readGame(
  l1: OpL1Client,
  setup: PortalSetup,
  id: { index: bigint | undefined; address: Address; gameType: number; rootClaim: Hex; l2BlockNumber: bigint; createdAt: bigint },
): Promise<GameFacts> {
  const at = setup.l1Block
  const game = (functionName: string) => l1.readContract({ address: id.address, abi: faultDisputeGameAbi, functionName, blockNumber: at } as never) as Promise<unknown>
  const [status, resolvedAt, maxClockDuration] = await Promise.all([game('status'), game('resolvedAt'), game('maxClockDuration')])
  let blacklisted: boolean
  let respected: boolean
  let retired: boolean
  if (setup.generation === 'portal-3') {
    blacklisted = (await l1.readContract({ address: setup.portal, abi: optimismPortal2Abi, functionName: 'disputeGameBlacklist', args: [id.address], blockNumber: at })) as boolean
    respected = id.gameType === setup.respectedGameType
    retired = id.createdAt < setup.retirement.timestamp
  } else {
    const asr = setup.anchorStateRegistry as Address
    const ask = (functionName: 'isGameBlacklisted' | 'isGameRespected' | 'isGameRetired') =>
      l1.readContract({ address: asr, abi: anchorStateRegistryAbi, functionName, args: [id.address], blockNumber: at }) as Promise<boolean>
    ;[blacklisted, respected, retired] = await Promise.all([ask('isGameBlacklisted'), ask('isGameRespected'), ask('isGameRetired')])
  }
  return {
    ...id,
    status: gameStatusOf(status as number),
    resolvedAt: BigInt(resolvedAt as bigint),
    maxClockDuration: BigInt(maxClockDuration as bigint),
    blacklisted,
    respected,
    retired,
  }
}

/** A game known only by its address (the one a withdrawal was proven against): its identity read from the game. */
export async function readGameAt(l1: OpL1Client, setup: PortalSetup, address: Address): Promise<GameFacts> {
  const at = setup.l1Block
  const game = (functionName: string) => l1.readContract({ address, abi: faultDisputeGameAbi, functionName, blockNumber: at } as never) as Promise<unknown>
  const [gameType, rootClaim, l2BlockNumber, createdAt] = await Promise.all([game('gameType'), game('rootClaim'), game('l2BlockNumber'), game('createdAt')])
  return readGame(l1, setup, { index: undefined, address, gameType: Number(gameType), rootClaim: rootClaim as Hex, l2BlockNumber: BigInt(l2BlockNumber as bigint), createdAt: BigInt(createdAt as bigint) })
}
