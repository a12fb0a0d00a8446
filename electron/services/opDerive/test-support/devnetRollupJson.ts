/**
 * The rollup.json (op-node format) of the running devnet's OP Stack chain, as a user would pick it in the app:
 * devnetRollupConfig (shared/rollups/op-stack/config) is the one definition of the devnet's parameters; this writes
 * that config back out in snake_case, so the app's own parser reads it (tests check the round trip).
 *
 * The devnet deploys the OP L1 contracts only (no L2 node), so its L2 genesis block is not built anywhere: derivation
 * without execution never checks the genesis hash, and this one is a fixed, labelled value.
 */
import { keccak256, stringToBytes } from 'viem'
import { devnetRollupConfig } from '../../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import type { Devnet } from '../../../devnet/devnet'

export const DEVNET_L2_GENESIS_HASH = keccak256(stringToBytes('escape-hatch devnet: OP L2 genesis (not executed)'))

/** The devnet's rollup config, genesis at SystemConfig.startBlock (where derivation of the devnet chain begins). */
export async function devnetRollupJson(devnet: Devnet): Promise<{ config: RollupConfig; json: Record<string, unknown> }> {
  const op = devnet.manifest.op
  if (!op) throw new Error('the devnet was started without the OP stack')
  const response = await fetch(devnet.l1.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: [`0x${op.startBlock.toString(16)}`, false] }),
  })
  const block = ((await response.json()) as { result: { hash: `0x${string}`; timestamp: `0x${string}` } }).result
  const config = devnetRollupConfig(op, { l1: { hash: block.hash, number: op.startBlock }, l2: { hash: DEVNET_L2_GENESIS_HASH, number: 0 }, l2Time: Number(block.timestamp) })
  return { config, json: rollupConfigToJson(config) }
}

/** RollupConfig → rollup.json (the inverse of parseRollupConfig for every field it reads). */
export function rollupConfigToJson(c: RollupConfig): Record<string, unknown> {
  const sc = c.genesis.systemConfig
  const nullable = <T>(v: T | null) => (v === null ? undefined : v)
  const forks = Object.fromEntries(Object.entries(c.forks).flatMap(([fork, time]) => (fork === 'bedrock' || time === undefined ? [] : [[`${fork}_time`, time]])))
  return {
    l1_chain_id: c.l1ChainId,
    l2_chain_id: c.l2ChainId,
    genesis: {
      l1: c.genesis.l1,
      l2: c.genesis.l2,
      l2_time: c.genesis.l2Time,
      system_config: {
        batcherAddr: sc.batcherAddress,
        overhead: sc.overhead,
        scalar: sc.scalar,
        gasLimit: sc.gasLimit.toString(),
        baseFeeScalar: nullable(sc.baseFeeScalar),
        blobBaseFeeScalar: nullable(sc.blobBaseFeeScalar),
        eip1559Denominator: nullable(sc.eip1559Denominator),
        eip1559Elasticity: nullable(sc.eip1559Elasticity),
        operatorFeeScalar: nullable(sc.operatorFeeScalar),
        operatorFeeConstant: sc.operatorFeeConstant === null ? undefined : sc.operatorFeeConstant.toString(),
        minBaseFee: sc.minBaseFee === null ? undefined : sc.minBaseFee.toString(),
        daFootprintGasScalar: nullable(sc.daFootprintGasScalar),
      },
    },
    block_time: c.blockTime,
    max_sequencer_drift: c.maxSequencerDrift,
    seq_window_size: c.seqWindowSize,
    channel_timeout: c.channelTimeout,
    granite_channel_timeout: c.graniteChannelTimeout,
    ...forks,
    ...(c.pectraBlobScheduleTime !== undefined ? { pectra_blob_schedule_time: c.pectraBlobScheduleTime } : {}),
    keep_karst_upgrade_gas: c.keepKarstUpgradeGas,
    batch_inbox_address: c.batchInboxAddress,
    deposit_contract_address: c.depositContractAddress,
    l1_system_config_address: c.l1SystemConfigAddress,
    ...(c.protocolVersionsAddress ? { protocol_versions_address: c.protocolVersionsAddress } : {}),
    ...(c.superchainConfigAddress ? { superchain_config_address: c.superchainConfigAddress } : {}),
    ...(c.eip1559 ? { chain_op_config: { eip1559Elasticity: c.eip1559.elasticity, eip1559Denominator: c.eip1559.denominator, eip1559DenominatorCanyon: c.eip1559.denominatorCanyon } } : {}),
    ...(c.altDaEnabled ? { alt_da: {} } : {}),
  }
}
