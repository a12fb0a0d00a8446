/**
 * The 'l2-node' source of the OP escape over an untrusted node's JSON-RPC: blocks, proofs and execution witnesses (createRpcL2BlockSource,
 * bounded and shape-checked) and transaction receipts (viem's untrusted L2 client). The node is checked to be on the
 * chain first. Nothing it says is used before it is checked against L1 (a checked output root) by the escape.
 */
import type { Hex } from 'viem'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import { openUntrustedL2Client } from '../../l1/openUntrustedL2Client'
import { openL2Node } from '../../op/openL2Node'
import type { OpL2NodeSource } from './opEscapeDeps'

export async function createOpL2NodeSource(p: { url: string; config: RollupConfig }): Promise<OpL2NodeSource> {
  const [blocks, client] = await Promise.all([openL2Node(p.url, p.config), openUntrustedL2Client(p.url, p.config.l2ChainId)])
  return {
    label: blocks.label,
    blockByNumber: (n, signal) => blocks.blockByNumber(n, signal),
    blockByHash: (h, signal) => blocks.blockByHash(h, signal),
    accountProof: (a, h, signal) => blocks.accountProof(a, h, signal),
    messagePasserStorageProof: (slot, h) => blocks.messagePasserStorageProof(slot, h),
    executionWitness: (n, signal) => blocks.executionWitness(n, signal),
    async receipt(hash: Hex) {
      const r = await client.getTransactionReceipt({ hash }).catch((e: unknown) => {
        if (e instanceof Error && e.name === 'TransactionReceiptNotFoundError') return undefined
        throw e
      })
      if (!r) return undefined
      return { blockNumber: r.blockNumber, status: r.status, logs: r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data, logIndex: l.logIndex })) }
    },
  }
}
