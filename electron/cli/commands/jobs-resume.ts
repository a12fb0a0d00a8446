/**
 * `escape-hatch jobs resume JOB_ID`: continue a job from its journal, days later, in a fresh process. A transaction
 * that was signed and journaled but not confirmed is re-sent byte for byte (never re-signed); the job then goes on from
 * its first unfinished step, and stops again at the next long wait unless --wait. The L1/L2 endpoints are the job's if
 * it saved them (--save-rpc-urls at creation), otherwise they must be given again. With the air-gapped signer,
 * `--signed FILE` brings back the signed file of the last export.
 */
import { jobSignerParams } from '../../services/jobs/jobSignerParams'
import type { ArbitrumEscapeResult } from '../../services/flows/arbitrum/runArbitrumEscape'
import type { OpEscapeResult } from '../../services/flows/op/opEscapeDeps'
import { resumeJob } from '../../services/jobs/resumeJob'
import { JOB_SIGNERS } from '../../services/jobs/openJobSigner'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { FileSigner } from '../../services/signers/file/FileSigner'
import { usageError, type Command } from '../command'
import { formatJobRun } from '../formatJobRun'
import { bumpFeeCommandFor, jobRunOptions, openJobSignerForRun, parseJobSigner, parsePollSeconds, resumeCommandFor, stringList } from '../jobOptions'

export const jobsResumeCommand: Command = {
  path: ['jobs', 'resume'],
  args: 'JOB_ID',
  summary: 'Continue a job from its journal: re-send journaled transactions (never re-signed), then go on to the next wait.',
  description: [
    'Re-opens the job, re-sends any signed-but-unconfirmed transaction with the same bytes, and continues from the',
    'journal. Stops again at the next long wait (with the deadline and this command) unless --wait. A job that did not',
    'save its RPC URLs needs --l1-rpc/--l2-rpc again. With the air-gapped signer, --signed brings back the signed file.',
  ].join('\n'),
  options: {
    signed: { type: 'string', description: 'file signer: the signed file made by `escape-hatch sign-file` from the last exported file.', valueName: 'FILE' },
    signer: { type: 'string', description: `Who signs this run: ${JOB_SIGNERS.join(' | ')} (default: the job's own).`, valueName: 'KIND' },
    ...jobRunOptions,
  },
  async run(ctx) {
    const jobId = ctx.positionals[0]
    if (!jobId || ctx.positionals.length > 1) usageError('give exactly one job id')
    const signed = typeof ctx.options.signed === 'string' ? ctx.options.signed : undefined
    const chosen = ctx.options.signer === undefined ? undefined : parseJobSigner(ctx.options.signer)
    if (signed && chosen && chosen !== 'file') usageError('--signed goes with the air-gapped signer (--signer file)')
    const pollMs = parsePollSeconds(ctx.options['poll-seconds'])
    const l1Urls = stringList(ctx.options['l1-rpc'])
    const l2Url = typeof ctx.options['l2-rpc'] === 'string' ? ctx.options['l2-rpc'] : undefined

    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      let fileSigner: FileSigner | undefined
      const resumeCommand = (signedFile?: string) => resumeCommandFor(jobId, ctx, { signedFile })
      const outcome = await resumeJob({
        store,
        jobId,
        l1Urls,
        l2Url,
        dataDir: ctx.dataDir,
        wait: ctx.options.wait === true,
        pollMs,
        resumeCommand: resumeCommand(),
        how: `from the CLI${chosen ? ` (signer ${chosen})` : ''}${signed ? ` with the signed file ${signed}` : ''}`,
        bumpFeeCommand: (hash) => bumpFeeCommandFor(jobId, hash, ctx),
        signal: ctx.signal,
        onProgress: (m) => ctx.progress(m),
        openSigner: async (job) => {
          const params = jobSignerParams(job)
          const kind = signed ? 'file' : (chosen ?? params.signer?.kind ?? 'ledger')
          const opened = await openJobSignerForRun(kind, ctx, { store, jobId, params, signedFile: signed, resumeCommand })
          if (opened.signer instanceof FileSigner) fileSigner = opened.signer
          return opened
        },
      })
      if (outcome.outcome === 'already-finished') {
        const j = outcome.job
        return {
          json: { jobId, outcome: 'already-finished', status: j.status, summary: j.summary ?? null },
          text: `Job ${jobId} is already finished (${j.status})${j.summary ? `: ${j.summary.replace(/\.?$/, '.')}` : '.'} Nothing to do.\nSee it with: escape-hatch jobs show ${jobId}`,
          exitCode: j.status === 'succeeded' ? 0 : 1,
        }
      }
      const unusedSigned = signed !== undefined && fileSigner?.signedFilePending === true
      const ran = outcome.outcome === 'finished' ? { finished: outcome.result as ArbitrumEscapeResult | OpEscapeResult } : outcome.outcome === 'paused' ? { paused: outcome.pause } : { stuck: outcome.stuck.map((t) => ({ ...t, bumpFeeCommand: bumpFeeCommandFor(jobId, t.hash, ctx) })) }
      return formatJobRun({ jobId, job: outcome.job, outcome: ran, resumeCommand: resumeCommand(), notes: unusedSigned ? [`The signed file ${signed} was not used: the job did not ask for a signature in this run.`] : [] })
    } finally {
      store.close()
    }
  },
}
