/**
 * The rollup.json (op-node format) of the running devnet's OP Stack chain, as a user would pick it in the app: the
 * devnet's own config (electron/devnet/op/readDevnetRollupConfig.ts) written back out in snake_case, so the app's own
 * parser reads it (tests check the round trip).
 */
import { rollupConfigToJson } from '../../../../shared/rollups/op-stack/config/rollupConfigToJson'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import type { Devnet } from '../../../devnet/devnet'
import { readDevnetRollupConfig } from '../../../devnet/op/readDevnetRollupConfig'

/** The devnet's rollup config, genesis at SystemConfig.startBlock (where derivation of the devnet chain begins). */
export async function devnetRollupJson(devnet: Devnet): Promise<{ config: RollupConfig; json: Record<string, unknown> }> {
  const op = devnet.manifest.op
  if (!op) throw new Error('the devnet was started without the OP stack')
  const config = await readDevnetRollupConfig(devnet.l1.rpcUrl, op)
  return { config, json: rollupConfigToJson(config) }
}
