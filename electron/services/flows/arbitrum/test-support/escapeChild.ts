/**
 * Test helper run as a separate process (`node --import tsx escapeChild.ts`): resume the Arbitrum escape job in
 * ESCAPE_JOB_DIR and SIGKILL itself right after the first journal record whose key is not in ESCAPE_KILLED_KEYS (a
 * JSON array) — a real crash: that record is on disk, nothing else happens. Exits 3 when it needs the devnet validator to confirm an assertion (the
 * parent test owns the devnet L2), 0 with the result on stdout when the job is done.
 * With ESCAPE_KILL_AT (a JSON array of key prefixes, e.g. "step.completed|send-l2-message|") it dies only right after a
 * record whose key starts with one of them: a crash at one chosen point.
 */

import { mine } from '../../../../devnet/timeTravel'
import { JournalStore } from '../../../journal/JournalStore'
import type { BroadcastJournal } from '../../../journal/journalPort'
import { createSoftLedgerSigner } from '../createSoftLedgerSigner'
import { runArbitrumEscape } from '../runArbitrumEscape'
import { devnetPublicClient } from '../../../../devnet/devnetClients'

export function recordKey(event: { type: string; step?: string; hash?: string }): string {
  return `${event.type}|${event.step ?? ''}|${event.hash ?? ''}`
}

async function childMain(): Promise<void> {
  const env = process.env
  const store = await JournalStore.open(env.ESCAPE_JOB_DIR!)
  const killed = new Set(JSON.parse(env.ESCAPE_KILLED_KEYS ?? '[]') as string[])
  const killAt = env.ESCAPE_KILL_AT ? (JSON.parse(env.ESCAPE_KILL_AT) as string[]) : undefined
  const dies = (key: string) => (killAt ? killAt.some((prefix) => key.startsWith(prefix)) : !killed.has(key))
  const journal: BroadcastJournal = {
    load: (id) => store.load(id),
    async append(id, event) {
      const record = await store.append(id, event)
      if (event.type !== 'job.finished' && dies(recordKey(event as never))) process.kill(process.pid, 'SIGKILL')
      return record
    },
  }
  const l1 = devnetPublicClient(env.ESCAPE_L1_URL!)
  const l2 = devnetPublicClient(env.ESCAPE_L2_URL!)
  const ledger = createSoftLedgerSigner()
  const result = await runArbitrumEscape(env.ESCAPE_JOB_ID!, {
    store: journal,
    signer: ledger.signer,
    l1,
    l2,
    waitForL1Block: async (block) => {
      const head = await l1.getBlockNumber()
      if (head < block) await mine(env.ESCAPE_L1_URL!, block - head, 12)
    },
    waitForConfirmation: async () => {
      store.close()
      process.exit(3)
    },
    pause: () => new Promise((r) => setTimeout(r, 100)),
    broadcast: { pollIntervalMs: 100 },
    maxPauses: 300,
  })
  process.stdout.write(JSON.stringify(result))
  store.close()
  await ledger.stop()
  process.exit(0)
}

if (process.env.ESCAPE_JOB_DIR) void childMain().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`)
  process.exit(1)
})
