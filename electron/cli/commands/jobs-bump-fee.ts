/**
 * `escape-hatch jobs bump-fee JOB_ID`: replace a job's stuck L1 transaction (L1 fees rose above what it offers) by the
 * same transaction — same nonce, recipient, value and data — with higher fees, with the user's consent. The work is
 * the engine's (electron/services/jobs/bumpFee.ts, which the desktop app uses too); this command parses the flags,
 * asks for consent on the terminal (or takes --yes) and words the outcome:
 *
 * 1. Find the job's unconfirmed L1 transaction (or the one given with --tx); first check L1: if it (or an earlier
 *    replacement) was mined meanwhile, that is journaled and nothing is bumped.
 * 2. Read the current L1 fees from the endpoints and propose new ones (at least +10% on both fields, as nodes require
 *    for a replacement; enough for twice the next base fee), or the user's --max-fee-gwei / --priority-fee-gwei.
 * 3. Show the old and new maximum cost and ask: y/N on a terminal, or --yes for scripts — never neither. The answer is
 *    journaled (`prompt.answered replace:<hash>`), which the journal requires before a replacement.
 * 4. Sign the replacement with the job's signer (Ledger, drill signers), or — air-gapped — export it to a file and stop
 *    with the steps; `--signed FILE` finishes. Then bumpFeeJournaled journals it (`tx.signed` with `replaces`), sends
 *    it and watches both: whichever is mined is the one the job follows (`jobs resume` continues from it).
 */
import * as path from 'node:path'
import { createInterface } from 'node:readline/promises'
import type { Readable, Writable } from 'node:stream'
import { formatEther, formatGwei, parseGwei } from 'viem'
import type { JobState } from '../../../shared/journal/reduce'
import { maxFeeOf } from '../../../shared/signing/unsignedTxRequest'
import { endpointLabel } from '../../services/l1/endpointClients'
import type { BroadcastProgress } from '../../services/broadcast/watchJournaledTx'
import { bumpFee, type BumpFeeEvent, type BumpFeeHints, type BumpFeeOutcome } from '../../services/jobs/bumpFee'
import { feeCapOf, FeeBumpInputError, tipOf, type FeeBumpProposal } from '../../services/jobs/bumpFeeProposal'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { usageError, type Command, type CommandContext, type CommandResult } from '../command'
import { cliSignerError, defaultExportDir, exportDirOption, parseJobSigner, parsePollSeconds, quote, resumeCommandFor, stringList } from '../jobOptions'
import { deviceSignerOptions, drillKeyOptions, mnemonicOption } from '../openSigner'

/**
 * Ask the user a yes/no question. Resolves undefined when nobody can be asked (no terminal): then only --yes approves.
 */
export type AskConsent = (question: string, signal: AbortSignal) => Promise<boolean | undefined>

/** y/N on the process's terminal (the question on stderr, so stdout stays machine-readable). */
export const askOnTerminal: AskConsent = async (question, signal) => {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined
  return askYesNo(question, { input: process.stdin, output: process.stderr, signal })
}

/** Read one answer line; only "y" or "yes" (any case) approves — Enter, anything else, or end of input declines. */
export async function askYesNo(question: string, io: { input: Readable; output: Writable; signal?: AbortSignal }): Promise<boolean> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false })
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.once('close', () => resolve('')) // end of input: no answer is a no
      rl.question(`${question} [y/N] `, { signal: io.signal ?? new AbortController().signal }).then(resolve, (error: unknown) => (io.signal?.aborted ? reject(error) : resolve('')))
    })
    return /^\s*y(es)?\s*$/i.test(answer)
  } finally {
    rl.close()
  }
}

