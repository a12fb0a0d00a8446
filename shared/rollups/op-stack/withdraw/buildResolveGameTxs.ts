/**
 * Resolve a FaultDisputeGame once its clocks have run out (notes §3 "After creation" step 2; FaultDisputeGame
 * resolveClaim/resolve): every unresolved claim, deepest first (a child's index is always above its parent's, so
 * descending index order resolves subgames before the claims they counter), then resolve(). An unchallenged game is
 * resolveClaim(0, 0) then resolve(). Anyone may send these; the clock rule is the contract's (ClockNotExpired).
 */
import { encodeFunctionData, getAddress, type Address } from 'viem'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import type { L1Call } from '../../../signing/l1Call'
import type { OpL1Client } from './opL1Client'

/** More claims than this: the game is a real battle; resolving it is left to the chain's challengers and tools. */
export const MAX_CLAIMS_TO_RESOLVE = 64n

export interface GameResolution {
  claimCount: bigint
  /** Claim indices still unresolved, deepest (highest) first. */
  unresolved: bigint[]
  resolved: boolean
}

export async function readGameResolution(l1: OpL1Client, game: Address, blockNumber: bigint): Promise<GameResolution> {
  const read = (functionName: string, args?: readonly unknown[]) => l1.readContract({ address: game, abi: faultDisputeGameAbi, functionName, args, blockNumber } as never) as Promise<unknown>
  const [count, status] = [BigInt((await read('claimDataLen')) as bigint), Number(await read('status'))]
  if (count > MAX_CLAIMS_TO_RESOLVE) return { claimCount: count, unresolved: [], resolved: status !== 0 }
  const unresolved: bigint[] = []
  for (let i = count - 1n; i >= 0n; i--) if (!((await read('resolvedSubgames', [i])) as boolean)) unresolved.push(i)
  return { claimCount: count, unresolved, resolved: status !== 0 }
}

export function buildResolveGameTxs(p: { l1ChainId: number; game: Address; resolution: GameResolution }): L1Call[] {
  const game = getAddress(p.game)
  if (p.resolution.resolved) return []
  if (p.resolution.claimCount > MAX_CLAIMS_TO_RESOLVE) return []
  const calls: L1Call[] = p.resolution.unresolved.map((i) => ({
    chainId: p.l1ChainId,
    to: game,
    data: encodeFunctionData({ abi: faultDisputeGameAbi, functionName: 'resolveClaim', args: [i, 0n] }),
    value: 0n,
    description: `Resolve claim #${i} of dispute game ${game} (its clock has run out).`,
  }))
  calls.push({
    chainId: p.l1ChainId,
    to: game,
    data: encodeFunctionData({ abi: faultDisputeGameAbi, functionName: 'resolve' }),
    value: 0n,
    description: `Resolve dispute game ${game}: settle its outcome on L1 (starts the finality airgap).`,
  })
  return calls
}
