/**
 * The batcher as a running devnet role: follows the chain (onBlock) and posts once `postEveryBlocks` blocks are
 * pending (default 6: one L1 slot of 2 s L2 blocks), or when asked (`flush`, e.g. by a drill before it derives).
 * A failed post is kept as `lastError` (and reported through onError) and retried with the next block.
 */
import type { DevnetKey } from '../../../sendDevnetTransaction'
import type { OpL2BatcherOptions, OpL2Role, OpL2RoleContext } from '../types'
import { createOpBatcher, type OpBatcher, type PostedChannel } from './createOpBatcher'

export interface StartOpBatcherParameters extends OpL2BatcherOptions {
  postEveryBlocks?: number
  onPosted?(channel: PostedChannel): void
  onError?(error: unknown): void
}

export interface RunningOpBatcher extends OpL2Role {
  readonly batcher: OpBatcher
  readonly lastError: unknown
  /** Post everything pending now (nothing while switches.batcherStopped). */
  flush(): Promise<PostedChannel[]>
}

export function startOpBatcher(p: StartOpBatcherParameters): RunningOpBatcher {
  const every = BigInt(p.postEveryBlocks ?? 6)
  const batcher = createOpBatcher({
    l1: p.l1,
    key: p.key,
    batchInbox: p.deployment.batchInbox,
    chain: { genesisL2Time: p.rollupConfig.genesis.l2Time, l2ChainId: p.rollupConfig.l2ChainId },
    view: p.chain,
    switches: p.switches,
    mode: p.dataAvailability === 'blobs' ? 'blob' : 'calldata',
    postedUpTo: BigInt(p.rollupConfig.genesis.l2.number),
  })
  let lastError: unknown
  let inFlight: Promise<unknown> = Promise.resolve()
  const flush = async (): Promise<PostedChannel[]> => {
    const run = batcher.postPending()
    inFlight = run.catch(() => undefined)
    try {
      const posted = await run
      lastError = undefined
      for (const c of posted) p.onPosted?.(c)
      return posted
    } catch (error) {
      lastError = error
      p.onError?.(error)
      throw error
    }
  }
  const unsubscribe = p.chain.onBlock((block) => {
    if (block.number - batcher.postedUpTo() >= every) flush().catch(() => undefined)
  })
  return {
    batcher,
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

/** The batcher as a role for startOpL2's `roles` list: `roles: [opBatcherRole({ key, dataAvailability: 'blobs' })]`. */
export function opBatcherRole(o: { key: DevnetKey; dataAvailability: 'calldata' | 'blobs' } & Omit<StartOpBatcherParameters, keyof OpL2RoleContext | 'key' | 'dataAvailability'>) {
  return async (context: OpL2RoleContext): Promise<RunningOpBatcher> => startOpBatcher({ ...context, ...o })
}
