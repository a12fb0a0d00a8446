/**
 * The fee-bump engine: replace a job's stuck L1 transaction (L1 fees rose above what it offers) by the same
 * transaction — same nonce, recipient, value and data — with higher fees, with the user's consent. Used by
 * `escape-hatch jobs bump-fee` and the desktop app alike; each asks for consent its own way (a terminal prompt or
 * --yes; a dialog through IPC) and words the outcome its own way.
 *
 * 1. Find the job's unconfirmed L1 transaction (or the one asked for); first check L1: if it (or an earlier
 *    replacement) was mined meanwhile, that is journaled and nothing is bumped.
 * 2. Propose new fees (bumpFeeProposal.ts) and check the account can pay them.
 * 3. Ask `consent`. Its answer is journaled (`prompt.answered replace:<hash>`), which the journal requires before a
 *    replacement; with no answer (nobody could be asked) nothing is journaled, signed or sent.
 * 4. Sign the replacement with the job's signer (Ledger, drill signers), or — air-gapped — export it to a file and
 *    stop (bumpFeeAirGapped.ts); a second call with the signed file finishes. Then bumpFeeJournaled journals it
 *    (`tx.signed` with `replaces`), sends it and watches both: whichever is mined is the one the job follows.
 */
import { getAddress, type Hex } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JobState, TxState } from '../../../shared/journal/reduce'
import type { SignerKind } from '../../../shared/signing/capabilities'
import type { SignedTx } from '../../../shared/signing/Signer'
import { bumpFeeJournaled, recordFeeBumpConsent } from '../broadcast/bumpFeeJournaled'
import { errorText } from '../broadcast/classifySendError'
import { createEndpointClients, type EndpointClient } from '../l1/endpointClients'
import { nonceFamily, settleNonceFamily, type BroadcastProgress, type BroadcastResult } from '../broadcast/watchJournaledTx'
import { arbitrumEscapeParamsSchema } from '../flows/arbitrum/arbitrumEscapeJob'
import { OP_ESCAPE_JOB_KIND, opEscapeNetworkEntry, opEscapeParamsSchema } from '../flows/op/opEscapeJob'
import { RESUMABLE_JOB_KINDS } from './resumeJob'
import { JournalError, type JournalStore } from '../journal/JournalStore'
import { exportFeeBump, importSignedFeeBump } from './bumpFeeAirGapped'
import { checkBalanceForBump, FeeBumpInputError, proposeFeeBump, type FeeBumpProposal } from './bumpFeeProposal'
import { openJobSigner, type DeviceSignerOptions } from './openJobSigner'
import { arbitrumJobSignerParams, opJobSignerParams, type JobSignerParams } from './jobSignerParams'

/**
 * Ask the user to approve a proposal. `asked: false` means nobody could be asked (no terminal, no window): that is not
 * an answer, and nothing is journaled.
 */
export type FeeBumpConsent = (proposal: FeeBumpProposal) => Promise<{ approved: boolean; asked: boolean }>

/** How the caller's user does the next thing (the CLI gives commands, the app the names of its buttons). */
export interface BumpFeeHints {
  /** See the job and its transactions. */
  showJob: string
  /** Continue the job (it re-sends a journaled replacement and watches both). */
  resumeJob: string
  /** Give the L1 RPC URLs again (the job did not save them). */
  giveL1Rpc: string
  /** Start this fee bump of `hash` over: review, approve, export a new file to sign. */
  bumpFee: (hash: string) => string
}

export type BumpFeeEvent =
  /** A message from opening the signer (which signer; waiting for the device). */
  | { type: 'signer'; message: string }
  /** The signer is about to show the replacement: the user confirms on it. */
  | { type: 'sign'; proposal: FeeBumpProposal; instruction: string }
  /** Air-gapped: the signed file matches the exported, approved replacement; it is sent next. */
  | { type: 'signed-file-accepted'; proposal: FeeBumpProposal }
  | { type: 'broadcast'; progress: BroadcastProgress }

