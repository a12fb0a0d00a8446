/**
 * The output root the L1 contracts consider final, read at one pinned L1 block (specs fault-proof/stage-one/
 * anchor-state-registry.md, optimism-portal.md):
 * - `readAnchorRoot`: the AnchorStateRegistry's anchor. The registry is found from the portal: OptimismPortal2 ≥ 4
 *   has `anchorStateRegistry()`; older portals (3.x, op-contracts v1.4 — what the devnet deploys) only know the
 *   factory: `disputeGameFactory()` → `gameImpls(respectedGameType())` → `anchorStateRegistry()`. The root is
 *   `getAnchorRoot()` (ASR ≥ 2) or `anchors(respectedGameType)` (ASR 1.x).
 * - `readFinalizedGameRoot`: a given dispute game, accepted only if it resolved DEFENDER_WINS and is final:
 *   ASR ≥ 3 `isGameClaimValid` (registered, respected, not blacklisted or retired, resolved, past the finality
 *   airgap); on v1.4, the same rules from the portal and factory (registered in the factory under its own
 *   type/root/extraData, type == the portal's respected type, not blacklisted, resolvedAt + airgap < L1 time).
 * Reads go through `L1ContractReader` (the Node side pins every call to the block and cross-checks endpoints).
 */
import type { Abi, Address, Hex } from 'viem'
import { anchorStateRegistryAbi } from '../../../../../contracts-abi/op-stack/AnchorStateRegistry'
import { disputeGameFactoryAbi } from '../../../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../../../../contracts-abi/op-stack/OptimismPortal2'
import { DerivationStartError } from './errors'

/** A view call at a fixed L1 block; throws on revert (e.g. a function this contract version does not have). */
export interface L1ContractReader {
  read(call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] }): Promise<unknown>
  /** Whether an error thrown by `read` is a revert (a missing function), as opposed to a transport failure. */
  isRevert(error: unknown): boolean
}

export interface L1Anchor {
  kind: 'anchor-state-registry' | 'dispute-game'
  outputRoot: Hex
  l2BlockNumber: number
  /** The contract the root was read from. */
  source: Address
  gameType: number
  /** How it was read (for reproducing it). */
  method: string
}

const DEFENDER_WINS = 2

async function tryRead(r: L1ContractReader, call: Parameters<L1ContractReader['read']>[0]): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await r.read(call) }
  } catch (e) {
    if (r.isRevert(e)) return { ok: false }
    throw e
  }
}

function toNumber(v: unknown, what: string): number {
  const n = BigInt(v as bigint)
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new DerivationStartError(`The ${what} on L1 is not a usable L2 block number.`, { kind: 'critical', details: String(n) })
  return Number(n)
}

export async function findAnchorStateRegistry(r: L1ContractReader, portal: Address): Promise<{ registry: Address; gameType: number; via: string }> {
  const respected = Number(await r.read({ address: portal, abi: optimismPortal2Abi as Abi, functionName: 'respectedGameType' }))
  const direct = await tryRead(r, { address: portal, abi: optimismPortal2Abi as Abi, functionName: 'anchorStateRegistry' })
  if (direct.ok) {
    const asrType = await tryRead(r, { address: direct.value as Address, abi: anchorStateRegistryAbi as Abi, functionName: 'respectedGameType' })
    return { registry: direct.value as Address, gameType: asrType.ok ? Number(asrType.value) : respected, via: 'OptimismPortal2.anchorStateRegistry()' }
  }
  const factory = (await r.read({ address: portal, abi: optimismPortal2Abi as Abi, functionName: 'disputeGameFactory' })) as Address
  const impl = (await r.read({ address: factory, abi: disputeGameFactoryAbi as Abi, functionName: 'gameImpls', args: [respected] })) as Address
  if (/^0x0{40}$/i.test(impl)) {
    throw new DerivationStartError(`The dispute game factory has no implementation for the respected game type ${respected}.`, { kind: 'critical', steps: ['Check the portal address in the rollup config, or start from the rollup genesis.'] })
  }
  const registry = (await r.read({ address: impl, abi: faultDisputeGameAbi as Abi, functionName: 'anchorStateRegistry' })) as Address
  return { registry, gameType: respected, via: `DisputeGameFactory.gameImpls(${respected}).anchorStateRegistry()` }
}

