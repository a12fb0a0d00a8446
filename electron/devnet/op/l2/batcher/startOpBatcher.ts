/**
 * The batcher as a running devnet role: follows the chain (onBlock) and posts once `postEveryBlocks` blocks are
 * pending (default 6: one L1 slot of 2 s L2 blocks), or when asked (`flush`, e.g. by a drill before it derives).
 * A failed post is kept as `lastError` (and reported through onError) and retried with the next block.
 */
import type { DevnetKey } from '../../../sendDevnetTransaction'
import type { OpL2BatcherOptions, OpL2RoleContext } from '../types'
import { followChain, type FollowingRole } from '../roles/followChain'
import { createOpBatcher, type OpBatcher, type PostedChannel } from './createOpBatcher'

export interface StartOpBatcherParameters extends OpL2BatcherOptions {
  postEveryBlocks?: number
  onPosted?(channel: PostedChannel): void
  onError?(error: unknown): void
}

/** flush() posts everything pending now (nothing while switches.batcherStopped). */
export interface RunningOpBatcher extends FollowingRole<PostedChannel> {
  readonly batcher: OpBatcher
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
  const loop = followChain({
    chain: p.chain,
    work: () => batcher.postPending(),
    due: (block) => block.number - batcher.postedUpTo() >= every,
    ...(p.onPosted ? { onDone: p.onPosted } : {}),
    ...(p.onError ? { onError: p.onError } : {}),
  })
  return Object.assign(loop, { batcher })
}

/** The batcher as a role for startOpL2's `roles` list: `roles: [opBatcherRole({ key, dataAvailability: 'blobs' })]`. */
export function opBatcherRole(o: { key: DevnetKey; dataAvailability: 'calldata' | 'blobs' } & Omit<StartOpBatcherParameters, keyof OpL2RoleContext | 'key' | 'dataAvailability'>) {
  return async (context: OpL2RoleContext): Promise<RunningOpBatcher> => startOpBatcher({ ...context, ...o })
}
