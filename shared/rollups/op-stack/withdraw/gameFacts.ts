/**
 * What the app knows about one dispute game, read from L1 at one block (readGames / readGame), and the game status
 * as a string union (FaultDisputeGame GameStatus: 0 IN_PROGRESS, 1 CHALLENGER_WINS, 2 DEFENDER_WINS).
 */
import type { Address, Hex } from 'viem'

export type GameStatus = 'in-progress' | 'challenger-wins' | 'defender-wins'

export function gameStatusOf(raw: number | bigint): GameStatus {
  switch (Number(raw)) {
    case 0:
      return 'in-progress'
    case 1:
      return 'challenger-wins'
    case 2:
      return 'defender-wins'
    default:
      throw new TypeError(`unknown dispute game status ${raw}`)
  }
}

export interface GameFacts {
  /** Index in the factory (what proveWithdrawalTransaction takes); undefined when the game was read by address. */
  index: bigint | undefined
  address: Address
  gameType: number
  rootClaim: Hex
  l2BlockNumber: bigint
  /** L1 timestamps (seconds); resolvedAt is 0 while in progress. */
  createdAt: bigint
  resolvedAt: bigint
  status: GameStatus
  /** Seconds each side's clock may run (the game implementation's maxClockDuration()). */
  maxClockDuration: bigint
  blacklisted: boolean
  /** Created at or before the retirement timestamp (see PortalSetup.retirement). */
  retired: boolean
  /** Its type was the respected type when it was created (≥ 4: wasRespectedGameTypeWhenCreated; 3.x: type == respected now). */
  respected: boolean
}
