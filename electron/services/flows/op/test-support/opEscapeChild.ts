/**
 * Test helper run as a separate process (`node --import tsx opEscapeChild.ts`): resume the OP escape job OP_JOB_ID in
 * OP_JOB_DIR against the devnet the parent test owns (its L1 at OP_L1_URL, its untrusted L2 node at OP_L2_URL; the
 * L2 builds blocks and posts them on its own timer in the parent), and SIGKILL itself right after the first journal
 * record of a type in OP_KILL_TYPES (JSON array, e.g. ["step.completed","tx.signed"]) whose key (opRecordKey) is not
 * in OP_KILLED_KEYS (JSON array) — a real crash: that record is on disk, nothing else happens. The parent reads the
 * journal's last record, adds its key, and starts the next child. Without OP_KILL_TYPES it runs to the end. Exits 0
 * with the result as JSON on stdout, 4 when the job stopped with a temporary error (resume later), 1 with any other
 * error on stderr.
 *
 * Waiters move the devnet L1 as a drill does: block waits mine blocks, time waits move L1 time, pauses mine a block
 * (12 s later) so the L2 timer in the parent builds and posts the next blocks.
 */
import { EscapeError } from '../../../../../shared/errors/EscapeError'
import { JournalStore } from '../../../journal/JournalStore'
import type { BroadcastJournal } from '../../../journal/journalPort'
import { openL1Gateway } from '../../../l1/openL1Gateway'
import { createSoftLedgerSigner } from '../../arbitrum/createSoftLedgerSigner'
import { runOpEscape } from '../runOpEscape'
import { devnetL2NodeSource, devnetWaiters } from './devnetOpDeps'

/** A journal record's identity for kill points: type, step and tx hash. */
export function opRecordKey(event: { type: string; step?: string; hash?: string }): string {
  return `${event.type}|${event.step ?? ''}|${event.hash ?? ''}`
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
    ...devnetWaiters(l1Url, gateway),
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
  process.exit(error instanceof EscapeError && error.kind === 'temporary' ? 4 : 1)
})
