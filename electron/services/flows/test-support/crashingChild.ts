/**
 * Test support, child side of the kill -9 tests (Arbitrum and OP escapes): a journal that SIGKILLs its own process
 * right after a chosen record is on disk — a real crash: that record is written, nothing after it happens — and the
 * child's main wrapper (result as JSON on stdout).
 *
 * Which record kills (environment, set by the parent: crashAndResume.ts):
 * - ESCAPE_KILL_AT (JSON array of key prefixes, e.g. ["step.completed|send-l2-message|"]): the first record whose key
 *   starts with one of them — one chosen crash point;
 * - otherwise the first record whose key is not in ESCAPE_KILLED_KEYS (JSON array), limited to the record types in
 *   ESCAPE_KILL_TYPES (JSON array) when given — every record in turn, one per child.
 * `job.finished` never kills (the job is over).
 *
 * Exit codes: 0 with the result on stdout; 4 when the job stopped on a temporary error (resume later, as a user
 * would); 1 on any other error (stack on stderr). A child may exit with its own codes for what the parent must do
 * (the Arbitrum child exits 3 when it needs an assertion confirmed).
 */
import { EscapeError } from '../../../../shared/errors/EscapeError'
import type { Signer } from '../../../../shared/signing/Signer'
import { JournalStore } from '../../journal/JournalStore'
import type { BroadcastJournal } from '../../journal/journalPort'
import { createSoftLedgerSigner } from '../arbitrum/createSoftLedgerSigner'

export const CHILD_EXIT_TEMPORARY = 4

/** A journal record's identity for crash points: type, step and tx hash (`tx.sent||0x…`, `step.completed|prove|`). */
export function recordKey(event: { type: string; step?: string; hash?: string }): string {
  return `${event.type}|${event.step ?? ''}|${event.hash ?? ''}`
}

function jsonList(text: string | undefined): string[] | undefined {
  return text ? (JSON.parse(text) as string[]) : undefined
}

/** The journal the child runs its job on: `store`, dying right after the crash point the environment names. */
export function crashingJournal(store: JournalStore, env: NodeJS.ProcessEnv = process.env): BroadcastJournal {
  const killAt = jsonList(env.ESCAPE_KILL_AT)
  const killed = new Set(jsonList(env.ESCAPE_KILLED_KEYS) ?? [])
  const types = jsonList(env.ESCAPE_KILL_TYPES)
  const dies = (key: string, type: string): boolean => {
    if (type === 'job.finished') return false
    if (killAt) return killAt.some((prefix) => key.startsWith(prefix))
    return (!types || types.includes(type)) && !killed.has(key)
  }
  return {
    load: (id) => store.load(id),
    async append(id, event) {
      const record = await store.append(id, event)
      if (dies(recordKey(event as never), event.type)) process.kill(process.pid, 'SIGKILL')
      return record
    },
  }
}

/**
 * The child's job run: the journal in ESCAPE_JOB_DIR (crashing as the environment says) and the software Ledger,
 * both closed when `run` ends.
 */
export async function runChildJob<R>(run: (p: { journal: BroadcastJournal; signer: Signer; jobId: string }) => Promise<R>): Promise<R> {
  const store = await JournalStore.open(process.env.ESCAPE_JOB_DIR!)
  const ledger = createSoftLedgerSigner()
  try {
    return await run({ journal: crashingJournal(store), signer: ledger.signer, jobId: process.env.ESCAPE_JOB_ID! })
  } finally {
    store.close()
    await ledger.stop()
  }
}

/** Runs the child's job: its result as JSON on stdout and exit 0, or the error on stderr and exit 4 (temporary) / 1. */
export function runCrashingChild(main: () => Promise<unknown>): void {
  main().then(
    (result) => {
      process.stdout.write(JSON.stringify(result), () => process.exit(0))
    },
    (error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`, () => process.exit(error instanceof EscapeError && error.kind === 'temporary' ? CHILD_EXIT_TEMPORARY : 1))
    },
  )
}