export function createJobsBumpFeeCommand(deps: { askConsent: AskConsent }): Command {
  return {
    path: ['jobs', 'bump-fee'],
    args: 'JOB_ID',
    summary: 'Replace a stuck L1 transaction of a job by the same one with higher fees (asks your approval first).',
    description: [
      'When L1 fees rose above what a job\'s transaction offers, it waits until they fall. This re-signs the very same',
      'transaction (same nonce, recipient, value and data) with higher fees: at least 10% more on both fee fields (nodes',
      'require it), enough for twice the next base fee, or your --max-fee-gwei/--priority-fee-gwei. It shows the old and',
      'new maximum cost and asks y/N on a terminal; scripts approve with --yes. Without either nothing is signed.',
      'The approval is journaled, then the replacement is signed, journaled and sent. Whichever of the two is mined is',
      'the one the job follows; continue with `escape-hatch jobs resume`. Air-gapped (--signer file): the replacement',
      'is exported to sign offline with `escape-hatch sign-file`; bring it back with --signed FILE.',
    ].join('\n'),
    options: {
      tx: { type: 'string', description: 'The transaction to replace (default: the job\'s one unconfirmed L1 transaction).', valueName: 'HASH' },
      'max-fee-gwei': { type: 'string', description: 'New max fee per gas, in gwei (default: proposed from the current L1 fees).', valueName: 'N' },
      'priority-fee-gwei': { type: 'string', description: 'New max priority fee (tip) per gas, in gwei.', valueName: 'N' },
      yes: { type: 'boolean', description: 'Approve the new fees without asking (for scripts). Without it a terminal is needed to answer.' },
      signer: { type: 'string', description: 'Who signs the replacement: ledger | soft-ledger | drill-key | file (default: the job\'s own).', valueName: 'KIND' },
      signed: { type: 'string', description: 'file signer: the signed replacement made by `escape-hatch sign-file` from the exported file.', valueName: 'FILE' },
      'l1-rpc': { type: 'string', multiple: true, description: 'L1 JSON-RPC URL (repeat for several; default: the ones the job saved).', valueName: 'URL' },
      'export-dir': { type: 'string', description: 'file signer: where the unsigned replacement is written (default: the job\'s, or the data folder\'s exports/).', valueName: 'DIR' },
      'poll-seconds': { type: 'string', description: 'How often to look for the receipt while waiting (default 12; receipts every third of it).', valueName: 'S' },
      ...mnemonicOption,
      ...drillKeyOptions,
    },
    run: (ctx) => runBumpFee(ctx, deps),
  }
}

export const jobsBumpFeeCommand: Command = createJobsBumpFeeCommand({ askConsent: askOnTerminal })

