/**
 * Keeps a bounded picture of a derivation of any length: the last OP_DERIVE_RECENT_BLOCKS blocks in full, every block
 * with a user deposit and every block touching the highlighted address (each list capped at OP_DERIVE_LISTED_BLOCKS,
 * the first ones kept, the rest counted), and the totals. Memory stays flat however many blocks pass through.
 */
import {
  OP_DERIVE_LISTED_BLOCKS,
  OP_DERIVE_RECENT_BLOCKS,
  OP_DERIVE_TXS_PER_BLOCK,
  type OpDeriveBlockView,
  type OpDeriveTxView,
} from '../../../shared/ipc/opDeriveSchemas'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { isForkActivationBlock } from '../../../shared/rollups/op-stack/config/rollupConfig'
import type { DerivedL2Block } from '../../../shared/rollups/op-stack/derive/l2Types'
import { FORKS_WITH_UPGRADE_TXS, upgradeTransactions } from '../../../shared/rollups/op-stack/derive/upgradeTransactions'
import { describeDerivedTx, type DerivedTxKind } from './describeDerivedTx'

export interface DerivedBlocksCollector {
  /** Feed one derived block (deriveL2Blocks' onBlock). */
  add(block: DerivedL2Block): Promise<void>
  readonly totals: { userDeposits: number; highlightedTxs: number; l2Head: number | undefined }
  /** The listed blocks in block order, with what did not fit counted. */
  finish(): Promise<{ blocks: OpDeriveBlockView[]; depositBlocksNotListed: number; highlightBlocksNotListed: number }>
}

export interface CollectDerivedBlocksParameters {
  config: RollupConfig
  /** Any case; compared lower-case. */
  highlightAddress?: `0x${string}`
  recentBlocks?: number
  listedBlocks?: number
  txsPerBlock?: number
}

export function collectDerivedBlocks({
  config,
  highlightAddress,
  recentBlocks = OP_DERIVE_RECENT_BLOCKS,
  listedBlocks = OP_DERIVE_LISTED_BLOCKS,
  txsPerBlock = OP_DERIVE_TXS_PER_BLOCK,
}: CollectDerivedBlocksParameters): DerivedBlocksCollector {
  const highlight = highlightAddress?.toLowerCase() as `0x${string}` | undefined
  const recent: DerivedL2Block[] = []
  const listed = new Map<number, OpDeriveBlockView>()
  let depositListed = 0
  let highlightListed = 0
  let depositBlocksNotListed = 0
  let highlightBlocksNotListed = 0
  const totals = { userDeposits: 0, highlightedTxs: 0, l2Head: undefined as number | undefined }

  /** Kinds by position: L1-info first, then user deposits, then the fork's upgrade deposits, then sequenced txs. */
  const kindsOf = (block: DerivedL2Block): { kinds: DerivedTxKind[]; userDeposits: number } => {
    const ts = block.attributes.timestamp
    // Upgrade txs exist only in fork activation blocks (derivation built them there, so this does not throw).
    const upgrades = FORKS_WITH_UPGRADE_TXS.some((fork) => isForkActivationBlock(config, fork, ts)) ? upgradeTransactions(config, ts).length : 0
    const userDeposits = Math.max(0, block.depositCount - 1 - upgrades)
    const kinds = block.attributes.transactions.map((_, i): DerivedTxKind =>
      i === 0 ? 'l1-info' : i <= userDeposits ? 'deposit' : i < block.depositCount ? 'upgrade' : 'sequenced',
    )
    return { kinds, userDeposits }
  }

  const describeAll = (block: DerivedL2Block, kinds: DerivedTxKind[], only?: (kind: DerivedTxKind) => boolean) =>
    Promise.all(
      block.attributes.transactions.flatMap((raw, index) => {
        const kind = kinds[index] ?? 'sequenced'
        if (only && !only(kind)) return []
        return [describeDerivedTx({ raw, index, kind, ...(highlight ? { highlight } : {}), recoverSender: true })]
      }),
    )

  const view = (block: DerivedL2Block, userDeposits: number, txs: OpDeriveTxView[], reasons: OpDeriveBlockView['reasons']): OpDeriveBlockView => {
    // Highlighted and deposit txs first, then the rest in block order, up to the cap; shown in block order.
    const rank = (t: OpDeriveTxView) => (t.involves.length > 0 ? 0 : t.kind === 'deposit' ? 1 : 2)
    const kept = [...txs].sort((a, b) => rank(a) - rank(b) || a.index - b.index).slice(0, txsPerBlock).sort((a, b) => a.index - b.index)
    return {
      number: block.ref.number,
      timestamp: block.ref.timestamp,
      l1Origin: { number: block.ref.l1Origin.number, hash: block.ref.l1Origin.hash },
      derivedFrom: block.derivedFrom.number,
      sequenceNumber: block.ref.sequenceNumber,
      emptyBatch: block.emptyBatch,
      execution: block.execution,
      txCount: block.attributes.transactions.length,
      depositCount: block.depositCount,
      userDeposits,
      reasons,
      txs: kept,
      txsOmitted: block.attributes.transactions.length - kept.length,
    }
  }

  return {
    totals,

    async add(block) {
      totals.l2Head = block.ref.number
      recent.push(block)
      if (recent.length > recentBlocks) recent.shift()
      const { kinds, userDeposits } = kindsOf(block)
      totals.userDeposits += userDeposits
      // Without an address, only deposits need decoding (cheap: no signature to recover).
      const txs = highlight ? await describeAll(block, kinds) : userDeposits > 0 ? await describeAll(block, kinds, (k) => k === 'deposit') : []
      const touching = txs.filter((t) => t.involves.length > 0).length
      totals.highlightedTxs += touching
      const reasons: OpDeriveBlockView['reasons'] = []
      if (userDeposits > 0) {
        if (depositListed < listedBlocks) {
          depositListed++
          reasons.push('deposit')
        } else depositBlocksNotListed++
      }
      if (touching > 0) {
        if (highlightListed < listedBlocks) {
          highlightListed++
          reasons.push('highlight')
        } else highlightBlocksNotListed++
      }
      if (reasons.length > 0) {
        const shown = reasons.includes('highlight') ? txs : txs.filter((t) => t.kind === 'deposit' || t.involves.length > 0)
        const v = view(block, userDeposits, shown, reasons)
        // Only the listed txs were decoded: the omitted count covers the rest of the block.
        listed.set(block.ref.number, v)
      }
    },

    async finish() {
      for (const block of recent) {
        const { kinds, userDeposits } = kindsOf(block)
        const before = listed.get(block.ref.number)
        const v = view(block, userDeposits, await describeAll(block, kinds), [...(before?.reasons ?? []), 'recent'])
        listed.set(block.ref.number, v)
      }
      const blocks = [...listed.values()].sort((a, b) => a.number - b.number)
      return { blocks, depositBlocksNotListed, highlightBlocksNotListed }
    },
  }
}
