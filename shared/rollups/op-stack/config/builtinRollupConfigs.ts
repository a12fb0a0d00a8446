/**
 * Built-in rollup configs, in rollup.json form and parsed by the same validator as user files.
 *
 * Sources:
 * - OP Mainnet: ethereum-optimism/superchain-registry superchain/configs/mainnet/op.toml (genesis, batch inbox,
 *   system config, addresses; read at commit 03dd74e6) with the later fork times (isthmus, jovian, karst,
 *   keep_karst_upgrade_gas) from the same file at commit 8336d2ae as recorded in notes/op-stack.md §6.6.
 *   channel_timeout 300 / granite_channel_timeout 50 are protocol defaults (not in the TOML); regolith_time 0 as the
 *   registry's generator sets it. l1_chain_id 1 from superchain/configs/mainnet/superchain.toml.
 * - Base and OP Sepolia: the project's vectors (vectors/op/genesis/*-rollup-config.json, from the registry; Base at
 *   5b055be4, the last registry commit listing Base — its schedule after Jovian is not known).
 * - Devnet: built from the devnet manifest plus the L2 genesis the devnet sequencer chose (devnetRollupConfig).
 */
import { parseRollupConfig, type RollupConfig } from './rollupConfig'

const commonDefaults = {
  block_time: 2,
  max_sequencer_drift: 600,
  seq_window_size: 3600,
  channel_timeout: 300,
  granite_channel_timeout: 50,
  chain_op_config: { eip1559Elasticity: 6, eip1559Denominator: 50, eip1559DenominatorCanyon: 250 },
}

export const OP_MAINNET_ROLLUP_JSON = {
  ...commonDefaults,
  l1_chain_id: 1,
  l2_chain_id: 10,
  genesis: {
    l1: { hash: '0x438335a20d98863a4c0c97999eb2481921ccd28553eac6f913af7c12aec04108', number: 17422590 },
    l2: { hash: '0xdbf6a80fef073de06add9b0d14026d6e5a86c85f6d102c36d3d8e9cf89c2afd3', number: 105235063 },
    l2_time: 1686068903,
    system_config: {
      batcherAddr: '0x6887246668a3b87F54DeB3b94Ba47a6f63F32985',
      overhead: '0x00000000000000000000000000000000000000000000000000000000000000bc',
      scalar: '0x00000000000000000000000000000000000000000000000000000000000a6fe0',
      gasLimit: 30000000,
    },
  },
  regolith_time: 0,
  canyon_time: 1704992401,
  delta_time: 1708560000,
  ecotone_time: 1710374401,
  fjord_time: 1720627201,
  granite_time: 1726070401,
  holocene_time: 1736445601,
  isthmus_time: 1746806401,
  jovian_time: 1764691201,
  karst_time: 1783526401,
  keep_karst_upgrade_gas: true,
  batch_inbox_address: '0xFF00000000000000000000000000000000000010',
  deposit_contract_address: '0xbEb5Fc579115071764c7423A4f12eDde41f106Ed',
  l1_system_config_address: '0x229047fed2591dbec1eF1118d64F7aF3dB9EB290',
} as const

export const BASE_MAINNET_ROLLUP_JSON = {
  ...commonDefaults,
  l1_chain_id: 1,
  l2_chain_id: 8453,
  genesis: {
    l1: { hash: '0x5c13d307623a926cd31415036c8b7fa14572f9dac64528e857a470511fc30771', number: 17481768 },
    l2: { hash: '0xf712aa9241cc24369b143cf6dce85f0902a9731e70d66818a3a5845b296c73dd', number: 0 },
    l2_time: 1686789347,
    system_config: {
      batcherAddr: '0x5050F69a9786F081509234F1a7F4684b5E5b76C9',
      overhead: '0x00000000000000000000000000000000000000000000000000000000000000bc',
      scalar: '0x00000000000000000000000000000000000000000000000000000000000a6fe0',
      gasLimit: 30000000,
    },
  },
  regolith_time: 0,
  canyon_time: 1704992401,
  delta_time: 1708560000,
  ecotone_time: 1710374401,
  fjord_time: 1720627201,
  granite_time: 1726070401,
  holocene_time: 1736445601,
  isthmus_time: 1746806401,
  jovian_time: 1764691201,
  batch_inbox_address: '0xFf00000000000000000000000000000000008453',
  deposit_contract_address: '0x49048044D57e1C92A77f79988d21Fa8fAF74E97e',
  l1_system_config_address: '0x73a79Fab69143498Ed3712e519A88a918e1f4072',
  protocol_versions_address: '0x8062AbC286f5e7D9428a0Ccb9AbD71e50d93b935',
  superchain_config_address: '0x95703e0982140D16f8ebA6d158FccEde42f04a4C',
} as const

