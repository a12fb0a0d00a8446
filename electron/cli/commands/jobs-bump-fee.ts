/**
 * `escape-hatch jobs bump-fee JOB_ID`: replace a job's stuck L1 transaction (L1 fees rose above what it offers) by the
 * same transaction — same nonce, recipient, value and data — with higher fees, with the user's consent.
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
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import * as path from 'node:path'
import { createInterface } from 'node:readline/promises'
import type { Readable, Writable } from 'node:stream'
import { formatEther, formatGwei, getAddress, parseGwei, parseTransaction, type Hex, type TransactionSerialized } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JobState, TxState } from '../../../shared/journal/reduce'
import { MIN_FEE_BUMP_PERCENT, bumpFeeJournaled, recordFeeBumpConsent } from '../../services/broadcast/bumpFeeJournaled'
import { createEndpointClients, endpointLabel, type EndpointClient } from '../../services/broadcast/endpointClients'
import { feeBumpPromptId } from '../../services/broadcast/journalPort'
import { readL1Fees, type L1FeeQuote } from '../../services/broadcast/readL1Fees'
import { errorText } from '../../services/broadcast/classifySendError'
import { nonceFamily, settleNonceFamily, type BroadcastProgress, type BroadcastResult } from '../../services/broadcast/watchJournaledTx'
import { arbitrumEscapeParamsSchema, type ArbitrumEscapeParams } from '../../services/flows/arbitrum/arbitrumEscapeJob'
import { describeEscapeTx } from '../../services/flows/arbitrum/describeEscapeTx'
import { RESUMABLE_JOB_KINDS } from '../../services/flows/resumeJob'
import { JournalError, JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { SignedFileRefusedError, signedNameFor } from '../../services/signers/file/FileSigner'
import { exportUnsignedTxFile } from '../../services/signers/file/exportUnsignedTxFile'
import { importSignedTxFile } from '../../services/signers/file/importSignedTxFile'
import { readTxFileText } from '../../services/signers/file/txFileIo'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { planFeeBump } from '../../../shared/signing/planFeeBump'
import type { SignedTx } from '../../../shared/signing/Signer'
import { maxFeeOf, unsignedTxRequestSchema, type UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { usageError, type Command, type CommandContext, type CommandResult } from '../command'
import { drillKeyOptions, mnemonicOption } from '../openSigner'
import { defaultExportDir, openJobSigner, parseJobSigner, parsePollSeconds, quote, resumeCommandFor, stringList } from './jobs-resume'

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

/** The journal's prompt purpose for the exported file of a fee bump (one per replaced transaction). */
function exportPurpose(replaces: string): string {
  return `sign offline: fee bump of ${replaces}`
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

interface Proposal {
  old: UnsignedTxRequest
  next: UnsignedTxRequest
  quote: L1FeeQuote
  warnings: string[]
}

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

  const store = await JournalStore.open(jobsDir(ctx.dataDir))
  try {
    const loaded = await store.load(jobId)
    if (loaded.damaged) throw new JournalError('This job\'s journal is damaged, so Escape Hatch will not act on it.', { kind: 'user-action' })
    const job = loaded.state
    if (job.status !== 'active') {
      throw new EscapeError(`Job ${jobId} is already finished (${job.status}); it has no transaction to bump.`, { kind: 'user-action', steps: [`See it with: escape-hatch jobs show ${jobId}`] })
    }
    if (!(RESUMABLE_JOB_KINDS as readonly string[]).includes(job.kind)) {
      throw new EscapeError(`Job ${jobId} is of kind "${job.kind}", which this version of Escape Hatch cannot bump.`, { kind: 'user-action', steps: ['Use the version of Escape Hatch that created the job.'] })
    }
    const params = arbitrumEscapeParamsSchema.parse(job.params)
    const old = pickTx(job, txOption, params.network.l1ChainId)
    const urls = l1Urls ?? params.l1Endpoints
    if (!urls || urls.length === 0) {
      throw new EscapeError('This job did not save its RPC URLs (they may contain API keys), so the L1 ones are needed again.', {
        kind: 'user-action',
        steps: [`Add --l1-rpc URL to the command${params.rpcLabels ? ` (you used ${params.rpcLabels.l1.join(', ')})` : ''}.`],
      })
    }
    const endpoints = createEndpointClients(urls)
    const resumeCommand = resumeCommandFor(jobId, ctx)
    // The L2 endpoint is not needed to bump an L1 fee, but the job needs it to go on when it did not save it.
    const l2Hint = params.l2RpcUrl ? '' : ` --l2-rpc URL (your L2 RPC${params.rpcLabels ? `, ${params.rpcLabels.l2}` : ''}: the job did not save it)`
    const nextSteps = [`Continue the job: ${resumeCommand}${l2Hint}`]

    // 1. Still worth it? A transaction of this nonce mined meanwhile settles the step; nothing is bumped.
    const onChain = await checkOnChain(endpoints, job, old)
    if (onChain.state === 'mined') {
      const journal = { journal: store, jobId }
      if (!job.txs.some((t) => t.hash === onChain.hash && (t.status === 'mined' || t.status === 'reverted'))) {
        await store.append(jobId, { type: 'tx.mined', hash: onChain.hash, blockNumber: onChain.blockNumber.toString(), status: onChain.status })
      }
      await settleNonceFamily(journal, old, onChain.hash)
      const state = (await store.load(jobId)).state
      return {
        json: { jobId, outcome: 'already-mined', minedTx: onChain.hash, blockNumber: onChain.blockNumber.toString(), status: onChain.status, transactions: txList(state), resumeCommand },
        text: [`Nothing to bump: ${onChain.hash} was already mined in L1 block ${onChain.blockNumber} (${onChain.status}).`, ...nextSteps].join('\n'),
      }
    }
    if (onChain.state === 'nonce-used') {
      throw new EscapeError(`Nonce ${old.nonce} of ${old.from} is already used on L1, by none of this job's transactions; a fee bump cannot help.`, {
        kind: 'user-action',
        steps: [`Run ${resumeCommand}: it records what happened and says what to do next.`],
      })
    }

    // 2-4.
    const signer = signedFile ? 'file' : (chosen ?? params.signer?.kind ?? 'ledger')
    if (signer === 'file') return await bumpAirGapped({ ctx, deps, store, jobId, job, params, old, endpoints, signedFile, maxFee, tip, pollMs, nextSteps, resumeCommand })

    const proposal = await propose(endpoints, old, maxFee, tip)
    await checkBalance(endpoints, old, proposal.next)
    const consent = await askForConsent(ctx, deps, old, proposal)
    if (!consent.approved) {
      if (consent.asked) await recordFeeBumpConsent({ store, jobId, replaces: old.hash, approved: false })
      return notApproved(jobId, old, proposal, consent.asked)
    }
    await recordFeeBumpConsent({ store, jobId, replaces: old.hash, approved: true })

    const opened = await openJobSigner(signer, ctx, { store, jobId, params, resumeCommand: () => resumeCommand })
    let signed: SignedTx
    try {
      const display = opened.signer.describeDisplay(proposal.next)
      ctx.progress(`Sign the replacement of ${old.hash} (same nonce ${old.nonce}, new fees). ${display.instruction}`)
      signed = await opened.signer.signTransaction({ path: params.signerPath, request: proposal.next, expectedFrom: getAddress(old.from), signal: ctx.signal })
    } finally {
      await opened.release()
    }
    const result = await send(ctx, store, jobId, old, signed, urls, pollMs)
    return await bumped(store, jobId, old, proposal, signed.hash, result, nextSteps, resumeCommand)
  } finally {
    store.close()
  }
}

