/** Where a chain's rebuild lives by default: one folder per chain (its id and genesis hash) under the data folder. */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'

export function defaultRebuildStateDir(dataDir: string, config: RollupConfig): string {
  const chainKey = createHash('sha256').update(`${config.l2ChainId}:${config.genesis.l2.hash}`).digest('hex').slice(0, 16)
  return join(dataDir, 'rebuilds', `op-${config.l2ChainId}-${chainKey}`)
}
