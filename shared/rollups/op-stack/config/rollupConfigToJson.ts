/**
 * RollupConfig → rollup.json (op-node format, snake_case): the inverse of parseRollupConfig for every field it reads.
 * The devnet writes its network file with it, and tests round-trip through it.
 */
import type { RollupConfig } from './rollupConfig'

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
