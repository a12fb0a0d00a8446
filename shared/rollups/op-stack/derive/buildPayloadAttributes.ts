/**
 * Payload attributes of the next L2 block (specs/protocol/derivation.md §"Building Individual Payload Attributes";
 * op-node attributes.go `PreparePayloadAttributes`, attributes_queue.go `createNextAttributes`).
 *
 * Transactions, in order: L1-info deposit; user deposits (first block of an epoch only); network-upgrade txs (fork
 * activation blocks); then the batch's transactions.
 */
import type { BlobScheduleEntry } from '../../../l1/blobBaseFee'
import type { L1BlockHeader, L1Log } from '../../../l1/L1Source'
import { isForkActive, type OpFork, type RollupConfig } from '../config/rollupConfig'
import type { Hex } from './batchTypes'
import { depositsFromLogs } from './deposits'
import { DerivationError } from './errors'
import { buildL1InfoDeposit } from './l1Info'
import type { L2BlockRef, PayloadAttributes } from './l2Types'
import { applySystemConfigLogs, type SystemConfig } from './systemConfig'
import { upgradeTransactions } from './upgradeTransactions'
import { SEQUENCER_FEE_VAULT } from '../../../eth/predeploys'
import { serializeTxDeposit } from '../../../eth/TxDeposit'

const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex

export interface EpochData {
  header: L1BlockHeader
  logs: readonly L1Log[]
}

export interface BuildPayloadAttributesParameters {
  config: RollupConfig
  parent: L2BlockRef
  /** SystemConfig as of the parent block (after the ConfigUpdates of its L1 origin and before). */
  parentSystemConfig: SystemConfig
  epoch: EpochData
  /** The batch: its timestamp must be parent + block time, its epoch `epoch`. */
  batchTransactions: readonly Uint8Array[]
  blobSchedule?: readonly BlobScheduleEntry[]
  /**
   * Upgrade transactions of forks this app does not build (Isthmus, Jovian), already verified byte for byte
   * (upgrades/verifyNodeUpgradeTxs.ts); or 'omit' to build only the deposits derived from L1 (the prefix that
   * verification compares the node's block against).
   */
  upgradeTxs?: ReadonlyMap<OpFork, readonly Uint8Array[]> | 'omit'
}

export interface BuiltAttributes {
  attributes: PayloadAttributes
  systemConfig: SystemConfig
  sequenceNumber: number
  depositCount: number
  userDepositCount: number
  upgradeTxCount: number
}

export function buildPayloadAttributes(p: BuildPayloadAttributesParameters): BuiltAttributes {
  const { config, parent, epoch } = p
  const l1 = epoch.header
  let sys = p.parentSystemConfig
  let depositTxs: Uint8Array[] = []
  let seq: number
  if (parent.l1Origin.number !== l1.number) {
    if (parent.l1Origin.hash !== l1.parentHash) {
      throw reset(`L1 origin ${l1.number} (parent ${l1.parentHash}) does not build on the previous origin ${parent.l1Origin.number} ${parent.l1Origin.hash}`)
    }
    depositTxs = depositsFromLogs(epoch.logs, config.depositContractAddress).map(serializeTxDeposit)
    sys = applySystemConfigLogs(sys, epoch.logs, config, l1.timestamp)
    seq = 0
  } else {
    if (parent.l1Origin.hash !== l1.hash) throw reset(`L1 origin ${l1.number} hash changed`)
    seq = parent.sequenceNumber + 1
  }
  const nextL2Time = parent.timestamp + config.blockTime
  if (nextL2Time < l1.timestamp) throw reset(`L2 time ${nextL2Time} would be before its L1 origin time ${l1.timestamp}`)
  const upgrades = p.upgradeTxs === 'omit' ? [] : upgradeTransactions(config, nextL2Time, p.upgradeTxs)
  const l1Info = buildL1InfoDeposit(p.blobSchedule ? { config, sys, l1, sequenceNumber: seq, l2Timestamp: nextL2Time, blobSchedule: p.blobSchedule } : { config, sys, l1, sequenceNumber: seq, l2Timestamp: nextL2Time })
  const txs = [l1Info.raw, ...depositTxs, ...upgrades, ...p.batchTransactions]
  const attributes: PayloadAttributes = {
    timestamp: nextL2Time,
    prevRandao: l1.mixHash,
    suggestedFeeRecipient: SEQUENCER_FEE_VAULT,
    gasLimit: sys.gasLimit,
    noTxPool: true,
    transactions: txs,
  }
  if (isForkActive(config, 'canyon', nextL2Time)) attributes.withdrawals = []
  if (isForkActive(config, 'ecotone', nextL2Time)) attributes.parentBeaconBlockRoot = l1.parentBeaconBlockRoot ?? ZERO_HASH
  if (isForkActive(config, 'holocene', nextL2Time)) attributes.eip1559Params = sys.eip1559Params
  if (isForkActive(config, 'jovian', nextL2Time)) attributes.minBaseFee = sys.minBaseFee
  return {
    attributes,
    systemConfig: sys,
    sequenceNumber: seq,
    depositCount: 1 + depositTxs.length + upgrades.length,
    userDepositCount: depositTxs.length,
    upgradeTxCount: upgrades.length,
  }
}

function reset(details: string): DerivationError {
  return new DerivationError('The L1 chain changed while it was being read (or the inputs are inconsistent).', {
    kind: 'temporary',
    steps: ['Run the scan again; if it repeats, check that your L1 endpoints agree on the chain.'],
    details,
  })
}
