/**
 * The fees of a fee bump: the replacement of a stuck L1 transaction is the very same request (type, chain, nonce,
 * gas, to, value, data) with higher fees — at least MIN_FEE_BUMP_PERCENT more on both fee fields (nodes refuse less),
 * enough for twice the next base fee, or the fees the user chose — and the account must be able to pay its maximum
 * cost. Part of the fee-bump engine (bumpFee.ts); the CLI and the app show the proposal and ask for consent.
 */
import { formatEther, formatGwei, parseTransaction, type TransactionSerialized } from 'viem'
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'
import type { TxState } from '../../../shared/journal/reduce'
import { planFeeBump } from '../../../shared/signing/planFeeBump'
import { maxFeeOf, unsignedTxRequestSchema, type UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { MIN_FEE_BUMP_PERCENT } from '../broadcast/bumpFeeJournaled'
import type { EndpointClient } from '../l1/endpointClients'
import { readL1Fees, type L1FeeQuote } from '../broadcast/readL1Fees'

export interface FeeBumpProposal {
  /** The journaled transaction being replaced. */
  tx: TxState
  /** Its request, as it was signed. */
  old: UnsignedTxRequest
  /** The replacement: the same request with the new fees. */
  next: UnsignedTxRequest
  /** The L1 fees the proposal was made from (absent when the fees come from an already signed file). */
  quote?: L1FeeQuote
  /** Things the user should know before approving (e.g. the new fee is still below the base fee). */
  warnings: string[]
}

/**
 * What the caller asked for cannot be done as asked (fees below the minimum bump, a transaction that is not the job's
 * L1 one…): nothing was signed or sent. The CLI reports it as a usage error.
 */
export class FeeBumpInputError extends EscapeError {
  override name = 'FeeBumpInputError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('FeeBumpInputError', FeeBumpInputError)

/** The journaled signed transaction as the request it was signed from. */
export function requestOf(tx: TxState): UnsignedTxRequest {
  const p = parseTransaction(tx.raw as TransactionSerialized)
  const common = { chainId: p.chainId, nonce: p.nonce, gas: p.gas, to: p.to ?? null, value: p.value ?? 0n, data: p.data ?? '0x' }
  if (p.type === 'eip1559') return unsignedTxRequestSchema.parse({ type: 'eip1559', ...common, maxFeePerGas: p.maxFeePerGas, maxPriorityFeePerGas: p.maxPriorityFeePerGas, ...(p.accessList?.length ? { accessList: p.accessList } : {}) })
  if (p.type === 'legacy') return unsignedTxRequestSchema.parse({ type: 'legacy', ...common, gasPrice: p.gasPrice })
  throw new EscapeError(`Transaction ${tx.hash} is of type ${p.type}, which this version cannot re-sign.`, { kind: 'critical' })
}

export function feeCapOf(r: UnsignedTxRequest): bigint {
  return r.type === 'legacy' ? r.gasPrice : r.maxFeePerGas
}

export function tipOf(r: UnsignedTxRequest): bigint {
  return r.type === 'legacy' ? r.gasPrice : r.maxPriorityFeePerGas
}

/** The smallest fee a node accepts for a replacement of a transaction paying `x`. */
function minimumBump(x: bigint): bigint {
  const raised = (x * (100n + MIN_FEE_BUMP_PERCENT) + 99n) / 100n
  return raised > x ? raised : x + 1n
}

/** Fees for the replacement: the user's (checked against the minimum bump) or twice the next base fee plus a tip. */
export async function proposeFeeBump(endpoints: readonly EndpointClient[], tx: TxState, maxFee: bigint | undefined, tip: bigint | undefined): Promise<FeeBumpProposal> {
  const old = requestOf(tx)
  const quote = await readL1Fees(endpoints, tx.chainId)
  // The same rule that priced the original (prepareL1Request): room for the base fee to double, plus a tip.
  const planned = planFeeBump(old, { suggestedMaxFeePerGas: quote.nextBaseFee * 2n + quote.priorityFee, suggestedMaxPriorityFeePerGas: quote.priorityFee })
  const tooLow = (what: string, min: bigint, now: bigint) =>
    new FeeBumpInputError(`the ${what} must be at least ${formatGwei(min)} gwei (${MIN_FEE_BUMP_PERCENT}% above the current ${formatGwei(now)} gwei); nodes refuse a smaller replacement`)
  let next: UnsignedTxRequest
  if (old.type === 'legacy') {
    if (tip !== undefined) throw new FeeBumpInputError(`${tx.hash} is a legacy transaction: it has one gas price; give the max fee only`)
    if (maxFee !== undefined && maxFee < minimumBump(old.gasPrice)) throw tooLow('max fee', minimumBump(old.gasPrice), old.gasPrice)
    next = { ...old, gasPrice: maxFee ?? (planned as typeof old).gasPrice }
  } else {
    if (planned.type !== 'eip1559') throw new Error('planFeeBump changed the transaction type')
    const newMax = maxFee ?? (tip !== undefined && tip > planned.maxFeePerGas ? tip : planned.maxFeePerGas)
    const newTip = tip ?? (planned.maxPriorityFeePerGas <= newMax ? planned.maxPriorityFeePerGas : newMax)
    if (newMax < minimumBump(old.maxFeePerGas)) throw tooLow('max fee', minimumBump(old.maxFeePerGas), old.maxFeePerGas)
    if (newTip < minimumBump(old.maxPriorityFeePerGas)) throw tooLow('priority fee', minimumBump(old.maxPriorityFeePerGas), old.maxPriorityFeePerGas)
    if (newTip > newMax) throw new FeeBumpInputError(`the priority fee (${formatGwei(newTip)} gwei) cannot be above the max fee (${formatGwei(newMax)} gwei)`)
    next = { ...old, maxFeePerGas: newMax, maxPriorityFeePerGas: newTip }
  }
  const warnings: string[] = []
  const cap = feeCapOf(next)
  if (cap < quote.nextBaseFee) warnings.push(`The new max fee per gas (${formatGwei(cap)} gwei) is still below the next block's base fee (${formatGwei(quote.nextBaseFee)} gwei): the replacement would wait too.`)
  return { tx, old, next, quote, warnings }
}

/** The replacement may cost up to gas × max fee + value: refuse before asking when the account cannot pay that. */
export async function checkBalanceForBump(endpoints: readonly EndpointClient[], tx: TxState, next: UnsignedTxRequest): Promise<void> {
  const needed = maxFeeOf(next) + next.value
  for (const { client } of endpoints) {
    try {
      if ((await client.getChainId()) !== tx.chainId) continue
      const balance = await client.getBalance({ address: tx.from })
      if (balance >= needed) return
      throw new EscapeError(`${tx.from} has ${formatEther(balance)} ETH on L1; the replacement may cost up to ${formatEther(needed)} ETH. Nothing was signed.`, {
        kind: 'user-action',
        steps: [`Send ETH to that account, or choose a lower max fee (at least ${MIN_FEE_BUMP_PERCENT}% above the current one), then try again.`],
      })
    } catch (error) {
      if (error instanceof EscapeError) throw error
      // This endpoint could not tell; ask the next (the node checks again when the replacement is sent).
    }
  }
}
