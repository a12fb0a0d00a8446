/**
 * The proposer as a running devnet role: after each new block it creates the games due (createOpProposer
 * proposePending), up to the safe head it is given (the batcher's position, so only blocks L1 carries are proposed).
 * A failed proposal is kept as `lastError` (and reported through onError) and retried with the next block.
 */
import type { DevnetKey } from '../../../sendDevnetTransaction'
import type { OpL2ProposerOptions, OpL2RoleContext } from '../types'
import { followChain, type FollowingRole } from '../roles/followChain'
import { createOpProposer, type OpProposer, type ProposedGame } from './createOpProposer'

export interface StartOpProposerParameters extends OpL2ProposerOptions {
  intervalBlocks?: number
  /** The newest block that may be proposed (the batcher's postedUpTo); default the chain head. */
  safeHead?: () => bigint
  onProposed?(game: ProposedGame): void
  onError?(error: unknown): void
}

/** flush() creates the games due now. */
export interface RunningOpProposer extends FollowingRole<ProposedGame> {
  readonly proposer: OpProposer
}

export function startOpProposer(p: StartOpProposerParameters): RunningOpProposer {
  // stop() ends the games in flight after the current one (a stopping devnet must not wait for a backlog).
  let halted = false
  const switches = { get proposerStopped() { return halted || p.switches.proposerStopped } }
  const proposer = createOpProposer({
    l1: p.l1,
    key: p.key,
    disputeGameFactory: p.deployment.contracts.disputeGameFactory,
    view: p.chain,
    switches,
    gameType: p.deployment.respectedGameType,
    proposedUpTo: BigInt(p.deployment.startingAnchor.l2BlockNumber),
    ...(p.intervalBlocks !== undefined ? { intervalBlocks: p.intervalBlocks } : {}),
    ...(p.safeHead ? { safeHead: p.safeHead } : {}),
  })
  const loop = followChain({
    chain: p.chain,
    work: () => proposer.proposePending(),
    due: () => !p.switches.proposerStopped,
    ...(p.onProposed ? { onDone: p.onProposed } : {}),
    ...(p.onError ? { onError: p.onError } : {}),
  })
  const stopLoop = loop.stop.bind(loop)
  return Object.assign(loop, {
    proposer,
    stop() {
      halted = true
      return stopLoop()
    },
  })
}

/** The proposer as a role for startOpL2's `roles` list: `roles: [opProposerRole({ key, safeHead: () => batcher.postedUpTo() })]`. */
export function opProposerRole(o: { key: DevnetKey } & Omit<StartOpProposerParameters, keyof OpL2RoleContext | 'key'>) {
  return async (context: OpL2RoleContext): Promise<RunningOpProposer> => startOpProposer({ ...context, ...o })
}
