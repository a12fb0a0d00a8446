/**
 * Network-upgrade transactions (NUTs) inserted in a fork's activation block, after user deposits
 * (ecotone|fjord|isthmus|jovian/derivation.md §"Network Upgrade Automation Transactions"). Each is a 0x7E deposit with
 * a domain-2 source hash of its intent string.
 */
import { isForkActivationBlock, type OpFork, type RollupConfig } from '../config/rollupConfig'
import { UnsupportedChainFeatureError } from './errors'
import { NETWORK_UPGRADE_TXS } from './networkUpgradeTxs'

/** Forks whose activation block carries upgrade transactions, in the order op-node appends them. */
export const FORKS_WITH_UPGRADE_TXS: readonly OpFork[] = ['ecotone', 'fjord', 'isthmus', 'jovian', 'karst']

export function upgradeTransactions(config: RollupConfig, l2Timestamp: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const fork of FORKS_WITH_UPGRADE_TXS) {
    if (!isForkActivationBlock(config, fork, l2Timestamp)) continue
    const txs = NETWORK_UPGRADE_TXS[fork]
    if (!txs) {
      throw new UnsupportedChainFeatureError(
        `the ${fork} upgrade (its activation block at L2 time ${l2Timestamp})`,
        `The ${fork} network-upgrade transactions are not built into this version, so that block cannot be derived exactly.`,
      )
    }
    out.push(...txs())
  }
  return out
}