/** The job's transaction to replace: the one given (it must be live), or its only unconfirmed L1 transaction. */
function pickTx(job: JobState, hash: string | undefined, l1ChainId: number): TxState {
  if (hash !== undefined) {
    const tx = job.txs.find((t) => t.hash.toLowerCase() === hash.toLowerCase())
    if (!tx) throw new EscapeError(`Transaction ${hash} is not part of job ${job.id}.`, { kind: 'user-action', steps: [`See the job's transactions with: escape-hatch jobs show ${job.id}`] })
    if (tx.chainId !== l1ChainId) usageError(`${hash} is not an L1 transaction (chain ${tx.chainId}); only L1 transactions are bumped`)
    if (tx.status === 'replaced') {
      throw new EscapeError(`Transaction ${hash} was already replaced by ${tx.replacedBy}.`, { kind: 'user-action', steps: [`To raise the fees again, bump the replacement: --tx ${tx.replacedBy}`] })
    }
    if (tx.status !== 'signed' && tx.status !== 'sent') {
      throw new EscapeError(`Transaction ${hash} is already ${tx.status}${tx.blockNumber ? ` in L1 block ${tx.blockNumber}` : ''}; there is nothing to bump.`, {
        kind: 'user-action',
        steps: [`See the job with: escape-hatch jobs show ${job.id}`],
      })
    }
    return tx
  }
  const live = job.txs.filter((t) => t.chainId === l1ChainId && (t.status === 'signed' || t.status === 'sent'))
  if (live.length === 0) {
    throw new EscapeError(`Job ${job.id} has no unconfirmed L1 transaction to bump.`, { kind: 'user-action', steps: [`Continue the job with: escape-hatch jobs resume ${job.id}`] })
  }
  if (live.length > 1) usageError(`job ${job.id} has several unconfirmed L1 transactions (${live.map((t) => t.hash).join(', ')}): choose one with --tx`)
  return live[0]!
}

