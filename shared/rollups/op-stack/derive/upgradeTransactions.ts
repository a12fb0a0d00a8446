/**
 * Network-upgrade transactions (NUTs) inserted in a fork's activation block, after user deposits
 * (ecotone|fjord|isthmus|jovian/derivation.md §"Network Upgrade Automation Transactions"; op-node attributes.go
 * `PreparePayloadAttributes`). Each is a 0x7E deposit with a domain-2 source hash of its intent string.
 */
import { isForkActivationBlock, type OpFork, type RollupConfig } from '../config/rollupConfig'
import { UnsupportedChainFeatureError } from './errors'
import { NETWORK_UPGRADE_TXS, UPGRADES_NOT_BUILT } from './networkUpgradeTxs'

/** Forks whose activation block carries upgrade transactions, in the order op-node appends them. */
export const FORKS_WITH_UPGRADE_TXS: readonly OpFork[] = ['ecotone', 'fjord', 'isthmus', 'jovian', 'karst']

/** The forks whose activation block is the L2 block at `l2Timestamp` and which carry upgrade transactions. */
export function upgradeForksAt(config: RollupConfig, l2Timestamp: number): OpFork[] {
  return FORKS_WITH_UPGRADE_TXS.filter((fork) => isForkActivationBlock(config, fork, l2Timestamp))
}

export function upgradeTransactions(config: RollupConfig, l2Timestamp: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const fork of upgradeForksAt(config, l2Timestamp)) {
    const txs = NETWORK_UPGRADE_TXS[fork]
    if (!txs) throw upgradeNotBuilt(fork, l2Timestamp)
    out.push(...txs())
  }
  return out
}

function upgradeNotBuilt(fork: OpFork, l2Timestamp: number): UnsupportedChainFeatureError {
  const gap = UPGRADES_NOT_BUILT[fork]
  const missing = gap?.missing ?? `the ${fork} network-upgrade transactions`
  const why = gap?.why ?? 'they are not built into this version'
  return new UnsupportedChainFeatureError(
    `the ${fork} network upgrade (its activation block at L2 time ${l2Timestamp})`,
    `This version cannot build ${missing}: ${why}. The activation block of ${fork} would be derived with a wrong ` +
      `transaction list, so derivation stops there. What you can do: derive a range that starts after L2 time ` +
      `${l2Timestamp} (from a trusted L2 state at or after that block), or rebuild that block with a trusted L2 node.`,
  )
}
