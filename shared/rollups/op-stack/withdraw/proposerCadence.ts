/**
 * When the chain's proposer will post a game covering a withdrawal, read from the DisputeGameFactory itself (notes
 * op-stack.md §3 "Prove"): the newest games of the respected type give the proposer's recent rhythm (seconds between
 * games, L2 blocks between games, medians so a stray game by someone else does not skew it), and from the newest
 * game the date a game at or past the withdrawal's L2 block is due. Used while no usable game covers the withdrawal:
 * the escape WAITS until that date (a journaled `step.waiting` with the reason and the date) instead of giving up,
 * and says when the proposer looks gone (far past its rhythm), which is when creating a game with our own root is
 * the way out.
 */
import type { Hex } from 'viem'
import { disputeGameFactoryAbi } from '../../../../contracts-abi/op-stack/DisputeGameFactory'
import type { OpL1Client } from './opL1Client'
import type { PortalSetup } from './readPortalSetup'

/** Games looked at for the rhythm. */
export const CADENCE_SAMPLES = 12n
/** When the factory holds too few games to measure a rhythm: OP Stack proposers post about one game an hour. */
export const DEFAULT_SECONDS_PER_GAME = 3600n
/** A proposer this many rhythms late (and at least MIN_GONE_SECONDS) looks gone. */
export const GONE_AFTER_RHYTHMS = 4n
export const MIN_GONE_SECONDS = 3600n
/** A late proposer is looked for again at least this far apart (or one rhythm, whichever is longer). */
export const LATE_RECHECK_SECONDS = 600n

export interface ProposerCadence {
  /** The newest game of the respected type (by creation), if any. */
  latest: { l2Block: bigint; createdAt: bigint } | undefined
  /** Median seconds between consecutive games; undefined with fewer than 2 games. */
  secondsPerGame: bigint | undefined
  /** Median L2 blocks between consecutive games (≥ 1); undefined with fewer than 2 games. */
  l2BlocksPerGame: bigint | undefined
  /** Games the rhythm was measured on. */
  samples: number
}

/** Reads the proposer's rhythm from the newest games of the respected type at setup.l1Block (one bounded call). */
export async function readProposerCadence(l1: OpL1Client, setup: PortalSetup): Promise<ProposerCadence> {
  const at = setup.l1Block
  const gameCount = (await l1.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameCount', blockNumber: at })) as bigint
  if (gameCount === 0n) return { latest: undefined, secondsPerGame: undefined, l2BlocksPerGame: undefined, samples: 0 }
  const found = (await l1.readContract({
    address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'findLatestGames',
    args: [setup.respectedGameType, gameCount - 1n, CADENCE_SAMPLES], blockNumber: at,
  })) as readonly { timestamp: bigint; extraData: Hex }[]
  return proposerCadence(found.filter((g) => g.extraData.length >= 66).map((g) => ({ createdAt: BigInt(g.timestamp), l2Block: BigInt(g.extraData.slice(0, 66)) })))
}

/** The rhythm of games given newest first (pure). */
export function proposerCadence(games: readonly { createdAt: bigint; l2Block: bigint }[]): ProposerCadence {
  const sorted = [...games].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
  const latest = sorted[0]
  if (sorted.length < 2 || !latest) return { latest, secondsPerGame: undefined, l2BlocksPerGame: undefined, samples: sorted.length }
  const seconds: bigint[] = []
  const blocks: bigint[] = []
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i] as (typeof sorted)[number]
    const b = sorted[i + 1] as (typeof sorted)[number]
    seconds.push(a.createdAt - b.createdAt)
    if (a.l2Block > b.l2Block) blocks.push(a.l2Block - b.l2Block)
  }
  const step = median(blocks)
  return { latest, secondsPerGame: median(seconds), l2BlocksPerGame: step === undefined ? undefined : step < 1n ? 1n : step, samples: sorted.length }
}

export interface ExpectedGame {
  /** L1 timestamp (seconds) by which a game covering the block is expected. */
  at: bigint
  /** The rhythm in words, for the user. */
  basis: string
  /** The expected time has passed (by more than one rhythm): the proposer is late. */
  late: boolean
  /** When to look again (L1 seconds, after `now`): the due date, or (late) one rhythm but at least LATE_RECHECK_SECONDS from now. */
  recheckAt: bigint
  /** No game for GONE_AFTER_RHYTHMS rhythms (and at least MIN_GONE_SECONDS): the proposer looks gone. */
  gone: boolean
}

/** When a game at or past `l2Block` is due, given the rhythm and the L1 time now (pure). */
export function expectGameCovering(p: { cadence: ProposerCadence; l2Block: bigint; now: bigint; minGoneSeconds?: bigint }): ExpectedGame {
  const { cadence, l2Block, now } = p
  const rhythm = cadence.secondsPerGame !== undefined && cadence.secondsPerGame > 0n ? cadence.secondsPerGame : DEFAULT_SECONDS_PER_GAME
  const measured = cadence.secondsPerGame !== undefined
  const latest = cadence.latest
  if (!latest) {
    return { at: now + rhythm, basis: 'the factory holds no game of the respected type yet; assuming the usual hourly proposals', late: false, recheckAt: now + rhythm, gone: false }
  }
  const step = cadence.l2BlocksPerGame ?? 1n
  const gamesNeeded = l2Block > latest.l2Block ? (l2Block - latest.l2Block + step - 1n) / step : 1n
  const at = latest.createdAt + gamesNeeded * rhythm
  const silence = now - latest.createdAt
  const minGone = p.minGoneSeconds ?? MIN_GONE_SECONDS
  const goneAfter = GONE_AFTER_RHYTHMS * rhythm > minGone ? GONE_AFTER_RHYTHMS * rhythm : minGone
  const basis = measured
    ? `the proposer posted its last ${cadence.samples} games about every ${rhythm} s, ${step} L2 block(s) apart; its newest is for L2 block ${latest.l2Block}, ${silence} s ago`
    : `only one game of the respected type so far (L2 block ${latest.l2Block}, ${silence} s ago); assuming the usual hourly proposals`
  const late = now > at + rhythm
  const lateRecheck = rhythm > LATE_RECHECK_SECONDS ? rhythm : minGone < LATE_RECHECK_SECONDS ? minGone / 2n + 1n : LATE_RECHECK_SECONDS
  const recheckAt = at > now ? at : now + (late ? lateRecheck : 1n)
  return { at, basis, late, recheckAt, gone: silence > goneAfter }
}

function median(xs: readonly bigint[]): bigint | undefined {
  if (xs.length === 0) return undefined
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return s[Math.floor((s.length - 1) / 2)]
}