type OnChain = { state: 'pending' } | { state: 'mined'; hash: Hex; blockNumber: bigint; status: 'success' | 'reverted' } | { state: 'nonce-used' }

/** Has any transaction of this nonce (ours, or someone else's) been mined? Asked of every endpoint on the chain. */
async function checkOnChain(endpoints: readonly EndpointClient[], job: JobState, tx: TxState): Promise<OnChain> {
  const family = nonceFamily(job.txs, tx).filter((t) => t.status !== 'dropped')
  let answered = false
  let used = false
  for (const { client } of endpoints) {
    try {
      if ((await client.getChainId()) !== tx.chainId) continue
      for (const member of family) {
        const receipt = await client.getTransactionReceipt({ hash: member.hash }).catch((error: unknown) => {
          if (/not found|could not be found/i.test(errorText(error))) return null
          throw error
        })
        if (receipt) return { state: 'mined', hash: member.hash, blockNumber: receipt.blockNumber, status: receipt.status === 'success' ? 'success' : 'reverted' }
      }
      used ||= (await client.getTransactionCount({ address: tx.from, blockTag: 'latest' })) > tx.nonce
      answered = true
    } catch {
      // Down or unsure; the others decide.
    }
  }
  if (!answered) {
    throw new EscapeError('No L1 endpoint answered, so the transaction\'s state is unknown; nothing was bumped.', {
      kind: 'temporary',
      steps: ['Check your connection and the --l1-rpc URLs, then try again.'],
      details: `endpoints: ${endpoints.map((e) => e.label).join(', ')}`,
    })
  }
  return used ? { state: 'nonce-used' } : { state: 'pending' }
}

/** The journaled signed transaction as the request it was signed from. */
function requestOf(tx: TxState): UnsignedTxRequest {
  const p = parseTransaction(tx.raw as TransactionSerialized)
  const common = { chainId: p.chainId, nonce: p.nonce, gas: p.gas, to: p.to ?? null, value: p.value ?? 0n, data: p.data ?? '0x' }
  if (p.type === 'eip1559') return unsignedTxRequestSchema.parse({ type: 'eip1559', ...common, maxFeePerGas: p.maxFeePerGas, maxPriorityFeePerGas: p.maxPriorityFeePerGas, ...(p.accessList?.length ? { accessList: p.accessList } : {}) })
  if (p.type === 'legacy') return unsignedTxRequestSchema.parse({ type: 'legacy', ...common, gasPrice: p.gasPrice })
  throw new EscapeError(`Transaction ${tx.hash} is of type ${p.type}, which this command cannot re-sign.`, { kind: 'critical' })
}

