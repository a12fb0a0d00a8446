/**
 * Open the user's untrusted L2 node and check it serves this rollup's chain before anything is read from it (a node
 * of another chain would otherwise fail later with a confusing block mismatch).
 */
import type { AbortSignalLike } from '../../../shared/l1/BlobSource'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { UntrustedL2DataError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { createRpcL2BlockSource, type RpcL2BlockSource } from './createRpcL2BlockSource'

export async function openL2Node(url: string, config: RollupConfig, signal?: AbortSignalLike): Promise<RpcL2BlockSource> {
  const l2 = createRpcL2BlockSource({ url })
  const l2ChainId = await l2.chainId(signal)
  if (l2ChainId !== config.l2ChainId) throw new UntrustedL2DataError('genesis', `The L2 node is on chain ${l2ChainId}, not this rollup's chain ${config.l2ChainId}.`, { node: l2.label })
  return l2
}
