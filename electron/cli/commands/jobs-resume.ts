/**
 * `escape-hatch jobs resume JOB_ID`: continue a job from its journal, days later, in a fresh process. A transaction
 * that was signed and journaled but not confirmed is re-sent byte for byte (never re-signed); the job then goes on from
 * its first unfinished step, and stops again at the next long wait unless --wait. The L1/L2 endpoints are the job's if
 * it saved them (--save-rpc-urls at creation), otherwise they must be given again. With the air-gapped signer,
 * `--signed FILE` brings back the signed file of the last export.
 *
 * Also the shared pieces of every command that runs an escape job (`arb escape` uses them): the signer for a job,
 * the exact resume command, and how a run's outcome is printed.
 */
import * as path from 'node:path'
import { formatEther, type Address } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JobState } from '../../../shared/journal/reduce'
import { signerCapabilities, type SignerKind } from '../../../shared/signing/capabilities'
import type { Signer } from '../../../shared/signing/Signer'
import type { JobPausedError } from '../../services/flows/JobPausedError'
import { arbitrumEscapeParamsSchema, type ArbitrumEscapeParams } from '../../services/flows/arbitrum/arbitrumEscapeJob'
import { describeEscapeTx } from '../../services/flows/arbitrum/describeEscapeTx'
import type { ArbitrumEscapeResult } from '../../services/flows/arbitrum/runArbitrumEscape'
import { describeStuckTx, resumeJob } from '../../services/flows/resumeJob'
import type { StuckTx } from '../../services/broadcast/findStuckTxs'
import type { BroadcastJournal } from '../../services/broadcast/journalPort'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { FileSigner } from '../../services/signers/file/FileSigner'
import { usageError, type Command, type CommandContext, type CommandResult, type OptionSpec } from '../command'
import { devnetChainIds, drillKeyOptions, mnemonicOption, openSigner, type DeviceSignerName } from '../openSigner'

export const JOB_SIGNERS = ['ledger', 'soft-ledger', 'drill-key', 'file'] as const

/** Options shared by the commands that run an escape job. */
export const jobRunOptions: Record<string, OptionSpec> = {
  'l1-rpc': { type: 'string', multiple: true, description: 'L1 JSON-RPC URL; give several to have them cross-checked and every transaction sent to all.', valueName: 'URL' },
  'l2-rpc': { type: 'string', description: 'L2 JSON-RPC URL (untrusted: everything it says is checked against L1 before money moves).', valueName: 'URL' },
  wait: { type: 'boolean', description: 'Keep running through the long waits (≈ 1 day, ≈ 6.4 days), polling L1, instead of stopping with the resume command. Ctrl-C stops safely.' },
  'export-dir': { type: 'string', description: 'file signer: where the unsigned transaction files are written (default: the data folder\'s exports/).', valueName: 'DIR' },
  'poll-seconds': { type: 'string', description: 'How often to poll L1/L2 while waiting (default 12).', valueName: 'S' },
  ...mnemonicOption,
  ...drillKeyOptions,
}

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
        wait: ctx.options.wait === true,
        pollMs,
        resumeCommand: resumeCommand(),
        how: `from the CLI${chosen ? ` (signer ${chosen})` : ''}${signed ? ` with the signed file ${signed}` : ''}`,
        bumpFeeCommand: (hash) => bumpFeeCommandFor(jobId, hash, ctx),
        signal: ctx.signal,
        onProgress: (m) => ctx.progress(m),
        openSigner: async (job) => {
          const params = arbitrumEscapeParamsSchema.parse(job.params)
          const kind = signed ? 'file' : (chosen ?? params.signer?.kind ?? 'ledger')
          const opened = await openJobSigner(kind, ctx, { store, jobId, params, signedFile: signed, resumeCommand })
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
      const ran = outcome.outcome === 'finished' ? { finished: outcome.result as ArbitrumEscapeResult } : outcome.outcome === 'paused' ? { paused: outcome.pause } : { stuck: outcome.stuck.map((t) => ({ ...t, bumpFeeCommand: bumpFeeCommandFor(jobId, t.hash, ctx) })) }
      return formatJobRun({ jobId, job: outcome.job, outcome: ran, resumeCommand: resumeCommand(), notes: unusedSigned ? [`The signed file ${signed} was not used: the job did not ask for a signature in this run.`] : [] })
    } finally {
      store.close()
    }
  },
}

export function parseJobSigner(value: unknown): SignerKind {
  const name = String(value ?? 'ledger')
  if (!(JOB_SIGNERS as readonly string[]).includes(name)) usageError(`--signer must be one of ${JOB_SIGNERS.join(', ')}`)
  return name as SignerKind
}

