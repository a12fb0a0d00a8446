/**
 * The running devnet's OP Stack rollup config: devnetRollupConfig (shared/rollups/op-stack/config) is the one
 * definition of the devnet's parameters; this reads the L1 block derivation starts from (SystemConfig.startBlock)
 * off the devnet's own anvil.
 *
 * The devnet deploys the OP L1 contracts only (no L2 node), so its L2 genesis block is not built anywhere: derivation
 * without execution never checks the genesis hash, and this one is a fixed, labelled value.
 */
import { createPublicClient, http, keccak256, stringToBytes } from 'viem'
import { devnetRollupConfig } from '../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import type { OpStackDevnetManifest } from '../manifest'

export const DEVNET_L2_GENESIS_HASH = keccak256(stringToBytes('escape-hatch devnet: OP L2 genesis (not executed)'))

export async function readDevnetRollupConfig(l1RpcUrl: string, op: OpStackDevnetManifest): Promise<RollupConfig> {
  const l1 = createPublicClient({ transport: http(l1RpcUrl, { retryCount: 2 }), cacheTime: 0 })
  const block = await l1.getBlock({ blockNumber: BigInt(op.startBlock) })
  return devnetRollupConfig(op, { l1: { hash: block.hash, number: op.startBlock }, l2: { hash: DEVNET_L2_GENESIS_HASH, number: 0 }, l2Time: Number(block.timestamp) })
}
