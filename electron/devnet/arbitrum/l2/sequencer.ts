import { bytesToHex, encodeFunctionData, getAddress, hexToBigInt, parseGwei, zeroAddress, zeroHash, type Address, type Hex, type Kzg } from 'viem'
import { ArbitrumDevnetL2Error, ArbitrumDevnetTxRejectedError } from '../errors'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { sendL1Transaction, type DevnetKey, type L1Clients } from '../sendL1Transaction'
import { encodeBatchPayload, encodeBlobs, l2MessageFromTransactions, type BatchSegment } from './encodeSequencerBatch'
import type { L1InboxFollower, StoredDelayedMessage } from './followL1Inbox'
import { L2_BASE_FEE, intrinsicGas, parseSignedTransaction, signedTransactionsOf } from './l2Chain'
import { L1_MESSAGE_KIND, type L2Transaction } from './l2Types'

/**
 * The devnet sequencer and batch poster: accepts signed L2 transactions (refusing censored senders), and posts them
 * with the includable delayed messages as one batch in the real format to the real SequencerInbox — calldata
 * (`addSequencerL2BatchFromOrigin`, 0x00 ‖ brotli) or blobs (`addSequencerL2BatchFromBlobs`, 0x50 header) — then lets
 * the L1 follower execute it. Delayed messages are included strictly in order; a censored address's delayed message
 * stops the sequencer from including it and everything after it, which is exactly what forceInclusion exists for.
 */
export type BatchMode = 'calldata' | 'blob'

/** The L1 alias offset (AddressAliasHelper): L2 sender = L1 address + 0x1111…1111. */
const ALIAS_OFFSET = 0x1111000000000000000000000000000000001111n
export function undoL1ToL2Alias(address: Address): Address {
  return getAddress(`0x${((hexToBigInt(address) - ALIAS_OFFSET + (1n << 160n)) % (1n << 160n)).toString(16).padStart(40, '0')}`)
}

export interface PostedBatch {
  sequenceNumber: bigint
  mode: BatchMode
  l1TxHash: Hex
  delayedMessagesIncluded: number
  transactions: Hex[]
}

interface PendingTx {
  raw: Hex
  tx: L2Transaction
}

export class ArbitrumSequencer {
  private mempool: PendingTx[] = []
  private delayBufferable: boolean | undefined
  private readonly censored = new Set<string>()
  batchMode: BatchMode

  constructor(
    private readonly opts: {
      clients: L1Clients
      follower: L1InboxFollower
      sequencerInbox: Address
      bridge: Address
      batchPoster: DevnetKey
      l2ChainId: number
      batchMode: BatchMode
      kzg: () => Kzg
    },
  ) {
    this.batchMode = opts.batchMode
  }

  setCensored(address: Address, on: boolean): void {
    if (on) this.censored.add(address.toLowerCase())
    else this.censored.delete(address.toLowerCase())
  }

  isCensored(address: Address): boolean {
    return this.censored.has(address.toLowerCase())
  }

  get pending(): readonly L2Transaction[] {
    return this.mempool.map((p) => p.tx)
  }

  /** The nonce the next transaction of `address` must use: state nonce + its pending transactions. */
  pendingNonce(address: Address): bigint {
    const chain = this.opts.follower.chain
    return chain.account(address).nonce + BigInt(this.mempool.filter((p) => p.tx.from.toLowerCase() === address.toLowerCase()).length)
  }

  /** eth_sendRawTransaction: validate like a sequencer's mempool and queue; returns the tx hash. */
  async submit(raw: Hex): Promise<Hex> {
    const parsed = await parseSignedTransaction(raw, this.opts.l2ChainId)
    if ('error' in parsed) throw new ArbitrumDevnetTxRejectedError(`The devnet sequencer refused the transaction: ${parsed.error}.`)
    const { tx } = parsed
    if (tx.chainId === undefined) throw new ArbitrumDevnetTxRejectedError('The devnet sequencer refused the transaction: it is not replay-protected (EIP-155).')
    if (this.isCensored(tx.from)) {
      throw new ArbitrumDevnetTxRejectedError(`The devnet sequencer is censoring ${tx.from} and refused its transaction.`, {
        steps: ['Send it through the L1 delayed inbox (Inbox.sendL2Message) and force its inclusion after the delay.'],
      })
    }
    if (this.opts.follower.chain.findTransaction(tx.hash) || this.mempool.some((p) => p.tx.hash === tx.hash)) {
      throw new ArbitrumDevnetTxRejectedError('The devnet sequencer refused the transaction: already known.')
    }
    const expectedNonce = this.pendingNonce(tx.from)
    if (tx.nonce !== expectedNonce) {
      throw new ArbitrumDevnetTxRejectedError(`The devnet sequencer refused the transaction: nonce ${tx.nonce}, expected ${expectedNonce}.`)
    }
    const feeCap = tx.maxFeePerGas ?? tx.gasPrice ?? 0n
    if (feeCap < L2_BASE_FEE) throw new ArbitrumDevnetTxRejectedError(`The devnet sequencer refused the transaction: max fee per gas ${feeCap} is below the base fee ${L2_BASE_FEE}.`)
    if (tx.gas < intrinsicGas(tx)) throw new ArbitrumDevnetTxRejectedError(`The devnet sequencer refused the transaction: gas limit ${tx.gas} is below the intrinsic gas ${intrinsicGas(tx)}.`)
    const balance = this.opts.follower.chain.account(tx.from).balance
    const pendingCost = this.mempool
      .filter((p) => p.tx.from.toLowerCase() === tx.from.toLowerCase())
      .reduce((sum, p) => sum + p.tx.gas * (p.tx.maxFeePerGas ?? p.tx.gasPrice ?? 0n) + p.tx.value, 0n)
    if (balance < pendingCost + tx.gas * feeCap + tx.value) throw new ArbitrumDevnetTxRejectedError('The devnet sequencer refused the transaction: insufficient funds for gas × price + value.')
    this.mempool.push({ raw, tx })
    return tx.hash
  }

