/**
 * The pieces shared by the commands that run or act on an escape job (`arb escape`, `jobs resume`, `jobs bump-fee`):
 * their common options, how those are parsed, the signer for a run (through the engine's openJobSigner, with the
 * CLI's wording for a refused signer), and the exact commands printed for the user's next step.
 */
import * as path from 'node:path'
import { EscapeError } from '../../shared/errors/EscapeError'
import { redactUrlsInText } from '../../shared/errors/redactUrls'
import type { SignerKind } from '../../shared/signing/capabilities'
import type { BroadcastJournal } from '../services/journal/journalPort'
import type { JobSignerParams } from '../services/jobs/jobSignerParams'
import { checkSignerForNetwork, JOB_SIGNERS, openJobSigner, SignerNotAllowedError, type OpenedSigner } from '../services/jobs/openJobSigner'
import { usageError, type CommandContext, type OptionSpec } from './command'
import { deviceSignerOptions, devnetChainIds, drillKeyOptions, mnemonicOption } from './openSigner'

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

/** --export-dir if given. */
export function exportDirOption(ctx: Pick<CommandContext, 'options'>): string | undefined {
  return typeof ctx.options['export-dir'] === 'string' ? ctx.options['export-dir'] : undefined
}

/**
 * The signer for a run of an escape job (the engine's openJobSigner, from this command's options). A drill signer
 * refused for the job's network is reported as today: a usage error naming the missing --devnet-chain-id.
 */
export async function openJobSignerForRun(
  kind: SignerKind,
  ctx: Pick<CommandContext, 'options' | 'progress' | 'dataDir'>,
  job: { store: BroadcastJournal; jobId: string; params: JobSignerParams; signedFile?: string; resumeCommand: (signedFile?: string) => string },
): Promise<OpenedSigner> {
  try {
    return await openJobSigner({
      kind,
      ...job,
      device: kind === 'file' ? undefined : deviceSignerOptions(ctx),
      exportDir: exportDirOption(ctx),
      defaultExportDir: defaultExportDir(ctx),
      onProgress: (m) => ctx.progress(m),
    })
  } catch (error) {
    throw cliSignerError(error)
  }
}

/** The engine's signer guards, before anything is opened, with the CLI's wording (flags to add or change). */
export function checkJobSignerForNetwork(kind: SignerKind, network: Pick<JobSignerParams['network'], 'l1ChainId' | 'l2ChainId'>, options: CommandContext['options']): void {
  try {
    checkSignerForNetwork(kind, network, { devnetChainIds: devnetChainIds(options['devnet-chain-id']), allowAnyChain: options['allow-any-chain'] === true })
  } catch (error) {
    throw cliSignerError(error)
  }
}

/**
 * A signer the engine refused for the job's network, in the CLI's words: a drill key missing chain ids is a usage
 * error naming the --devnet-chain-id to add; the mainnet refusal names the --signer to use instead.
 */
export function cliSignerError(error: unknown): unknown {
  if (!(error instanceof SignerNotAllowedError)) return error
  if (error.missingChainIds.length > 0) {
    const said = error.shortMessage.replace(/\.$/, '')
    usageError(`${said.charAt(0).toLowerCase()}${said.slice(1)}: add ${error.missingChainIds.map((id) => `--devnet-chain-id ${id}`).join(' ')}`)
  }
  return new EscapeError(error.shortMessage, { kind: 'user-action', steps: ['Use your Ledger (--signer ledger) or an air-gapped machine (--signer file).'] })
}

/**
 * An RPC URL as a command on screen may repeat it: as given when it is only scheme://host[:port]; otherwise (a path,
 * query or userinfo, where API keys live) a placeholder naming its host, for the user to fill in (issue 14 #4).
 */
function urlArg(url: string, what: string): string {
  const redacted = redactUrlsInText(url)
  return redacted === url ? quote(url) : quote(`<your ${what} for ${redacted}>`)
}

/** The exact command that continues `jobId`, repeating what this run needed (never a key; URLs as placeholders if they may hold one). */
export function resumeCommandFor(jobId: string, ctx: Pick<CommandContext, 'options'>, extra: { signedFile?: string; saved?: boolean } = {}): string {
  const parts = ['escape-hatch', 'jobs', 'resume', jobId]
  const o = ctx.options
  if (extra.saved !== true) {
    for (const url of stringList(o['l1-rpc']) ?? []) parts.push('--l1-rpc', urlArg(url, 'L1 RPC URL'))
    if (typeof o['l2-rpc'] === 'string') parts.push('--l2-rpc', urlArg(o['l2-rpc'], 'L2 RPC URL'))
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
  for (const url of stringList(o['l1-rpc']) ?? []) parts.push('--l1-rpc', urlArg(url, 'L1 RPC URL'))
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

