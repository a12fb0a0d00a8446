/**
 * What an eth_sendRawTransaction error means for us. Node implementations word these differently (geth, reth,
 * Nethermind, Erigon, anvil, hosted providers); we match the wording they share. Anything unknown is treated as the
 * endpoint being unusable right now, never as success.
 */
export type SendOutcome =
  /** The node accepted it, or already had it. */
  | 'accepted'
  /** The nonce is already used on chain (possibly by this very tx, mined earlier). */
  | 'nonce-too-low'
  /** Another tx with this nonce is in the node's pool with an equal or higher fee, or fees are below what the node takes now. */
  | 'underpriced'
  | 'insufficient-funds'
  /** The node says the transaction itself is invalid (bad signature, wrong chain, gas limit too high…). */
  | 'invalid'
  /** Network error, timeout, rate limit, unknown answer: try again later or elsewhere. */
  | 'unavailable'

export function classifySendError(error: unknown): SendOutcome {
  const text = errorText(error).toLowerCase()
  if (/already known|known transaction|already imported|alreadyknown|already exists|tx already in mempool|transaction already in pool/.test(text)) return 'accepted'
  if (/nonce too low|nonce has already been used|nonce_expired|oldnonce|invalid nonce.*lower|nonce is too low/.test(text)) return 'nonce-too-low'
  if (/replacement transaction underpriced|replacement underpriced|underpriced|fee cap less than block base fee|max fee per gas less than block base fee|feecaptoolow|fee too low|gas price too low/.test(text)) return 'underpriced'
  if (/insufficient funds|insufficient balance|lack of funds|not enough funds/.test(text)) return 'insufficient-funds'
  if (/invalid sender|invalid signature|invalid chain ?id|incorrect chain ?id|chain ?id mismatch|intrinsic gas too low|exceeds block gas limit|gas limit reached|oversized data|tx type not supported|transaction type not supported|rlp/.test(text)) return 'invalid'
  return 'unavailable'
}

/** All messages along the cause chain, viem's details included. */
export function errorText(error: unknown): string {
  const parts: string[] = []
  let e: unknown = error
  for (let depth = 0; e && depth < 10; depth++) {
    if (typeof e === 'object') {
      const o = e as { message?: unknown; details?: unknown; shortMessage?: unknown; cause?: unknown }
      for (const v of [o.shortMessage, o.details, o.message]) if (typeof v === 'string') parts.push(v)
      e = o.cause
    } else {
      parts.push(String(e))
      break
    }
  }
  return parts.join(' | ')
}
