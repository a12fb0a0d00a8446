/**
 * (The job engine's resume path.) Continue any job from its journal, whatever its kind: the one entry point `escape-hatch jobs resume` (and later the
 * app) uses. It refuses what must not be touched — an unknown job, a damaged journal (with the journal's own error),
 * a kind this version cannot run — says so for a finished job, and dispatches the rest by kind. Every resume is noted
 * in the journal first, which also takes the job's writer lock: two resumes of one job cannot run at once.
 *
 * While the job runs, its journaled L1 transactions are checked for being stuck (base fee above their fee cap for
 * many blocks, findStuckTxs). Nothing is bumped automatically — a fee bump needs the user's consent: without `wait`
 * the run stops with the 'stuck' outcome (the caller prints the bump command); with `wait` the hint is printed once
 * and the run keeps watching, in case fees fall.
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JobState } from '../../../shared/journal/reduce'
import { formatGwei, type Hex } from 'viem'
import type { Signer } from '../../../shared/signing/Signer'
import { createEndpointClients } from '../l1/endpointClients'
import { findStuckTxs, STUCK_AFTER_BLOCKS, type StuckTx } from '../broadcast/findStuckTxs'
import { JournalError, type JournalStore } from '../journal/JournalStore'
import { ARBITRUM_ESCAPE_JOB_KIND } from '../flows/arbitrum/arbitrumEscapeJob'
import { continueArbitrumEscape } from '../flows/arbitrum/continueArbitrumEscape'
import { RETRYABLE_REDEEM_JOB_KIND } from '../flows/arbitrum/retryable/redeemRetryableJob'
import { runRetryableRedeem, type RetryableRedeemDeps } from '../flows/arbitrum/retryable/runRetryableRedeem'
import { OP_ESCAPE_JOB_KIND } from '../flows/op/opEscapeJob'
import { continueOpEscape } from '../flows/op/continueOpEscape'
import type { JobPausedError } from '../journal/JobPausedError'

export interface ResumeJobParameters {
  store: JournalStore
  jobId: string
  /** Open the signer this run uses (the caller's choice, or the kind the job was created with). */
  openSigner(job: JobState): Promise<{ signer: Signer; release: () => Promise<void> }>
  /** Endpoints for jobs that did not save theirs. */
  l1Urls?: readonly string[]
  l2Url?: string
  /** OP jobs rebuilding from L1: the beacon node or blob archive for this run (when the job did not save one). */
  beaconUrl?: string
  /** The data folder (OP jobs: where their rebuild lives by default). */
  dataDir?: string
  wait: boolean
  pollMs?: number
  /** The command that continues this job (for the instructions of a stop). */
  resumeCommand: string
  /** One line for the journal note, e.g. "from the CLI, signer file, signed file x.json". */
  how?: string
  /** The job's first run (just created): the journal note says "Started", not "Resumed". */
  firstRun?: boolean
  signal?: AbortSignal
  onProgress?: (message: string) => void
  /** A journaled L1 tx is reported stuck after this many blocks with a base fee above its fee cap (default 10). */
  stuckAfterBlocks?: number
  /** The command that bumps the fee of `hash` (printed in the --wait hint; never run). */
  bumpFeeCommand?: (hash: Hex) => string
}

export type ResumeJobReturnType =
  | { outcome: 'already-finished'; job: JobState }
  | { outcome: 'finished'; job: JobState; result: unknown }
  | { outcome: 'paused'; job: JobState; pause: JobPausedError }
  /** Stopped (without `wait`) because a journaled transaction cannot be mined at its fees: the user may bump it. */
  | { outcome: 'stuck'; job: JobState; stuck: StuckTx[] }

export const RESUMABLE_JOB_KINDS = [ARBITRUM_ESCAPE_JOB_KIND, RETRYABLE_REDEEM_JOB_KIND, OP_ESCAPE_JOB_KIND] as const

