/**
 * An UpgradeTxSource over an untrusted L2 node: fetch the activation block by number, accept its upgrade transactions
 * only when verifyNodeUpgradeTxs.ts accounts for every byte, then deploy each accepted init code in an isolated EVM
 * and check the code hash again (deployInIsolatedEvm.ts).
 */
import type { AbortSignalLike } from '../../../../l1/BlobSource'
import type { OpFork } from '../../config/rollupConfig'
import type { L2BlockSource } from '../start/L2BlockSource'
import { deployInIsolatedEvm } from './deployInIsolatedEvm'
import { UntrustedUpgradeTxError } from './errors'
import type { VerifiedUpgradeFork } from './verifiedUpgradeForks'
import { verifyNodeUpgradeTxs, type UpgradeGroup } from './verifyNodeUpgradeTxs'

export interface UpgradeTxRequest {
  l2BlockNumber: number
  l2Timestamp: number
  /** L1-info deposit + user deposits derivation computed for this block. */
  prefix: readonly Uint8Array[]
  /** Every fork activating in this block, in op-node's order: built ones as exact bytes, the rest from the node. */
  groups: readonly UpgradeGroup[]
  signal?: AbortSignalLike
}

/** Supplies the upgrade transactions derivation cannot build itself (returns them per fork, verified). */
export interface UpgradeTxSource {
  readonly label: string
  upgradeTransactions(req: UpgradeTxRequest): Promise<Map<OpFork, Uint8Array[]>>
}

/**
 * `tables` replaces the expected NUTs of a fork (tests: a fork table whose code hash is that of a contract available
 * here, since the real Isthmus/Jovian runtime code is not).
 */
export function createNodeUpgradeTxSource(l2: L2BlockSource, tables: Partial<Record<OpFork, VerifiedUpgradeFork>> = {}): UpgradeTxSource {
  return {
    label: l2.label,
    async upgradeTransactions(request) {
      const req = { ...request, groups: request.groups.map((g) => ('expected' in g && tables[g.fork] ? { fork: g.fork, expected: (tables[g.fork] as VerifiedUpgradeFork).txs } : g)) }
      const block = await l2.blockByNumber(req.l2BlockNumber, req.signal)
      if (block.header.number !== BigInt(req.l2BlockNumber) || block.header.timestamp !== BigInt(req.l2Timestamp)) {
        throw new UntrustedUpgradeTxError('prefix', 'The L2 node served a different block than the fork activation block asked for.', {
          node: l2.label,
          details: `asked for L2 block ${req.l2BlockNumber} at time ${req.l2Timestamp}; got block ${block.header.number} at time ${block.header.timestamp}`,
        })
      }
      const verified = verifyNodeUpgradeTxs({ node: l2.label, l2BlockNumber: req.l2BlockNumber, nodeTxs: block.transactions, prefix: req.prefix, groups: req.groups })
      for (const d of verified.deployments) {
        const run = await deployInIsolatedEvm(d.initCode, d.from, 30_000_000n)
        if (run.error || run.storageWritten || run.codeHash !== d.codeHash.toLowerCase()) {
          throw new UntrustedUpgradeTxError('execution', `The L2 node's ${d.contract} init code does not deploy the published code hash when executed.`, {
            node: l2.label,
            details: `L2 block ${req.l2BlockNumber} ${d.fork} upgrade transaction ${d.index}: deployed code hash ${run.codeHash}${run.error ? ` (${run.error})` : ''}${run.storageWritten ? ' (wrote storage)' : ''}, published ${d.codeHash}`,
          })
        }
      }
      return verified.txs
    },
  }
}

/** The groups of a block's NUT list, for a request. */
export function upgradeGroupsFor(forks: readonly OpFork[], built: (fork: OpFork) => Uint8Array[] | undefined, verifiable: Partial<Record<OpFork, VerifiedUpgradeFork>>): UpgradeGroup[] | { missing: OpFork } {
  const groups: UpgradeGroup[] = []
  for (const fork of forks) {
    const exact = built(fork)
    if (exact) groups.push({ fork, exact })
    else {
      const v = verifiable[fork]
      if (!v) return { missing: fork }
      groups.push({ fork, expected: v.txs })
    }
  }
  return groups
}
