/**
 * The Arbitrum escape, as a resumable journaled job (issue 7; notes §1, §3):
 *
 *   prepare → sign-l2-tx → send-l2-message → track-message → wait-force-inclusion → force-inclusion →
 *   detect-sequencing → wait-confirmation → execute-withdrawal
 *
 * It runs on the job engine (electron/services/jobs/runJob.ts); each step's result is typed by its schema in
 * arbitrumEscapeSteps.ts. Crash safety: a step's result is journaled (fsynced) before the next step starts; a completed
 * step is never run again, its journaled result is decoded and reused. L1 transactions go through the broadcaster (tx.signed is journaled before any
 * byte is sent; on resume the journaled bytes are re-sent, never re-signed). The L2 withdrawal is signed once and
 * kept only in the journal: it is never broadcast on L2, only carried inside sendL2Message.
 *
 * Trust: the L2 RPC is untrusted. Its nonce only risks a dropped L2 tx. The withdrawal proof comes from the node's
 * NodeInterface (or, on nodes without it, from its full send list) and is used only after it was verified locally
 * against the sendRoot of the confirmed assertion on L1, with the leaf recomputed from our own withdrawal
 * (readVerifiedWithdrawalProof); only then is the executeTransaction built and signed.
 */
import { decodeFunctionResult, encodeFunctionData, erc20Abi, getAddress, isAddressEqual, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem'
import { outboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Outbox'
import { rollupUserLogicAbi } from '../../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import type { JobState } from '../../../../shared/journal/reduce'
import { ArbAlreadySpentError, ArbSendRootMismatchError, ArbUntrustedDataError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import type { ArbL2Client } from '../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { L2ToL1Send } from '../../../../shared/rollups/arbitrum-nitro/proof/calculateSendHash'
import type { L2ToL1SendLog } from '../../../../shared/rollups/arbitrum-nitro/proof/decodeL2ToL1TxLog'
import { verifySendList } from '../../../../shared/rollups/arbitrum-nitro/proof/verifySendList'
import { readLatestConfirmedAssertion, ZERO_ROOT, type ConfirmedAssertion } from '../../../../shared/rollups/arbitrum-nitro/status/readConfirmedAssertion'
import { readL2Sends } from '../../../../shared/rollups/arbitrum-nitro/status/readL2Sends'
import { readL2TxSends } from '../../../../shared/rollups/arbitrum-nitro/status/readL2TxSends'
import { readVerifiedWithdrawalProof, type WithdrawalProofMethod } from '../../../../shared/rollups/arbitrum-nitro/status/readVerifiedWithdrawalProof'
import { buildExecuteTransactionTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildExecuteTransactionTx'
import { buildL2WithdrawalTx, l2MaxFeePerGas, L2_WITHDRAWAL_GAS } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildL2TokenWithdrawalTx, L2_TOKEN_WITHDRAWAL_GAS } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2TokenWithdrawalTx'
import { readTokenExitRoute } from '../../../../shared/rollups/arbitrum-nitro/status/readTokenExitRoute'
import { verifyTokenWithdrawalSend } from '../../../../shared/rollups/arbitrum-nitro/proof/verifyTokenWithdrawalSend'
import type { Signer } from '../../../../shared/signing/Signer'
import type { BlobSource } from '../../../../shared/l1/BlobSource'
import type { Kzg } from '../../../../shared/l1/kzg'
import type { BrotliDecompressor } from '../../../../shared/rollups/arbitrum-nitro/derive/BrotliDecompressor'
import type { BroadcastJournal } from '../../journal/journalPort'
import type { WatchOptions } from '../../broadcast/watchJournaledTx'
import { damagedJobError, ForcedL2Message } from './forcedL2Message'
import type { StepResult } from '../../jobs/defineStep'
import { runJob, type JobRun } from '../../jobs/runJob'
import {
  detectSequencingStep,
  executeWithdrawalStep,
  forceInclusionStep,
  forLeg,
  prepareStep,
  sendL2MessageStep,
  signL2TxStep,
  trackMessageStep,
  waitConfirmationStep,
  waitForceInclusionStep,
} from './arbitrumEscapeSteps'
import { arbitrumEscapeParamsSchema, escapeLegs, legStepName, type ArbitrumEscapeParams, type ArbitrumEscapeStep, type EscapeLeg } from './arbitrumEscapeJob'

export type ArbL1FullClient = Pick<
  PublicClient,
  'readContract' | 'getLogs' | 'getBlockNumber' | 'getBlock' | 'getTransaction' | 'getTransactionReceipt' | 'getChainId' | 'getTransactionCount' | 'estimateGas'
>

export interface ArbitrumEscapeDeps {
  store: BroadcastJournal
  signer: Signer
  l1: ArbL1FullClient
  l2: ArbL2Client
  /**
   * Where signed L1 transactions are sent (every one of them). Defaults to the job's params; a job created without
   * saving its RPC URLs (they may hold API keys) gets them here, from the user, on every run.
   */
  l1Endpoints?: readonly string[]
  /** How the L2 RPC is named in errors (a lying source is named); defaults to the params' URL. */
  l2Source?: string
  /** Resolves once the L1 head is at or past `block` (production polls; the drill mines blocks). */
  waitForL1Block(block: bigint, why: string): Promise<void>
  /** Resolves when it is worth checking again for a newer confirmed assertion (production: hours; drill: confirm now). */
  waitForConfirmation(why: string): Promise<void>
  /** Short wait before re-checking something that is moving (sequencing, an L2 node catching up). */
  pause(why: string): Promise<void>
  onProgress?(event: { step: ArbitrumEscapeStep; message: string }): void
  broadcast?: Omit<WatchOptions, 'signal'>
  signal?: AbortSignal
  /** Give up waiting for the L2 node / sequencing after this many pauses (default 600). */
  maxPauses?: number
  /** For locating the message in the L2 chain from L1 alone (small chains); without it the L2 node's answer is used. */
  decompressor?: BrotliDecompressor
  blobs?: { source: BlobSource; kzg: Kzg }
}

export interface ArbitrumEscapeResult {
  jobId: string
  l2TxHash: Hex
  sendL2MessageTx: Hex
  forceInclusionTx: Hex | undefined
  messageIndex: string
  sequencedInBatch: string
  forced: boolean
  l2Block: string
  sendPosition: string
  confirmedSendRoot: Hex
  executeTx: Hex | undefined
  alreadySpent: boolean
  /** How the proof was obtained (both verified against L1); absent for jobs journaled before it was recorded. */
  proofMethod?: WithdrawalProofMethod
  /**
   * Every asset of the job, in order (the top-level fields above are the first one's): each its own L2 withdrawal,
   * delayed message, proof and Outbox execution (issue 16). Absent in drill reports saved before it existed.
   */
  assets?: ArbitrumEscapeAssetResult[]
}

export interface ArbitrumEscapeAssetResult {
  kind: 'eth' | 'erc20'
  /** The token's L1 address (erc20). */
  l1Token?: Address
  amount: string
  l2TxHash: Hex
  messageIndex: string
  sendPosition: string
  executeTx: Hex | undefined
  alreadySpent: boolean
}

export async function runArbitrumEscape(jobId: string, deps: ArbitrumEscapeDeps): Promise<ArbitrumEscapeResult> {
  return runJob({
    store: deps.store,
    jobId,
    signal: deps.signal,
    failureMessage: 'The Arbitrum escape stopped.',
    // An untrusted source that lied (L2 RPC, L1 endpoints that disagree) does not end the job: nothing was signed,
    // and the job resumes with another endpoint.
    isSourceProblem: (e) => e instanceof ArbSendRootMismatchError || e instanceof ArbUntrustedDataError,
    summarize: (r) => (r.assets ?? []).map((a) => (a.alreadySpent ? `Withdrawal #${a.sendPosition} had already been executed.` : `Withdrawal #${a.sendPosition} executed in ${a.executeTx}.`)).join(' '),
    async body(run) {
      // A damaged journal (lost or spoiled records) is never acted on, whoever calls: no step runs, nothing is signed.
      if ((await deps.store.load(jobId)).damaged) throw damagedJobError(jobId)
      const params = arbitrumEscapeParamsSchema.parse((await run.state()).params)
      return new EscapeRun(run, params, deps).all()
    },
  })
}

class EscapeRun {
  private readonly network
  private readonly account: Address
  private readonly jobId: string
  /** The assets, in nonce order; each has its own steps (legStepName). */
  private readonly legs: EscapeLeg[]
  /** Per leg: send-l2-message … detect-sequencing, shared with the other jobs that force an L2 transaction in. */
  private readonly forced: ForcedL2Message[]

  constructor(
    private readonly run: JobRun,
    private readonly params: ArbitrumEscapeParams,
    private readonly deps: ArbitrumEscapeDeps,
  ) {
    this.jobId = run.jobId
    this.network = params.network
    this.account = getAddress(params.account)
    this.legs = escapeLegs(params)
    this.forced = this.legs.map((leg) => new ForcedL2Message({
      run, deps, network: this.network, account: this.account, signerPath: params.signerPath, l1Endpoints: () => this.l1Endpoints(),
      progress: (step, message) => this.progress(step as ArbitrumEscapeStep, `${this.legLabel(leg)}${message}`),
      stepName: (step) => legStepName(step, leg.index),
      failedL2Tx: (hash) => new EscapeError(`The L2 node reports that your L2 ${leg.kind === 'eth' ? 'withdrawal' : 'token withdrawal'} transaction failed.`, {
        kind: 'critical',
        steps: ['Check the L2 balance and nonce with `escape-hatch arb status`, then start a new escape.'],
        details: hash,
      }),
    }))
  }

  private forcedOf(leg: EscapeLeg): ForcedL2Message {
    const f = this.forced[leg.index]
    if (!f) throw new EscapeError(`No leg ${leg.index} in this escape.`, { kind: 'critical' })
    return f
  }

  /** "" for a single-asset job (its messages read as before); "[asset 2/3: 5 DRILL] " otherwise. */
  private legLabel(leg: EscapeLeg): string {
    if (this.legs.length === 1) return ''
    const what = leg.kind === 'eth' ? 'ETH' : (leg.symbol ?? leg.l1Token)
    return `[asset ${leg.index + 1}/${this.legs.length}: ${what}] `
  }

  /**
   * Phase by phase over the legs (all signatures, all sendL2Message, …), so the long waits are waited once for the
   * whole job. The force-inclusion waits and forceInclusion run from the last leg back: forcing the last message in
   * includes every earlier one, so the other legs find theirs sequenced and send nothing.
   */
  async all(): Promise<ArbitrumEscapeResult> {
    const step = this.run.step.bind(this.run)
    const legs = this.legs
    const first = legs[0]!
    const prepared = await step(prepareStep, () => this.forcedOf(first).prepare(this.params.l2Nonce))
    type Signed = StepResult<typeof signL2TxStep>
    const each = async <T>(order: readonly EscapeLeg[], fn: (leg: EscapeLeg) => Promise<T>): Promise<T[]> => {
      const out: T[] = new Array<T>(legs.length)
      for (const leg of order) out[leg.index] = await fn(leg)
      return out
    }
    const backwards = [...legs].reverse()
    const signed: Signed[] = await each(legs, (leg) => step(forLeg(signL2TxStep, leg.index), () => this.signL2Tx(prepared, leg)))
    const at = <T>(list: readonly T[], leg: EscapeLeg): T => list[leg.index] as T
    const sent = await each(legs, (leg) => step(forLeg(sendL2MessageStep, leg.index), () => this.forcedOf(leg).sendL2Message(at(signed, leg), prepared)))
    const messages = await each(legs, (leg) => step(forLeg(trackMessageStep, leg.index), () => this.forcedOf(leg).trackMessage(at(sent, leg))))
    const waited = await each(backwards, (leg) => step(forLeg(waitForceInclusionStep, leg.index), () => this.forcedOf(leg).waitForceInclusion(at(messages, leg))))
    const forcedIn = await each(backwards, (leg) => step(forLeg(forceInclusionStep, leg.index), () => this.forcedOf(leg).forceInclusion(at(messages, leg), at(waited, leg))))
    const sequencing = await each(legs, (leg) => step(forLeg(detectSequencingStep, leg.index), () => this.forcedOf(leg).detectSequencing(at(messages, leg), at(signed, leg))))
    const confirmed = await each(legs, (leg) => step(forLeg(waitConfirmationStep, leg.index), () => this.waitConfirmation(leg, at(signed, leg), at(sequencing, leg))))
    const executed = await each(legs, (leg) => step(forLeg(executeWithdrawalStep, leg.index), () => this.execute(leg, at(signed, leg), at(confirmed, leg))))
    const assets: ArbitrumEscapeAssetResult[] = legs.map((leg) => ({
      kind: leg.kind,
      ...(leg.kind === 'erc20' ? { l1Token: leg.l1Token } : {}),
      amount: leg.amount.toString(),
      l2TxHash: at(signed, leg).hash,
      messageIndex: at(messages, leg).index.toString(),
      sendPosition: at(confirmed, leg).position.toString(),
      executeTx: at(executed, leg).l1TxHash ?? undefined,
      alreadySpent: at(executed, leg).alreadySpent,
    }))
    const forcedTx = forcedIn.find((f) => f.l1TxHash !== null)?.l1TxHash ?? undefined
    const e0 = at(executed, first)
    return {
      jobId: this.jobId,
      l2TxHash: at(signed, first).hash,
      sendL2MessageTx: at(sent, first).l1TxHash,
      forceInclusionTx: forcedTx,
      messageIndex: at(messages, first).index.toString(),
      sequencedInBatch: at(sequencing, first).batch.toString(),
      forced: at(sequencing, first).forced,
      l2Block: at(confirmed, first).l2Block.toString(),
      sendPosition: at(confirmed, first).position.toString(),
      confirmedSendRoot: at(confirmed, first).sendRoot,
      executeTx: e0.l1TxHash ?? undefined,
      alreadySpent: e0.alreadySpent,
      ...(e0.proofMethod ? { proofMethod: e0.proofMethod } : {}),
      assets,
    }
  }

  private l1Endpoints(): readonly string[] {
    const endpoints = this.deps.l1Endpoints ?? this.params.l1Endpoints
    if (!endpoints || endpoints.length === 0) {
      throw new EscapeError('This job needs your L1 RPC endpoints to send its transactions.', {
        kind: 'user-action',
        steps: ['The job did not save them (they may contain API keys): pass them again with --l1-rpc URL.'],
      })
    }
    return endpoints
  }

  private get l2Source(): string {
    return this.deps.l2Source ?? this.params.l2RpcUrl ?? 'the L2 RPC'
  }

  private async state(): Promise<JobState> {
    return this.run.state()
  }

  private progress(step: ArbitrumEscapeStep, message: string): void {
    this.deps.onProgress?.({ step, message })
  }

  // --- steps -------------------------------------------------------------------------------------------------

  private async signL2Tx(p: StepResult<typeof prepareStep>, leg: EscapeLeg): Promise<StepResult<typeof signL2TxStep>> {
    const nonce = p.l2Nonce + leg.index
    const destination = getAddress(this.params.destination)
    // Every leg's L2 fee and the ETH amount against the L2 ETH balance the node reports (untrusted: a shortfall only
    // gets a withdrawal dropped by ArbOS, so say it before anything is signed).
    const maxFee = l2MaxFeePerGas(p.l2BaseFeeReported)
    const ethNeeded = this.legs.reduce((sum, l) => sum + (l.kind === 'eth' ? l.amount + L2_WITHDRAWAL_GAS * maxFee : L2_TOKEN_WITHDRAWAL_GAS * maxFee), 0n)
    if (p.l2BalanceReported < ethNeeded) {
      throw new EscapeError(`The L2 balance reported for ${this.account} (${p.l2BalanceReported} wei) does not cover ${this.legs.length > 1 ? 'the ETH amount plus the L2 gas of all the withdrawals' : 'the amount plus the L2 gas'} (up to ${ethNeeded} wei).`, {
        kind: 'user-action',
        steps: ['Withdraw a smaller ETH amount, leaving room for the L2 fees.'],
      })
    }
    let built: { request: Parameters<Signer['signTransaction']>[0]['request']; explanation: string[] }
    let token: StepResult<typeof signL2TxStep>['token']
    if (leg.kind === 'eth') {
      built = buildL2WithdrawalTx({ l2ChainId: this.network.l2ChainId, nonce, destination, value: leg.amount, currentL2BaseFee: p.l2BaseFeeReported })
    } else {
      const l1GatewayRouter = this.network.tokenBridge?.l1GatewayRouter
      if (!l1GatewayRouter) {
        throw new EscapeError(`Escape Hatch does not know the token bridge of ${this.network.name}, so it cannot take tokens out of it.`, {
          kind: 'user-action',
          steps: ['Give the network\'s L1GatewayRouter address in its config (tokenBridge.l1GatewayRouter), or take out ETH only.'],
        })
      }
      // The route from L1 only (which gateway, its L2 counterpart, the L2 router and token): never from the L2 node.
      const route = await readTokenExitRoute({ l1: this.deps.l1, l1GatewayRouter, l1Token: leg.l1Token })
      const reported = await this.readL2TokenBalance(route.l2Token)
      if (reported !== undefined && reported < leg.amount) {
        throw new EscapeError(`The L2 node reports ${reported} units of ${leg.symbol ?? leg.l1Token} (L2 token ${route.l2Token}) for ${this.account}, less than the ${leg.amount} to withdraw.`, {
          kind: 'user-action',
          steps: ['Withdraw at most what you hold on L2. If you think the L2 node is wrong, try another L2 RPC: an L2 withdrawal that cannot pay is reverted by the token and nothing comes out.'],
        })
      }
      built = buildL2TokenWithdrawalTx({ l2ChainId: this.network.l2ChainId, nonce, l2GatewayRouter: route.l2GatewayRouter, l1Token: leg.l1Token, destination, amount: leg.amount, currentL2BaseFee: p.l2BaseFeeReported })
      token = { ...route, l1GatewayRouter: getAddress(l1GatewayRouter) }
    }
    for (const line of built.explanation) this.progress('sign-l2-tx', `${this.legLabel(leg)}${line}`)
    this.progress('sign-l2-tx', `${this.legLabel(leg)}Confirm the L2 withdrawal on your Ledger. It is signed for the L2 chain and will NOT be sent to the L2 network.`)
    // What the device will show (for blind signing: the hash to compare), before it asks.
    this.progress('sign-l2-tx', this.deps.signer.describeDisplay(built.request).instruction)
    const signed = await this.deps.signer.signTransaction({ path: this.params.signerPath, request: built.request, expectedFrom: this.account, signal: this.deps.signal })
    return {
      hash: signed.hash, raw: signed.raw, nonce: built.request.nonce, maxFeePerGas: built.request.type === 'eip1559' ? built.request.maxFeePerGas : 0n,
      ...(token ? { token } : {}),
    }
  }

  /** The user's L2 token balance as the untrusted L2 node reports it; undefined when it does not answer the call. */
  private async readL2TokenBalance(l2Token: Address): Promise<bigint | undefined> {
    try {
      const { data } = await this.deps.l2.call({ to: l2Token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [this.account] }) })
      return data ? decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data }) : undefined
    } catch {
      return undefined
    }
  }

  private async waitConfirmation(leg: EscapeLeg, signed: StepResult<typeof signL2TxStep>, sequencing: StepResult<typeof detectSequencingStep>): Promise<StepResult<typeof waitConfirmationStep>> {
    const l2TxHash = signed.hash
    const source = this.l2Source
    for (;;) {
      const confirmed = await readLatestConfirmedAssertion(this.deps.l1, this.network)
      // Our withdrawal as the node reports it: the L2ToL1Tx log of our own transaction, by its hash (nobody else's sends).
      const ours = await this.readOurSend(l2TxHash)
      if (ours) {
        // Throws ArbSendRootMismatchError / ArbUntrustedDataError if the node's proof does not reach the confirmed
        // root from our own leaf: nothing is signed, and the job resumes with another L2 RPC.
        const proven = await readVerifiedWithdrawalProof({
          l2: this.deps.l2, send: ours, confirmed, source, onProgress: (message) => this.progress('wait-confirmation', message),
        })
        if (proven.status === 'proven') {
          this.checkOurSend(ours, leg, signed)
          this.progress(
            'wait-confirmation',
            `Withdrawal #${ours.position} is under the confirmed send root ${confirmed.sendRoot} (proof ${proven.method === 'node-interface' ? 'from the L2 node\'s NodeInterface' : 'rebuilt from the full send list'}, checked against L1).`,
          )
          return {
            position: ours.position,
            sendRoot: confirmed.sendRoot,
            assertionHash: confirmed.assertionHash,
            l2BlockHash: confirmed.l2BlockHash,
            confirmedSize: proven.size,
            l2Block: ours.l2Block,
            send: { ...ours, l2TransactionHash: ours.l2TransactionHash ?? null },
            proofMethod: proven.method,
          }
        }
      } else if (confirmed.sendRoot !== ZERO_ROOT) {
        await this.checkMissingSend(l2TxHash, confirmed, sequencing.batch)
      }
      this.progress('wait-confirmation', 'Waiting for an assertion covering the withdrawal to be confirmed on L1 (BoLD confirm period).')
      await this.deps.waitForConfirmation('an assertion covering the withdrawal')
    }
  }

  /** The one send our L2 withdrawal made, as the L2 node's receipt reports it (untrusted until proven). */
  private async readOurSend(l2TxHash: Hex): Promise<L2ToL1SendLog | undefined> {
    const sends = await readL2TxSends(this.deps.l2, l2TxHash, this.l2Source)
    if (sends && sends.length > 1) {
      throw new ArbUntrustedDataError(`${this.l2Source} reports ${sends.length} withdrawals in your L2 transaction, which makes exactly one.`, { details: l2TxHash })
    }
    return sends?.[0]
  }

  /**
   * The node shows no withdrawal in our transaction's receipt. One receipt cannot prove an absence, so only on this
   * rare path is the full send list read, verified against the confirmed root, before anything is concluded.
   */
  private async checkMissingSend(l2TxHash: Hex, confirmed: ConfirmedAssertion, batch: bigint): Promise<void> {
    const source = this.l2Source
    this.progress('wait-confirmation', `${source} shows no withdrawal in your L2 transaction's receipt; checking its full list of withdrawals against L1.`)
    // Throws ArbSendRootMismatchError if the node's list does not hash to the confirmed root: nothing is signed.
    const verified = verifySendList({ sends: await readL2Sends(this.deps.l2), confirmedSendRoot: confirmed.sendRoot, source })
    if (verified.sends.some((s) => s.l2TransactionHash?.toLowerCase() === l2TxHash.toLowerCase())) {
      throw new ArbUntrustedDataError(`${source} lists your withdrawal in its send list but not in your transaction's receipt.`, { details: l2TxHash })
    }
    await this.failIfCoveredWithoutSend(confirmed.assertionHash, batch)
  }

  /**
   * The send must be exactly what we signed: our account, our destination, our amount — for a token, the token's
   * gateways (from L1) releasing our token and amount to our destination (verifyTokenWithdrawalSend).
   */
  private checkOurSend(send: L2ToL1Send, leg: EscapeLeg, signed: StepResult<typeof signL2TxStep>): void {
    if (leg.kind === 'erc20') {
      const route = signed.token
      if (!route) throw new EscapeError('This job\'s token withdrawal has no journaled gateway route.', { kind: 'critical', details: `asset ${leg.index + 1}` })
      verifyTokenWithdrawalSend(send, {
        l1Gateway: getAddress(route.l1Gateway), l2Gateway: getAddress(route.l2Gateway), l1Token: leg.l1Token, from: this.account, to: getAddress(this.params.destination), amount: leg.amount,
      }, this.l2Source)
      return
    }
    if (getAddress(send.l2Sender) !== this.account || getAddress(send.to) !== getAddress(this.params.destination) || send.value !== leg.amount) {
      throw new ArbUntrustedDataError('The confirmed withdrawal does not match the one you signed.', {
        details: `sender ${send.l2Sender}, to ${send.to}, value ${send.value}`,
      })
    }
  }

  /** A confirmed assertion past our batch without our send means ArbOS dropped the L2 tx (nonce, fee or balance). */
  private async failIfCoveredWithoutSend(assertionHash: Hex, batch: bigint): Promise<void> {
    const afterBatch = await readAssertionAfterBatch(this.deps.l1, this.network.contracts.rollup, assertionHash)
    if (afterBatch !== undefined && afterBatch > batch) {
      throw new EscapeError('Your L2 withdrawal was sequenced and the state after it is confirmed, but it produced no withdrawal.', {
        kind: 'critical',
        steps: [
          'ArbOS dropped the L2 transaction (its nonce was already used, the fee cap was too low, or the balance too small).',
          'Check the L2 nonce and balance with `escape-hatch arb status`, then start a new escape.',
        ],
      })
    }
  }

  private async execute(leg: EscapeLeg, signed: StepResult<typeof signL2TxStep>, confirmed: StepResult<typeof waitConfirmationStep>): Promise<StepResult<typeof executeWithdrawalStep>> {
    const { position, sendRoot } = confirmed
    const stepName = legStepName('execute-withdrawal', leg.index)
    const stepTxs = (await this.state()).txs.filter((t) => t.step === stepName)
    if (stepTxs.length === 0) {
      const spent = await this.deps.l1.readContract({ address: this.network.contracts.outbox, abi: outboxAbi, functionName: 'isSpent', args: [position] })
      if (spent) {
        const e = new ArbAlreadySpentError(`Withdrawal #${position} was already executed on L1 by someone else.`)
        this.progress('execute-withdrawal', e.shortMessage)
        return { l1TxHash: null, alreadySpent: true }
      }
    }
    // Fetch the proof again and verify it again against the confirmed root (an answer is never trusted from an earlier
    // run); the withdrawal's fields and the confirmed size were journaled once they were verified.
    const send = toL2ToL1Send(confirmed.send)
    this.checkOurSend(send, leg, signed)
    const proven = await readVerifiedWithdrawalProof({
      l2: this.deps.l2,
      send: { ...send, position },
      confirmed: { sendRoot, l2BlockHash: confirmed.l2BlockHash },
      size: confirmed.confirmedSize,
      source: this.l2Source,
      onProgress: (message) => this.progress('execute-withdrawal', message),
    })
    if (proven.status !== 'proven') throw new ArbUntrustedDataError(`${this.l2Source} no longer shows withdrawal #${position} under the confirmed send root.`)
    // The builder checks the proof against the confirmed root once more: an unverified proof never becomes a request.
    const call = buildExecuteTransactionTx({ network: this.network, send, index: position, proof: proven.proof, confirmedSendRoot: sendRoot })
    const result = await this.forcedOf(leg).sendL1(stepName, call)
    if (result.status !== 'success') {
      const spent = await this.deps.l1.readContract({ address: this.network.contracts.outbox, abi: outboxAbi, functionName: 'isSpent', args: [position] })
      if (spent) return { l1TxHash: result.hash, alreadySpent: true, reverted: true }
      throw new EscapeError('The Outbox executeTransaction reverted on L1.', { details: result.hash })
    }
    if (leg.kind === 'erc20') await this.checkTokensPaid(leg, signed, result.hash)
    return { l1TxHash: result.hash, alreadySpent: false, l1Block: result.blockNumber, proofMethod: proven.method }
  }

  /** On L1, the execution must have moved our tokens from the L1 gateway to our destination (its Transfer log). */
  private async checkTokensPaid(leg: Extract<EscapeLeg, { kind: 'erc20' }>, signed: StepResult<typeof signL2TxStep>, txHash: Hex): Promise<void> {
    const receipt = await this.deps.l1.getTransactionReceipt({ hash: txHash })
    const destination = getAddress(this.params.destination)
    const paid = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs }).some(
      (l) => isAddressEqual(l.address, leg.l1Token) && isAddressEqual(l.args.to, destination) && l.args.value === leg.amount && (!signed.token || isAddressEqual(l.args.from, signed.token.l1Gateway)),
    )
    if (!paid) {
      throw new EscapeError(`The withdrawal was executed on L1, but no transfer of ${leg.amount} units of ${leg.symbol ?? leg.l1Token} to ${destination} shows in it.`, {
        kind: 'critical',
        steps: ['Check your token balance on L1. The gateway may have redirected the exit (a sold exit), or the token may charge a fee: contact support with the transaction hash.'],
        details: txHash,
      })
    }
    this.progress('execute-withdrawal', `${this.legLabel(leg)}${leg.amount} units of ${leg.symbol ?? leg.l1Token} paid to ${destination} on L1.`)
  }
}

async function readAssertionAfterBatch(l1: ArbL1FullClient, rollup: Address, assertionHash: Hex): Promise<bigint | undefined> {
  const event = rollupUserLogicAbi.find((i) => i.type === 'event' && i.name === 'AssertionCreated') as Extract<(typeof rollupUserLogicAbi)[number], { type: 'event'; name: 'AssertionCreated' }>
  const node = await l1.readContract({ address: rollup, abi: rollupUserLogicAbi, functionName: 'getAssertion', args: [assertionHash] })
  const logs = await l1.getLogs({ address: rollup, event, args: { assertionHash }, fromBlock: node.createdAtBlock, toBlock: node.createdAtBlock })
  const log = logs[0]
  if (!log) return undefined
  return log.args.assertion?.afterState.globalState.u64Vals[0]
}

/** The withdrawal's fields as the send hash covers them (what the Outbox checks). */
function toL2ToL1Send(s: StepResult<typeof waitConfirmationStep>['send']): L2ToL1Send {
  return { l2Sender: getAddress(s.l2Sender), to: getAddress(s.to), l2Block: s.l2Block, l1Block: s.l1Block, l2Timestamp: s.l2Timestamp, value: s.value, data: s.data }
}
