/**
 * The replacement request for a fee bump: the same transaction (same nonce, to, value, data) with both fee fields
 * raised by at least the 10% nodes require (geth txpool PriceBump), or to the caller's suggestion when higher.
 * The user must approve the new maximum cost before it is signed.
 */
import type { UnsignedTxRequest } from './unsignedTxRequest'

export interface PlanFeeBumpParameters {
  /** At least 10 (what nodes require). Default 12.5, so rounding never lands exactly on the limit. */
  percent?: number
  /** Current network suggestion (e.g. from eth_feeHistory); used when above the minimum bump. */
  suggestedMaxFeePerGas?: bigint
  suggestedMaxPriorityFeePerGas?: bigint
}

export function planFeeBump(request: UnsignedTxRequest, params: PlanFeeBumpParameters = {}): UnsignedTxRequest {
  const percent = params.percent ?? 12.5
  if (!(percent >= 10 && percent <= 1000)) throw new RangeError(`Fee bump percent must be between 10 and 1000, got ${percent}`)
  const perMille = BigInt(Math.ceil(percent * 10))
  const bump = (x: bigint) => {
    const raised = (x * (1000n + perMille) + 999n) / 1000n
    return raised > x ? raised : x + 1n
  }
  const max = (a: bigint, b: bigint | undefined) => (b !== undefined && b > a ? b : a)
  if (request.type === 'legacy') return { ...request, gasPrice: max(bump(request.gasPrice), params.suggestedMaxFeePerGas) }
  const maxPriorityFeePerGas = max(bump(request.maxPriorityFeePerGas), params.suggestedMaxPriorityFeePerGas)
  const maxFeePerGas = max(max(bump(request.maxFeePerGas), params.suggestedMaxFeePerGas), maxPriorityFeePerGas)
  return { ...request, maxFeePerGas, maxPriorityFeePerGas }
}
