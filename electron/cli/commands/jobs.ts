import { describeProblem, JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import type { StepState } from '../../../shared/journal/reduce'
import { usageError, type Command } from '../command'
import { formatLocalAndUtc } from '../../services/reports/formatLocalAndUtc'

export const jobsListCommand: Command = {
  path: ['jobs', 'list'],
  summary: 'List the jobs on this computer, newest first, with their current step.',
  async run(ctx) {
    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const { jobs, problems } = await store.list()
      const lines =
        jobs.length === 0
          ? [`No jobs in ${store.dir}.`]
          : jobs.map((j) => `${j.id}  ${(j.paused ? 'paused' : j.status).padEnd(9)}  ${j.updatedAt}  ${j.title}${j.currentStep ? `  [${j.currentStep}]` : ''}${j.paused?.until ? `  until ${formatLocalAndUtc(new Date(j.paused.until))}` : ''}${j.pendingTxs > 0 ? `  ${j.pendingTxs} tx pending` : ''}`)
      for (const p of problems) lines.push(`! ${p.jobId}: ${p.problems.map(describeProblem).join('; ')}`)
      return { json: { dir: store.dir, jobs, problems }, text: lines.join('\n') }
    } finally {
      store.close()
    }
  },
}

export const jobsShowCommand: Command = {
  path: ['jobs', 'show'],
  args: 'JOB_ID',
  summary: 'Show one job: its steps, transactions, files and any journal problems.',
  async run(ctx) {
    const id = ctx.positionals[0]
    if (!id || ctx.positionals.length > 1) usageError('give exactly one job id')
    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const { state, problems, damaged } = await store.load(id)
      const lines = [
        `${state.title}`,
        `id ${state.id}  kind ${state.kind}  status ${state.status}${damaged ? ' (journal damaged: read-only)' : ''}`,
        `created ${state.createdAt}  updated ${state.updatedAt}`,
        '',
        'Steps:',
        ...(state.steps.length === 0 ? ['  (none yet)'] : state.steps.map(stepLine)),
      ]
      if (state.txs.length > 0) {
        lines.push('', 'Transactions:')
        for (const t of state.txs) lines.push(`  ${t.status.padEnd(9)} ${t.hash} chain ${t.chainId} nonce ${t.nonce} (${t.step})${t.blockNumber ? ` block ${t.blockNumber}` : ''}`)
      }
      if (state.files.length > 0) lines.push('', 'Files:', ...state.files.map((f) => `  ${f.purpose}: ${f.path}`))
      if (state.notes.length > 0) lines.push('', 'Notes:', ...state.notes.map((n) => `  ${n.at} ${n.text}`))
      if (problems.length > 0) lines.push('', 'Journal problems:', ...problems.map((p) => `  ${describeProblem(p)}`))
      return { json: { state, problems, damaged }, text: lines.join('\n') }
    } finally {
      store.close()
    }
  },
}

/** A paused step says so, with why and until when (never "started" while it waits on purpose). */
function stepLine(s: StepState): string {
  if (s.waiting) {
    const until = s.waiting.until ? `, until about ${formatLocalAndUtc(new Date(s.waiting.until))}` : ''
    return `  ${'paused'.padEnd(9)} ${s.name} — ${s.waiting.reason}${until}`
  }
  return `  ${s.status.padEnd(9)} ${s.name}${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}${s.error ? ` — ${s.error.shortMessage}` : ''}`
}
