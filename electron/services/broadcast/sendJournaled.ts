/**
 * Send a signed transaction the crash-safe way (DESIGN.md §Jobs and the journal):
 *   1. journal `tx.signed` (raw + hash), fsynced, before any byte leaves the machine;
 *   2. send the raw bytes to every configured L1 endpoint, journal `tx.sent`;
 *   3. watch for the receipt, journal `tx.mined` — or `tx.dropped` if another transaction takes the nonce.
 * A crash anywhere is recovered by `resumeJournaled`, which re-sends the same bytes (same hash) and never re-signs.
 * Generic: any flow (OP, Arbitrum, drills) passes its journal, job and step.
 */
import { SignedTxMismatchError } from '../../../shared/signing/broadcastErrors'
import type { SignedTx } from '../../../shared/signing/Signer'
import { createEndpointClients } from '../l1/endpointClients'
import { inspectSignedTx } from './inspectSignedTx'
import type { BroadcastJournal } from '../journal/journalPort'
import { sendJournaledRaw, watchNonce, type BroadcastResult, type WatchOptions } from './watchJournaledTx'

export interface SendJournaledParameters extends WatchOptions {
  store: BroadcastJournal
  jobId: string
  step: string
  signed: Pick<SignedTx, 'raw' | 'hash' | 'from'>
  /** L1 JSON-RPC endpoints (http(s) or ws(s)); the tx goes to all of them. */
  endpoints: readonly string[]
  /** Observation points between the durable steps. Tests inject crashes here; flows may report progress. */
  hooks?: SendHooks
}

export interface SendHooks {
  /** After tx.signed is on disk, before anything is sent. */
  afterJournal?: () => Promise<void> | void
  /** After the endpoints were asked (and tx.sent journaled), before watching. */
  afterSend?: () => Promise<void> | void
}

export type SendJournaledReturnType = BroadcastResult

export async function sendJournaled(params: SendJournaledParameters): Promise<SendJournaledReturnType> {
  const { store, jobId, step, signed, hooks } = params
  const tx = await inspectSignedTx(signed)
  const ctx = { ...params, journal: store, endpoints: createEndpointClients(params.endpoints) }

  const { state } = await store.load(jobId)
  const existing = state.txs.find((t) => t.hash === tx.hash)
  if (existing && existing.step !== step) throw new SignedTxMismatchError(`it is already journaled for step "${existing.step}", not "${step}"`)
  // Sending the same signed tx twice (a retry by the caller) is idempotent: it is journaled once.
  if (!existing) await store.append(jobId, { type: 'tx.signed', step, chainId: tx.chainId, from: tx.from, nonce: tx.nonce, hash: tx.hash, raw: signed.raw })
  params.onProgress?.({ phase: 'journaled', hash: tx.hash })
  await hooks?.afterJournal?.()

  await sendJournaledRaw(ctx, { hash: tx.hash, raw: signed.raw, chainId: tx.chainId })
  await hooks?.afterSend?.()
  return watchNonce(ctx, tx)
}
