/**
 * The part every journaled send shares: send the journaled raw bytes to every endpoint, record where they went, then
 * watch the nonce until one of our transactions for it is mined or another transaction takes it.
 *
 * "Our transactions for a nonce" (the family) are the journaled original and any consented replacements: any of them
 * may be the one that gets mined, so all are watched; only the newest is re-sent.
 */
import type { Hex } from 'viem'
import { BroadcastRejectedError, NoEndpointReachableError, NonceTakenError } from '../../../shared/signing/broadcastErrors'
import type { TxState } from '../../../shared/journal/reduce'
import { broadcastRaw, type EndpointSendResult } from './broadcastRaw'
import { errorText } from './classifySendError'
import type { EndpointClient } from '../l1/endpointClients'
import type { BroadcastJournal } from '../journal/journalPort'

export interface BroadcastResult {
  hash: Hex
  blockNumber: bigint
  status: 'success' | 'reverted'
}

export type BroadcastProgress =
  | { phase: 'journaled'; hash: Hex }
  | { phase: 'sent'; hash: Hex; endpoints: string[] }
  /** No endpoint took the tx because its fees are too low now (or another tx with this nonce pays more): propose a fee bump. */
  | { phase: 'underpriced'; hash: Hex; detail: string }
  | { phase: 'waiting'; hash: Hex; latestNonce: number | undefined }
  | { phase: 'mined'; hash: Hex; blockNumber: bigint; status: 'success' | 'reverted' }

export interface WatchOptions {
  /** How often to look for a receipt. Default 4 s (a third of an L1 slot). */
  pollIntervalMs?: number
  /** Re-send the newest raw tx every this many polls, in case a node dropped it from its pool. Default 5. */
  resendEveryPolls?: number
  /** Give up with NoEndpointReachableError (temporary) after this long without any endpoint answering. Default 120 s. */
  unreachableTimeoutMs?: number
  onProgress?: (progress: BroadcastProgress) => void
  signal?: AbortSignal
}

export interface WatchContext extends WatchOptions {
  journal: BroadcastJournal
  jobId: string
  endpoints: readonly EndpointClient[]
}

/** Our journaled transactions that share `tx`'s sender, chain and nonce, oldest first. */
export function nonceFamily(txs: readonly TxState[], tx: Pick<TxState, 'chainId' | 'from' | 'nonce'>): TxState[] {
  return txs.filter((t) => t.chainId === tx.chainId && t.from.toLowerCase() === tx.from.toLowerCase() && t.nonce === tx.nonce)
}

/**
 * Send `tx` (already journaled) to every endpoint and journal `tx.sent` for those that took it. Throws only when the
 * endpoints agree the transaction can never be accepted as it is (insufficient funds, invalid); everything else is
 * left to the watch loop.
 */
export async function sendJournaledRaw(ctx: WatchContext, tx: Pick<TxState, 'hash' | 'raw' | 'chainId'>): Promise<EndpointSendResult[]> {
  const results = await broadcastRaw(tx.raw, tx.chainId, ctx.endpoints)
  const accepted = results.filter((r) => r.outcome === 'accepted').map((r) => r.endpoint.label)
  if (accepted.length > 0) {
    const { state } = await ctx.journal.load(ctx.jobId)
    const current = state.txs.find((t) => t.hash === tx.hash)
    // tx.sent after a receipt was journaled would be refused: a re-send of an already mined tx is not news.
    if (current && (current.status === 'signed' || current.status === 'sent')) {
      await ctx.journal.append(ctx.jobId, { type: 'tx.sent', hash: tx.hash, endpoints: [...new Set(accepted)] })
    }
    ctx.onProgress?.({ phase: 'sent', hash: tx.hash, endpoints: accepted })
    return results
  }
  const details = results.map((r) => r.detail ?? `${r.endpoint.label}: ${r.outcome}`).join('\n')
  if (results.every((r) => r.outcome === 'wrong-chain')) throw new BroadcastRejectedError('chain-mismatch', details)
  const decisive = results.filter((r) => r.outcome !== 'unavailable' && r.outcome !== 'wrong-chain')
  if (decisive.length > 0 && decisive.every((r) => r.outcome === 'insufficient-funds')) throw new BroadcastRejectedError('insufficient-funds', details)
  if (decisive.length > 0 && decisive.every((r) => r.outcome === 'invalid')) throw new BroadcastRejectedError('invalid', details)
  if (decisive.some((r) => r.outcome === 'underpriced')) ctx.onProgress?.({ phase: 'underpriced', hash: tx.hash, detail: details })
  return results
}

/**
 * Watch the nonce of `tx` until one of its family is mined (journal tx.mined, return it) or another transaction
 * takes the nonce (journal tx.dropped for every live family member, throw NonceTakenError).
 */
