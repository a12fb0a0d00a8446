/**
 * The OP Stack rollup configuration, as op-node / kona read it from `rollup.json` (snake_case), validated with zod and
 * turned into a camelCase value the rest of the app uses.
 *
 * Accepted inputs:
 * - op-node `rollup.json` and kona `RollupConfig` JSON (e.g. the kona executor fixtures' `rollup_config`);
 * - the superchain-registry-derived `op-chain-config/v1` files (the config sits under `rollupConfig`).
 *
 * Fork semantics follow kona `RollupConfig::is_*_active`: a fork is active when its own time has passed OR any later
 * fork is active (kona fixtures omit `regolith_time` but activate Canyon, which implies Regolith).
 * Spec: specs/protocol/superchain-upgrades.md, op-node rollup/types.go `CheckForkOrder`.
 */
import { z } from 'zod'
import { EscapeError, registerErrorClass } from '../../../errors/EscapeError'

export type Hex = `0x${string}`
export type Address = `0x${string}`

/** Forks in activation order. `bedrock` is the genesis fork and always active. */
export const OP_FORKS = [
  'bedrock',
  'regolith',
  'canyon',
  'delta',
  'ecotone',
  'fjord',
  'granite',
  'holocene',
  'isthmus',
  'jovian',
  'karst',
] as const
export type OpFork = (typeof OP_FORKS)[number]

export interface BlockId {
  hash: Hex
  number: number
}

/** The genesis SystemConfig (later changed by ConfigUpdate events, see derive/systemConfig.ts). */
export interface GenesisSystemConfig {
  batcherAddress: Address
  /** Pre-Ecotone L1 fee overhead, bytes32. */
  overhead: Hex
  /** Pre-Ecotone L1 fee scalar, bytes32 (post-Ecotone: versioned scalar). */
  scalar: Hex
  gasLimit: bigint
  baseFeeScalar: number | null
  blobBaseFeeScalar: number | null
  eip1559Denominator: number | null
  eip1559Elasticity: number | null
  operatorFeeScalar: number | null
  operatorFeeConstant: bigint | null
  minBaseFee: bigint | null
  daFootprintGasScalar: number | null
}

export interface Eip1559ChainParams {
  elasticity: number
  denominator: number
  /** Denominator from Canyon on. */
  denominatorCanyon: number
}

export interface RollupConfig {
  l1ChainId: number
  l2ChainId: number
  genesis: {
    l1: BlockId
    l2: BlockId
    l2Time: number
    systemConfig: GenesisSystemConfig
  }
  /** Seconds per L2 block. */
  blockTime: number
  /** Pre-Fjord max sequencer drift (seconds); from Fjord the protocol constant 1800 applies. */
  maxSequencerDrift: number
  seqWindowSize: number
  /** Pre-Granite channel timeout in L1 blocks. */
  channelTimeout: number
  /** Granite channel timeout in L1 blocks (protocol default 50). */
  graniteChannelTimeout: number
  /** Activation timestamps (L2 block timestamps); `undefined` = not scheduled. `bedrock` is always 0. */
  forks: Record<OpFork, number | undefined>
  /** Sepolia-only: L1 Pectra blob schedule fix (specs/protocol/pectra-blob-schedule/derivation.md). */
  pectraBlobScheduleTime: number | undefined
  keepKarstUpgradeGas: boolean
  batchInboxAddress: Address
  depositContractAddress: Address
  l1SystemConfigAddress: Address
  protocolVersionsAddress: Address | undefined
  superchainConfigAddress: Address | undefined
  /** EIP-1559 chain parameters (`chain_op_config`); absent in older rollup.json files (they live in the L2 genesis). */
  eip1559: Eip1559ChainParams | undefined
  /** Alt-DA chains are not supported by this app's derivation; the flag lets callers refuse them clearly. */
  altDaEnabled: boolean
}

export class InvalidRollupConfigError extends EscapeError {
  override name = 'InvalidRollupConfigError'
  constructor(problem: string, cause?: unknown) {
    super('The rollup configuration is not valid.', {
      kind: 'user-action',
      steps: [
        'Check that the file is an OP Stack rollup.json (op-node format, snake_case fields).',
        'Compare it with the chain\'s entry in the superchain registry, or pick a built-in network instead.',
      ],
      details: problem,
      cause,
    })
  }
}
registerErrorClass('InvalidRollupConfigError', InvalidRollupConfigError)

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, 'expected 0x-prefixed hex')
const hash32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte 0x-hex hash')
  .transform((s) => s.toLowerCase() as Hex)
const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte 0x-hex address')
  .transform((s) => s.toLowerCase() as Address)
const uint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
/** Integers that may be written as JSON numbers, decimal strings or 0x quantities. */
const bigUint = z
  .union([uint, z.string().regex(/^(0x[0-9a-fA-F]+|[0-9]+)$/)])
  .transform((v) => BigInt(v))
