/**
 * The desktop app's escape: the same engine the CLI runs (planArbitrumEscape, the 'arb-escape' job, runJob through
 * continueArbitrumEscape / resumeJob, openJobSigner), driven from the window. Main runs the job; the window follows
 * it through the journal's jobChanged events, escapeProgress (the flow's own lines) and escapeRunChanged.
 *
 * Waits are not sat through: a run stops at a long wait with step.waiting (reason, until when) exactly like
 * `escape-hatch arb escape` without --wait, and the window offers "Resume" as the job's next action.
 *
 * RPC URLs may carry API keys. They stay in this process's memory for the jobs started or resumed in this app run,
 * and are written into the job only when the user ticks "remember" (the CLI's --save-rpc-urls). Nothing sent to the
 * window carries a URL beyond its host; errors are scrubbed on their way out (scrubError).
 */
import { join } from 'node:path'
import { getAddress, parseEther, type Address } from 'viem'
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'
import type { EventName, EventPayload } from '../../../shared/ipc/contract'
import type {
  AccountRequest,
  AccountView,
  ApproveFeeBumpRequest,
  FeeBumpProposalView,
  ProposeFeeBumpResult,
  EscapePreviewView,
  EscapeRunStateView,
  PreviewEscapeRequest,
  ProgressCounts,
  ResumeEscapeRequest,
  StartEscapeRequest,
} from '../../../shared/ipc/escapeSchemas'
import type { ArbitrumNetworkEntry, NetworkEntry, OpStackNetworkEntry } from '../../../shared/networks/networkEntry'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeParamsSchema, arbitrumEscapeTitle, toJobParams, type ArbitrumEscapeParams } from '../flows/arbitrum/arbitrumEscapeJob'
import { connectArbitrumEndpoints, connectArbitrumL1 } from '../flows/arbitrum/connectArbitrumEndpoints'
import { planArbitrumEscape, type ArbitrumEscapePlan } from '../flows/arbitrum/planArbitrumEscape'
import { checkSignerForNetwork, openDeviceSigner, openJobSigner, type OpenedSigner } from '../jobs/openJobSigner'
import { arbitrumJobSignerParams, jobSignerParams } from '../jobs/jobSignerParams'
import { resumeJob } from '../jobs/resumeJob'
import { bumpFee, type BumpFeeHints, type FeeBumpConsent } from '../jobs/bumpFee'
import { feeCapOf, requestOf, tipOf, type FeeBumpProposal } from '../jobs/bumpFeeProposal'
import { maxFeeOf, type UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import type { RunRegistry } from '../jobs/createRunRegistry'
import type { JournalStore } from '../journal/JournalStore'
import { endpointLabel } from '../l1/endpointClients'
import { l1ChainName, resolveNetworkRef } from './networkOptions'
import { scrubError } from './scrubError'
import type { LedgerService } from './createLedgerService'
import { arbitrumSigningContext, signingContextOf } from '../../../shared/networks/signingContext'
import type { SigningContext } from '../../../shared/signing/describeTxBytes'
import { createOpEscapeJob, OP_ESCAPE_JOB_KIND, opEscapeNetworkEntry, opEscapeNetworkParam, opEscapeParamsSchema, type OpEscapeParams } from '../flows/op/opEscapeJob'
import { connectOpL1, connectOpL2, opAssetsOf, opEscapeNetwork, opRpcLabels, planOpEscapeForApp, readOpToken, resolveOpSource } from './opEscapeApp'
import type { OpTokenRequest, OpTokenView } from '../../../shared/ipc/escapeSchemas'

export const DEFAULT_DERIVATION_PATH = "44'/60'/0'/0/0"
const ACCOUNT_TIMEOUT_MS = 60_000
/** What a paused job's instructions say to do, in the app (the CLI's say `escape-hatch jobs resume …`). */
export const APP_RESUME_INSTRUCTION = 'Open this job in Escape Hatch and press “Resume”.'

/** The fee bump engine's hints, in the app's words (its buttons, not commands). */
const APP_BUMP_HINTS: BumpFeeHints = {
  showJob: 'Open this job in Escape Hatch',
  resumeJob: APP_RESUME_INSTRUCTION,
  giveL1Rpc: 'Give the L1 RPC addresses again on the job page (press Resume: it asks for them)',
  bumpFee: () => 'Press “Raise the fee” on the job page again',
}

export class EscapeAlreadyRunningError extends EscapeError {
  override name = 'EscapeAlreadyRunningError'
  constructor(jobId: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(`Job ${jobId} is already running.`, { ...options, kind: 'user-action', steps: ['Wait for it to pause or finish; its progress shows on the job page.', ...(options.steps ?? [])] })
  }
}
registerErrorClass('EscapeAlreadyRunningError', EscapeAlreadyRunningError)

export interface EscapeServiceParameters {
  dataDir: string
  journal: JournalStore
  runs: RunRegistry
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void
  onUnexpectedError?(error: unknown, where: string): void
  now?: () => Date
  /** The app's Ledger devices (shared with the Ledger screen) and its feed of each signature (createLedgerService). */
  signers?: Pick<LedgerService, 'deviceOptions' | 'watchJobSigner'>
}

export interface EscapeService {
  getAccount(request: AccountRequest): Promise<AccountView>
  /** OP Stack: a standard-bridge token pair with the account's balances (read-only). */
  getToken(request: OpTokenRequest): Promise<OpTokenView>
  preview(request: PreviewEscapeRequest): Promise<EscapePreviewView>
  start(request: StartEscapeRequest): Promise<{ jobId: string }>
  resume(request: ResumeEscapeRequest): Promise<EscapeRunStateView>
  stop(jobId: string): Promise<EscapeRunStateView>
  runState(jobId: string): Promise<EscapeRunStateView>
  /** Higher fees for the job's stuck L1 transaction, to show; nothing journaled, signed or sent. */
  proposeFeeBump(jobId: string): Promise<ProposeFeeBumpResult>
  /** Sign and send the replacement with exactly the approved fees, then continue the job (a run). */
  approveFeeBump(request: ApproveFeeBumpRequest): Promise<EscapeRunStateView>
  /** Cancel every run and wait for them to end (app shutdown). */
  stopAll(): Promise<void>
}

const runKey = (jobId: string) => `escape-${jobId}`

export function createEscapeService(p: EscapeServiceParameters): EscapeService {
  const now = p.now ?? (() => new Date())
  const sessionEndpoints = new Map<string, SessionEndpoints>()
  const lastOutcome = new Map<string, NonNullable<EscapeRunStateView['lastOutcome']>>()

  /** The network the window named, through the one resolver; an OP chain the app cannot escape from is refused plainly. */
  async function escapeNetwork(ref: AccountRequest['network']): Promise<NetworkEntry> {
    const entry = await resolveNetworkRef(ref, p.dataDir)
    return entry.stack === 'op-stack' ? opEscapeNetwork(entry) : entry
  }

  async function arbitrumNetwork(ref: AccountRequest['network']): Promise<ArbitrumNetworkEntry> {
    const entry = await resolveNetworkRef(ref, p.dataDir)
    if (entry.stack !== 'arbitrum-nitro') throw new EscapeError(`${entry.name} is not an Arbitrum chain.`, { kind: 'user-action', steps: ['Choose an Arbitrum network.'] })
    return entry
  }

  function l2UrlFor(entry: ArbitrumNetworkEntry, given: string | undefined): string {
    const url = given ?? entry.arbitrum.l2RpcUrl
    if (!url) {
      throw new EscapeError(`${entry.name} names no L2 node of its own, and none was given.`, {
        kind: 'user-action',
        steps: ['Add an L2 node address (any public RPC of the chain will do: it is only trusted for your balance and nonce, which are checked against L1 before any ETH moves).'],
      })
    }
    return url
  }

  async function accountOf(entry: NetworkEntry, request: Pick<AccountRequest, 'signer' | 'derivationPath' | 'from'>): Promise<{ address: Address; path: string }> {
    const path = normalizeDerivationPath(request.derivationPath?.trim() || DEFAULT_DERIVATION_PATH)
    if (request.signer === 'file') {
      if (entry.stack === 'op-stack') {
        throw new EscapeError('The OP Stack escape signs with a Ledger in this version; the air-gapped signer is not supported for it yet.', { kind: 'user-action', steps: ['Choose the Ledger (or, on a devnet, the software Ledger).'] })
      }
      if (!request.from) throw new EscapeError('The air-gapped signer needs your account address (the key stays on the offline machine).', { kind: 'user-action', steps: ['Type the address of the account that holds the ETH on L2.'] })
      return { address: getAddress(request.from), path }
    }
    checkSignerForNetwork(request.signer, entry, {})
    const { signer, release } = openDeviceSigner(request.signer, p.signers?.deviceOptions(request.signer))
    // A Ledger that is not plugged in is waited for: the wizard gets an answer within a minute either way.
    const signal = AbortSignal.timeout(ACCOUNT_TIMEOUT_MS)
    try {
      const [first] = await signer.listAccounts({ paths: [path], signal }).catch((error: unknown) => {
        if (!signal.aborted) throw error
        throw new EscapeError('The Ledger did not answer within a minute.', {
          kind: 'user-action',
          steps: ['Connect the Ledger by USB and unlock it with your PIN.', 'Open the Ethereum app on it.', 'Then press “Read my account” again.'],
        })
      })
      if (!first) throw new EscapeError('The signer returned no account.', { kind: 'temporary', steps: ['Check the device is connected and unlocked, then try again.'] })
      return { address: first.address, path }
    } finally {
      await release()
    }
  }

  function state(jobId: string, job: EscapeJob | undefined): EscapeRunStateView {
    const running = p.runs.list().some((r) => r.key === runKey(jobId))
    const known = sessionEndpoints.has(jobId) || Boolean(job?.saved.l1Urls?.length && (!job.needsL2 || job.saved.l2Url))
    const outcome = lastOutcome.get(jobId)
    return {
      jobId,
      running,
      endpointsKnown: known,
      endpointLabels: job?.labels ?? { l1: [] },
      ...(job?.signerKind ? { signer: job.signerKind } : {}),
      ...(outcome ? { lastOutcome: outcome } : {}),
    }
  }

  async function jobOf(jobId: string): Promise<EscapeJob> {
    const { state: job } = await p.journal.load(jobId)
    if (job.kind === ARBITRUM_ESCAPE_JOB_KIND) return arbitrumJob(arbitrumEscapeParamsSchema.parse(job.params))
    if (job.kind === OP_ESCAPE_JOB_KIND) return opJob(opEscapeParamsSchema.parse(job.params))
    throw new EscapeError(`Job ${jobId} is of kind "${job.kind}", which this version of the app cannot run.`, { kind: 'user-action', steps: ['Use the version of Escape Hatch that created it.'] })
  }

  /** A progress line for the window; with counts where the step knows them (the window computes the ETA). */
  const progress = (jobId: string) => (message: string, counts?: ProgressCounts) => {
    try {
      const bounded = counts && counts.total > 0 ? { counts: { done: Math.min(Math.max(0, Math.floor(counts.done)), Math.floor(counts.total)), total: Math.floor(counts.total), unit: counts.unit.slice(0, 40) } } : {}
      p.publish('escapeProgress', { jobId, at: now().toISOString(), message: scrubError(new EscapeError(message.slice(0, 1900))).shortMessage, ...bounded })
    } catch (error) {
      p.onUnexpectedError?.(error, 'escape progress')
    }
  }

  /** Run `work` for the job in the run registry (one run per job), publishing its state before and after. */
  function launch(jobId: string, job: EscapeJob, work: (signal: AbortSignal) => Promise<NonNullable<EscapeRunStateView['lastOutcome']>>): void {
    p.runs.start({
      key: runKey(jobId),
      idPrefix: 'escape-run',
      alreadyRunning: (other) => new EscapeAlreadyRunningError(jobId, other.pid ? { details: `Running in process ${other.pid}.` } : {}),
      onStart: () => lastOutcome.delete(jobId),
      work: async ({ signal, release }) => {
        let outcome: NonNullable<EscapeRunStateView['lastOutcome']>
        try {
          outcome = await work(signal)
        } catch (error) {
          outcome = signal.aborted ? 'cancelled' : 'failed'
          if (!signal.aborted) progress(jobId)(`Stopped: ${scrubError(error).shortMessage} The job is saved; see its page for what to do.`)
        }
        lastOutcome.set(jobId, outcome)
        release()
        p.publish('escapeRunChanged', state(jobId, job))
      },
    })
    p.publish('escapeRunChanged', state(jobId, job))
  }

  async function signerForJob(jobId: string, job: EscapeJob, signedFile?: string): Promise<OpenedSigner> {
    const kind = job.signerKind ?? 'ledger'
    const opened = await openJobSigner({
      kind,
      ...(kind !== 'file' && p.signers ? { device: p.signers.deviceOptions(kind) } : {}),
      store: p.journal,
      jobId,
      params: job.signerParams,
      defaultExportDir: join(p.dataDir, 'exports', jobId),
      signedFile,
      resumeCommand: () => `${APP_RESUME_INSTRUCTION}${kind === 'file' ? ' Choose the signed file when it asks.' : ''}`,
      onProgress: progress(jobId),
    })
    return p.signers ? p.signers.watchJobSigner(jobId, job.signing, opened) : opened
  }

  /**
   * The job's RPC URLs: given now (kept for the session), given earlier in this session, or saved in the job. Missing
   * ones are asked for again, naming the hosts used before.
   */
  function endpointsFor(jobId: string, job: EscapeJob, given: { l1Urls?: readonly string[]; l2Url?: string; beaconUrl?: string } = {}): SessionEndpoints {
    const known = sessionEndpoints.get(jobId)
    const l1Urls = given.l1Urls ?? known?.l1Urls ?? job.saved.l1Urls
    const l2Url = given.l2Url ?? known?.l2Url ?? job.saved.l2Url
    const beaconUrl = given.beaconUrl ?? known?.beaconUrl ?? job.saved.beaconUrl
    if (!l1Urls?.length || (job.needsL2 && !l2Url)) {
      const labels = job.labels
      throw new EscapeError('This job did not keep its RPC addresses (they may contain API keys), so they are needed again.', {
        kind: 'user-action',
        steps: [`Give the L1 RPC address${labels.l1.length ? ` you used (${labels.l1.join(', ')})` : ''}${job.needsL2 && !l2Url ? ` and the L2 node${labels.l2 ? ` (${labels.l2})` : ''}` : ''}, then press Resume.`],
      })
    }
    const endpoints = { l1Urls: [...l1Urls], ...(l2Url ? { l2Url } : {}), ...(beaconUrl ? { beaconUrl } : {}) }
    if (given.l1Urls || given.l2Url || given.beaconUrl) sessionEndpoints.set(jobId, endpoints)
    return endpoints
  }

  /** Go on with the job from its journal (resume), until it finishes, pauses at a long wait or stops. */
  async function continueJob(jobId: string, job: EscapeJob, urls: SessionEndpoints, signal: AbortSignal, signedFile?: string, firstRun = false): Promise<NonNullable<EscapeRunStateView['lastOutcome']>> {
    const run = await resumeJob({
      store: p.journal,
      jobId,
      openSigner: () => signerForJob(jobId, job, signedFile),
      l1Urls: urls.l1Urls,
      ...(urls.l2Url ? { l2Url: urls.l2Url } : {}),
      ...(urls.beaconUrl ? { beaconUrl: urls.beaconUrl } : {}),
      dataDir: p.dataDir,
      wait: false,
      pollMs: pollMsFor(job),
      resumeCommand: APP_RESUME_INSTRUCTION,
      how: 'from the app',
      firstRun,
      signal,
      onProgress: progress(jobId),
    })
    return run.outcome === 'already-finished' ? 'finished' : run.outcome
  }

  /** The fee bump engine run as the app asks: `consent` decides on the proposal it is shown. */
  function runBumpFee(jobId: string, job: EscapeJob, l1Urls: readonly string[], fees: { txHash?: string; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint }, consent: FeeBumpConsent, signal: AbortSignal) {
    if ((job.signerKind ?? 'ledger') === 'file') {
      throw new EscapeError('Raising the fee of an air-gapped job is done from the command line in this version.', {
        kind: 'user-action',
        steps: [`Run: npx escape-hatch jobs bump-fee ${jobId}${fees.txHash ? ` --tx ${fees.txHash}` : ''} (it shows the cost, asks, and writes the file to sign offline), then resume here.`],
      })
    }
    return bumpFee({
      store: p.journal,
      jobId,
      ...(fees.txHash ? { txHash: fees.txHash } : {}),
      l1Urls,
      ...(fees.maxFeePerGas === undefined ? {} : { maxFeePerGas: fees.maxFeePerGas }),
      ...(fees.maxPriorityFeePerGas === undefined ? {} : { maxPriorityFeePerGas: fees.maxPriorityFeePerGas }),
      defaultExportDir: join(p.dataDir, 'exports', jobId),
      consent,
      pollMs: pollMsFor(job) ?? 12_000,
      hints: APP_BUMP_HINTS,
      onEvent: (e) => {
        if (e.type === 'signer') progress(jobId)(e.message)
        else if (e.type === 'sign') progress(jobId)(e.instruction)
        else if (e.type === 'broadcast' && e.progress.phase !== 'waiting') progress(jobId)(`Fee bump: ${e.progress.phase} ${e.progress.hash}`)
      },
      signal,
    })
  }

  /** Devnet L1s make blocks only when asked: poll them briskly; real L1s at the engine's defaults. */
  const pollMsFor = (job: EscapeJob) => (job.l1ChainId === 31337 ? 1_000 : undefined)

  /** OP Stack: the account's balances (L1 agreed; L2 as the L2 node reports it, when one was given). */
  async function opAccount(entry: OpStackNetworkEntry, request: AccountRequest): Promise<AccountView> {
    const { address, path } = await accountOf(entry, request)
    const [l1, l2] = await Promise.all([connectOpL1(entry, request.l1Urls), connectOpL2(entry, request.l2Url)])
    const pinned = await l1.pinBlock()
    const [l1Balance, l2Balance] = await Promise.all([l1.getBalance({ address, blockNumber: pinned.number }), l2?.getBalance({ address })])
    return {
      address,
      ...(request.signer === 'file' ? {} : { derivationPath: path }),
      l1BalanceWei: l1Balance.toString(),
      ...(l2Balance === undefined ? {} : { l2BalanceWei: l2Balance.toString() }),
      l1Block: pinned.number.toString(),
      note: `${l2Balance === undefined ? 'No L2 node: the L2 balance is unknown.' : 'The L2 balance is what the L2 node reports (unverified).'} On ${entry.name} the forced withdrawal is an L1 deposit sent from this account, so this same address is the sender on L2: it must be the address that holds the funds there.`,
    }
  }

  /** OP Stack: everything the preview and the start need, checked (the assets, the source, the account). */
  async function opPlan(request: PreviewEscapeRequest) {
    const entry = opEscapeNetwork(await resolveNetworkRef(request.network, p.dataDir)) as OpStackNetworkEntry
    const source = await resolveOpSource(entry, request.opSource, request.l2Url, p.dataDir)
    const { address, path } = await accountOf(entry, request)
    const [l1, l2] = await Promise.all([connectOpL1(entry, request.l1Urls), connectOpL2(entry, request.l2Url)])
    const { assets, tokens } = await opAssetsOf({ l1, l2, account: address, amountEth: request.amountEth, tokens: request.tokens ?? [] })
    const labels = opRpcLabels(request.l1Urls, request.l2Url, request.beaconUrl)
    const preview = await planOpEscapeForApp({ entry, l1, l2, account: address, destination: getAddress(request.destination), assets, tokens, source, endpoints: { l1: labels.l1, ...(labels.l2 ? { l2: labels.l2 } : {}) } })
    return { entry, source, address, path, assets, labels, preview }
  }

  function runOpJob(jobId: string, job: EscapeJob, urls: SessionEndpoints): void {
    // Through the resume path, as every run: it watches the job's L1 transactions for being stuck (the fee bump).
    launch(jobId, job, (signal) => continueJob(jobId, job, urls, signal, undefined, true))
  }

  return {
    async getAccount(request) {
      const network = await escapeNetwork(request.network)
      if (network.stack === 'op-stack') return opAccount(network, request)
      const entry = network
      const { address, path } = await accountOf(entry, request)
      const l2Url = request.l2Url ?? entry.arbitrum.l2RpcUrl
      const { l1, l2 } = l2Url ? await connectArbitrumEndpoints({ network: entry.arbitrum, l1Urls: request.l1Urls, l2Url }) : { l1: await connectArbitrumL1({ network: entry.arbitrum, l1Urls: request.l1Urls }), l2: undefined }
      const pinned = await l1.pinBlock()
      const [l1Balance, l2Balance] = await Promise.all([l1.getBalance({ address, blockNumber: pinned.number }), l2?.getBalance({ address })])
      return {
        address,
        ...(request.signer === 'file' ? {} : { derivationPath: path }),
        l1BalanceWei: l1Balance.toString(),
        ...(l2Balance === undefined ? {} : { l2BalanceWei: l2Balance.toString() }),
        l1Block: pinned.number.toString(),
        note: l2Balance === undefined ? 'No L2 node: the L2 balance is unknown.' : 'The L2 balance is what the L2 node reports (unverified); the withdrawal itself is checked against L1 before any ETH moves.',
      }
    },

    async getToken(request) {
      const entry = await escapeNetwork(request.network)
      if (entry.stack !== 'op-stack') throw new EscapeError(`${entry.name} is an Arbitrum chain: this version takes tokens out of OP Stack chains only.`, { kind: 'user-action', steps: ['Take the ETH out here; tokens need the chain’s own bridge.'] })
      const [l1, l2] = await Promise.all([connectOpL1(entry, request.l1Urls), connectOpL2(entry, request.l2Url)])
      return readOpToken({ l1, l2, account: getAddress(request.account), l1Token: getAddress(request.l1Token), l2Token: getAddress(request.l2Token) })
    },

    async preview(request) {
      const network = await escapeNetwork(request.network)
      if (network.stack === 'op-stack') return (await opPlan(request)).preview
      if (request.tokens?.length) throw new EscapeError('Tokens are taken out of OP Stack chains only in this version.', { kind: 'user-action', steps: ['Remove the tokens: take the ETH out here.'] })
      const entry = await arbitrumNetwork(request.network)
      const l2Url = l2UrlFor(entry, request.l2Url)
      const { address } = await accountOf(entry, request)
      const { l1, l2 } = await connectArbitrumEndpoints({ network: entry.arbitrum, l1Urls: request.l1Urls, l2Url })
      const plan = await planArbitrumEscape({ l1, l2, network: entry.arbitrum, account: address, destination: getAddress(request.destination), amountWei: parseEther(request.amountEth) })
      return toPreviewView(plan, { l1: request.l1Urls.map(endpointLabel), l2: endpointLabel(l2Url) })
    },

    async start(request) {
      const network = await escapeNetwork(request.network)
      if (network.stack === 'op-stack') {
        // The same checks as the preview, again now: balances or fees may have moved since it was shown.
        const plan = await opPlan(request)
        const save = request.saveRpcUrls
        const params: OpEscapeParams = {
          network: opEscapeNetworkParam(plan.entry),
          account: plan.address,
          signerPath: plan.path,
          destination: getAddress(request.destination),
          assets: plan.assets,
          source: plan.source,
          ...(save ? { l1Endpoints: request.l1Urls, ...(request.l2Url ? { l2RpcUrl: request.l2Url } : {}), ...(request.beaconUrl ? { beaconUrl: request.beaconUrl } : {}) } : {}),
          rpcLabels: plan.labels,
          signer: { kind: request.signer },
        }
        const jobId = await createOpEscapeJob(p.journal, params)
        const urls = { l1Urls: [...request.l1Urls], ...(request.l2Url ? { l2Url: request.l2Url } : {}), ...(request.beaconUrl ? { beaconUrl: request.beaconUrl } : {}) }
        sessionEndpoints.set(jobId, urls)
        runOpJob(jobId, opJob(params), urls)
        return { jobId }
      }
      if (request.tokens?.length) throw new EscapeError('Tokens are taken out of OP Stack chains only in this version.', { kind: 'user-action', steps: ['Remove the tokens: take the ETH out here.'] })
      const entry = await arbitrumNetwork(request.network)
      const l2Url = l2UrlFor(entry, request.l2Url)
      const { address, path } = await accountOf(entry, request)
      const amountWei = parseEther(request.amountEth)
      // The same checks as the preview, again now: balances or fees may have moved since it was shown.
      const { l1, l2 } = await connectArbitrumEndpoints({ network: entry.arbitrum, l1Urls: request.l1Urls, l2Url })
      await planArbitrumEscape({ l1, l2, network: entry.arbitrum, account: address, destination: getAddress(request.destination), amountWei })
      const save = request.saveRpcUrls
      const arbitrum = entry.arbitrum
      const params: ArbitrumEscapeParams = {
        network: save || !request.l2Url ? arbitrum : { ...arbitrum, l2RpcUrl: undefined },
        account: address,
        signerPath: path,
        destination: getAddress(request.destination),
        amountWei: amountWei.toString(),
        ...(save ? { l1Endpoints: request.l1Urls, l2RpcUrl: l2Url } : {}),
        rpcLabels: { l1: request.l1Urls.map(endpointLabel), l2: endpointLabel(l2Url) },
        signer: { kind: request.signer, ...(request.signer === 'file' ? { exportDir: join(p.dataDir, 'exports') } : {}) },
      }
      const created = await p.journal.createJob({ kind: ARBITRUM_ESCAPE_JOB_KIND, title: arbitrumEscapeTitle(arbitrum, params.amountWei), params: toJobParams(params) })
      const job = arbitrumJob(params)
      sessionEndpoints.set(created.id, { l1Urls: [...request.l1Urls], l2Url })
      // Through the resume path, as every run: it watches the job's L1 transactions for being stuck (the fee bump).
      launch(created.id, job, (signal) => continueJob(created.id, job, { l1Urls: [...request.l1Urls], l2Url }, signal, undefined, true))
      return { jobId: created.id }
    },

    async resume(request) {
      const job = await jobOf(request.jobId)
      const urls = endpointsFor(request.jobId, job, request)
      const { state: journaled } = await p.journal.load(request.jobId)
      if (journaled.status !== 'active') return state(request.jobId, job)
      launch(request.jobId, job, (signal) => continueJob(request.jobId, job, urls, signal, request.signedFile))
      return state(request.jobId, job)
    },

    async proposeFeeBump(jobId) {
      const job = await jobOf(jobId)
      if (p.runs.list().some((r) => r.key === runKey(jobId))) throw new EscapeAlreadyRunningError(jobId)
      const { l1Urls } = endpointsFor(jobId, job)
      // Nobody is asked here: the engine journals, signs and sends nothing without an answer.
      const outcome = await runBumpFee(jobId, job, l1Urls, {}, async () => ({ approved: false, asked: false }), AbortSignal.timeout(60_000))
      if (outcome.outcome === 'already-mined') return { outcome: 'already-mined', txHash: outcome.minedTx, blockNumber: outcome.blockNumber.toString() }
      if (outcome.outcome !== 'not-approved') throw new Error(`unexpected fee bump outcome without consent: ${outcome.outcome}`)
      return { outcome: 'proposal', proposal: toFeeBumpView(jobId, outcome.proposal) }
    },

    async approveFeeBump(request) {
      const job = await jobOf(request.jobId)
      const urls = endpointsFor(request.jobId, job)
      const approved = { maxFeePerGas: BigInt(request.maxFeePerGasWei), maxPriorityFeePerGas: BigInt(request.maxPriorityFeePerGasWei) }
      const stuck = (await p.journal.load(request.jobId)).state.txs.find((t) => t.hash === request.txHash)
      if (!stuck) throw new EscapeError(`Transaction ${request.txHash} is not one of this job's.`, { kind: 'user-action', steps: ['Reopen the job page and press “Raise the fee” again.'] })
      // A legacy transaction has one gas price: the engine takes the max fee only.
      const legacy = requestOf(stuck).type === 'legacy'
      launch(request.jobId, job, async (signal) => {
        const outcome = await runBumpFee(
          request.jobId,
          job,
          urls.l1Urls,
          { txHash: request.txHash, maxFeePerGas: approved.maxFeePerGas, ...(legacy ? {} : { maxPriorityFeePerGas: approved.maxPriorityFeePerGas }) },
          // The user approved these fees for this transaction, seen in the window: anything else is not approved.
          async (proposal) => ({ approved: proposal.tx.hash === request.txHash && sameFees(proposal.next, approved), asked: true }),
          signal,
        )
        if (outcome.outcome === 'declined' || outcome.outcome === 'not-approved') {
          progress(request.jobId)('The fees changed since you approved them: nothing was signed. Press “Raise the fee” again to see the new proposal.')
          return 'stuck'
        }
        progress(request.jobId)(outcome.outcome === 'mined' ? `The ${outcome.mined} transaction was mined; going on with the escape.` : 'Nothing to bump: it was mined meanwhile; going on with the escape.')
        return continueJob(request.jobId, job, urls, signal)
      })
      return state(request.jobId, job)
    },

    async stop(jobId) {
      const job = await jobOf(jobId)
      const run = p.runs.list().find((r) => r.key === runKey(jobId))
      if (run) {
        p.runs.cancel(run.runId, new EscapeError('Stopped from the app. The job is saved as it was; nothing signed is lost.', { kind: 'user-action', steps: [APP_RESUME_INSTRUCTION] }))
        await p.runs.idle(runKey(jobId))
      }
      return state(jobId, job)
    },

    async runState(jobId) {
      return state(jobId, await jobOf(jobId))
    },

    async stopAll() {
      await Promise.all(
        p.runs
          .list()
          .filter((r) => r.key.startsWith('escape-'))
          .map(async (r) => {
            p.runs.cancel(r.runId, new EscapeError('The app is closing; the job is saved and resumes from where it stopped.', { kind: 'user-action' }))
            await p.runs.idle(r.key)
          }),
      )
    },
  }
}

interface SessionEndpoints {
  l1Urls: string[]
  l2Url?: string
  beaconUrl?: string
}

/** What the service needs of an escape job, whatever its stack: endpoints saved or to ask for, the signer, the chains. */
interface EscapeJob {
  kind: typeof ARBITRUM_ESCAPE_JOB_KIND | typeof OP_ESCAPE_JOB_KIND
  saved: { l1Urls?: string[]; l2Url?: string; beaconUrl?: string }
  /** A run cannot go on without an L2 node (Arbitrum; an OP job whose source is an L2 node). */
  needsL2: boolean
  labels: EscapeRunStateView['endpointLabels']
  signerKind?: NonNullable<ArbitrumEscapeParams['signer']>['kind']
  l1ChainId: number
  signing: SigningContext
  signerParams: ReturnType<typeof jobSignerParams>
}

function arbitrumJob(params: ArbitrumEscapeParams): EscapeJob {
  const l2Url = params.l2RpcUrl ?? params.network.l2RpcUrl
  return {
    kind: ARBITRUM_ESCAPE_JOB_KIND,
    saved: { ...(params.l1Endpoints ? { l1Urls: params.l1Endpoints } : {}), ...(l2Url ? { l2Url } : {}) },
    needsL2: true,
    labels: params.rpcLabels ?? { l1: (params.l1Endpoints ?? []).map(endpointLabel), ...(params.l2RpcUrl ? { l2: endpointLabel(params.l2RpcUrl) } : {}) },
    ...(params.signer?.kind ? { signerKind: params.signer.kind } : {}),
    l1ChainId: params.network.l1ChainId,
    signing: arbitrumSigningContext(params.network),
    signerParams: arbitrumJobSignerParams(params),
  }
}

function opJob(params: OpEscapeParams): EscapeJob {
  const entry = opEscapeNetworkEntry(params.network)
  return {
    kind: OP_ESCAPE_JOB_KIND,
    saved: { ...(params.l1Endpoints ? { l1Urls: params.l1Endpoints } : {}), ...(params.l2RpcUrl ? { l2Url: params.l2RpcUrl } : {}), ...(params.beaconUrl ? { beaconUrl: params.beaconUrl } : {}) },
    needsL2: params.source.kind === 'l2-node',
    labels: { l1: params.rpcLabels?.l1 ?? [], ...(params.rpcLabels?.l2 ? { l2: params.rpcLabels.l2 } : {}) },
    ...(params.signer?.kind ? { signerKind: params.signer.kind } : {}),
    l1ChainId: entry.l1ChainId,
    signing: signingContextOf([entry]),
    signerParams: jobSignerParams({ kind: OP_ESCAPE_JOB_KIND, params }),
  }
}

/** The plan as the cost preview shows it: every amount in wei (the window formats ETH, with full wei on hover). */
export function toPreviewView(plan: ArbitrumEscapePlan, endpoints: { l1: string[]; l2: string }): EscapePreviewView {
  return {
    stack: 'arbitrum-nitro',
    network: { name: plan.network.name, l1Name: l1ChainName(plan.network.l1ChainId), l1ChainId: plan.network.l1ChainId, l2ChainId: plan.network.l2ChainId },
    account: plan.account,
    destination: plan.destination,
    amountWei: plan.amountWei.toString(),
    l1Block: plan.l1Head.toString(),
    l1BlockTime: plan.l1Clock.basis,
    transactions: plan.transactions.map((t) => ({
      step: t.step,
      chain: t.chain,
      what: t.what,
      when: {
        now: t.when.note === 'now',
        ...(t.when.note === 'now' ? {} : { at: t.when.estimatedAt.toISOString() }),
        ...(t.when.l1Block === undefined ? {} : { l1Block: t.when.l1Block.toString() }),
        note: t.when.note,
      },
      ...(t.gasLimit === undefined ? {} : { gasLimit: t.gasLimit.toString() }),
      ...(t.maxCostWei === undefined ? {} : { maxCostWei: t.maxCostWei.toString() }),
    })),
    fees: {
      baseFeeWei: plan.l1Fees.baseFee.toString(),
      maxFeePerGasWei: plan.l1Fees.maxFeePerGas.toString(),
      totalMaxCostWei: plan.l1Fees.totalMaxCost.toString(),
      l1BalanceWei: plan.l1Fees.balance.toString(),
      bondsWei: '0',
      note: `${plan.l1Fees.note} An Arbitrum escape locks no bond.`,
    },
    l2: { balanceWei: plan.l2.balanceReported.toString(), nonce: plan.l2.nonce, maxFeeWei: plan.l2.maxGasCost.toString(), note: plan.l2.note },
    warnings: plan.warnings.map((w) => w.replace('give --l2-nonce to set it yourself', 'the CLI’s --l2-nonce sets it yourself')),
    endpoints,
  }
}

function sameFees(next: UnsignedTxRequest, approved: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }): boolean {
  return feeCapOf(next) === approved.maxFeePerGas && (next.type === 'legacy' || tipOf(next) === approved.maxPriorityFeePerGas)
}

/** A proposal as the window shows it (wei as decimal strings). */
export function toFeeBumpView(jobId: string, proposal: FeeBumpProposal): FeeBumpProposalView {
  return {
    jobId,
    txHash: proposal.tx.hash as `0x${string}`,
    step: proposal.tx.step,
    nonce: proposal.tx.nonce,
    gas: proposal.next.gas.toString(),
    legacy: proposal.next.type === 'legacy',
    oldMaxFeePerGasWei: feeCapOf(proposal.old).toString(),
    oldMaxPriorityFeePerGasWei: tipOf(proposal.old).toString(),
    newMaxFeePerGasWei: feeCapOf(proposal.next).toString(),
    newMaxPriorityFeePerGasWei: tipOf(proposal.next).toString(),
    oldMaxCostWei: (maxFeeOf(proposal.old) + proposal.old.value).toString(),
    newMaxCostWei: (maxFeeOf(proposal.next) + proposal.next.value).toString(),
    ...(proposal.quote ? { nextBaseFeeWei: proposal.quote.nextBaseFee.toString() } : {}),
    warnings: proposal.warnings.slice(0, 10).map((w) => w.slice(0, 1000)),
  }
}