/** Fees for the replacement: the user's (checked against the minimum bump) or twice the next base fee plus a tip. */
async function propose(endpoints: readonly EndpointClient[], tx: TxState, maxFee: bigint | undefined, tip: bigint | undefined): Promise<Proposal> {
  const old = requestOf(tx)
  const quote = await readL1Fees(endpoints, tx.chainId)
  // The same rule that priced the original (prepareL1Request): room for the base fee to double, plus a tip.
  const planned = planFeeBump(old, { suggestedMaxFeePerGas: quote.nextBaseFee * 2n + quote.priorityFee, suggestedMaxPriorityFeePerGas: quote.priorityFee })
  const minimum = (x: bigint) => {
    const raised = (x * (100n + MIN_FEE_BUMP_PERCENT) + 99n) / 100n
    return raised > x ? raised : x + 1n
  }
  let next: UnsignedTxRequest
  if (old.type === 'legacy') {
    if (tip !== undefined) usageError(`${tx.hash} is a legacy transaction: it has one gas price; give --max-fee-gwei only`)
    if (maxFee !== undefined && maxFee < minimum(old.gasPrice)) usageError(`--max-fee-gwei must be at least ${formatGwei(minimum(old.gasPrice))} (${MIN_FEE_BUMP_PERCENT}% above the current ${formatGwei(old.gasPrice)} gwei); nodes refuse a smaller replacement`)
    next = { ...old, gasPrice: maxFee ?? (planned as typeof old).gasPrice }
  } else {
    if (planned.type !== 'eip1559') throw new Error('planFeeBump changed the transaction type')
    const newMax = maxFee ?? (tip !== undefined && tip > planned.maxFeePerGas ? tip : planned.maxFeePerGas)
    const newTip = tip ?? (planned.maxPriorityFeePerGas <= newMax ? planned.maxPriorityFeePerGas : newMax)
    if (newMax < minimum(old.maxFeePerGas)) usageError(`the max fee must be at least ${formatGwei(minimum(old.maxFeePerGas))} gwei (${MIN_FEE_BUMP_PERCENT}% above the current ${formatGwei(old.maxFeePerGas)} gwei); nodes refuse a smaller replacement`)
    if (newTip < minimum(old.maxPriorityFeePerGas)) usageError(`the priority fee must be at least ${formatGwei(minimum(old.maxPriorityFeePerGas))} gwei (${MIN_FEE_BUMP_PERCENT}% above the current ${formatGwei(old.maxPriorityFeePerGas)} gwei); nodes refuse a smaller replacement`)
    if (newTip > newMax) usageError(`the priority fee (${formatGwei(newTip)} gwei) cannot be above the max fee (${formatGwei(newMax)} gwei)`)
    next = { ...old, maxFeePerGas: newMax, maxPriorityFeePerGas: newTip }
  }
  const warnings: string[] = []
  const cap = feeCapOf(next)
  if (cap < quote.nextBaseFee) warnings.push(`The new max fee per gas (${formatGwei(cap)} gwei) is still below the next block's base fee (${formatGwei(quote.nextBaseFee)} gwei): the replacement would wait too.`)
  return { old, next, quote, warnings }
}

function feeCapOf(r: UnsignedTxRequest): bigint {
  return r.type === 'legacy' ? r.gasPrice : r.maxFeePerGas
}

function tipOf(r: UnsignedTxRequest): bigint {
  return r.type === 'legacy' ? r.gasPrice : r.maxPriorityFeePerGas
}

/** The replacement may cost up to gas × max fee + value: refuse before asking when the account cannot pay that. */
async function checkBalance(endpoints: readonly EndpointClient[], tx: TxState, next: UnsignedTxRequest): Promise<void> {
  const needed = maxFeeOf(next) + next.value
  for (const { client } of endpoints) {
    try {
      if ((await client.getChainId()) !== tx.chainId) continue
      const balance = await client.getBalance({ address: tx.from })
      if (balance >= needed) return
      throw new EscapeError(`${tx.from} has ${formatEther(balance)} ETH on L1; the replacement may cost up to ${formatEther(needed)} ETH. Nothing was signed.`, {
        kind: 'user-action',
        steps: ['Send ETH to that account, or give lower fees with --max-fee-gwei (at least 10% above the current ones), then try again.'],
      })
    } catch (error) {
      if (error instanceof EscapeError) throw error
      // This endpoint could not tell; ask the next (the node checks again when the replacement is sent).
    }
  }
}

