/**
 * What the portal in front of an OP Stack chain is, read at run time at one L1 block (notes op-stack.md §3, §9):
 * its version, where the game-validity rules live, the respected game type, retirement, the delays, and the factory.
 *
 * - Portal 3.x (op-contracts v1.4, what the devnet deploys): the portal holds everything — `respectedGameType()`,
 *   `respectedGameTypeUpdatedAt()` (games created before it are retired: checkWithdrawal requires
 *   `createdAt >= respectedGameTypeUpdatedAt`), `disputeGameBlacklist(game)`, both delays, `disputeGameFactory()`.
 * - Portal ≥ 4 (v2.x … v7 standard releases): validity moved to the AnchorStateRegistry (`anchorStateRegistry()`):
 *   respected type, `retirementTimestamp()` (retired when `createdAt <= retirementTimestamp`), blacklist, finality
 *   delay, `isGameProper`/`isGameRespected`; the portal keeps the proof maturity delay. Super-root portals
 *   (`superRootsActive()`) prove with another method the app does not build: refused plainly.
 * - Portal < 3 (L2OutputOracle, before fault proofs): refused plainly.
 */
import type { Address } from 'viem'
import { anchorStateRegistryAbi } from '../../../../contracts-abi/op-stack/AnchorStateRegistry'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { OpPortalUnsupportedError } from './errors'
import { isRevert, type OpL1Client } from './opL1Client'

export type PortalGeneration = 'portal-3' | 'portal-4+'

export interface PortalSetup {
  portal: Address
  version: string
  generation: PortalGeneration
  disputeGameFactory: Address
  /** Portal ≥ 4 only (on 3.x the registry only keeps the anchor). */
  anchorStateRegistry: Address | undefined
  respectedGameType: number
  /**
   * Games created before this L1 timestamp no longer count. 3.x: retired when createdAt < timestamp
   * (respectedGameTypeUpdatedAt); ≥ 4: retired when createdAt <= timestamp (retirementTimestamp).
   */
  retirement: { timestamp: bigint; inclusive: boolean; source: string }
  proofMaturityDelaySeconds: bigint
  disputeGameFinalityDelaySeconds: bigint
  paused: boolean
  /** finalizeWithdrawalTransactionExternalProof exists (portal ≥ 3.10). */
  externalProofFinalize: boolean
  l1Block: bigint
}

/** Game types whose root claim is an output root of one L2 block and whose extraData is abi.encode(l2BlockNumber). */
export const OUTPUT_ROOT_GAME_TYPES: ReadonlySet<number> = new Set([0, 1, 2, 3, 6, 8, 10, 254, 255])
/** Game types anyone may create with the app's own output root (CANNON, CANNON_KONA): notes §9. */
export const PERMISSIONLESS_GAME_TYPES: ReadonlySet<number> = new Set([0, 8])
/** Super-root game types (L2 timestamp as sequence number): viem gameTypes.ts. */
export const SUPER_ROOT_GAME_TYPES: ReadonlySet<number> = new Set([4, 5, 7, 9])

export function parseVersion(v: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0]
}

export async function readPortalSetup(l1: OpL1Client, portal: Address, blockNumber?: bigint): Promise<PortalSetup> {
  const at = blockNumber ?? (await l1.getBlockNumber())
  const read = <T>(address: Address, abi: typeof optimismPortal2Abi | typeof anchorStateRegistryAbi, functionName: string, args?: readonly unknown[]): Promise<T> =>
    l1.readContract({ address, abi, functionName, args, blockNumber: at } as never) as Promise<T>
  const tryRead = async <T>(address: Address, abi: typeof optimismPortal2Abi | typeof anchorStateRegistryAbi, functionName: string): Promise<T | undefined> => {
    try {
      return await read<T>(address, abi, functionName)
    } catch (e) {
      if (isRevert(e)) return undefined
      throw e
    }
  }

  const version = await tryRead<string>(portal, optimismPortal2Abi, 'version')
  const [major, minor] = parseVersion(version ?? '')
  if (version === undefined || major < 3) {
    throw new OpPortalUnsupportedError(`The OptimismPortal at ${portal} (version ${version ?? 'unknown'}) is from before fault proofs; this version proves withdrawals only against dispute games.`, {
      steps: ['Check the network (its portal address) you chose.', 'Chains still on the L2OutputOracle are not supported for proving by this version.'],
    })
  }
  const proofMaturityDelaySeconds = await read<bigint>(portal, optimismPortal2Abi, 'proofMaturityDelaySeconds')
  const paused = await read<boolean>(portal, optimismPortal2Abi, 'paused')

  if (major === 3) {
    const [factory, respected, updatedAt, finality] = await Promise.all([
      read<Address>(portal, optimismPortal2Abi, 'disputeGameFactory'),
      read<number>(portal, optimismPortal2Abi, 'respectedGameType'),
      read<bigint>(portal, optimismPortal2Abi, 'respectedGameTypeUpdatedAt'),
      read<bigint>(portal, optimismPortal2Abi, 'disputeGameFinalityDelaySeconds'),
    ])
    return {
      portal, version, generation: 'portal-3', disputeGameFactory: factory, anchorStateRegistry: undefined,
      respectedGameType: Number(respected),
      retirement: { timestamp: BigInt(updatedAt), inclusive: false, source: 'OptimismPortal2.respectedGameTypeUpdatedAt()' },
      proofMaturityDelaySeconds, disputeGameFinalityDelaySeconds: finality, paused,
      externalProofFinalize: minor >= 10, l1Block: at,
    }
  }

  if (await tryRead<boolean>(portal, optimismPortal2Abi, 'superRootsActive')) {
    throw new OpPortalUnsupportedError(`The OptimismPortal at ${portal} (version ${version}) proves withdrawals against super roots (interop); this version does not build super-root proofs.`, {
      steps: ['Use the chain’s own bridge tools for now; forced inclusion through depositTransaction still works.'],
    })
  }
  const asr = await read<Address>(portal, optimismPortal2Abi, 'anchorStateRegistry')
  const [factory, respected, retirementTimestamp, finality] = await Promise.all([
    read<Address>(asr, anchorStateRegistryAbi, 'disputeGameFactory'),
    read<number>(asr, anchorStateRegistryAbi, 'respectedGameType'),
    read<bigint>(asr, anchorStateRegistryAbi, 'retirementTimestamp'),
    read<bigint>(asr, anchorStateRegistryAbi, 'disputeGameFinalityDelaySeconds'),
  ])
  return {
    portal, version, generation: 'portal-4+', disputeGameFactory: factory, anchorStateRegistry: asr,
    respectedGameType: Number(respected),
    retirement: { timestamp: BigInt(retirementTimestamp), inclusive: true, source: 'AnchorStateRegistry.retirementTimestamp()' },
    proofMaturityDelaySeconds, disputeGameFinalityDelaySeconds: finality, paused,
    externalProofFinalize: true, l1Block: at,
  }
}