export interface BumpFeeParameters {
  store: JournalStore
  jobId: string
  /** The transaction to replace (default: the job's one unconfirmed L1 transaction). */
  txHash?: string
  /** L1 endpoints (default: the ones the job saved). */
  l1Urls?: readonly string[]
  /** The user's fees, wei per gas (default: proposed from the current L1 fees). */
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  /** Who signs the replacement (default: the job's own). 'file' (or a signed file) is the air-gapped round trip. */
  signerKind?: SignerKind
  /** Air-gapped, second call: the signed replacement the user brought back. */
  signedFile?: string
  /** Device signers: how to open them. */
  device?: DeviceSignerOptions
  /** Air-gapped: where the unsigned replacement goes (default: the job's, else defaultExportDir). */
  exportDir?: string
  defaultExportDir: string
  consent: FeeBumpConsent
  /** How often to look for the receipt. */
  pollMs: number
  hints: BumpFeeHints
  onEvent?: (event: BumpFeeEvent) => void
  signal: AbortSignal
}

/**
 * What a fee bump needs from a job's journaled parameters, whatever its stack: an Arbitrum escape (or retryable
 * redeem) and an OP Stack escape send their L1 transactions the same way (broadcast/sendL1Once), so either is bumped
 * the same way; only where these fields live differs.
 */
export interface BumpJobParams {
  l1ChainId: number
  l1Endpoints?: readonly string[]
  l2RpcUrl?: string
  rpcLabels?: { l1: string[]; l2?: string }
  signer?: { kind?: SignerKind; exportDir?: string }
  signerPath: string
  /** The account, chains and saved signer, for opening the signer; `describe` words a transaction for the file signer. */
  signing: JobSignerParams
}

export function bumpJobParams(job: Pick<JobState, 'kind' | 'params'>): BumpJobParams {
  if (job.kind === OP_ESCAPE_JOB_KIND) {
    const p = opEscapeParamsSchema.parse(job.params)
    return { l1ChainId: opEscapeNetworkEntry(p.network).l1ChainId, l1Endpoints: p.l1Endpoints, l2RpcUrl: p.l2RpcUrl, rpcLabels: p.rpcLabels, signer: p.signer, signerPath: p.signerPath, signing: opJobSignerParams(p) }
  }
  const p = arbitrumEscapeParamsSchema.parse(job.params)
  return { l1ChainId: p.network.l1ChainId, l1Endpoints: p.l1Endpoints, l2RpcUrl: p.l2RpcUrl, rpcLabels: p.rpcLabels, signer: p.signer, signerPath: p.signerPath, signing: arbitrumJobSignerParams(p) }
}

interface OutcomeBase {
  jobId: string
  /** The transaction asked to be replaced. */
  tx: TxState
  params: BumpJobParams
}

export type BumpFeeOutcome = OutcomeBase &
  (
    | { outcome: 'already-mined'; minedTx: Hex; blockNumber: bigint; status: 'success' | 'reverted'; job: JobState }
    /** 'declined': the user said no (journaled); 'not-approved': nobody could be asked. Nothing signed or sent. */
    | { outcome: 'declined' | 'not-approved'; proposal: FeeBumpProposal }
    /** Air-gapped: approved and exported; the user signs `file` offline and brings back `signedFile`. */
    | { outcome: 'exported'; proposal: FeeBumpProposal; file: string; signedFile: string }
    /** One of the two was mined: the replacement, or the original before it. */
    | { outcome: 'mined'; proposal: FeeBumpProposal; replacement: Hex; mined: 'replacement' | 'original'; result: BroadcastResult; job: JobState }
  )