const optTime = uint.nullish().transform((v) => v ?? undefined)

const blockIdSchema = z.object({ hash: hash32, number: uint })

const systemConfigSchema = z.object({
  batcherAddr: address,
  overhead: hex.refine((s) => s.length <= 66, 'overhead must fit 32 bytes'),
  scalar: hex.refine((s) => s.length <= 66, 'scalar must fit 32 bytes'),
  gasLimit: bigUint,
  baseFeeScalar: uint.nullish(),
  blobBaseFeeScalar: uint.nullish(),
  eip1559Denominator: uint.nullish(),
  eip1559Elasticity: uint.nullish(),
  operatorFeeScalar: uint.nullish(),
  operatorFeeConstant: bigUint.nullish(),
  minBaseFee: bigUint.nullish(),
  daFootprintGasScalar: uint.nullish(),
})

const rollupJsonSchema = z.object({
  l1_chain_id: uint.refine((n) => n > 0, 'chain id must be positive'),
  l2_chain_id: uint.refine((n) => n > 0, 'chain id must be positive'),
  genesis: z.object({
    l1: blockIdSchema,
    l2: blockIdSchema,
    l2_time: uint,
    system_config: systemConfigSchema,
  }),
  block_time: uint.refine((n) => n > 0, 'block_time must be positive'),
  max_sequencer_drift: uint,
  seq_window_size: uint.refine((n) => n > 0, 'seq_window_size must be positive'),
  channel_timeout: uint.refine((n) => n > 0, 'channel_timeout must be positive'),
  granite_channel_timeout: uint.nullish(),
  regolith_time: optTime,
  canyon_time: optTime,
  delta_time: optTime,
  ecotone_time: optTime,
  fjord_time: optTime,
  granite_time: optTime,
  holocene_time: optTime,
  isthmus_time: optTime,
  jovian_time: optTime,
  karst_time: optTime,
  pectra_blob_schedule_time: optTime,
  keep_karst_upgrade_gas: z.boolean().nullish(),
  batch_inbox_address: address,
  deposit_contract_address: address,
  l1_system_config_address: address,
  protocol_versions_address: address.nullish(),
  superchain_config_address: address.nullish(),
  alt_da: z.unknown().optional(),
  chain_op_config: z
    .object({
      eip1559Elasticity: uint.refine((n) => n > 0),
      eip1559Denominator: uint.refine((n) => n > 0),
      eip1559DenominatorCanyon: uint.refine((n) => n > 0),
    })
    .nullish(),
})

/** Protocol default for the Granite channel timeout (specs/protocol/granite/derivation.md). */
export const GRANITE_CHANNEL_TIMEOUT_DEFAULT = 50

/**
 * Parse and validate an untrusted rollup config. Accepts the op-node `rollup.json` object or a wrapper with the
 * config under `rollupConfig` (the project's `op-chain-config/v1` files).
 */
export function parseRollupConfig(json: unknown): RollupConfig {
  const input =
    json !== null && typeof json === 'object' && !('genesis' in json) && 'rollupConfig' in json
      ? (json as { rollupConfig: unknown }).rollupConfig
      : json
  const parsed = rollupJsonSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ')
    throw new InvalidRollupConfigError(problems, parsed.error)
  }
  const r = parsed.data
  const sc = r.genesis.system_config
  const forks: Record<OpFork, number | undefined> = {
    bedrock: 0,
    regolith: r.regolith_time,
    canyon: r.canyon_time,
    delta: r.delta_time,
    ecotone: r.ecotone_time,
    fjord: r.fjord_time,
    granite: r.granite_time,
    holocene: r.holocene_time,
    isthmus: r.isthmus_time,
    jovian: r.jovian_time,
    karst: r.karst_time,
  }
  checkForkOrder(forks)
  if (r.alt_da !== undefined && r.alt_da !== null && typeof r.alt_da !== 'object') {
    throw new InvalidRollupConfigError('alt_da must be an object or null')
  }
  return {
    l1ChainId: r.l1_chain_id,
    l2ChainId: r.l2_chain_id,
    genesis: {
      l1: r.genesis.l1,
      l2: r.genesis.l2,
      l2Time: r.genesis.l2_time,
      systemConfig: {
        batcherAddress: sc.batcherAddr,
        overhead: sc.overhead.toLowerCase() as Hex,
        scalar: sc.scalar.toLowerCase() as Hex,
        gasLimit: sc.gasLimit,
        baseFeeScalar: sc.baseFeeScalar ?? null,
        blobBaseFeeScalar: sc.blobBaseFeeScalar ?? null,
        eip1559Denominator: sc.eip1559Denominator ?? null,
        eip1559Elasticity: sc.eip1559Elasticity ?? null,
        operatorFeeScalar: sc.operatorFeeScalar ?? null,
        operatorFeeConstant: sc.operatorFeeConstant ?? null,
        minBaseFee: sc.minBaseFee ?? null,
        daFootprintGasScalar: sc.daFootprintGasScalar ?? null,
      },
    },
    blockTime: r.block_time,
    maxSequencerDrift: r.max_sequencer_drift,
    seqWindowSize: r.seq_window_size,
    channelTimeout: r.channel_timeout,
    graniteChannelTimeout: r.granite_channel_timeout ?? GRANITE_CHANNEL_TIMEOUT_DEFAULT,
    forks,
    pectraBlobScheduleTime: r.pectra_blob_schedule_time,
    keepKarstUpgradeGas: r.keep_karst_upgrade_gas ?? false,
    batchInboxAddress: r.batch_inbox_address,
    depositContractAddress: r.deposit_contract_address,
    l1SystemConfigAddress: r.l1_system_config_address,
    protocolVersionsAddress: r.protocol_versions_address ?? undefined,
    superchainConfigAddress: r.superchain_config_address ?? undefined,
    eip1559: r.chain_op_config
      ? {
          elasticity: r.chain_op_config.eip1559Elasticity,
          denominator: r.chain_op_config.eip1559Denominator,
          denominatorCanyon: r.chain_op_config.eip1559DenominatorCanyon,
        }
      : undefined,
    altDaEnabled: r.alt_da !== undefined && r.alt_da !== null,
  }
}