function describeProposal(old: UnsignedTxRequest, next: UnsignedTxRequest, tx: TxState, quote?: L1FeeQuote): string[] {
  const lines = [
    `Replace L1 transaction ${tx.hash} (step ${tx.step}, nonce ${tx.nonce}) by the same transaction with higher fees:`,
    ...(quote ? [`  L1 now: next block base fee ${formatGwei(quote.nextBaseFee)} gwei, tip ${formatGwei(quote.priorityFee)} gwei (from ${quote.answered.join(', ')})`] : []),
    `  max fee per gas:   ${formatGwei(feeCapOf(old))} → ${formatGwei(feeCapOf(next))} gwei`,
    ...(next.type === 'eip1559' ? [`  priority fee:      ${formatGwei(tipOf(old))} → ${formatGwei(tipOf(next))} gwei`] : []),
    `  max network fee:   ${formatEther(maxFeeOf(old))} → ${formatEther(maxFeeOf(next))} ETH (gas limit ${next.gas})`,
  ]
  if (next.value > 0n) lines.push(`  plus the value it sends, unchanged: ${formatEther(next.value)} ETH`)
  return lines
}

async function askForConsent(ctx: CommandContext, deps: { askConsent: AskConsent }, tx: TxState, proposal: Proposal): Promise<{ approved: boolean; asked: boolean }> {
  const shown = [...describeProposal(proposal.old, proposal.next, tx, proposal.quote), ...proposal.warnings.map((w) => `! ${w}`)]
  if (ctx.options.yes === true) {
    for (const line of shown) ctx.progress(line)
    ctx.progress('Approved with --yes.')
    return { approved: true, asked: false }
  }
  // The question carries what is approved, so it is seen even under --quiet.
  const answer = await deps.askConsent([...shown, `Replace it, paying up to ${formatEther(maxFeeOf(proposal.next))} ETH in network fees?`].join('\n'), ctx.signal)
  return answer === undefined ? { approved: false, asked: false } : { approved: answer, asked: true }
}

function notApproved(jobId: string, tx: TxState, proposal: Proposal, asked: boolean): CommandResult {
  const why = asked ? 'You declined: nothing was signed or sent.' : 'Not approved: nothing was signed or sent. A fee bump needs your approval: run this in a terminal to answer, or add --yes.'
  return {
    json: { jobId, outcome: asked ? 'declined' : 'not-approved', replaces: tx.hash, proposal: proposalJson(proposal.old, proposal.next), warnings: proposal.warnings },
    // A user who answered has just read the proposal in the question; a script without --yes sees it here.
    text: [...(asked ? [] : [...describeProposal(proposal.old, proposal.next, tx, proposal.quote), ...proposal.warnings.map((w) => `! ${w}`), '']), why].join('\n'),
    exitCode: 1,
  }
}

function proposalJson(old: UnsignedTxRequest, next: UnsignedTxRequest) {
  return {
    old: { maxFeePerGas: feeCapOf(old).toString(), maxPriorityFeePerGas: tipOf(old).toString(), maxFeeWei: maxFeeOf(old).toString() },
    new: { maxFeePerGas: feeCapOf(next).toString(), maxPriorityFeePerGas: tipOf(next).toString(), maxFeeWei: maxFeeOf(next).toString() },
    gas: next.gas.toString(),
  }
}

