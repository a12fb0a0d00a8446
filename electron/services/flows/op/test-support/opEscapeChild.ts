/**
 * Test helper run as a separate process (`node --import tsx opEscapeChild.ts`): resume the OP escape job OP_JOB_ID in
 * OP_JOB_DIR against the devnet the parent test owns (its L1 at OP_L1_URL, its untrusted L2 node at OP_L2_URL; the
 * L2 builds blocks and posts them on its own timer in the parent), and SIGKILL itself right after the first journal
 * record of a type in OP_KILL_TYPES (JSON array, e.g. ["step.completed","tx.signed"]) whose key (opRecordKey) is not
 * in OP_KILLED_KEYS (JSON array) — a real crash: that record is on disk, nothing else happens. The parent reads the
 * journal's last record, adds its key, and starts the next child. Without OP_KILL_TYPES it runs to the end. Exits 0
 * with the result as JSON on stdout, 1 with the error on stderr.
 *
 * Waiters move the devnet L1 as a drill does: block waits mine blocks, time waits move L1 time, pauses mine a block
 * (12 s later) so the L2 timer in the parent builds and posts the next blocks.
 */
import type { Hex } from 'viem'
import { increaseTime, mine } from '../../../../devnet/timeTravel'
import { JournalStore } from '../../../journal/JournalStore'
import type { BroadcastJournal } from '../../../journal/journalPort'
import { openL1Gateway } from '../../../l1/openL1Gateway'
import { untrustedL2Client } from '../../../l1/openUntrustedL2Client'
import { createRpcL2BlockSource } from '../../../op/createRpcL2BlockSource'
import { createSoftLedgerSigner } from '../../arbitrum/createSoftLedgerSigner'
import type { OpL2NodeSource } from '../opEscapeDeps'
import { runOpEscape } from '../runOpEscape'

/** A journal record's identity for kill points: type, step and tx hash. */
export function opRecordKey(event: { type: string; step?: string; hash?: string }): string {
  return `${event.type}|${event.step ?? ''}|${event.hash ?? ''}`
}

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

async function childMain(): Promise<void> {
  const env = process.env
  const l1Url = env.OP_L1_URL!
  const store = await JournalStore.open(env.OP_JOB_DIR!)
  const killTypes = new Set(JSON.parse(env.OP_KILL_TYPES ?? '[]') as string[])
  const killed = new Set(JSON.parse(env.OP_KILLED_KEYS ?? '[]') as string[])
  const journal: BroadcastJournal = {
    load: (id) => store.load(id),
    async append(id, event) {
      const record = await store.append(id, event)
      if (killTypes.has(event.type) && !killed.has(opRecordKey(event as never))) process.kill(process.pid, 'SIGKILL')
      return record
    },
  }
  const gateway = await openL1Gateway({ urls: [l1Url], l1ChainId: Number(env.OP_L1_CHAIN_ID) })
  const ledger = createSoftLedgerSigner()
  const result = await runOpEscape(env.OP_JOB_ID!, {
    store: journal,
    signer: ledger.signer,
    l1: gateway,
    l1Endpoints: [l1Url],
    l2: devnetL2NodeSource(env.OP_L2_URL!),
    async waitForL1Block(block) {
      const head = await gateway.getBlockNumber()
      if (head < block) await mine(l1Url, block - head, 12)
    },
    async waitForL1Time(timestamp) {
      const head = await gateway.getBlock({})
      if (head.timestamp <= timestamp) await increaseTime(l1Url, timestamp - head.timestamp + 1n)
    },
    async pause() {
      await mine(l1Url, 1, 12)
      await new Promise((r) => setTimeout(r, 250))
    },
    broadcast: { pollIntervalMs: 100 },
    maxPauses: 300,
  })
  process.stdout.write(JSON.stringify(result))
  store.close()
  await ledger.stop()
  process.exit(0)
}

if (process.env.OP_JOB_DIR) void childMain().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`)
  process.exit(1)
})
