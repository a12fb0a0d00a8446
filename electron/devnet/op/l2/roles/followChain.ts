/**
 * The loop every devnet OP L2 role that acts on new blocks shares (batcher, proposer): on each block, run the role's
 * work when it says it is due; keep the last failure (and report it) so the next block retries; flush() runs it now;
 * stop() unsubscribes and waits for the work in flight.
 */
import type { OpL2ChainView, OpL2Block, OpL2Role } from '../types'

export interface FollowChainParameters<T> {
  chain: Pick<OpL2ChainView, 'onBlock'>
  /** The role's work (serialised by the role itself). */
  work(): Promise<T[]>
  /** Whether this new block makes work due. */
  due(block: OpL2Block): boolean
  onDone?(item: T): void
  onError?(error: unknown): void
}

export interface FollowingRole<T> extends OpL2Role {
  readonly lastError: unknown
  flush(): Promise<T[]>
}

export function followChain<T>(p: FollowChainParameters<T>): FollowingRole<T> {
  let lastError: unknown
  let inFlight: Promise<unknown> = Promise.resolve()
  const flush = async (): Promise<T[]> => {
    const run = p.work()
    inFlight = run.catch(() => undefined)
    try {
      const done = await run
      lastError = undefined
      for (const item of done) p.onDone?.(item)
      return done
    } catch (error) {
      lastError = error
      p.onError?.(error)
      throw error
    }
  }
  const unsubscribe = p.chain.onBlock((block) => {
    if (p.due(block)) flush().catch(() => undefined)
  })
  return {
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
