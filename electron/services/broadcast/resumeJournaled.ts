/**
 * After a restart: finish what the journal says was signed for a step. The journaled raw bytes are sent again (same
 * hash) and watched; nothing is ever re-signed here, so a transaction cannot land twice with two nonces.
 */
import { createEndpointClients } from '../l1/endpointClients'
import type { BroadcastJournal } from '../journal/journalPort'
import { sendJournaledRaw, settleNonceFamily, watchNonce, type BroadcastResult, type WatchOptions } from './watchJournaledTx'

export interface ResumeJournaledParameters extends WatchOptions {
  store: BroadcastJournal
  jobId: string
  step: string
  endpoints: readonly string[]
}

/**
 * The outcome of the step's transaction, or null when the step has no live signed transaction (never signed, or its
 * nonce was taken and it was journaled as dropped): then, and only then, the caller builds and signs a new one.
 */
export type ResumeJournaledReturnType = BroadcastResult | null

export async function resumeJournaled(params: ResumeJournaledParameters): Promise<ResumeJournaledReturnType> {
  const { store, jobId, step } = params
  const { state } = await store.load(jobId)
  const stepTxs = state.txs.filter((t) => t.step === step)
  const final = stepTxs.find((t) => t.status === 'mined' || t.status === 'reverted')
  if (final) {
    // A crash between tx.mined and the drop of an unneeded fee-bump replacement is finished here.
    await settleNonceFamily({ journal: store, jobId }, final, final.hash)
    return { hash: final.hash, blockNumber: BigInt(final.blockNumber ?? '0'), status: final.status === 'mined' ? 'success' : 'reverted' }
  }
  const newest = [...stepTxs].reverse().find((t) => t.status === 'signed' || t.status === 'sent')
  if (!newest) return null
  const ctx = { ...params, journal: store, endpoints: createEndpointClients(params.endpoints) }
  await sendJournaledRaw(ctx, newest)
  return watchNonce(ctx, newest)
}