export function parsePollSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined
  const s = Number(value)
  if (!Number.isFinite(s) || s < 0.05 || s > 3600) usageError('--poll-seconds must be a number between 0.05 and 3600')
  return Math.round(s * 1000)
}

export function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  return (Array.isArray(value) ? value : [value]).map(String)
}

export function defaultExportDir(ctx: Pick<CommandContext, 'dataDir'>): string {
  return path.join(ctx.dataDir, 'exports')
}

/**
 * The signer for a run of an escape job. The file signer belongs to the job (it journals its exports); a device
 * signer is opened through the CLI's one signer selection (openSigner).
 */
export async function openJobSigner(
  kind: SignerKind,
  ctx: Pick<CommandContext, 'options' | 'progress' | 'dataDir'>,
  job: { store: BroadcastJournal; jobId: string; params: ArbitrumEscapeParams; signedFile?: string; resumeCommand: (signedFile?: string) => string },
): Promise<{ signer: Signer; release: () => Promise<void> }> {
  if (kind === 'file') {
    const exportDir = typeof ctx.options['export-dir'] === 'string' ? ctx.options['export-dir'] : (job.params.signer?.exportDir ?? defaultExportDir(ctx))
    const signer = new FileSigner({
      store: job.store,
      jobId: job.jobId,
      exportDir,
      from: job.params.account,
      signedFile: job.signedFile,
      describe: (request) => describeEscapeTx(request, job.params.network),
      resumeCommand: job.resumeCommand,
    })
    return { signer, release: () => signer.close() }
  }
  if (kind === 'drill-key' && ctx.options['devnet-chain-id'] === undefined && job.params.signer?.devnetChainIds) {
    ctx = { ...ctx, options: { ...ctx.options, 'devnet-chain-id': job.params.signer.devnetChainIds.map(String) } }
  }
  checkSignerForNetwork(kind, job.params.network, ctx.options)
  ctx.progress(`Signer: ${signerCapabilities[kind].label}.`)
  return openSigner(kind as DeviceSignerName, ctx)
}

/** The exact command that continues `jobId`, repeating what this run needed (never a key; URLs only as given). */
export function resumeCommandFor(jobId: string, ctx: Pick<CommandContext, 'options'>, extra: { signedFile?: string; saved?: boolean } = {}): string {
  const parts = ['escape-hatch', 'jobs', 'resume', jobId]
  const o = ctx.options
  if (extra.saved !== true) {
    for (const url of stringList(o['l1-rpc']) ?? []) parts.push('--l1-rpc', quote(url))
    if (typeof o['l2-rpc'] === 'string') parts.push('--l2-rpc', quote(o['l2-rpc']))
  }
  if (extra.signedFile) parts.push('--signed', quote(extra.signedFile))
  if (typeof o['mnemonic-file'] === 'string') parts.push('--mnemonic-file', quote(o['mnemonic-file']))
  if (typeof o['export-dir'] === 'string') parts.push('--export-dir', quote(o['export-dir']))
  if (o['allow-any-chain'] === true) parts.push('--allow-any-chain')
  if (typeof o['poll-seconds'] === 'string') parts.push('--poll-seconds', o['poll-seconds'])
  return parts.join(' ')
}

/**
 * The exact `jobs bump-fee` command for a stuck transaction of `jobId`: the L1 endpoints and signer options this run
 * was given (the L2 endpoint is not needed to replace an L1 transaction).
 */
export function bumpFeeCommandFor(jobId: string, hash: string, ctx: Pick<CommandContext, 'options'>): string {
  const parts = ['escape-hatch', 'jobs', 'bump-fee', jobId, '--tx', hash]
  const o = ctx.options
  for (const url of stringList(o['l1-rpc']) ?? []) parts.push('--l1-rpc', quote(url))
  if (typeof o.signer === 'string') parts.push('--signer', o.signer)
  if (typeof o['mnemonic-file'] === 'string') parts.push('--mnemonic-file', quote(o['mnemonic-file']))
  if (typeof o['export-dir'] === 'string') parts.push('--export-dir', quote(o['export-dir']))
  for (const id of stringList(o['devnet-chain-id']) ?? []) parts.push('--devnet-chain-id', id)
  if (o['allow-any-chain'] === true) parts.push('--allow-any-chain')
  return parts.join(' ')
}

export function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

export interface JobRunOutput {
  jobId: string
  job: JobState
  outcome: { finished: ArbitrumEscapeResult } | { paused: JobPausedError } | { stuck: (StuckTx & { bumpFeeCommand: string })[] }
  resumeCommand: string
  notes?: string[]
  /** Lines printed before the outcome (e.g. the plan). */
  head?: string[]
  json?: Record<string, unknown>
}

