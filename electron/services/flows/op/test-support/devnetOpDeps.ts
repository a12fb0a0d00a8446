/**
 * Test support: the parts of OpEscapeDeps that bind a job to the safety tests' devnet — its untrusted L2 node (blocks,
 * proofs, receipts over its JSON-RPC) and drill-like waiters: block waits mine L1 blocks, time waits move L1 time,
 * pauses mine one block so the devnet L2, building and posting on its own timer, moves too.
 *
 * L1 blocks are mined 2 s apart (the L2 block time), so a wait of many blocks does not make the devnet L2 build six
 * blocks per L1 block. A wait longer than LONG_WAIT_BLOCKS is cut short (a few blocks): the flow waits that long
 * only for something the devnet provides sooner (a dispute game, posted every 2 blocks by the devnet proposer) and
 * re-checks, or stops with a temporary error that the test resumes — as a user resumes the job later.
 */
import type { Hex } from 'viem'
import { increaseTime, mine } from '../../../../devnet/timeTravel'
import { untrustedL2Client } from '../../../l1/openUntrustedL2Client'
import { createRpcL2BlockSource } from '../../../op/createRpcL2BlockSource'
import type { OpEscapeL1Client, OpEscapeWaiters, OpL2NodeSource } from '../opEscapeDeps'

/** The devnet's untrusted L2 node as the OP escape reads it: blocks and proofs, and receipts. */
export function devnetL2NodeSource(url: string): OpL2NodeSource {
  const blocks = createRpcL2BlockSource({ url, retryCount: 1 })
  const client = untrustedL2Client(url)
  return {
    label: blocks.label,
    blockByNumber: (n, s) => blocks.blockByNumber(n, s),
    blockByHash: (h, s) => blocks.blockByHash(h, s),
    accountProof: (a, h, s) => blocks.accountProof(a, h, s),
    messagePasserStorageProof: (slot, h) => blocks.messagePasserStorageProof(slot, h),
    executionWitness: (n, s) => blocks.executionWitness(n, s),
    async receipt(hash: Hex) {
      try {
        const r = await client.getTransactionReceipt({ hash })
        return { logs: r.logs, blockNumber: r.blockNumber, status: r.status }
      } catch (e) {
        if ((e as Error).name === 'TransactionReceiptNotFoundError') return undefined
        throw e
      }
    },
  }
}

/** Waits longer than this many L1 blocks are cut short (see above). */
export const LONG_WAIT_BLOCKS = 60n

export function devnetWaiters(l1Url: string, l1: Pick<OpEscapeL1Client, 'getBlockNumber' | 'getBlock'>): OpEscapeWaiters {
  return {
    async waitForL1Block(block) {
      const head = await l1.getBlockNumber()
      if (head < block) await mine(l1Url, block - head > LONG_WAIT_BLOCKS ? 4n : block - head, 2)
    },
    async waitForL1Time(timestamp) {
      const head = await l1.getBlock({})
      if (head.timestamp <= timestamp) await increaseTime(l1Url, timestamp - head.timestamp + 1n)
    },
    async pause() {
      await mine(l1Url, 1, 2)
      await new Promise((r) => setTimeout(r, 250))
    },
  }
}
