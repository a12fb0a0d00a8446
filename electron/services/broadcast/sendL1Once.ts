/**
 * Sign (once) and send one L1 call of a job step, for any stack (issue 14 rules, used by the Arbitrum and the OP
 * escape). In this order:
 *  1. the step's transaction already journaled → re-send the same bytes and watch it (resumeJournaled); never re-sign;
 *  2. a damaged journal (lost or spoiled records) → nothing is signed (the caller's error);
 *  3. the step's transaction already on L1 although the journal does not know it (`findOnChain`: a lost tx.signed
 *     record, or someone else sent the same thing) → adopted and journaled as `tx.found`, not signed again;
 *  4. an L1 transaction of the account waiting that this job did not journal → wait (UnknownPendingTxError, temporary);
 *  5. only then: nonce, gas and fees from L1, the device signs, tx.signed is journaled before any byte is sent.
 */
import { getAddress, type Address, type Hex } from 'viem'
import type { EscapeError } from '../../../shared/errors/EscapeError'
import type { L1Call } from '../../../shared/signing/l1Call'
import type { Signer } from '../../../shared/signing/Signer'
import type { BroadcastJournal } from '../journal/journalPort'
import { assertNoUnknownPendingTx } from './assertNoUnknownPendingTx'
import { prepareL1Request } from './prepareL1Request'
import { resumeJournaled } from './resumeJournaled'
import { sendJournaled } from './sendJournaled'
import type { WatchOptions } from './watchJournaledTx'

/** Our transaction found on L1 (mined) although the journal did not record it. */
export interface FoundL1Tx {
  hash: Hex
  from: Address
  nonce: number
  blockNumber: bigint
  status: 'success' | 'reverted'
  /** Where it was found, in words (e.g. "delayed message #12", "TransactionDeposited at L1 block 9"). */
  what: string
}

export interface SendL1OnceParameters {
  store: BroadcastJournal
  jobId: string
  /** The journal step name of the transaction (one transaction per name). */
  step: string
  call: L1Call
  account: Address
  signerPath: string
  signer: Signer
  l1: Parameters<typeof prepareL1Request>[0] & Parameters<typeof assertNoUnknownPendingTx>[0]['l1']
  endpoints: readonly string[]
  /** Looks on L1 for this step's transaction (before any new signature). */
  findOnChain?: () => Promise<FoundL1Tx | undefined>
  damagedError: () => EscapeError
  broadcast?: Omit<WatchOptions, 'signal'>
  signal?: AbortSignal
  progress?: (message: string) => void
}

export interface SendL1OnceReturnType {
  hash: Hex
  status: 'success' | 'reverted'
  blockNumber: bigint
}

export async function sendL1Once(p: SendL1OnceParameters): Promise<SendL1OnceReturnType> {
  const { store, jobId, step } = p
  const resumed = await resumeJournaled({ store, jobId, step, endpoints: p.endpoints, ...p.broadcast, signal: p.signal })
  if (resumed) return resumed
  const loaded = await store.load(jobId)
  if (loaded.damaged) throw p.damagedError()
  const found = await p.findOnChain?.()
  if (found) {
    const account = getAddress(p.account)
    const reason = `${p.call.description} It is already on L1 (${found.what}, L1 transaction ${found.hash}${getAddress(found.from) === account ? '' : `, sent by ${found.from}`}): adopted instead of signing again.`
    p.progress?.(reason)
    await store.append(jobId, {
      type: 'tx.found', step, chainId: p.call.chainId, from: getAddress(found.from), nonce: found.nonce, hash: found.hash,
      blockNumber: found.blockNumber.toString(), status: found.status, reason,
    })
    return { hash: found.hash, status: found.status, blockNumber: found.blockNumber }
  }
  await assertNoUnknownPendingTx({ l1: p.l1, account: p.account, chainId: p.call.chainId, state: loaded.state })
  const request = await prepareL1Request(p.l1, p.call, p.account)
  p.progress?.(`${p.call.description} Confirm on your Ledger.`)
  p.progress?.(p.signer.describeDisplay(request).instruction)
  const signed = await p.signer.signTransaction({ path: p.signerPath, request, expectedFrom: p.account, signal: p.signal })
  return sendJournaled({ store, jobId, step, signed, endpoints: p.endpoints, ...p.broadcast, signal: p.signal })
}