export async function resumeJob(p: ResumeJobParameters): Promise<ResumeJobReturnType> {
  const loaded = await p.store.load(p.jobId)
  if (loaded.damaged) {
    // The store refuses to write to a damaged journal with its own error (what was set aside, what to do).
    await p.store.append(p.jobId, { type: 'note', text: 'Resume attempted on a damaged journal.' })
    throw new JournalError('This job\'s journal is damaged, so Escape Hatch will not act on it.', { kind: 'user-action' })
  }
  if (loaded.state.status !== 'active') return { outcome: 'already-finished', job: loaded.state }
  const kind = loaded.state.kind
  if (!(RESUMABLE_JOB_KINDS as readonly string[]).includes(kind)) {
    throw new EscapeError(`Job ${p.jobId} is of kind "${kind}", which this version of Escape Hatch cannot resume.`, {
      kind: 'user-action',
      steps: [`Resumable kinds: ${RESUMABLE_JOB_KINDS.join(', ')}. Use the version of Escape Hatch that created the job.`],
    })
  }
  await p.store.append(p.jobId, { type: 'note', text: `${p.firstRun === true ? 'Started' : 'Resumed'}${p.how ? ` ${p.how}` : ''}.` })
  const { signer, release } = await p.openSigner(loaded.state)
  // The run is stopped through its own signal when a stuck transaction is found (the user's Ctrl-C still counts).
  const stopForStuck = new AbortController()
  const signal = p.signal ? AbortSignal.any([p.signal, stopForStuck.signal]) : stopForStuck.signal
  const monitorDone = new AbortController()
  let stuck: StuckTx[] = []
  const monitor = monitorStuckTxs(p, loaded.state, monitorDone.signal, (found) => {
    stuck = found
    stopForStuck.abort(new EscapeError('Stopped: a transaction is stuck.', { kind: 'user-action' }))
  })
  try {
    const common = { store: p.store, jobId: p.jobId, l1Urls: p.l1Urls, l2Url: p.l2Url, signer, wait: p.wait, pollMs: p.pollMs, resumeCommand: p.resumeCommand, signal, onProgress: p.onProgress }
    const run = kind === OP_ESCAPE_JOB_KIND
      ? await continueOpEscape({ ...common, dataDir: p.dataDir ?? missingDataDir(), ...(p.beaconUrl ? { beaconUrl: p.beaconUrl } : {}) })
      : await continueArbitrumEscape({
          ...common,
          // The progress callback only prints `[step] message`: the redeem's step names pass through it as they are.
          ...(kind === RETRYABLE_REDEEM_JOB_KIND ? { runner: (id, deps) => runRetryableRedeem(id, { ...deps, onProgress: deps.onProgress as RetryableRedeemDeps['onProgress'] }) } : {}),
        })
    const job = (await p.store.load(p.jobId)).state
    return run.outcome === 'finished' ? { outcome: 'finished', job, result: run.result } : { outcome: 'paused', job, pause: run.pause }
  } catch (error) {
    if (stuck.length > 0 && p.signal?.aborted !== true) {
      // The journal tells later readers (jobs show, a support report) why this run stopped.
      for (const t of stuck) await p.store.append(p.jobId, { type: 'note', text: `Stopped: ${describeStuckTx(t)} A fee bump needs the user's approval.` })
      return { outcome: 'stuck', job: (await p.store.load(p.jobId)).state, stuck }
    }
    throw error
  } finally {
    monitorDone.abort()
    await monitor
    await release()
  }
}

/**
 * Look for stuck transactions now and every poll interval until `done`. Without `wait`, the first find stops the run
 * (onStuck); with `wait`, each stuck transaction is reported once and the run goes on. Errors only mean "not known".
 */
async function monitorStuckTxs(p: ResumeJobParameters, job: JobState, done: AbortSignal, onStuck: (stuck: StuckTx[]) => void): Promise<void> {
  const urls = p.l1Urls && p.l1Urls.length > 0 ? p.l1Urls : savedL1Endpoints(job)
  if (!urls || urls.length === 0) return
  let endpoints
  try {
    endpoints = createEndpointClients(urls)
  } catch {
    return // a malformed URL: the run itself reports it
  }
  const reported = new Set<string>()
  while (!done.aborted) {
    try {
      const { state } = await p.store.load(p.jobId)
      const found = await findStuckTxs({ state, endpoints, afterBlocks: p.stuckAfterBlocks ?? STUCK_AFTER_BLOCKS })
      if (done.aborted) return
      if (found.length > 0 && !p.wait) return onStuck(found)
      for (const t of found.filter((f) => !reported.has(f.hash))) {
        reported.add(t.hash)
        p.onProgress?.(`! ${describeStuckTx(t)}${p.bumpFeeCommand ? ` To replace it with a higher fee, stop this run (Ctrl-C) and run: ${p.bumpFeeCommand(t.hash)}` : ''}`)
      }
    } catch {
      // The journal or the endpoints could not tell this time; the run goes on regardless.
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, p.pollMs ?? 12_000)
      done.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
    })
  }
}

/** One sentence: which transaction, how long, and why it cannot be mined. */
export function describeStuckTx(t: StuckTx): string {
  return `L1 transaction ${t.hash} (step ${t.step}) has waited at least ${t.blocks} blocks: the L1 base fee (${formatGwei(t.baseFee)} gwei) is above its max fee per gas (${formatGwei(t.maxFeePerGas)} gwei), so no block can include it until fees fall.`
}

function savedL1Endpoints(job: JobState): string[] | undefined {
  const params = job.params
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return undefined
  const saved = params.l1Endpoints
  return Array.isArray(saved) && saved.every((u): u is string => typeof u === 'string') ? saved : undefined
}

function missingDataDir(): never {
  throw new EscapeError('Resuming an OP Stack escape needs the data folder (a bug in the caller).', { kind: 'critical' })
}