export async function readAnchorRoot(r: L1ContractReader, portal: Address): Promise<L1Anchor> {
  const { registry, gameType, via } = await findAnchorStateRegistry(r, portal)
  const modern = await tryRead(r, { address: registry, abi: anchorStateRegistryAbi as Abi, functionName: 'getAnchorRoot' })
  let root: Hex
  let l2: unknown
  let method: string
  if (modern.ok) {
    ;[root, l2] = modern.value as [Hex, bigint]
    method = `${via} → getAnchorRoot()`
  } else {
    ;[root, l2] = (await r.read({ address: registry, abi: anchorStateRegistryAbi as Abi, functionName: 'anchors', args: [gameType] })) as [Hex, bigint]
    method = `${via} → anchors(${gameType})`
  }
  if (/^0x0{64}$/.test(root)) throw new DerivationStartError('The AnchorStateRegistry has no anchor root yet.', { kind: 'critical', steps: ['Start from the rollup genesis (it needs no anchor).'] })
  return { kind: 'anchor-state-registry', outputRoot: root, l2BlockNumber: toNumber(l2, 'anchor'), source: registry, gameType, method }
}

export async function readFinalizedGameRoot(r: L1ContractReader, p: { portal: Address; game: Address; l1Timestamp: number }): Promise<L1Anchor> {
  const { portal, game } = p
  const g = async (functionName: string): Promise<unknown> => r.read({ address: game, abi: faultDisputeGameAbi as Abi, functionName })
  const refuse = (why: string, steps: string[] = ['Use a game that resolved DEFENDER_WINS and is past the finality delay, or --start anchor.']): never => {
    throw new DerivationStartError(`The dispute game ${game} cannot be used as a start: ${why}.`, { steps })
  }
  let gameType: number
  try {
    gameType = Number(await g('gameType'))
  } catch (e) {
    if (!r.isRevert(e)) throw e
    return refuse('it is not a dispute game')
  }
  const [rootClaim, l2, status, resolvedAt, extraData] = [(await g('rootClaim')) as Hex, await g('l2BlockNumber'), Number(await g('status')), Number(await g('resolvedAt')), (await g('extraData')) as Hex]
  if (status !== DEFENDER_WINS) refuse(status === 0 ? 'it has not resolved yet' : 'it resolved in the challenger\'s favour (the claim is wrong)')
  const { registry } = await findAnchorStateRegistry(r, portal)
  const claimValid = await tryRead(r, { address: registry, abi: anchorStateRegistryAbi as Abi, functionName: 'isGameClaimValid', args: [game] })
  let method: string
  if (claimValid.ok) {
    if (claimValid.value !== true) {
      const finalized = await tryRead(r, { address: registry, abi: anchorStateRegistryAbi as Abi, functionName: 'isGameFinalized', args: [game] })
      refuse(finalized.ok && finalized.value !== true ? 'it is not finalized yet (the finality delay after resolution has not passed)' : 'the AnchorStateRegistry does not consider its claim valid (unregistered, not respected, blacklisted or retired)')
    }
    method = `AnchorStateRegistry(${registry}).isGameClaimValid(game)`
  } else {
    // op-contracts v1.4: the portal and factory hold the rules.
    const factory = (await r.read({ address: portal, abi: optimismPortal2Abi as Abi, functionName: 'disputeGameFactory' })) as Address
    const [proxy] = (await r.read({ address: factory, abi: disputeGameFactoryAbi as Abi, functionName: 'games', args: [gameType, rootClaim, extraData] })) as [Address, bigint]
    if (proxy.toLowerCase() !== game.toLowerCase()) refuse('the dispute game factory did not create it')
    const respected = Number(await r.read({ address: portal, abi: optimismPortal2Abi as Abi, functionName: 'respectedGameType' }))
    if (gameType !== respected) refuse(`its game type ${gameType} is not the respected type ${respected}`)
    const blacklisted = await tryRead(r, { address: portal, abi: optimismPortal2Abi as Abi, functionName: 'disputeGameBlacklist', args: [game] })
    if (!blacklisted.ok) refuse('this contract version has no blacklist to check', ['Use --start anchor.'])
    if (blacklisted.ok && blacklisted.value === true) refuse('the guardian blacklisted it')
    const delay = await tryRead(r, { address: portal, abi: optimismPortal2Abi as Abi, functionName: 'disputeGameFinalityDelaySeconds' })
    if (!delay.ok) refuse('this contract version has no finality delay to check', ['Use --start anchor.'])
    const finalAt = resolvedAt + Number(delay.ok ? (delay.value as bigint) : 0n)
    if (!(p.l1Timestamp > finalAt)) refuse(`it is not finalized yet (final after ${new Date(finalAt * 1000).toISOString()}, L1 time is ${new Date(p.l1Timestamp * 1000).toISOString()})`)
    method = `OptimismPortal2(${portal}) rules v1.4: registered, respected type, not blacklisted, resolvedAt + disputeGameFinalityDelaySeconds < L1 time`
  }
  return { kind: 'dispute-game', outputRoot: rootClaim, l2BlockNumber: toNumber(l2, 'game\'s L2 block'), source: game, gameType, method }
}
