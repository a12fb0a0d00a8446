/**
 * The network-upgrade transactions of each fork, as EIP-2718 bytes. Forks missing here make derivation of their
 * activation block fail loudly (upgradeTransactions.ts) rather than produce a wrong block.
 */
import type { OpFork } from '../config/rollupConfig'

export const NETWORK_UPGRADE_TXS: Partial<Record<OpFork, () => Uint8Array[]>> = {}
