/**
 * Network-upgrade transactions (NUTs) inserted in a fork's activation block, after user deposits
 * (ecotone|fjord|isthmus|jovian/derivation.md §"Network Upgrade Automation Transactions"; op-node attributes.go
 * `PreparePayloadAttributes`). Each is a 0x7E deposit with a domain-2 source hash of its intent string.
 *
 * Ecotone and Fjord are built here. Isthmus and Jovian deploy contracts whose bytecode this app cannot trace to an npm
 * artifact: their NUTs come from an untrusted L2 node and are accepted only after a byte-for-byte check
 * (upgrades/verifyNodeUpgradeTxs.ts), passed in as `provided`. Karst is not supported.
 */
import { isForkActivationBlock, type OpFork, type RollupConfig } from '../config/rollupConfig'
import { UnsupportedChainFeatureError } from './errors'
import { NETWORK_UPGRADE_TXS, UPGRADES_NOT_BUILT } from './networkUpgradeTxs'
import { VERIFIED_UPGRADE_FORKS } from './upgrades/verifiedUpgradeForks'

/** Forks whose activation block carries upgrade transactions, in the order op-node appends them. */
export const FORKS_WITH_UPGRADE_TXS: readonly OpFork[] = ['ecotone', 'fjord', 'isthmus', 'jovian', 'karst']

/** The forks whose activation block is the L2 block at `l2Timestamp` and which carry upgrade transactions. */
export function upgradeForksAt(config: RollupConfig, l2Timestamp: number): OpFork[] {
  return FORKS_WITH_UPGRADE_TXS.filter((fork) => isForkActivationBlock(config, fork, l2Timestamp))
}

/** The activating forks whose NUTs this app does not build (they must come, verified, from an L2 node). */
export function upgradeForksNotBuiltAt(config: RollupConfig, l2Timestamp: number): OpFork[] {
  return upgradeForksAt(config, l2Timestamp).filter((fork) => !NETWORK_UPGRADE_TXS[fork])
}

export function upgradeTransactions(config: RollupConfig, l2Timestamp: number, provided?: ReadonlyMap<OpFork, readonly Uint8Array[]>): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const fork of upgradeForksAt(config, l2Timestamp)) {
    const txs = NETWORK_UPGRADE_TXS[fork]?.() ?? provided?.get(fork)
    if (!txs) throw upgradeNotBuilt(fork, l2Timestamp)
    out.push(...txs)
  }
  return out
}

function upgradeNotBuilt(fork: OpFork, l2Timestamp: number): UnsupportedChainFeatureError {
  const gap = UPGRADES_NOT_BUILT[fork]
  const missing = gap?.missing ?? `the ${fork} network-upgrade transactions`
  const why = gap?.why ?? 'they are not built into this version'
  const verifiable = VERIFIED_UPGRADE_FORKS[fork] !== undefined
  const what = verifiable
    ? `give --l2-rpc URL (an untrusted L2 node is enough: every byte of its ${fork} upgrade transactions is checked ` +
      `against the protocol constants and published code hashes), or start derivation after the activation block ` +
      `(--start anchor or game:0x… with an anchor past L2 time ${l2Timestamp}).`
    : `start derivation after L2 time ${l2Timestamp} (--start anchor or game:0x… with an anchor past the activation ` +
      `block), or rebuild that block with a trusted L2 node.`
  return new UnsupportedChainFeatureError(
    `the ${fork} network upgrade (its activation block at L2 time ${l2Timestamp})`,
    `This version cannot build ${missing}: ${why}. The activation block of ${fork} would be derived with a wrong ` +
      `transaction list, so derivation stops there. What you can do: ${what}`,
  )
}
