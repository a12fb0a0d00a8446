/**
 * Replace a stuck transaction by a higher-fee one with the same nonce — only with the user's journaled consent
 * (`prompt.answered` "replace:<hash>" = "approve"), and journaled as `tx.signed` with `replaces` before it is sent.
 * Both the old and the new transaction are watched: whichever is mined settles the step.
 */
import { isAddressEqual, type Hex } from 'viem'
import { FeeBumpRefusedError } from '../../../shared/signing/broadcastErrors'
import type { SignedTx } from '../../../shared/signing/Signer'
import { createEndpointClients } from '../l1/endpointClients'
import { inspectSignedTx, type InspectedTx } from './inspectSignedTx'
import { feeBumpPromptId, type BroadcastJournal } from '../journal/journalPort'
import { sendJournaledRaw, watchNonce, type BroadcastResult, type WatchOptions } from './watchJournaledTx'

/** Geth and most clients require a replacement to raise both fee fields by at least 10% (txpool PriceBump). */
export const MIN_FEE_BUMP_PERCENT = 10n

export interface RecordFeeBumpConsentParameters {
  store: BroadcastJournal
  jobId: string
  /** The transaction to replace. */
  replaces: Hex
  approved: boolean
}

/** Journal the user's answer to "replace this transaction with a higher fee?". */
export async function recordFeeBumpConsent({ store, jobId, replaces, approved }: RecordFeeBumpConsentParameters): Promise<void> {
  await store.append(jobId, { type: 'prompt.answered', prompt: feeBumpPromptId(replaces), answer: approved ? 'approve' : 'decline' })
}

export interface BumpFeeJournaledParameters extends WatchOptions {
  store: BroadcastJournal
  jobId: string
  step: string
  replaces: Hex
  /** The replacement, signed: same sender, chain and nonce, both fee fields ≥ 10% higher. */
  signed: Pick<SignedTx, 'raw' | 'hash' | 'from'>
  endpoints: readonly string[]
}

export async function bumpFeeJournaled(params: BumpFeeJournaledParameters): Promise<BroadcastResult> {
  const { store, jobId, step, replaces, signed } = params
  const { state } = await store.load(jobId)
  const answer = state.prompts[feeBumpPromptId(replaces)]
  if (answer !== 'approve') throw new FeeBumpRefusedError(answer === undefined ? 'you have not approved it' : 'you declined it')
  const old = state.txs.find((t) => t.hash === replaces)
  if (!old) throw new FeeBumpRefusedError(`transaction ${replaces} is not part of this job`)
  if (old.step !== step) throw new FeeBumpRefusedError(`transaction ${replaces} belongs to step "${old.step}"`)
  if (old.status !== 'signed' && old.status !== 'sent') throw new FeeBumpRefusedError(`transaction ${replaces} is already ${old.status}`)

  const next = await inspectSignedTx(signed)
  const prev = await inspectSignedTx({ raw: old.raw, hash: old.hash, from: old.from })
  assertValidReplacement(prev, next)

  await store.append(jobId, { type: 'tx.signed', step, chainId: next.chainId, from: next.from, nonce: next.nonce, hash: next.hash, raw: signed.raw, replaces })
  params.onProgress?.({ phase: 'journaled', hash: next.hash })
  const ctx = { ...params, journal: store, endpoints: createEndpointClients(params.endpoints) }
  await sendJournaledRaw(ctx, { hash: next.hash, raw: signed.raw, chainId: next.chainId })
  return watchNonce(ctx, next)
}

export function assertValidReplacement(prev: InspectedTx, next: InspectedTx): void {
  if (next.chainId !== prev.chainId || next.nonce !== prev.nonce || !isAddressEqual(next.from, prev.from)) {
    throw new FeeBumpRefusedError('the replacement does not use the same account, chain and nonce')
  }
  // The user approved new fees for the same action: anything else changed would be a different transaction.
  if (next.to !== prev.to || next.value !== prev.value || next.data !== prev.data) {
    throw new FeeBumpRefusedError('the replacement does not do exactly what the original does (recipient, value and data must be the same)')
  }
  const enough = (a: bigint, b: bigint) => b * 100n >= a * (100n + MIN_FEE_BUMP_PERCENT) && b > a
  if (!enough(prev.feeCap, next.feeCap) || !enough(prev.tip, next.tip)) {
    throw new FeeBumpRefusedError(`the new fees must be at least ${MIN_FEE_BUMP_PERCENT}% higher (max fee ${prev.feeCap} → ${next.feeCap}, tip ${prev.tip} → ${next.tip} wei)`)
  }
}