export async function watchNonce(ctx: WatchContext, tx: Pick<TxState, 'chainId' | 'from' | 'nonce'>): Promise<BroadcastResult> {
  const pollIntervalMs = ctx.pollIntervalMs ?? 4_000
  const resendEveryPolls = ctx.resendEveryPolls ?? 5
  const unreachableTimeoutMs = ctx.unreachableTimeoutMs ?? 120_000
  let lastReachableAt = Date.now()
  let takenPolls = 0
  for (let poll = 1; ; poll++) {
    ctx.signal?.throwIfAborted()
    const { state } = await ctx.journal.load(ctx.jobId)
    const family = nonceFamily(state.txs, tx)
    const done = family.find((t) => t.status === 'mined' || t.status === 'reverted')
    if (done) {
      await settleNonceFamily(ctx, tx, done.hash)
      return { hash: done.hash, blockNumber: BigInt(done.blockNumber ?? '0'), status: done.status === 'mined' ? 'success' : 'reverted' }
    }
    const live = family.filter((t) => t.status !== 'dropped')
    const newest = live.at(-1)
    if (!newest) throw new NonceTakenError(tx.from, tx.nonce, family.map((t) => t.hash))

    let reachable = false
    let latestNonce: number | undefined
    for (const endpoint of ctx.endpoints) {
      try {
        for (const member of [...live].reverse()) {
          const receipt = await endpoint.client.getTransactionReceipt({ hash: member.hash }).catch((error: unknown) => {
            if (/not found|could not be found/i.test(errorText(error))) return null
            throw error
          })
          if (receipt) {
            const status = receipt.status === 'success' ? 'success' : 'reverted'
            // Another watcher of the same nonce (e.g. the original send while a fee bump runs) may have journaled it.
            const again = nonceFamily((await ctx.journal.load(ctx.jobId)).state.txs, tx).find((t) => t.status === 'mined' || t.status === 'reverted')
            if (again) {
              await settleNonceFamily(ctx, tx, again.hash)
              return { hash: again.hash, blockNumber: BigInt(again.blockNumber ?? '0'), status: again.status === 'mined' ? 'success' : 'reverted' }
            }
            await ctx.journal.append(ctx.jobId, { type: 'tx.mined', hash: member.hash, blockNumber: receipt.blockNumber.toString(), status })
            await settleNonceFamily(ctx, tx, member.hash)
            ctx.onProgress?.({ phase: 'mined', hash: member.hash, blockNumber: receipt.blockNumber, status })
            return { hash: member.hash, blockNumber: receipt.blockNumber, status }
          }
        }
        // Asked after the receipts on the same endpoint: if it says the nonce is used, it has the block that used it.
        const count = await endpoint.client.getTransactionCount({ address: tx.from, blockTag: 'latest' })
        reachable = true
        latestNonce = Math.max(latestNonce ?? 0, count)
      } catch {
        // This endpoint is down or lying about being up; the others decide.
      }
    }
    if (reachable) lastReachableAt = Date.now()
    else if (Date.now() - lastReachableAt >= unreachableTimeoutMs) throw new NoEndpointReachableError(ctx.endpoints.map((e) => e.label))

    if (latestNonce !== undefined && latestNonce > tx.nonce) {
      // Used, but by none of ours. Confirm on the next poll (endpoints can lag each other by a block) before giving up.
      takenPolls++
      if (takenPolls >= 2) {
        const reason = `nonce ${tx.nonce} of ${tx.from} was used by another transaction (account nonce is now ${latestNonce})`
        for (const member of live) await ctx.journal.append(ctx.jobId, { type: 'tx.dropped', hash: member.hash, reason })
        throw new NonceTakenError(tx.from, tx.nonce, live.map((t) => t.hash))
      }
    } else {
      takenPolls = 0
      ctx.onProgress?.({ phase: 'waiting', hash: newest.hash, latestNonce })
      if (poll % resendEveryPolls === 0) await sendJournaledRaw(ctx, newest)
    }
    await sleep(pollIntervalMs, ctx.signal)
  }
}

/**
 * Once one transaction of a nonce family is mined, the others never will be: journal them as dropped, so no resume
 * watches or re-sends them and the job shows which one it follows. This matters after a fee bump whose original was
 * mined after all (a race): the replacement would otherwise stay "sent" forever.
 */
export async function settleNonceFamily(ctx: Pick<WatchContext, 'journal' | 'jobId'>, tx: Pick<TxState, 'chainId' | 'from' | 'nonce'>, minedHash: string): Promise<void> {
  const { state } = await ctx.journal.load(ctx.jobId)
  if (state.status !== 'active') return
  for (const other of nonceFamily(state.txs, tx)) {
    // A 'replaced' original keeps that status when its replacement is mined: it tells the story better than 'dropped'.
    if (other.hash === minedHash || (other.status !== 'signed' && other.status !== 'sent')) continue
    await ctx.journal.append(ctx.jobId, { type: 'tx.dropped', hash: other.hash, reason: `not needed: nonce ${tx.nonce} was used by ${minedHash}, our own transaction for the same step` })
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason as Error)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
