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
import type { ArbitrumNetworkEntry } from '../../../shared/networks/networkEntry'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeParamsSchema, arbitrumEscapeTitle, toJobParams, type ArbitrumEscapeParams } from '../flows/arbitrum/arbitrumEscapeJob'
import { connectArbitrumEndpoints, connectArbitrumL1 } from '../flows/arbitrum/connectArbitrumEndpoints'
import { continueArbitrumEscape } from '../flows/arbitrum/continueArbitrumEscape'
import { planArbitrumEscape, type ArbitrumEscapePlan } from '../flows/arbitrum/planArbitrumEscape'
import { checkSignerForNetwork, openDeviceSigner, openJobSigner, type OpenedSigner } from '../jobs/openJobSigner'
import { arbitrumJobSignerParams } from '../jobs/jobSignerParams'
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
import { arbitrumSigningContext } from '../../../shared/networks/signingContext'

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
  const sessionEndpoints = new Map<string, { l1Urls: string[]; l2Url: string }>()
  const lastOutcome = new Map<string, NonNullable<EscapeRunStateView['lastOutcome']>>()

  async function arbitrumNetwork(ref: AccountRequest['network']): Promise<ArbitrumNetworkEntry> {
    const entry = await resolveNetworkRef(ref, p.dataDir)
    if (entry.stack !== 'arbitrum-nitro') {
      throw new EscapeError(`${entry.name} is an OP Stack chain: this version of the app runs escapes on Arbitrum chains only.`, {
        kind: 'user-action',
        steps: ['Choose an Arbitrum network, or use the Diagnosis screen to see where an OP Stack withdrawal stands.'],
      })
    }
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

  async function accountOf(entry: ArbitrumNetworkEntry, request: Pick<AccountRequest, 'signer' | 'derivationPath' | 'from'>): Promise<{ address: Address; path: string }> {
    const path = normalizeDerivationPath(request.derivationPath?.trim() || DEFAULT_DERIVATION_PATH)
    if (request.signer === 'file') {
      if (!request.from) throw new EscapeError('The air-gapped signer needs your account address (the key stays on the offline machine).', { kind: 'user-action', steps: ['Type the address of the account that holds the ETH on L2.'] })
      return { address: getAddress(request.from), path }
    }
    checkSignerForNetwork(request.signer, entry.arbitrum, {})
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

  function state(jobId: string, params: ArbitrumEscapeParams | undefined): EscapeRunStateView {
    const running = p.runs.list().some((r) => r.key === runKey(jobId))
    const known = sessionEndpoints.has(jobId) || Boolean(params?.l1Endpoints?.length && (params.l2RpcUrl || params.network.l2RpcUrl))
    const outcome = lastOutcome.get(jobId)
    return {
      jobId,
      running,
      endpointsKnown: known,
      endpointLabels: params?.rpcLabels ?? { l1: (params?.l1Endpoints ?? []).map(endpointLabel), ...(params?.l2RpcUrl ? { l2: endpointLabel(params.l2RpcUrl) } : {}) },
      ...(params?.signer?.kind ? { signer: params.signer.kind } : {}),
      ...(outcome ? { lastOutcome: outcome } : {}),
    }
  }

  async function paramsOf(jobId: string): Promise<ArbitrumEscapeParams> {
    const { state: job } = await p.journal.load(jobId)
    if (job.kind !== ARBITRUM_ESCAPE_JOB_KIND) {
      throw new EscapeError(`Job ${jobId} is of kind "${job.kind}", which this version of the app cannot run.`, { kind: 'user-action', steps: ['Use the version of Escape Hatch that created it.'] })
    }
    return arbitrumEscapeParamsSchema.parse(job.params)
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
  function launch(jobId: string, params: ArbitrumEscapeParams, work: (signal: AbortSignal) => Promise<NonNullable<EscapeRunStateView['lastOutcome']>>): void {
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
        p.publish('escapeRunChanged', state(jobId, params))
      },
    })
    p.publish('escapeRunChanged', state(jobId, params))
  }

  async function signerForJob(jobId: string, params: ArbitrumEscapeParams, signedFile?: string): Promise<OpenedSigner> {
    const kind = params.signer?.kind ?? 'ledger'
    const opened = await openJobSigner({
      kind,
      ...(kind !== 'file' && p.signers ? { device: p.signers.deviceOptions(kind) } : {}),
      store: p.journal,
      jobId,
      params: arbitrumJobSignerParams(params),
      defaultExportDir: join(p.dataDir, 'exports', jobId),
      signedFile,
      resumeCommand: () => `${APP_RESUME_INSTRUCTION}${kind === 'file' ? ' Choose the signed file when it asks.' : ''}`,
      onProgress: progress(jobId),
    })
    return p.signers ? p.signers.watchJobSigner(jobId, arbitrumSigningContext(params.network), opened) : opened
  }

  /**
   * The job's RPC URLs: given now (kept for the session), given earlier in this session, or saved in the job. Missing
   * ones are asked for again, naming the hosts used before.
   */
  function endpointsFor(jobId: string, params: ArbitrumEscapeParams, given: { l1Urls?: readonly string[]; l2Url?: string } = {}): { l1Urls: string[]; l2Url: string } {
    if (given.l1Urls || given.l2Url) {
      const known = sessionEndpoints.get(jobId)
      const l1Urls = given.l1Urls ?? known?.l1Urls ?? params.l1Endpoints
      const l2Url = given.l2Url ?? known?.l2Url ?? params.l2RpcUrl ?? params.network.l2RpcUrl
      if (l1Urls && l2Url) sessionEndpoints.set(jobId, { l1Urls: [...l1Urls], l2Url })
    }
    const endpoints = sessionEndpoints.get(jobId)
    const l1Urls = endpoints?.l1Urls ?? params.l1Endpoints
    const l2Url = endpoints?.l2Url ?? params.l2RpcUrl ?? params.network.l2RpcUrl
    if (!l1Urls?.length || !l2Url) {
      const labels = params.rpcLabels
      throw new EscapeError('This job did not keep its RPC addresses (they may contain API keys), so they are needed again.', {
        kind: 'user-action',
        steps: [`Give the L1 RPC address${labels ? ` you used (${labels.l1.join(', ')})` : ''}${!l2Url ? ` and the L2 node${labels ? ` (${labels.l2})` : ''}` : ''}, then press Resume.`],
      })
    }
    return { l1Urls: [...l1Urls], l2Url }
  }

  /** Go on with the job from its journal (resume), until it finishes, pauses at a long wait or stops. */
  async function continueJob(jobId: string, params: ArbitrumEscapeParams, urls: { l1Urls: string[]; l2Url: string }, signal: AbortSignal, signedFile?: string): Promise<NonNullable<EscapeRunStateView['lastOutcome']>> {
    const run = await resumeJob({
      store: p.journal,
      jobId,
      openSigner: () => signerForJob(jobId, params, signedFile),
      l1Urls: urls.l1Urls,
      l2Url: urls.l2Url,
      wait: false,
      pollMs: pollMsFor(params),
      resumeCommand: APP_RESUME_INSTRUCTION,
      how: 'from the app',
      signal,
      onProgress: progress(jobId),
    })
    return run.outcome === 'already-finished' ? 'finished' : run.outcome
  }

  /** The fee bump engine run as the app asks: `consent` decides on the proposal it is shown. */
  function runBumpFee(jobId: string, params: ArbitrumEscapeParams, l1Urls: readonly string[], fees: { txHash?: string; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint }, consent: FeeBumpConsent, signal: AbortSignal) {
    if ((params.signer?.kind ?? 'ledger') === 'file') {
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
      pollMs: pollMsFor(params) ?? 12_000,
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
  const pollMsFor = (params: ArbitrumEscapeParams) => (params.network.l1ChainId === 31337 ? 1_000 : undefined)

  return {
    async getAccount(request) {
      const entry = await arbitrumNetwork(request.network)
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

    async preview(request) {
      const entry = await arbitrumNetwork(request.network)
      const l2Url = l2UrlFor(entry, request.l2Url)
      const { address } = await accountOf(entry, request)
      const { l1, l2 } = await connectArbitrumEndpoints({ network: entry.arbitrum, l1Urls: request.l1Urls, l2Url })
      const plan = await planArbitrumEscape({ l1, l2, network: entry.arbitrum, account: address, destination: getAddress(request.destination), amountWei: parseEther(request.amountEth) })
      return toPreviewView(plan, { l1: request.l1Urls.map(endpointLabel), l2: endpointLabel(l2Url) })
    },

    async start(request) {
      const entry = await arbitrumNetwork(request.network)
      const l2Url = l2UrlFor(entry, request.l2Url)
      const { address, path } = await accountOf(entry, request)
      const amountWei = parseEther(request.amountEth)
      // The same checks as the preview, again now: balances or fees may have moved since it was shown.
      const { l1, l2 } = await connectArbitrumEndpoints({ network: entry.arbitrum, l1Urls: request.l1Urls, l2Url })
      await planArbitrumEscape({ l1, l2, network: entry.arbitrum, account: address, destination: getAddress(request.destination), amountWei })
      const save = request.saveRpcUrls
      const network = entry.arbitrum
      const params: ArbitrumEscapeParams = {
        network: save || !request.l2Url ? network : { ...network, l2RpcUrl: undefined },
        account: address,
        signerPath: path,
        destination: getAddress(request.destination),
        amountWei: amountWei.toString(),
        ...(save ? { l1Endpoints: request.l1Urls, l2RpcUrl: l2Url } : {}),
        rpcLabels: { l1: request.l1Urls.map(endpointLabel), l2: endpointLabel(l2Url) },
        signer: { kind: request.signer, ...(request.signer === 'file' ? { exportDir: join(p.dataDir, 'exports') } : {}) },
      }
      const job = await p.journal.createJob({ kind: ARBITRUM_ESCAPE_JOB_KIND, title: arbitrumEscapeTitle(network, params.amountWei), params: toJobParams(params) })
      sessionEndpoints.set(job.id, { l1Urls: [...request.l1Urls], l2Url })
      launch(job.id, params, async (signal) => {
        const { signer, release } = await signerForJob(job.id, params)
        try {
          const run = await continueArbitrumEscape({ store: p.journal, jobId: job.id, l1Urls: request.l1Urls, l2Url, signer, wait: false, pollMs: pollMsFor(params), resumeCommand: APP_RESUME_INSTRUCTION, signal, onProgress: progress(job.id) })
          return run.outcome
        } finally {
          await release()
        }
      })
      return { jobId: job.id }
    },

    async resume(request) {
      const params = await paramsOf(request.jobId)
      const { l1Urls, l2Url } = endpointsFor(request.jobId, params, request)
      const { state: job } = await p.journal.load(request.jobId)
      if (job.status !== 'active') return state(request.jobId, params)
      launch(request.jobId, params, (signal) => continueJob(request.jobId, params, { l1Urls, l2Url }, signal, request.signedFile))
      return state(request.jobId, params)
    },

    async proposeFeeBump(jobId) {
      const params = await paramsOf(jobId)
      if (p.runs.list().some((r) => r.key === runKey(jobId))) throw new EscapeAlreadyRunningError(jobId)
      const { l1Urls } = endpointsFor(jobId, params)
      // Nobody is asked here: the engine journals, signs and sends nothing without an answer.
      const outcome = await runBumpFee(jobId, params, l1Urls, {}, async () => ({ approved: false, asked: false }), AbortSignal.timeout(60_000))
      if (outcome.outcome === 'already-mined') return { outcome: 'already-mined', txHash: outcome.minedTx, blockNumber: outcome.blockNumber.toString() }
      if (outcome.outcome !== 'not-approved') throw new Error(`unexpected fee bump outcome without consent: ${outcome.outcome}`)
      return { outcome: 'proposal', proposal: toFeeBumpView(jobId, outcome.proposal) }
    },

    async approveFeeBump(request) {
      const params = await paramsOf(request.jobId)
      const urls = endpointsFor(request.jobId, params)
      const approved = { maxFeePerGas: BigInt(request.maxFeePerGasWei), maxPriorityFeePerGas: BigInt(request.maxPriorityFeePerGasWei) }
      const stuck = (await p.journal.load(request.jobId)).state.txs.find((t) => t.hash === request.txHash)
      if (!stuck) throw new EscapeError(`Transaction ${request.txHash} is not one of this job's.`, { kind: 'user-action', steps: ['Reopen the job page and press “Raise the fee” again.'] })
      // A legacy transaction has one gas price: the engine takes the max fee only.
      const legacy = requestOf(stuck).type === 'legacy'
      launch(request.jobId, params, async (signal) => {
        const outcome = await runBumpFee(
          request.jobId,
          params,
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
        return continueJob(request.jobId, params, urls, signal)
      })
      return state(request.jobId, params)
    },

    async stop(jobId) {
      const params = await paramsOf(jobId)
      const run = p.runs.list().find((r) => r.key === runKey(jobId))
      if (run) {
        p.runs.cancel(run.runId, new EscapeError('Stopped from the app. The job is saved as it was; nothing signed is lost.', { kind: 'user-action', steps: [APP_RESUME_INSTRUCTION] }))
        await p.runs.idle(runKey(jobId))
      }
      return state(jobId, params)
    },

    async runState(jobId) {
      return state(jobId, await paramsOf(jobId))
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