export async function bumpFee(p: BumpFeeParameters): Promise<BumpFeeOutcome> {
  const { store, jobId } = p
  const loaded = await store.load(jobId)
  if (loaded.damaged) throw new JournalError('This job\'s journal is damaged, so Escape Hatch will not act on it.', { kind: 'user-action' })
  const job = loaded.state
  if (job.status !== 'active') {
    throw new EscapeError(`Job ${jobId} is already finished (${job.status}); it has no transaction to bump.`, { kind: 'user-action', steps: [`See it with: ${p.hints.showJob}`] })
  }
  if (!(RESUMABLE_JOB_KINDS as readonly string[]).includes(job.kind)) {
    throw new EscapeError(`Job ${jobId} is of kind "${job.kind}", which this version of Escape Hatch cannot bump.`, { kind: 'user-action', steps: ['Use the version of Escape Hatch that created the job.'] })
  }
  const params = bumpJobParams(job)
  const tx = pickTx(job, p.txHash, params.l1ChainId, p.hints)
  const urls = p.l1Urls && p.l1Urls.length > 0 ? p.l1Urls : params.l1Endpoints
  if (!urls || urls.length === 0) {
    throw new EscapeError('This job did not save its RPC URLs (they may contain API keys), so the L1 ones are needed again.', {
      kind: 'user-action',
      steps: [`${p.hints.giveL1Rpc}${params.rpcLabels ? ` (you used ${params.rpcLabels.l1.join(', ')})` : ''}.`],
    })
  }
  const endpoints = createEndpointClients(urls)
  const base = { jobId, tx, params }

  // 1. Still worth it? A transaction of this nonce mined meanwhile settles the step; nothing is bumped.
  const onChain = await checkOnChain(endpoints, job, tx)
  if (onChain.state === 'mined') {
    if (!job.txs.some((t) => t.hash === onChain.hash && (t.status === 'mined' || t.status === 'reverted'))) {
      await store.append(jobId, { type: 'tx.mined', hash: onChain.hash, blockNumber: onChain.blockNumber.toString(), status: onChain.status })
    }
    await settleNonceFamily({ journal: store, jobId }, tx, onChain.hash)
    return { ...base, outcome: 'already-mined', minedTx: onChain.hash, blockNumber: onChain.blockNumber, status: onChain.status, job: (await store.load(jobId)).state }
  }
  if (onChain.state === 'nonce-used') {
    throw new EscapeError(`Nonce ${tx.nonce} of ${tx.from} is already used on L1, by none of this job's transactions; a fee bump cannot help.`, {
      kind: 'user-action',
      steps: [`Run ${p.hints.resumeJob}: it records what happened and says what to do next.`],
    })
  }

  const airGapped = p.signedFile !== undefined || (p.signerKind ?? params.signer?.kind ?? 'ledger') === 'file'
  if (airGapped && p.signedFile !== undefined) {
    const { proposal, signed } = await importSignedFeeBump({ store, jobId, tx, signedFile: p.signedFile, hints: p.hints })
    p.onEvent?.({ type: 'signed-file-accepted', proposal })
    return await sendReplacement(p, base, proposal, signed, urls)
  }

  // 2-3. Propose, check the balance, ask.
  const proposal = await proposeFeeBump(endpoints, tx, p.maxFeePerGas, p.maxPriorityFeePerGas)
  await checkBalanceForBump(endpoints, tx, proposal.next)
  const consent = await p.consent(proposal)
  if (!consent.approved) {
    if (consent.asked) await recordFeeBumpConsent({ store, jobId, replaces: tx.hash, approved: false })
    return { ...base, outcome: consent.asked ? 'declined' : 'not-approved', proposal }
  }
  await recordFeeBumpConsent({ store, jobId, replaces: tx.hash, approved: true })

  // 4.
  if (airGapped) {
    const exported = await exportFeeBump({ store, jobId, job, signerPath: params.signerPath, describe: params.signing.describe, proposal, exportDir: p.exportDir ?? params.signer?.exportDir ?? p.defaultExportDir })
    return { ...base, outcome: 'exported', proposal, ...exported }
  }
  const kind = p.signerKind ?? params.signer?.kind ?? 'ledger'
  const opened = await openJobSigner({
    kind, store, jobId, params: params.signing, device: p.device, defaultExportDir: p.defaultExportDir, resumeCommand: () => p.hints.resumeJob, onProgress: (message) => p.onEvent?.({ type: 'signer', message }),
  })
  let signed: SignedTx
  try {
    p.onEvent?.({ type: 'sign', proposal, instruction: opened.signer.describeDisplay(proposal.next).instruction })
    signed = await opened.signer.signTransaction({ path: params.signerPath, request: proposal.next, expectedFrom: getAddress(tx.from), signal: p.signal })
  } finally {
    await opened.release()
  }
  return await sendReplacement(p, base, proposal, signed, urls)
}