/** How a run of an escape job is reported: what is done, what happened now, and exactly what to do next. */
export function formatJobRun(o: JobRunOutput): CommandResult {
  const params = arbitrumEscapeParamsSchema.safeParse(o.job.params)
  const lines = [...(o.head ?? []), `Job ${o.jobId}: ${o.job.title}`]
  const done = o.job.steps.filter((s) => s.status === 'completed').map((s) => s.name)
  lines.push(`Steps done: ${done.length === 0 ? 'none yet' : done.join(', ')}.`)
  for (const t of o.job.txs) lines.push(`  L${params.success && t.chainId === params.data.network.l2ChainId ? 2 : 1} tx ${t.hash} (${t.step}): ${t.status}${t.blockNumber ? ` in block ${t.blockNumber}` : ''}`)
  let json: Record<string, unknown>
  if ('finished' in o.outcome) {
    const r = o.outcome.finished
    const amount = params.success ? `${formatEther(BigInt(params.data.amountWei))} ETH` : 'the amount'
    lines.push(
      r.alreadySpent
        ? `Finished: withdrawal #${r.sendPosition} had already been executed on L1 (by someone else); nothing more to do.`
        : `Finished: ${amount} paid out on L1 to ${params.success ? (params.data.destination as Address) : 'your address'} by ${r.executeTx} (withdrawal #${r.sendPosition}, proven against the confirmed send root ${r.confirmedSendRoot}).`,
    )
    json = { jobId: o.jobId, outcome: 'finished', result: r }
  } else if ('stuck' in o.outcome) {
    const stuck = o.outcome.stuck
    lines.push('', 'Stopped: a transaction of this job is stuck (nothing was bumped; that needs your approval).')
    for (const t of stuck) {
      lines.push(`  ${describeStuckTx(t)}`, `  - To replace it with a higher fee (you will see the new maximum cost and be asked to approve): ${t.bumpFeeCommand}`)
    }
    lines.push(`  - Or keep waiting for fees to fall: ${o.resumeCommand} --wait`)
    json = {
      jobId: o.jobId,
      outcome: 'stuck',
      stuck: stuck.map((t) => ({ hash: t.hash, step: t.step, nonce: t.nonce, maxFeePerGas: t.maxFeePerGas.toString(), baseFee: t.baseFee.toString(), blocks: t.blocks, bumpFeeCommand: t.bumpFeeCommand })),
      resumeCommand: o.resumeCommand,
    }
  } else {
    const p = o.outcome.paused
    lines.push('', `Paused: ${p.shortMessage}`, ...p.steps.map((s) => `  - ${s}`))
    if (p.reason !== 'signature') lines.push('', `Resume with: ${o.resumeCommand}`)
    json = {
      jobId: o.jobId,
      outcome: 'paused',
      pause: { reason: p.reason, message: p.shortMessage, steps: p.steps, untilL1Block: p.until?.l1Block ?? null, estimatedAt: p.until?.estimatedAt?.toISOString() ?? null, files: p.files },
      resumeCommand: o.resumeCommand,
    }
  }
  for (const n of o.notes ?? []) lines.push(`! ${n}`)
  return { json: { ...o.json, ...json, status: o.job.status, steps: o.job.steps.map((s) => ({ name: s.name, status: s.status })), transactions: o.job.txs.map((t) => ({ step: t.step, chainId: t.chainId, hash: t.hash, status: t.status, blockNumber: t.blockNumber ?? null })), notes: o.notes ?? [] }, text: lines.join('\n') }
}

/**
 * Drill signers are for drills: refused on a chain settling on Ethereum mainnet; the drill key must be allowed both
 * chains of the escape (its own guard would otherwise refuse mid-job, after the first steps ran).
 */
export function checkSignerForNetwork(kind: SignerKind, network: ArbitrumEscapeParams['network'], options: CommandContext['options']): void {
  if ((kind === 'soft-ledger' || kind === 'drill-key') && network.l1ChainId === 1) {
    throw new EscapeError(`The ${signerCapabilities[kind].label} is for drills; it is refused on a network settling on Ethereum mainnet.`, {
      kind: 'user-action',
      steps: ['Use your Ledger (--signer ledger) or an air-gapped machine (--signer file).'],
    })
  }
  if (kind === 'drill-key' && options['allow-any-chain'] !== true) {
    const allowed = devnetChainIds(options['devnet-chain-id'])
    const missing = [network.l1ChainId, network.l2ChainId].filter((id) => !allowed.includes(id))
    if (missing.length > 0) usageError(`the drill key signs only for the devnet chain ids it is given; this escape signs on chains ${network.l1ChainId} and ${network.l2ChainId}: add ${missing.map((id) => `--devnet-chain-id ${id}`).join(' ')}`)
  }
}