  /** DelayProof{beforeDelayedAcc, Messages.Message} of delayed message `index` (the first one a batch newly reads). */
  private delayProofFor(index: bigint) {
    const f = this.opts.follower
    const m = f.delayed[Number(index)]
    if (!m) throw new ArbitrumDevnetL2Error(`The devnet batch poster has no delayed message ${index} for the delay proof.`)
    return {
      beforeDelayedAcc: index > 0n ? (f.delayed[Number(index) - 1]?.acc ?? zeroHash) : zeroHash,
      delayedMessage: {
        kind: m.kind,
        sender: m.sender,
        blockNumber: m.l1BlockNumber,
        timestamp: m.timestamp,
        inboxSeqNum: m.index,
        baseFeeL1: m.baseFeeL1,
        messageDataHash: m.messageDataHash,
      },
    }
  }

  /** Whether a delayed message involves a censored address (signed-tx sender, deposit destination or L1 sender). */
  private censorsDelayed(m: StoredDelayedMessage): boolean {
    if (this.censored.size === 0) return false
    if (m.kind === L1_MESSAGE_KIND.EthDeposit) {
      const dest = m.data.length >= 20 ? bytesToHex(m.data.subarray(0, 20)) : zeroAddress
      return this.isCensored(dest) || this.isCensored(undoL1ToL2Alias(m.sender))
    }
    if (m.kind === L1_MESSAGE_KIND.L2Message) {
      if (this.isCensored(undoL1ToL2Alias(m.sender))) return true
      return signedTransactionsOf(m.data).some((raw) => {
        const from = senderOfSync.get(raw)
        return from !== undefined && this.isCensored(from)
      })
    }
    return false
  }

  /** Delayed messages the sequencer is willing to include now: in order, up to the first censored one. */
  async includableDelayed(): Promise<StoredDelayedMessage[]> {
    const f = this.opts.follower
    const out: StoredDelayedMessage[] = []
    for (let i = Number(f.delayedMessagesRead); i < f.delayed.length; i++) {
      const m = f.delayed[i] as StoredDelayedMessage
      if (m.kind === L1_MESSAGE_KIND.L2Message) await cacheSenders(m.data, this.opts.l2ChainId)
      if (this.censorsDelayed(m)) break
      out.push(m)
    }
    return out
  }

  /** True when there is something worth a batch (user txs, or delayed messages other than batch posting reports). */
  async hasWork(): Promise<boolean> {
    if (this.mempool.length > 0) return true
    return (await this.includableDelayed()).some((m) => m.kind !== L1_MESSAGE_KIND.BatchPostingReport)
  }