/** The job's transaction to replace: the one given (it must be live), or its only unconfirmed L1 transaction. */
function pickTx(job: JobState, hash: string | undefined, l1ChainId: number, hints: BumpFeeHints): TxState {
  if (hash !== undefined) {
    const tx = job.txs.find((t) => t.hash.toLowerCase() === hash.toLowerCase())
    if (!tx) throw new EscapeError(`Transaction ${hash} is not part of job ${job.id}.`, { kind: 'user-action', steps: [`See the job's transactions with: ${hints.showJob}`] })
    if (tx.chainId !== l1ChainId) throw new FeeBumpInputError(`${hash} is not an L1 transaction (chain ${tx.chainId}); only L1 transactions are bumped`)
    if (tx.status === 'replaced') {
      throw new EscapeError(`Transaction ${hash} was already replaced by ${tx.replacedBy}.`, { kind: 'user-action', steps: [`To raise the fees again, bump the replacement: ${hints.bumpFee(tx.replacedBy ?? '')}`] })
    }
    if (tx.status !== 'signed' && tx.status !== 'sent') {
      throw new EscapeError(`Transaction ${hash} is already ${tx.status}${tx.blockNumber ? ` in L1 block ${tx.blockNumber}` : ''}; there is nothing to bump.`, {
        kind: 'user-action',
        steps: [`See the job with: ${hints.showJob}`],
      })
    }
    return tx
  }
  const live = job.txs.filter((t) => t.chainId === l1ChainId && (t.status === 'signed' || t.status === 'sent'))
  if (live.length === 0) {
    throw new EscapeError(`Job ${job.id} has no unconfirmed L1 transaction to bump.`, { kind: 'user-action', steps: [`Continue the job with: ${hints.resumeJob}`] })
  }
  if (live.length > 1) throw new FeeBumpInputError(`job ${job.id} has several unconfirmed L1 transactions (${live.map((t) => t.hash).join(', ')}): choose one`)
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
      steps: ['Check your connection and the L1 RPC URLs, then try again.'],
      details: `endpoints: ${endpoints.map((e) => e.label).join(', ')}`,
    })
  }
  return used ? { state: 'nonce-used' } : { state: 'pending' }
}

/** Journal, send and watch the replacement and the original; report whichever is mined. */
async function sendReplacement(p: BumpFeeParameters, base: OutcomeBase, proposal: FeeBumpProposal, signed: Pick<SignedTx, 'raw' | 'hash' | 'from'>, urls: readonly string[]): Promise<BumpFeeOutcome> {
  let result: BroadcastResult
  try {
    result = await bumpFeeJournaled({
      store: p.store,
      jobId: p.jobId,
      step: base.tx.step,
      replaces: base.tx.hash,
      signed,
      endpoints: urls,
      pollIntervalMs: Math.max(Math.floor(p.pollMs / 3), 50),
      signal: p.signal,
      onProgress: (progress) => p.onEvent?.({ type: 'broadcast', progress }),
    })
  } catch (error) {
    if (p.signal.aborted) {
      throw new EscapeError('Interrupted. The replacement is saved in the journal; whichever transaction is mined, the job follows it.', {
        kind: 'user-action',
        steps: [`Continue with: ${p.hints.resumeJob} (it re-sends the replacement and watches both)`],
        cause: error,
      })
    }
    throw error
  }
  const mined = result.hash.toLowerCase() === signed.hash.toLowerCase() ? 'replacement' : 'original'
  return { ...base, outcome: 'mined', proposal, replacement: signed.hash, mined, result, job: (await p.store.load(p.jobId)).state }
}