export const OP_SEPOLIA_ROLLUP_JSON = {
  ...commonDefaults,
  l1_chain_id: 11155111,
  l2_chain_id: 11155420,
  genesis: {
    l1: { hash: '0x48f520cf4ddaf34c8336e6e490632ea3cf1e5e93b0b2bc6e917557e31845371b', number: 4071408 },
    l2: { hash: '0x102de6ffb001480cc9b8b548fd05c34cd4f46ae4aa91759393db90ea0409887d', number: 0 },
    l2_time: 1691802540,
    system_config: {
      batcherAddr: '0x8F23BB38F531600e5d8FDDaAEC41F13FaB46E98c',
      overhead: '0x00000000000000000000000000000000000000000000000000000000000000bc',
      scalar: '0x00000000000000000000000000000000000000000000000000000000000a6fe0',
      gasLimit: 30000000,
    },
  },
  regolith_time: 0,
  canyon_time: 1699981200,
  delta_time: 1703203200,
  ecotone_time: 1708534800,
  fjord_time: 1716998400,
  granite_time: 1723478400,
  holocene_time: 1732633200,
  pectra_blob_schedule_time: 1742486400,
  isthmus_time: 1744905600,
  jovian_time: 1763568001,
  karst_time: 1781712001,
  keep_karst_upgrade_gas: true,
  batch_inbox_address: '0xff00000000000000000000000000000011155420',
  deposit_contract_address: '0x16Fc5058F25648194471939df75CF27A2fdC48BC',
  l1_system_config_address: '0x034edD2A225f7f429A63E0f1D2084B9E0A93b538',
  protocol_versions_address: '0x79add5713b383daa0a138d3c4780c7a1804a8090',
  superchain_config_address: '0xC2Be75506d5724086DEB7245bd260Cc9753911Be',
} as const

export type BuiltinOpNetwork = 'op-mainnet' | 'base' | 'op-sepolia'

const BUILTIN: Record<BuiltinOpNetwork, unknown> = {
  'op-mainnet': OP_MAINNET_ROLLUP_JSON,
  base: BASE_MAINNET_ROLLUP_JSON,
  'op-sepolia': OP_SEPOLIA_ROLLUP_JSON,
}

export function builtinRollupConfig(network: BuiltinOpNetwork): RollupConfig {
  return parseRollupConfig(BUILTIN[network])
}

/** The part of the devnet manifest's op-stack entry a rollup config needs (electron/devnet/manifest.ts). */
export interface OpDevnetDescription {
  l1ChainId: number
  l2ChainId: number
  batchInbox: string
  contracts: { optimismPortal: string; systemConfig: string; superchainConfig?: string }
  roles: { batcher: string }
  parameters: Record<string, string | number>
}

export interface DevnetGenesis {
  l1: { hash: string; number: number }
  l2: { hash: string; number: number }
  l2Time: number
}

/**
 * The devnet's rollup config: every fork through Jovian active at genesis (so no upgrade transactions), a short
 * sequencing window so drills see empty-batch advancement within minutes, and the manifest's addresses and scalars.
 */
export function devnetRollupConfig(devnet: OpDevnetDescription, genesis: DevnetGenesis, overrides: { seqWindowSize?: number; blockTime?: number } = {}): RollupConfig {
  const p = devnet.parameters
  const base = Number(p.basefeeScalar ?? 0)
  const blob = Number(p.blobbasefeeScalar ?? 0)
  // Ecotone versioned scalar v1: 0x01 ‖ 0… ‖ blobBaseFeeScalar u32 ‖ baseFeeScalar u32
  const scalar = `0x01${'00'.repeat(23)}${blob.toString(16).padStart(8, '0')}${base.toString(16).padStart(8, '0')}`
  return parseRollupConfig({
    ...commonDefaults,
    block_time: overrides.blockTime ?? 2,
    seq_window_size: overrides.seqWindowSize ?? 20,
    l1_chain_id: devnet.l1ChainId,
    l2_chain_id: devnet.l2ChainId,
    genesis: {
      l1: genesis.l1,
      l2: genesis.l2,
      l2_time: genesis.l2Time,
      system_config: {
        batcherAddr: devnet.roles.batcher,
        overhead: `0x${'00'.repeat(32)}`,
        scalar,
        gasLimit: Number(p.gasLimit ?? 30_000_000),
      },
    },
    regolith_time: 0,
    canyon_time: 0,
    delta_time: 0,
    ecotone_time: 0,
    fjord_time: 0,
    granite_time: 0,
    holocene_time: 0,
    isthmus_time: 0,
    jovian_time: 0,
    batch_inbox_address: devnet.batchInbox,
    deposit_contract_address: devnet.contracts.optimismPortal,
    l1_system_config_address: devnet.contracts.systemConfig,
    ...(devnet.contracts.superchainConfig ? { superchain_config_address: devnet.contracts.superchainConfig } : {}),
  })
}