  /**
   * Build and post one batch (pending txs + includable delayed messages), wait for it on L1, and let the follower
   * execute it. With nothing to include it posts nothing unless `force` (then an empty batch, one empty block).
   */
  async postBatch(options: { force?: boolean; mode?: BatchMode } = {}): Promise<PostedBatch | null> {
    const f = this.opts.follower
    await f.sync()
    const delayed = await this.includableDelayed()
    const txs = this.mempool.slice()
    if (!options.force && txs.length === 0 && delayed.length === 0) return null
    const mode = options.mode ?? this.batchMode
    const pub = this.opts.clients.public
    const latest = await pub.getBlock({ blockTag: 'latest' })

    const segments: BatchSegment[] = delayed.map(() => ({ kind: 'delayedMessage' }))
    let messages = delayed.length
    if (txs.length > 0) {
      // The running timestamp and L1 block start at 0 in every batch, so these advances are absolute (notes §2.3).
      segments.push({ kind: 'advanceTimestamp', delta: latest.timestamp })
      segments.push({ kind: 'advanceL1BlockNumber', delta: latest.number })
      segments.push({ kind: 'l2Message', message: l2MessageFromTransactions(txs.map((p) => p.raw)) })
      messages += 1
    }
    if (messages === 0) messages = 1 // an empty batch still yields one (invalid, empty) message
    const payload = segments.length > 0 ? encodeBatchPayload(segments) : new Uint8Array(0)

    const [sequenceNumber, reported] = await Promise.all([
      pub.readContract({ address: this.opts.bridge, abi: bridgeAbi, functionName: 'sequencerMessageCount' }),
      pub.readContract({ address: this.opts.bridge, abi: bridgeAbi, functionName: 'sequencerReportedSubMessageCount' }),
    ])
    const messageCount = BigInt(f.chain.blocks.length)
    // After a forceInclusion the bridge's reported count lags the real one; Nitro's poster then passes 0
    // (batch_poster.go AllowPostingFirstBatchWhenSequencerMessageCountMismatch), which the Bridge accepts.
    const prevMessageCount = reported === messageCount ? messageCount : 0n
    const newMessageCount = messageCount + BigInt(messages)
    const afterDelayed = f.delayedMessagesRead + BigInt(delayed.length)
    const wallet = this.opts.clients.walletFor(this.opts.batchPoster)
    const step = `post batch ${sequenceNumber} (${mode}, ${txs.length} tx, ${delayed.length} delayed)`
    this.delayBufferable ??= await pub.readContract({ address: this.opts.sequencerInbox, abi: sequencerInboxAbi, functionName: 'isDelayBufferable' })
    // A delay-bufferable inbox may demand a proof of the first newly read delayed message (SequencerInbox
    // isDelayProofRequired / delayProofImpl); we always send it when reading new delayed messages, as Nitro's poster does.
    const delayProof = this.delayBufferable && delayed.length > 0 ? this.delayProofFor(f.delayedMessagesRead) : undefined
    let receipt
    if (mode === 'calldata' && delayProof) {
      receipt = await sendL1Transaction(this.opts.clients, step, ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({
          to: this.opts.sequencerInbox,
          data: encodeFunctionData({
            abi: sequencerInboxAbi,
            functionName: 'addSequencerL2BatchFromOriginDelayProof',
            args: [sequenceNumber, bytesToHex(payload), afterDelayed, zeroAddress, prevMessageCount, newMessageCount, delayProof],
          }),
        }),
      )
    } else if (mode === 'blob' && delayProof) {
      receipt = await sendL1Transaction(this.opts.clients, step, ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({
          to: this.opts.sequencerInbox,
          data: encodeFunctionData({
            abi: sequencerInboxAbi,
            functionName: 'addSequencerL2BatchFromBlobsDelayProof',
            args: [sequenceNumber, afterDelayed, zeroAddress, prevMessageCount, newMessageCount, delayProof],
          }),
          blobs: encodeBlobs(payload),
          kzg: this.opts.kzg(),
          maxFeePerBlobGas: parseGwei('30'),
        }),
      )
    } else if (mode === 'calldata') {
      receipt = await sendL1Transaction(this.opts.clients, step, ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({
          to: this.opts.sequencerInbox,
          data: encodeFunctionData({
            abi: sequencerInboxAbi,
            functionName: 'addSequencerL2BatchFromOrigin',
            args: [sequenceNumber, bytesToHex(payload), afterDelayed, zeroAddress, prevMessageCount, newMessageCount],
          }),
        }),
      )
    } else {
      const blobs = encodeBlobs(payload)
      receipt = await sendL1Transaction(this.opts.clients, step, ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({
          to: this.opts.sequencerInbox,
          data: encodeFunctionData({
            abi: sequencerInboxAbi,
            functionName: 'addSequencerL2BatchFromBlobs',
            args: [sequenceNumber, afterDelayed, zeroAddress, prevMessageCount, newMessageCount],
          }),
          blobs,
          kzg: this.opts.kzg(),
          maxFeePerBlobGas: parseGwei('30'),
        }),
      )
    }
    const included = new Set(txs.map((p) => p.tx.hash))
    this.mempool = this.mempool.filter((p) => !included.has(p.tx.hash))
    await f.sync()
    return { sequenceNumber, mode, l1TxHash: receipt.transactionHash, delayedMessagesIncluded: delayed.length, transactions: txs.map((p) => p.tx.hash) }
  }
}

// Signature recovery is async in viem; delayed messages' senders are recovered once and cached by raw tx.
const senderOfSync = new Map<Hex, Address>()
async function cacheSenders(l2Message: Uint8Array, chainId: number): Promise<void> {
  for (const raw of signedTransactionsOf(l2Message)) {
    if (senderOfSync.has(raw)) continue
    const parsed = await parseSignedTransaction(raw, chainId)
    if (!('error' in parsed)) senderOfSync.set(raw, parsed.tx.from)
  }
}