async function runBumpFee(ctx: CommandContext, deps: { askConsent: AskConsent }): Promise<CommandResult> {
  const jobId = ctx.positionals[0]
  if (!jobId || ctx.positionals.length > 1) usageError('give exactly one job id')
  const txOption = typeof ctx.options.tx === 'string' ? ctx.options.tx : undefined
  if (txOption !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(txOption)) usageError('--tx must be a 32-byte 0x transaction hash')
  const signedFile = typeof ctx.options.signed === 'string' ? ctx.options.signed : undefined
  const chosen = ctx.options.signer === undefined ? undefined : parseJobSigner(ctx.options.signer)
  if (signedFile && chosen && chosen !== 'file') usageError('--signed goes with the air-gapped signer (--signer file)')
  const maxFee = parseGweiOption(ctx.options['max-fee-gwei'], '--max-fee-gwei')
  const tip = parseGweiOption(ctx.options['priority-fee-gwei'], '--priority-fee-gwei')
  if (signedFile && (maxFee !== undefined || tip !== undefined)) usageError('with --signed the fees are the ones in the exported file; drop --max-fee-gwei/--priority-fee-gwei')
  const pollMs = parsePollSeconds(ctx.options['poll-seconds']) ?? 12_000
  const l1Urls = stringList(ctx.options['l1-rpc'])
  for (const u of l1Urls ?? []) if (!/^(https?|wss?):\/\//.test(u) || !URL.canParse(u)) usageError(`${endpointLabel(u)} is not an http(s) or ws(s) URL`)

  const resumeCommand = resumeCommandFor(jobId, ctx)
  const hints: BumpFeeHints = {
    showJob: `escape-hatch jobs show ${jobId}`,
    resumeJob: resumeCommand,
    giveL1Rpc: 'Add --l1-rpc URL to the command',
    bumpFee: (hash) => bumpFeeCommandWithSigned(jobId, hash, undefined, ctx),
  }
  const store = await JournalStore.open(jobsDir(ctx.dataDir))
  try {
    let outcome: BumpFeeOutcome
    try {
      outcome = await bumpFee({
        store,
        jobId,
        txHash: txOption,
        l1Urls,
        maxFeePerGas: maxFee,
        maxPriorityFeePerGas: tip,
        signerKind: signedFile ? 'file' : chosen,
        signedFile,
        device: chosen === 'file' || signedFile ? undefined : deviceSignerOptions(ctx),
        exportDir: exportDirOption(ctx),
        defaultExportDir: defaultExportDir(ctx),
        consent: (proposal) => askForConsent(ctx, deps, proposal),
        pollMs,
        hints,
        onEvent: (e) => {
          const lines = describeEvent(e)
          for (const line of lines) ctx.progress(line)
        },
        signal: ctx.signal,
      })
    } catch (error) {
      if (error instanceof FeeBumpInputError) usageError(error.shortMessage)
      throw cliSignerError(error)
    }
    return formatOutcome(outcome, ctx, resumeCommand)
  } finally {
    store.close()
  }
}

function formatOutcome(o: BumpFeeOutcome, ctx: CommandContext, resumeCommand: string): CommandResult {
  const { jobId, tx, params } = o
  // The L2 endpoint is not needed to bump an L1 fee, but the job needs it to go on when it did not save it.
  const l2Hint = params.l2RpcUrl ? '' : ` --l2-rpc URL (your L2 RPC${params.rpcLabels?.l2 ? `, ${params.rpcLabels.l2}` : ''}: the job did not save it)`
  const nextSteps = [`Continue the job: ${resumeCommand}${l2Hint}`]
  switch (o.outcome) {
    case 'already-mined':
      return {
        json: { jobId, outcome: 'already-mined', minedTx: o.minedTx, blockNumber: o.blockNumber.toString(), status: o.status, transactions: txList(o.job), resumeCommand },
        text: [`Nothing to bump: ${o.minedTx} was already mined in L1 block ${o.blockNumber} (${o.status}).`, ...nextSteps].join('\n'),
      }
    case 'declined':
    case 'not-approved': {
      const asked = o.outcome === 'declined'
      const why = asked ? 'You declined: nothing was signed or sent.' : 'Not approved: nothing was signed or sent. A fee bump needs your approval: run this in a terminal to answer, or add --yes.'
      return {
        json: { jobId, outcome: o.outcome, replaces: tx.hash, proposal: proposalJson(o.proposal), warnings: o.proposal.warnings },
        // A user who answered has just read the proposal in the question; a script without --yes sees it here.
        text: [...(asked ? [] : [...describeProposal(o.proposal), '']), why].join('\n'),
        exitCode: 1,
      }
    }
    case 'exported': {
      const finish = bumpFeeCommandWithSigned(jobId, tx.hash, o.signedFile, ctx)
      const steps = [
        `Copy ${o.file} to your offline signing machine (keep this copy: it is used to check the signed file).`,
        `There, check what it does and sign it: escape-hatch sign-file ${path.basename(o.file)} --out ${path.basename(o.signedFile)}`,
        `Bring ${path.basename(o.signedFile)} back to this computer, e.g. to ${o.signedFile}.`,
        `Then run: ${finish}`,
      ]
      return {
        json: { jobId, outcome: 'exported', replaces: tx.hash, files: [o.file], steps, proposal: proposalJson(o.proposal), bumpFeeCommand: finish },
        text: [`Approved. The replacement is exported to sign offline: ${o.file}`, ...steps.map((s) => `  - ${s}`)].join('\n'),
      }
    }
    case 'mined': {
      const { result, replacement } = o
      const head =
        o.mined === 'replacement'
          ? `Replaced: ${replacement} (max fee per gas ${formatGwei(feeCapOf(o.proposal.next))} gwei) was mined in L1 block ${result.blockNumber} (${result.status}) instead of ${tx.hash}.`
          : `The original ${result.hash} was mined in L1 block ${result.blockNumber} (${result.status}) before the replacement ${replacement}; the replacement was not needed and is recorded as dropped. The job follows the original.`
      return {
        json: { jobId, outcome: 'mined', mined: o.mined, minedTx: result.hash, blockNumber: result.blockNumber.toString(), status: result.status, replaces: tx.hash, replacement, proposal: proposalJson(o.proposal), transactions: txList(o.job), resumeCommand },
        text: [head, ...(result.status === 'reverted' ? ['! It reverted on L1: `jobs resume` reports what that means for the job.'] : []), ...nextSteps].join('\n'),
      }
    }
  }
}

function describeProposal({ old, next, tx, quote, warnings }: FeeBumpProposal): string[] {
  const lines = [
    `Replace L1 transaction ${tx.hash} (step ${tx.step}, nonce ${tx.nonce}) by the same transaction with higher fees:`,
    ...(quote ? [`  L1 now: next block base fee ${formatGwei(quote.nextBaseFee)} gwei, tip ${formatGwei(quote.priorityFee)} gwei (from ${quote.answered.join(', ')})`] : []),
    `  max fee per gas:   ${formatGwei(feeCapOf(old))} → ${formatGwei(feeCapOf(next))} gwei`,
    ...(next.type === 'eip1559' ? [`  priority fee:      ${formatGwei(tipOf(old))} → ${formatGwei(tipOf(next))} gwei`] : []),
    `  max network fee:   ${formatEther(maxFeeOf(old))} → ${formatEther(maxFeeOf(next))} ETH (gas limit ${next.gas})`,
  ]
  if (next.value > 0n) lines.push(`  plus the value it sends, unchanged: ${formatEther(next.value)} ETH`)
  return [...lines, ...warnings.map((w) => `! ${w}`)]
}

async function askForConsent(ctx: CommandContext, deps: { askConsent: AskConsent }, proposal: FeeBumpProposal): Promise<{ approved: boolean; asked: boolean }> {
  const shown = describeProposal(proposal)
  if (ctx.options.yes === true) {
    for (const line of shown) ctx.progress(line)
    ctx.progress('Approved with --yes.')
    return { approved: true, asked: false }
  }
  // The question carries what is approved, so it is seen even under --quiet.
  const answer = await deps.askConsent([...shown, `Replace it, paying up to ${formatEther(maxFeeOf(proposal.next))} ETH in network fees?`].join('\n'), ctx.signal)
  return answer === undefined ? { approved: false, asked: false } : { approved: answer, asked: true }
}

function proposalJson({ old, next }: Pick<FeeBumpProposal, 'old' | 'next'>) {
  return {
    old: { maxFeePerGas: feeCapOf(old).toString(), maxPriorityFeePerGas: tipOf(old).toString(), maxFeeWei: maxFeeOf(old).toString() },
    new: { maxFeePerGas: feeCapOf(next).toString(), maxPriorityFeePerGas: tipOf(next).toString(), maxFeeWei: maxFeeOf(next).toString() },
    gas: next.gas.toString(),
  }
}

function describeEvent(e: BumpFeeEvent): string[] {
  switch (e.type) {
    case 'signer':
      return [e.message]
    case 'sign':
      return [`Sign the replacement of ${e.proposal.tx.hash} (same nonce ${e.proposal.tx.nonce}, new fees). ${e.instruction}`]
    case 'signed-file-accepted':
      return describeProposal(e.proposal)
    case 'broadcast': {
      const line = describeProgress(e.progress)
      return line ? [line] : []
    }
  }
}

function describeProgress(b: BroadcastProgress): string | undefined {
  switch (b.phase) {
    case 'journaled':
      return `  replacement ${b.hash} signed and saved in the journal`
    case 'sent':
      return `  replacement ${b.hash} sent to ${b.endpoints.join(', ')}; waiting for a block (both the old and the new one are watched)…`
    case 'underpriced':
      return `  ! ${b.hash}: the L1 endpoints say the fee is still too low: ${b.detail.split('\n')[0]}`
    case 'mined':
      return `  ${b.hash} mined in L1 block ${b.blockNumber} (${b.status})`
    default:
      return undefined
  }
}

function txList(state: JobState) {
  return state.txs.map((t) => ({ step: t.step, hash: t.hash, status: t.status, blockNumber: t.blockNumber ?? null, replaces: t.replaces ?? null }))
}

function bumpFeeCommandWithSigned(jobId: string, hash: string, signedFile: string | undefined, ctx: Pick<CommandContext, 'options'>): string {
  const parts = ['escape-hatch', 'jobs', 'bump-fee', jobId, '--tx', hash]
  if (signedFile) parts.push('--signed', quote(signedFile))
  else if (typeof ctx.options.signer === 'string') parts.push('--signer', ctx.options.signer)
  for (const url of stringList(ctx.options['l1-rpc']) ?? []) parts.push('--l1-rpc', quote(url))
  if (typeof ctx.options['export-dir'] === 'string') parts.push('--export-dir', quote(ctx.options['export-dir']))
  if (typeof ctx.options['poll-seconds'] === 'string') parts.push('--poll-seconds', ctx.options['poll-seconds'])
  return parts.join(' ')
}

function parseGweiOption(value: unknown, name: string): bigint | undefined {
  if (value === undefined) return undefined
  const text = String(value)
  if (!/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,9})?$/.test(text)) usageError(`${name} must be a decimal number of gwei, e.g. 35 or 1.5`)
  const wei = parseGwei(text)
  if (wei <= 0n) usageError(`${name} must be more than zero`)
  return wei
}