async function send(ctx: CommandContext, store: JournalStore, jobId: string, old: TxState, signed: Pick<SignedTx, 'raw' | 'hash' | 'from'>, urls: readonly string[], pollMs: number): Promise<BroadcastResult> {
  try {
    return await bumpFeeJournaled({
      store, jobId, step: old.step, replaces: old.hash, signed, endpoints: urls, pollIntervalMs: Math.max(Math.floor(pollMs / 3), 50), signal: ctx.signal,
      onProgress: (b) => {
        const line = describeProgress(b)
        if (line) ctx.progress(line)
      },
    })
  } catch (error) {
    if (ctx.signal.aborted) {
      throw new EscapeError('Interrupted. The replacement is saved in the journal; whichever transaction is mined, the job follows it.', {
        kind: 'user-action',
        steps: [`Continue with: ${resumeCommandFor(jobId, ctx)} (it re-sends the replacement and watches both)`],
        cause: error,
      })
    }
    throw error
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

async function bumped(store: JournalStore, jobId: string, old: TxState, proposal: { old: UnsignedTxRequest; next: UnsignedTxRequest }, replacement: Hex, result: BroadcastResult, nextSteps: string[], resumeCommand: string): Promise<CommandResult> {
  const state = (await store.load(jobId)).state
  const winner = result.hash.toLowerCase() === replacement.toLowerCase() ? 'replacement' : 'original'
  const head =
    winner === 'replacement'
      ? `Replaced: ${replacement} (max fee per gas ${formatGwei(feeCapOf(proposal.next))} gwei) was mined in L1 block ${result.blockNumber} (${result.status}) instead of ${old.hash}.`
      : `The original ${result.hash} was mined in L1 block ${result.blockNumber} (${result.status}) before the replacement ${replacement}; the replacement was not needed and is recorded as dropped. The job follows the original.`
  return {
    json: { jobId, outcome: 'mined', mined: winner, minedTx: result.hash, blockNumber: result.blockNumber.toString(), status: result.status, replaces: old.hash, replacement, proposal: proposalJson(proposal.old, proposal.next), transactions: txList(state), resumeCommand },
    text: [head, ...(result.status === 'reverted' ? ['! It reverted on L1: `jobs resume` reports what that means for the job.'] : []), ...nextSteps].join('\n'),
  }
}

function txList(state: JobState) {
  return state.txs.map((t) => ({ step: t.step, hash: t.hash, status: t.status, blockNumber: t.blockNumber ?? null, replaces: t.replaces ?? null }))
}

// --- air-gapped --------------------------------------------------------------------------------------------------

interface AirGappedParameters {
  ctx: CommandContext
  deps: { askConsent: AskConsent }
  store: JournalStore
  jobId: string
  job: JobState
  params: ArbitrumEscapeParams
  old: TxState
  endpoints: readonly EndpointClient[]
  signedFile: string | undefined
  maxFee: bigint | undefined
  tip: bigint | undefined
  pollMs: number
  nextSteps: string[]
  resumeCommand: string
}

/**
 * The air-gapped round trip, across two runs: approve and export (first run), then import the signed file and send
 * (`--signed`). The approval covers exactly the exported fees; the signed file must sign exactly the exported request
 * (importSignedTxFile), and the exported file must still be the journaled bytes (its sha256).
 */
async function bumpAirGapped(a: AirGappedParameters): Promise<CommandResult> {
  const { ctx, store, jobId, old } = a
  const purpose = exportPurpose(old.hash)
  if (a.signedFile === undefined) {
    const proposal = await propose(a.endpoints, old, a.maxFee, a.tip)
    await checkBalance(a.endpoints, old, proposal.next)
    const consent = await askForConsent(ctx, a.deps, old, proposal)
    if (!consent.approved) {
      if (consent.asked) await recordFeeBumpConsent({ store, jobId, replaces: old.hash, approved: false })
      return notApproved(jobId, old, proposal, consent.asked)
    }
    await recordFeeBumpConsent({ store, jobId, replaces: old.hash, approved: true })
    const exportDir = typeof ctx.options['export-dir'] === 'string' ? ctx.options['export-dir'] : (a.params.signer?.exportDir ?? defaultExportDir(ctx))
    const count = a.job.files.filter((f) => f.purpose === purpose).length
    const file = path.join(exportDir, `${jobId}-${old.step}-fee-bump-${count + 1}.unsigned.json`)
    await mkdir(exportDir, { recursive: true })
    const described = describeEscapeTx(proposal.next, a.params.network)
    const summary = `FEE BUMP of ${old.hash} (same nonce ${old.nonce}, max fee per gas ${formatGwei(feeCapOf(proposal.old))} → ${formatGwei(feeCapOf(proposal.next))} gwei). ${described.summary}`
    await exportUnsignedTxFile({
      file,
      request: proposal.next,
      from: getAddress(old.from),
      path: a.params.signerPath,
      intent: { ...described, summary: summary.length > 500 ? `${summary.slice(0, 499)}…` : summary, details: [{ label: 'Replaces', value: old.hash }, ...(described.details ?? [])].slice(0, 50) },
      journal: { store, jobId, purpose },
    })
    const signed = signedNameFor(file)
    const finish = bumpFeeCommandWithSigned(jobId, old.hash, signed, ctx)
    const steps = [
      `Copy ${file} to your offline signing machine (keep this copy: it is used to check the signed file).`,
      `There, check what it does and sign it: escape-hatch sign-file ${path.basename(file)} --out ${path.basename(signed)}`,
      `Bring ${path.basename(signed)} back to this computer, e.g. to ${signed}.`,
      `Then run: ${finish}`,
    ]
    return {
      json: { jobId, outcome: 'exported', replaces: old.hash, files: [file], steps, proposal: proposalJson(proposal.old, proposal.next), bumpFeeCommand: finish },
      text: [`Approved. The replacement is exported to sign offline: ${file}`, ...steps.map((s) => `  - ${s}`)].join('\n'),
    }
  }

  // Second run: the signed file for the exported replacement.
  const { state } = await store.load(jobId)
  const exported = state.files.filter((f) => f.purpose === purpose).at(-1)
  if (!exported) {
    throw new SignedFileRefusedError(`No replacement of ${old.hash} was exported for signing yet, so ${a.signedFile} cannot be checked.`, {
      steps: [`Run ${bumpFeeCommandWithSigned(jobId, old.hash, undefined, ctx)} first: it shows the new fees, asks your approval and exports the file to sign.`],
    })
  }
  if (state.prompts[feeBumpPromptId(old.hash)] !== 'approve') {
    throw new SignedFileRefusedError(`The fee bump of ${old.hash} is not approved in the journal; the signed file is not used.`, {
      steps: [`Run ${bumpFeeCommandWithSigned(jobId, old.hash, undefined, ctx)} to review and approve new fees.`],
    })
  }
  const { request, checksum } = await readExport(exported)
  const before = requestOf(old)
  const same = request.type === before.type && request.chainId === before.chainId && request.nonce === before.nonce && request.to?.toLowerCase() === before.to?.toLowerCase() && request.value === before.value && request.data.toLowerCase() === before.data.toLowerCase()
  if (!same) throw new SignedFileRefusedError(`The exported file ${exported.path} is not a fee bump of ${old.hash}.`, { steps: ['Run bump-fee without --signed to export a new file to sign.'] })
  let signed: SignedTx
  try {
    signed = await importSignedTxFile({ file: a.signedFile, request, from: getAddress(old.from), unsignedChecksum: checksum })
  } catch (error) {
    const e = error instanceof EscapeError ? error : undefined
    throw new SignedFileRefusedError(`The signed file ${a.signedFile} was refused: ${e?.shortMessage ?? String(error)}`, {
      cause: error,
      details: e?.details,
      steps: [...(e?.steps ?? []), `Nothing was sent. Sign ${exported.path} on the offline machine and run this again with the new signed file.`],
    })
  }
  for (const line of describeProposal(before, request, old)) ctx.progress(line)
  const result = await send(ctx, store, jobId, old, signed, a.endpoints.map((e) => e.url), a.pollMs)
  return bumped(store, jobId, old, { old: before, next: request }, signed.hash, result, a.nextSteps, a.resumeCommand)
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

/** The exported file, re-read from where the journal says it was written; it must be byte for byte what was journaled. */
async function readExport(record: { path: string; sha256: string }): Promise<{ request: UnsignedTxRequest; checksum: string }> {
  let text: string
  try {
    text = await readTxFileText(record.path)
  } catch (cause) {
    throw new SignedFileRefusedError(`The unsigned replacement exported for this fee bump is missing: ${record.path}.`, {
      cause,
      steps: ['Put the file back where it was exported (the signed file is checked against it), then run this again.', 'Or run bump-fee without --signed to export a new one.'],
    })
  }
  const sha256 = `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`
  if (sha256 !== record.sha256.toLowerCase()) {
    throw new SignedFileRefusedError(`The unsigned file ${record.path} was changed after it was exported.`, {
      steps: ['Do not sign or use it. Run bump-fee without --signed to export a new file to sign.', 'If nobody changed it on purpose, treat this machine as suspect.'],
      details: `journaled sha256 ${record.sha256}, now ${sha256}`,
    })
  }
  const { file, request } = parseUnsignedTxFile(text)
  return { request, checksum: file.checksum }
}

function parseGweiOption(value: unknown, name: string): bigint | undefined {
  if (value === undefined) return undefined
  const text = String(value)
  if (!/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,9})?$/.test(text)) usageError(`${name} must be a decimal number of gwei, e.g. 35 or 1.5`)
  const wei = parseGwei(text)
  if (wei <= 0n) usageError(`${name} must be more than zero`)
  return wei
}
