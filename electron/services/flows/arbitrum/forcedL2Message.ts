/**
 * The forced-inclusion half of an Arbitrum job, shared by every job that carries a signed L2 transaction through the
 * L1 delayed inbox (the ETH escape's withdrawal, a retryable's redeem): send it with Inbox.sendL2Message, track its
 * delayed message, wait out the force-inclusion delay, force it in, and find the batch that sequenced it.
 *
 *   send-l2-message → track-message → wait-force-inclusion → force-inclusion → detect-sequencing
 *
 * (and the 'prepare' step before them). Each method is one step's work (the step schemas are arbitrumEscapeSteps.ts); the job's runner journals the results.
 * L1 transactions go through sendL1: signed once, journaled before they are sent, re-sent (never re-signed) on resume.
 */
import type { Address, Hex } from 'viem'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { ArbNotFoundError, ArbUntrustedDataError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { findSequencingBatch } from '../../../../shared/rollups/arbitrum-nitro/status/findSequencingBatch'
import { getForceInclusionStatus } from '../../../../shared/rollups/arbitrum-nitro/status/getForceInclusionStatus'
import { checkArbitrumWiring, readArbitrumParameters } from '../../../../shared/rollups/arbitrum-nitro/status/readArbitrumParameters'
import { locateDelayedMessage } from '../../../../shared/rollups/arbitrum-nitro/status/locateDelayedMessage'
import { readDelayedMessagesFromTx } from '../../../../shared/rollups/arbitrum-nitro/status/trackDelayedMessage'
import { buildForceInclusionTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildForceInclusionTx'
import { buildSendL2MessageTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import type { L1Call } from '../../../../shared/rollups/arbitrum-nitro/tx/l1Call'
import { sendL1Once } from '../../broadcast/sendL1Once'
import type { StepResult } from '../../jobs/defineStep'
import type { JobRun } from '../../jobs/runJob'
import type { detectSequencingStep, forceInclusionStep, prepareStep, sendL2MessageStep, signL2TxStep, trackMessageStep, waitForceInclusionStep } from './arbitrumEscapeSteps'
import { findDeliveredL2Message, type DeliveredL2Message } from './findDeliveredL2Message'
import type { ArbitrumEscapeDeps } from './runArbitrumEscape'

export interface ForcedL2MessageContext {
  run: JobRun
  deps: Pick<ArbitrumEscapeDeps, 'store' | 'signer' | 'l1' | 'l2' | 'waitForL1Block' | 'pause' | 'broadcast' | 'signal' | 'maxPauses' | 'decompressor' | 'blobs'>
  network: ArbitrumNetwork
  /** The user's account: it signs the L2 transaction and pays the L1 ones. */
  account: Address
  signerPath: string
  /** Where signed L1 transactions are sent; throws a user-action error when the job has none. */
  l1Endpoints(): readonly string[]
  progress(step: string, message: string): void
  /** The error to stop with when the L2 node reports the forced L2 transaction failed (undefined: carry on). */
  failedL2Tx?(l2TxHash: Hex): EscapeError | undefined
  /**
   * The journal name of a step for this message (a job forcing several L2 transactions in, one per asset, names
   * each one's steps apart); default: the plain name.
   */
  stepName?(step: 'send-l2-message' | 'force-inclusion'): string
}

export class ForcedL2Message {
  constructor(private readonly c: ForcedL2MessageContext) {}

  private name(step: 'send-l2-message' | 'force-inclusion'): string {
    return this.c.stepName?.(step) ?? step
  }

  /** The 'prepare' step: the contracts' wiring and parameters on L1, and the account as the untrusted L2 RPC reports it. */
  async prepare(l2NonceOverride: number | undefined): Promise<StepResult<typeof prepareStep>> {
    const { l1, l2 } = this.c.deps
    const { network, account } = this.c
    this.c.progress('prepare', `Checking the ${network.name} contracts on L1…`)
    await checkArbitrumWiring(l1, network)
    const p = await readArbitrumParameters(l1, network)
    const l2ChainId = await l2.getChainId()
    if (l2ChainId !== network.l2ChainId) {
      throw new ArbUntrustedDataError(`The L2 RPC is on chain ${l2ChainId}, not ${network.name} (${network.l2ChainId}).`)
    }
    const [reportedNonce, reportedBalance, block] = await Promise.all([
      l2.getTransactionCount({ address: account }),
      l2.getBalance({ address: account }),
      l2.getBlock({ blockTag: 'latest' }),
    ])
    return {
      l2Nonce: l2NonceOverride ?? reportedNonce,
      l2NonceSource: l2NonceOverride === undefined ? 'L2 RPC (untrusted)' : 'user',
      l2BalanceReported: reportedBalance,
      l2BaseFeeReported: block.baseFeePerGas ?? 0n,
      delayBlocks: p.delayBlocks,
      bufferBlocks: p.buffer?.bufferBlocks ?? null,
      confirmPeriodBlocks: p.confirmPeriodBlocks,
      maxDataSize: p.maxDataSize,
      l1Block: p.l1BlockNumber,
    }
  }

  /**
   * Sign (once) and send an L1 call through the journaled broadcaster; on resume re-send the journaled bytes. Never
   * twice for one step (issue 14): before a new signature, a damaged journal stops everything; the step's transaction
   * found on L1 (`findOnChain`) is adopted and journaled as found; an unknown pending transaction of the account waits.
   */
  async sendL1(step: string, call: L1Call, findOnChain?: () => Promise<DeliveredL2Message | undefined>): Promise<{ hash: Hex; status: 'success' | 'reverted'; blockNumber: bigint }> {
    const { deps } = this.c
    return sendL1Once({
      store: deps.store, jobId: this.c.run.jobId, step, call, account: this.c.account, signerPath: this.c.signerPath, signer: deps.signer,
      l1: deps.l1, endpoints: this.c.l1Endpoints(), damagedError: () => damagedJobError(this.c.run.jobId),
      broadcast: deps.broadcast, signal: deps.signal, progress: (m) => this.c.progress(step, m),
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

  async sendL2Message(signed: StepResult<typeof signL2TxStep>, prepared: Pick<StepResult<typeof prepareStep>, 'maxDataSize' | 'l1Block' | 'delayBlocks'>): Promise<StepResult<typeof sendL2MessageStep>> {
    const call = buildSendL2MessageTx({ network: this.c.network, signedL2Tx: signed.raw, maxDataSize: Number(prepared.maxDataSize) })
    // Our signed withdrawal already in the delayed inbox (a lost journal record, or anyone who pushed it): adopt it.
    // Another one of this account with the same L2 nonce still waiting there (a second escape): ArbOS runs only one.
    const result = await this.sendL1(this.name('send-l2-message'), call, async () => {
      const found = await findDeliveredL2Message({ l1: this.c.deps.l1, network: this.c.network, account: this.c.account, signedL2Tx: signed.raw, fromBlock: prepared.l1Block, delayBlocks: prepared.delayBlocks })
      if (found.sameNonce) {
        const m = found.sameNonce
        throw new EscapeError(`Another withdrawal signed by ${this.c.account} with L2 nonce ${m.l2Nonce} is already waiting in the ${this.c.network.name} delayed inbox (message #${m.messageIndex}, L1 transaction ${m.l1TxHash}).`, {
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

  async trackMessage(sent: StepResult<typeof sendL2MessageStep>): Promise<StepResult<typeof trackMessageStep>> {
    const messages = await readDelayedMessagesFromTx(this.c.deps.l1, this.c.network, sent.l1TxHash)
    const m = messages[0]
    if (!m || messages.length !== 1) throw new ArbNotFoundError('The sendL2Message transaction did not create exactly one delayed message.', { kind: 'critical' })
    this.c.progress('track-message', `Delayed message #${m.index} at L1 block ${m.l1BlockNumber}.`)
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

  async waitForceInclusion(message: StepResult<typeof trackMessageStep>): Promise<StepResult<typeof waitForceInclusionStep>> {
    const m = { index: message.index, l1BlockNumber: message.l1Block }
    for (;;) {
      const s = await getForceInclusionStatus(this.c.deps.l1, this.c.network, m)
      if (s.sequenced) {
        this.c.progress('wait-force-inclusion', 'The sequencer included the message on its own; no need to force it.')
        return { deadlineBlock: s.deadlineBlock, sequencedWithoutForcing: true }
      }
      if (s.canForceNow) return { deadlineBlock: s.deadlineBlock, sequencedWithoutForcing: false }
      this.c.progress('wait-force-inclusion', `Waiting for L1 block ${s.deadlineBlock} (force inclusion possible from ${s.firstIncludableBlock}, ${s.blocksToWait} L1 blocks from now).`)
      await this.c.deps.waitForL1Block(s.deadlineBlock, 'force-inclusion deadline')
    }
  }

  async forceInclusion(message: StepResult<typeof trackMessageStep>, waited: StepResult<typeof waitForceInclusionStep>): Promise<StepResult<typeof forceInclusionStep>> {
    const index = message.index
    const journaled = (await this.c.run.state()).txs.some((t) => t.step === this.name('force-inclusion'))
    if (waited.sequencedWithoutForcing && !journaled) return { l1TxHash: null, forcedUpTo: null }
    if (!journaled) {
      const s = await getForceInclusionStatus(this.c.deps.l1, this.c.network, { index, l1BlockNumber: message.l1Block })
      if (s.sequenced) return { l1TxHash: null, forcedUpTo: null }
      if (!s.canForceNow) throw new EscapeError('The delayed message is not eligible for force inclusion yet.', { kind: 'temporary', details: `deadline block ${s.deadlineBlock}` })
    }
    // Force exactly our own message (it includes every earlier unread one). Built only from journaled facts, the call
    // is the same on every run — an air-gapped signature made hours ago still matches it — whereas "the newest eligible
    // message" changes with every deposit on a busy chain.
    const forcedUpTo = index
    const result = await this.sendL1(this.name('force-inclusion'), buildForceInclusionTx({ network: this.c.network, message: { ...message, l1BlockNumber: message.l1Block } }))
    if (result.status !== 'success') {
      const after = await getForceInclusionStatus(this.c.deps.l1, this.c.network, { index, l1BlockNumber: message.l1Block })
      // Someone (the sequencer, or another user's forceInclusion) included it first: ours reverts with DelayedBackwards.
      if (after.sequenced) return { l1TxHash: result.hash, forcedUpTo: null, reverted: true }
      throw new EscapeError('The forceInclusion transaction reverted on L1.', { details: result.hash })
    }
    return { l1TxHash: result.hash, forcedUpTo, l1Block: result.blockNumber }
  }

  async detectSequencing(message: StepResult<typeof trackMessageStep>, signed: StepResult<typeof signL2TxStep>): Promise<StepResult<typeof detectSequencingStep>> {
    const index = message.index
    let batch
    for (let i = 0; ; i++) {
      batch = await findSequencingBatch(this.c.deps.l1, this.c.network, index, message.l1Block)
      if (batch) break
      if (i >= (this.c.deps.maxPauses ?? 600)) throw new ArbNotFoundError('The delayed message is not sequenced yet.')
      await this.c.deps.pause('waiting for the message to be sequenced')
    }
    this.c.progress('detect-sequencing', `Sequenced in batch ${batch.sequenceNumber}${batch.forced ? ' (force-included)' : ''} at L1 block ${batch.l1BlockNumber}.`)
    // The L2 block number as the L2 node reports it; it becomes a fact once the send is proven (l2Block is in the send hash).
    let l2Block: bigint | null = null
    for (let i = 0; i < (this.c.deps.maxPauses ?? 600); i++) {
      const receipt = await this.c.deps.l2.getTransactionReceipt({ hash: signed.hash }).catch(() => undefined)
      if (receipt) {
        const failed = receipt.status !== 'success' ? this.c.failedL2Tx?.(signed.hash) : undefined
        if (failed) throw failed
        l2Block = receipt.blockNumber
        break
      }
      await this.c.deps.pause('waiting for the L2 node to process the batch')
    }
    // From L1 alone where the chain is small enough to replay: the L2 node must agree, or it is lying.
    const located = this.c.deps.decompressor
      ? await locateDelayedMessage({ l1: this.c.deps.l1, network: this.c.network, delayedIndex: index, decompressor: this.c.deps.decompressor, blobs: this.c.deps.blobs })
      : undefined
    if (located && l2Block !== null && l2Block !== located.l2Block) {
      throw new ArbUntrustedDataError(`The L2 RPC puts your transaction in L2 block ${l2Block}, but the batches on L1 put it in block ${located.l2Block}.`, {
        details: `delayed message ${index}, message index ${located.messageIndex}, batch ${located.batch}`,
      })
    }
    if (located) this.c.progress('detect-sequencing', `From L1 alone: L2 message ${located.messageIndex}, L2 block ${located.l2Block}.`)
    return {
      batch: batch.sequenceNumber, batchL1Block: batch.l1BlockNumber, batchTx: batch.l1TransactionHash, forced: batch.forced, l2BlockReported: l2Block,
      l2BlockFromL1: located ? located.l2Block : null,
    }
  }
}

export function damagedJobError(jobId: string): EscapeError {
  return new EscapeError('This job\'s journal is damaged, so nothing will be signed for it.', {
    kind: 'user-action',
    steps: ['Records this job had written may be missing: a transaction it signed may already be on L1. Look at it with `escape-hatch jobs show` and contact support.'],
    details: `job ${jobId}`,
  })
}