/** Scheduled fork times must not go backwards (op-node `CheckForkOrder`, ignoring unscheduled forks as kona does). */
function checkForkOrder(forks: Record<OpFork, number | undefined>): void {
  let prev: { fork: OpFork; time: number } | undefined
  for (const fork of OP_FORKS) {
    const time = forks[fork]
    if (time === undefined) continue
    if (prev && time < prev.time) {
      throw new InvalidRollupConfigError(
        `fork ${fork} is set to ${time}, before the earlier fork ${prev.fork} (${prev.time})`,
      )
    }
    prev = { fork, time }
  }
}

/**
 * Whether `fork` is active for an L2 block with timestamp `l2Timestamp`. A later active fork implies the earlier ones
 * (kona `RollupConfig::is_regolith_active` etc.).
 */
export function isForkActive(config: RollupConfig, fork: OpFork, l2Timestamp: number): boolean {
  const start = OP_FORKS.indexOf(fork)
  for (let i = start; i < OP_FORKS.length; i++) {
    const time = config.forks[OP_FORKS[i] as OpFork]
    if (time !== undefined && l2Timestamp >= time) return true
  }
  return false
}

/** The latest fork active at `l2Timestamp`. */
export function activeFork(config: RollupConfig, l2Timestamp: number): OpFork {
  for (let i = OP_FORKS.length - 1; i >= 0; i--) {
    const fork = OP_FORKS[i] as OpFork
    const time = config.forks[fork]
    if (time !== undefined && l2Timestamp >= time) return fork
  }
  return 'bedrock'
}

/**
 * Whether the L2 block at `l2Timestamp` is the activation block of `fork`: the fork is active there but not in the
 * previous block (spec: "the first block with timestamp >= fork time"). Used for network-upgrade txs and L1-info format.
 */
export function isForkActivationBlock(config: RollupConfig, fork: OpFork, l2Timestamp: number): boolean {
  // kona `is_first_*_block` uses a saturating subtraction; so do we.
  const previous = Math.max(0, l2Timestamp - config.blockTime)
  return isForkActive(config, fork, l2Timestamp) && !isForkActive(config, fork, previous)
}

/** Max sequencer drift for an L2 block at `l2Timestamp` (Fjord made it the constant 1800; fjord/derivation.md). */
export function maxSequencerDrift(config: RollupConfig, l2Timestamp: number): number {
  return isForkActive(config, 'fjord', l2Timestamp) ? 1800 : config.maxSequencerDrift
}

/** Channel timeout in L1 blocks for a frame included in an L1 block with `l1Timestamp` (granite/derivation.md). */
export function channelTimeout(config: RollupConfig, l1Timestamp: number): number {
  return isForkActive(config, 'granite', l1Timestamp) ? config.graniteChannelTimeout : config.channelTimeout
}

/** Max decompressed bytes of a channel (Fjord raised it; fjord/derivation.md §Constants). */
export function maxRlpBytesPerChannel(config: RollupConfig, timestamp: number): number {
  return isForkActive(config, 'fjord', timestamp) ? 100_000_000 : 10_000_000
}

/** Max channel-bank size (pre-Holocene pruning limit; fjord/derivation.md §Constants). */
export function maxChannelBankSize(config: RollupConfig, timestamp: number): number {
  return isForkActive(config, 'fjord', timestamp) ? 1_000_000_000 : 100_000_000
}
