/**
 * The proposer as a running devnet role: after each new block it creates the games due (createOpProposer
 * proposePending), up to the safe head it is given (the batcher's position, so only blocks L1 carries are proposed).
 * A failed proposal is kept as `lastError` (and reported through onError) and retried with the next block.
 */
import type { DevnetKey } from '../../../sendDevnetTransaction'
import type { OpL2ProposerOptions, OpL2Role, OpL2RoleContext } from '../types'
import { createOpProposer, type OpProposer, type ProposedGame } from './createOpProposer'

export interface StartOpProposerParameters extends OpL2ProposerOptions {
  intervalBlocks?: number
  /** The newest block that may be proposed (the batcher's postedUpTo); default the chain head. */
  safeHead?: () => bigint
  onProposed?(game: ProposedGame): void
  onError?(error: unknown): void
}

export interface RunningOpProposer extends OpL2Role {
  readonly proposer: OpProposer
  readonly lastError: unknown
  /** Create the games due now. */
  flush(): Promise<ProposedGame[]>
}

export function startOpProposer(p: StartOpProposerParameters): RunningOpProposer {
  const proposer = createOpProposer({
    l1: p.l1,
    key: p.key,
    disputeGameFactory: p.deployment.contracts.disputeGameFactory,
    view: p.chain,
    switches: p.switches,
    gameType: p.deployment.respectedGameType,
    proposedUpTo: BigInt(p.deployment.startingAnchor.l2BlockNumber),
    ...(p.intervalBlocks !== undefined ? { intervalBlocks: p.intervalBlocks } : {}),
    ...(p.safeHead ? { safeHead: p.safeHead } : {}),
  })
  let lastError: unknown
  let inFlight: Promise<unknown> = Promise.resolve()
  const flush = async (): Promise<ProposedGame[]> => {
    const run = proposer.proposePending()
    inFlight = run.catch(() => undefined)
    try {
      const games = await run
      lastError = undefined
      for (const g of games) p.onProposed?.(g)
      return games
    } catch (error) {
      lastError = error
      p.onError?.(error)
      throw error
    }
  }
  const unsubscribe = p.chain.onBlock(() => {
    if (!p.switches.proposerStopped) flush().catch(() => undefined)
  })
  return {
    proposer,
    get lastError() {
      return lastError
    },
    flush,
    async stop() {
      unsubscribe()
      await inFlight
    },
  }
}

/** The proposer as a role for startOpL2's `roles` list: `roles: [opProposerRole({ key, safeHead: () => batcher.postedUpTo() })]`. */
export function opProposerRole(o: { key: DevnetKey } & Omit<StartOpProposerParameters, keyof OpL2RoleContext | 'key'>) {
  return async (context: OpL2RoleContext): Promise<RunningOpProposer> => startOpProposer({ ...context, ...o })
}
