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
import { getAddress, type Address, type Hex, type PublicClient } from 'viem'
import { outboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Outbox'
import { rollupUserLogicAbi } from '../../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import type { JobState } from '../../../../shared/journal/reduce'
import { ArbAlreadySpentError, ArbSendRootMismatchError, ArbUntrustedDataError, ArbNotFoundError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import type { ArbL2Client } from '../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { L2ToL1Send } from '../../../../shared/rollups/arbitrum-nitro/proof/calculateSendHash'
import type { L2ToL1SendLog } from '../../../../shared/rollups/arbitrum-nitro/proof/decodeL2ToL1TxLog'
import { verifySendList } from '../../../../shared/rollups/arbitrum-nitro/proof/verifySendList'
import { findSequencingBatch } from '../../../../shared/rollups/arbitrum-nitro/status/findSequencingBatch'
import { getForceInclusionStatus } from '../../../../shared/rollups/arbitrum-nitro/status/getForceInclusionStatus'
import { checkArbitrumWiring, readArbitrumParameters } from '../../../../shared/rollups/arbitrum-nitro/status/readArbitrumParameters'
import { readLatestConfirmedAssertion, ZERO_ROOT, type ConfirmedAssertion } from '../../../../shared/rollups/arbitrum-nitro/status/readConfirmedAssertion'
import { readL2Sends } from '../../../../shared/rollups/arbitrum-nitro/status/readL2Sends'
import { readL2TxSends } from '../../../../shared/rollups/arbitrum-nitro/status/readL2TxSends'
import { readVerifiedWithdrawalProof, type WithdrawalProofMethod } from '../../../../shared/rollups/arbitrum-nitro/status/readVerifiedWithdrawalProof'
import { readDelayedMessagesFromTx } from '../../../../shared/rollups/arbitrum-nitro/status/trackDelayedMessage'
import { buildExecuteTransactionTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildExecuteTransactionTx'
import { buildForceInclusionTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildForceInclusionTx'
import { buildL2WithdrawalTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildSendL2MessageTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import type { L1Call } from '../../../../shared/rollups/arbitrum-nitro/tx/l1Call'
import type { Signer } from '../../../../shared/signing/Signer'
import type { BlobSource } from '../../../../shared/l1/BlobSource'
import type { Kzg } from '../../../../shared/l1/kzg'
import type { BrotliDecompressor } from '../../../../shared/rollups/arbitrum-nitro/derive/BrotliDecompressor'
import { locateDelayedMessage } from '../../../../shared/rollups/arbitrum-nitro/status/locateDelayedMessage'
import type { BroadcastJournal } from '../../journal/journalPort'
import { sendL1Once } from '../../broadcast/sendL1Once'
import type { WatchOptions } from '../../broadcast/watchJournaledTx'
import { findDeliveredL2Message, type DeliveredL2Message } from './findDeliveredL2Message'
import type { StepResult } from '../../jobs/defineStep'
import { runJob, type JobRun } from '../../jobs/runJob'
import {
  detectSequencingStep,
  executeWithdrawalStep,
  forceInclusionStep,
  prepareStep,
  sendL2MessageStep,
  signL2TxStep,
  trackMessageStep,
  waitConfirmationStep,
  waitForceInclusionStep,
} from './arbitrumEscapeSteps'
import { arbitrumEscapeParamsSchema, type ArbitrumEscapeParams, type ArbitrumEscapeStep } from './arbitrumEscapeJob'

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
    summarize: (r) => (r.alreadySpent ? `Withdrawal #${r.sendPosition} had already been executed.` : `Withdrawal #${r.sendPosition} executed in ${r.executeTx}.`),
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

  constructor(
    private readonly run: JobRun,
    private readonly params: ArbitrumEscapeParams,
    private readonly deps: ArbitrumEscapeDeps,
  ) {
    this.jobId = run.jobId
    this.network = params.network
    this.account = getAddress(params.account)
  }

  async all(): Promise<ArbitrumEscapeResult> {
    const step = this.run.step.bind(this.run)
    const prepared = await step(prepareStep, () => this.prepare())
    const signed = await step(signL2TxStep, () => this.signL2Tx(prepared))
    const sent = await step(sendL2MessageStep, () => this.sendL2Message(signed, prepared))
    const message = await step(trackMessageStep, () => this.trackMessage(sent))
    const waited = await step(waitForceInclusionStep, () => this.waitForceInclusion(message))
    const forced = await step(forceInclusionStep, () => this.forceInclusion(message, waited))
    const sequencing = await step(detectSequencingStep, () => this.detectSequencing(message, signed))
    const confirmed = await step(waitConfirmationStep, () => this.waitConfirmation(signed, sequencing))
    const executed = await step(executeWithdrawalStep, () => this.execute(confirmed))
    return {
      jobId: this.jobId,
      l2TxHash: signed.hash,
      sendL2MessageTx: sent.l1TxHash,
      forceInclusionTx: forced.l1TxHash ?? undefined,
      messageIndex: message.index.toString(),
      sequencedInBatch: sequencing.batch.toString(),
      forced: sequencing.forced,
      l2Block: confirmed.l2Block.toString(),
      sendPosition: confirmed.position.toString(),
      confirmedSendRoot: confirmed.sendRoot,
      executeTx: executed.l1TxHash ?? undefined,
      alreadySpent: executed.alreadySpent,
      ...(executed.proofMethod ? { proofMethod: executed.proofMethod } : {}),
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

  private async prepare(): Promise<StepResult<typeof prepareStep>> {
    const { l1, l2 } = this.deps
    this.progress('prepare', `Checking the ${this.network.name} contracts on L1…`)
    await checkArbitrumWiring(l1, this.network)
    const p = await readArbitrumParameters(l1, this.network)
    const l2ChainId = await l2.getChainId()
    if (l2ChainId !== this.network.l2ChainId) {
      throw new ArbUntrustedDataError(`The L2 RPC is on chain ${l2ChainId}, not ${this.network.name} (${this.network.l2ChainId}).`)
    }
    const [reportedNonce, reportedBalance, block] = await Promise.all([
      l2.getTransactionCount({ address: this.account }),
      l2.getBalance({ address: this.account }),
      l2.getBlock({ blockTag: 'latest' }),
    ])
    const nonce = this.params.l2Nonce ?? reportedNonce
    return {
      l2Nonce: nonce,
      l2NonceSource: this.params.l2Nonce === undefined ? 'L2 RPC (untrusted)' : 'user',
      l2BalanceReported: reportedBalance,
      l2BaseFeeReported: block.baseFeePerGas ?? 0n,
      delayBlocks: p.delayBlocks,
      bufferBlocks: p.buffer?.bufferBlocks ?? null,
      confirmPeriodBlocks: p.confirmPeriodBlocks,
      maxDataSize: p.maxDataSize,
      l1Block: p.l1BlockNumber,
    }
  }

  private async signL2Tx(p: StepResult<typeof prepareStep>): Promise<StepResult<typeof signL2TxStep>> {
    const amount = BigInt(this.params.amountWei)
    const built = buildL2WithdrawalTx({
      l2ChainId: this.network.l2ChainId,
      nonce: p.l2Nonce,
      destination: getAddress(this.params.destination),
      value: amount,
      currentL2BaseFee: p.l2BaseFeeReported,
    })
    const balance = p.l2BalanceReported
    if (balance < amount + built.maxGasCost) {
      throw new EscapeError(`The L2 balance reported for ${this.account} (${balance} wei) does not cover ${amount} wei plus up to ${built.maxGasCost} wei of L2 gas.`, {
        kind: 'user-action',
        steps: ['Withdraw a smaller amount, leaving room for the L2 fee.'],
      })
    }
    for (const line of built.explanation) this.progress('sign-l2-tx', line)
    this.progress('sign-l2-tx', 'Confirm the L2 withdrawal on your Ledger. It is signed for the L2 chain and will NOT be sent to the L2 network.')
    // What the device will show (for blind signing: the hash to compare), before it asks.
    this.progress('sign-l2-tx', this.deps.signer.describeDisplay(built.request).instruction)
    const signed = await this.deps.signer.signTransaction({ path: this.params.signerPath, request: built.request, expectedFrom: this.account, signal: this.deps.signal })
    return { hash: signed.hash, raw: signed.raw, nonce: built.request.nonce, maxFeePerGas: built.request.type === 'eip1559' ? built.request.maxFeePerGas : 0n }
  }

  /**
   * Sign (once) and send an L1 call through the journaled broadcaster; on resume re-send the journaled bytes. Never
   * twice for one step (issue 14): before a new signature, a damaged journal stops everything; the step's transaction
   * found on L1 (`findOnChain`) is adopted and journaled as found; an unknown pending transaction of the account waits.
   */
  private async sendL1(step: ArbitrumEscapeStep, call: L1Call, findOnChain?: () => Promise<DeliveredL2Message | undefined>): Promise<{ hash: Hex; status: 'success' | 'reverted'; blockNumber: bigint }> {
    return sendL1Once({
      store: this.deps.store, jobId: this.jobId, step, call, account: this.account, signerPath: this.params.signerPath, signer: this.deps.signer,
      l1: this.deps.l1, endpoints: this.l1Endpoints(), damagedError: () => damagedJobError(this.jobId),
      broadcast: this.deps.broadcast, signal: this.deps.signal, progress: (m) => this.progress(step, m),
      ...(findOnChain
        ? {
            findOnChain: async () => {
              const found = await findOnChain()
              return found && { hash: found.l1TxHash, from: found.from, nonce: found.nonce, blockNumber: found.blockNumber, status: found.status, what: `delayed message #${found.messageIndex}` }
            },
          }
        : {}),
    })
  }

  private async sendL2Message(signed: StepResult<typeof signL2TxStep>, prepared: StepResult<typeof prepareStep>): Promise<StepResult<typeof sendL2MessageStep>> {
    const call = buildSendL2MessageTx({ network: this.network, signedL2Tx: signed.raw, maxDataSize: Number(prepared.maxDataSize) })
    // Our signed withdrawal already in the delayed inbox (a lost journal record, or anyone who pushed it): adopt it.
    // Another one of this account with the same L2 nonce still waiting there (a second escape): ArbOS runs only one.
    const result = await this.sendL1('send-l2-message', call, async () => {
      const found = await findDeliveredL2Message({ l1: this.deps.l1, network: this.network, account: this.account, signedL2Tx: signed.raw, fromBlock: prepared.l1Block, delayBlocks: prepared.delayBlocks })
      if (found.sameNonce) {
        const m = found.sameNonce
        throw new EscapeError(`Another withdrawal signed by ${this.account} with L2 nonce ${m.l2Nonce} is already waiting in the ${this.network.name} delayed inbox (message #${m.messageIndex}, L1 transaction ${m.l1TxHash}).`, {
          kind: 'user-action',
          steps: [
            'ArbOS executes only one transaction per nonce, so this one would be dropped: nothing was signed. Resume the escape that sent it (`escape-hatch jobs list`), or abandon this job.',
          ],
          details: `L2 transaction ${m.l2TxHash}`,
        })
      }
      return found.ours
    })
    if (result.status !== 'success') throw new EscapeError('The sendL2Message transaction reverted on L1.', { details: result.hash })
    return { l1TxHash: result.hash, l1Block: result.blockNumber }
  }

  private async trackMessage(sent: StepResult<typeof sendL2MessageStep>): Promise<StepResult<typeof trackMessageStep>> {
    const messages = await readDelayedMessagesFromTx(this.deps.l1, this.network, sent.l1TxHash)
    const m = messages[0]
    if (!m || messages.length !== 1) throw new ArbNotFoundError('The sendL2Message transaction did not create exactly one delayed message.', { kind: 'critical' })
    this.progress('track-message', `Delayed message #${m.index} at L1 block ${m.l1BlockNumber}.`)
    return {
      index: m.index,
      kind: m.kind,
      sender: m.sender,
      l1Block: m.l1BlockNumber,
      timestamp: m.timestamp,
      baseFeeL1: m.baseFeeL1,
      messageDataHash: m.messageDataHash,
      beforeInboxAcc: m.beforeInboxAcc,
    }
  }

  private async waitForceInclusion(message: StepResult<typeof trackMessageStep>): Promise<StepResult<typeof waitForceInclusionStep>> {
    const m = { index: message.index, l1BlockNumber: message.l1Block }
    for (;;) {
      const s = await getForceInclusionStatus(this.deps.l1, this.network, m)
      if (s.sequenced) {
        this.progress('wait-force-inclusion', 'The sequencer included the message on its own; no need to force it.')
        return { deadlineBlock: s.deadlineBlock, sequencedWithoutForcing: true }
      }
      if (s.canForceNow) return { deadlineBlock: s.deadlineBlock, sequencedWithoutForcing: false }
      this.progress('wait-force-inclusion', `Waiting for L1 block ${s.deadlineBlock} (force inclusion possible from ${s.firstIncludableBlock}, ${s.blocksToWait} L1 blocks from now).`)
      await this.deps.waitForL1Block(s.deadlineBlock, 'force-inclusion deadline')
    }
  }

  private async forceInclusion(message: StepResult<typeof trackMessageStep>, waited: StepResult<typeof waitForceInclusionStep>): Promise<StepResult<typeof forceInclusionStep>> {
    const index = message.index
    const journaled = (await this.state()).txs.some((t) => t.step === 'force-inclusion')
    if (waited.sequencedWithoutForcing && !journaled) return { l1TxHash: null, forcedUpTo: null }
    if (!journaled) {
      const s = await getForceInclusionStatus(this.deps.l1, this.network, { index, l1BlockNumber: message.l1Block })
      if (s.sequenced) return { l1TxHash: null, forcedUpTo: null }
      if (!s.canForceNow) throw new EscapeError('The delayed message is not eligible for force inclusion yet.', { kind: 'temporary', details: `deadline block ${s.deadlineBlock}` })
    }
    // Force exactly our own message (it includes every earlier unread one). Built only from journaled facts, the call
    // is the same on every run — an air-gapped signature made hours ago still matches it — whereas "the newest eligible
    // message" changes with every deposit on a busy chain.
    const forcedUpTo = index
    const result = await this.sendL1('force-inclusion', buildForceInclusionTx({ network: this.network, message: { ...message, l1BlockNumber: message.l1Block } }))
    if (result.status !== 'success') {
      const after = await getForceInclusionStatus(this.deps.l1, this.network, { index, l1BlockNumber: message.l1Block })
      // Someone (the sequencer, or another user's forceInclusion) included it first: ours reverts with DelayedBackwards.
      if (after.sequenced) return { l1TxHash: result.hash, forcedUpTo: null, reverted: true }
      throw new EscapeError('The forceInclusion transaction reverted on L1.', { details: result.hash })
    }
    return { l1TxHash: result.hash, forcedUpTo, l1Block: result.blockNumber }
  }

  private async detectSequencing(message: StepResult<typeof trackMessageStep>, signed: StepResult<typeof signL2TxStep>): Promise<StepResult<typeof detectSequencingStep>> {
    const index = message.index
    let batch
    for (let i = 0; ; i++) {
      batch = await findSequencingBatch(this.deps.l1, this.network, index, message.l1Block)
      if (batch) break
      if (i >= (this.deps.maxPauses ?? 600)) throw new ArbNotFoundError('The delayed message is not sequenced yet.')
      await this.deps.pause('waiting for the message to be sequenced')
    }
    this.progress('detect-sequencing', `Sequenced in batch ${batch.sequenceNumber}${batch.forced ? ' (force-included)' : ''} at L1 block ${batch.l1BlockNumber}.`)
    // The L2 block number as the L2 node reports it; it becomes a fact once the send is proven (l2Block is in the send hash).
    let l2Block: bigint | null = null
    for (let i = 0; i < (this.deps.maxPauses ?? 600); i++) {
      const receipt = await this.deps.l2.getTransactionReceipt({ hash: signed.hash }).catch(() => undefined)
      if (receipt) {
        if (receipt.status !== 'success') {
          throw new EscapeError('The L2 node reports that your L2 withdrawal transaction failed.', {
            kind: 'critical',
            steps: ['Check the L2 balance and nonce with `escape-hatch arb status`, then start a new escape.'],
            details: signed.hash,
          })
        }
        l2Block = receipt.blockNumber
        break
      }
      await this.deps.pause('waiting for the L2 node to process the batch')
    }
    // From L1 alone where the chain is small enough to replay: the L2 node must agree, or it is lying.
    const located = this.deps.decompressor
      ? await locateDelayedMessage({ l1: this.deps.l1, network: this.network, delayedIndex: index, decompressor: this.deps.decompressor, blobs: this.deps.blobs })
      : undefined
    if (located && l2Block !== null && l2Block !== located.l2Block) {
      throw new ArbUntrustedDataError(`The L2 RPC puts your transaction in L2 block ${l2Block}, but the batches on L1 put it in block ${located.l2Block}.`, {
        details: `delayed message ${index}, message index ${located.messageIndex}, batch ${located.batch}`,
      })
    }
    if (located) this.progress('detect-sequencing', `From L1 alone: L2 message ${located.messageIndex}, L2 block ${located.l2Block}.`)
    return {
      batch: batch.sequenceNumber, batchL1Block: batch.l1BlockNumber, batchTx: batch.l1TransactionHash, forced: batch.forced, l2BlockReported: l2Block,
      l2BlockFromL1: located ? located.l2Block : null,
    }
  }

  private async waitConfirmation(signed: StepResult<typeof signL2TxStep>, sequencing: StepResult<typeof detectSequencingStep>): Promise<StepResult<typeof waitConfirmationStep>> {
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
          this.checkOurSend(ours)
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

  /** The send must be exactly what we signed: our account, our destination, our amount. */
  private checkOurSend(send: L2ToL1Send): void {
    if (getAddress(send.l2Sender) !== this.account || getAddress(send.to) !== getAddress(this.params.destination) || send.value !== BigInt(this.params.amountWei)) {
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

  private async execute(confirmed: StepResult<typeof waitConfirmationStep>): Promise<StepResult<typeof executeWithdrawalStep>> {
    const { position, sendRoot } = confirmed
    const stepTxs = (await this.state()).txs.filter((t) => t.step === 'execute-withdrawal')
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
    this.checkOurSend(send)
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
    const result = await this.sendL1('execute-withdrawal', call)
    if (result.status !== 'success') {
      const spent = await this.deps.l1.readContract({ address: this.network.contracts.outbox, abi: outboxAbi, functionName: 'isSpent', args: [position] })
      if (spent) return { l1TxHash: result.hash, alreadySpent: true, reverted: true }
      throw new EscapeError('The Outbox executeTransaction reverted on L1.', { details: result.hash })
    }
    return { l1TxHash: result.hash, alreadySpent: false, l1Block: result.blockNumber, proofMethod: proven.method }
  }
}

function damagedJobError(jobId: string): EscapeError {
  return new EscapeError('This job\'s journal is damaged, so nothing will be signed for it.', {
    kind: 'user-action',
    steps: ['Records this job had written may be missing: a transaction it signed may already be on L1. Look at it with `escape-hatch jobs show` and contact support.'],
    details: `job ${jobId}`,
  })
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
