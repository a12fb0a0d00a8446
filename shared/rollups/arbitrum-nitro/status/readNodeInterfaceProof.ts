/**
 * Ask an untrusted L2 node for an Outbox proof: `NodeInterface.constructOutboxProof(size, leaf)` by eth_call to the
 * virtual contract at 0xc8 (notes §3.5). The node finds the few tree nodes the proof needs in its own log archive, so
 * the app does not fetch every send of the chain. The answer is untrusted: verifyOutboxProof decides.
 *
 * "Unavailable" (the caller falls back to the full send list) is a node that answers the request but cannot serve it:
 * no eth_call, no NodeInterface (a non-Nitro node, an Orbit RPC that blocks it, a node without the log archive), a
 * revert. A transport failure (timeout, HTTP error, rate limit) is not: it is thrown as temporary, because falling back
 * to scanning every send on a rate-limited public RPC is the worst thing to do then.
 */
import { BaseError, decodeFunctionResult, encodeFunctionData, HttpRequestError, LimitExceededRpcError, TimeoutError, type Hex, type PublicClient } from 'viem'
import { nodeInterfaceAbi } from '../../../../contracts-abi/arbitrum-nitro/NodeInterface'
import { EscapeError } from '../../../errors/EscapeError'
import { ArbUntrustedDataError } from '../errors'
import type { OutboxProofAnswer } from '../proof/verifyOutboxProof'

export const NODE_INTERFACE_ADDRESS = '0x00000000000000000000000000000000000000C8' as const

/** A proof has at most 64 hashes (size is a uint64); its ABI encoding is far below this. */
const MAX_ANSWER_BYTES = 8 * 1024
const MAX_PROOF_LENGTH = 64
/** JSON-RPC codes providers use for "slow down" (EIP-1474 -32005, and the HTTP-like 429 some send as a code). */
const RATE_LIMIT_CODES = new Set([LimitExceededRpcError.code, 429, -32090])

export type NodeInterfaceProofResult = ({ status: 'answered' } & OutboxProofAnswer) | { status: 'unavailable'; reason: string }

export async function readNodeInterfaceProof(
  l2: Pick<PublicClient, 'call'>,
  params: { size: bigint; leaf: bigint; source: string },
): Promise<NodeInterfaceProofResult> {
  const data = encodeFunctionData({ abi: nodeInterfaceAbi, functionName: 'constructOutboxProof', args: [params.size, params.leaf] })
  let returned: Hex | undefined
  try {
    returned = (await l2.call({ to: NODE_INTERFACE_ADDRESS, data })).data
  } catch (error) {
    const refusal = rpcRefusal(error)
    if (refusal === undefined) {
      throw new EscapeError(`${params.source} did not answer the withdrawal-proof request (NodeInterface.constructOutboxProof).`, {
        kind: 'temporary',
        cause: error,
        steps: ['Check the connection and try again later, or use another L2 RPC (any node of the chain will do; it is not trusted).'],
      })
    }
    return { status: 'unavailable', reason: `${params.source} refused NodeInterface.constructOutboxProof: ${refusal}` }
  }
  if (returned === undefined || returned === '0x') {
    return { status: 'unavailable', reason: `${params.source} has no NodeInterface at ${NODE_INTERFACE_ADDRESS} (the call returned no data)` }
  }
  if (returned.length > 2 + 2 * MAX_ANSWER_BYTES) throw new ArbUntrustedDataError(`${params.source} returned an oversized withdrawal proof (${(returned.length - 2) / 2} bytes).`)
  let decoded: readonly [Hex, Hex, readonly Hex[]]
  try {
    decoded = decodeFunctionResult({ abi: nodeInterfaceAbi, functionName: 'constructOutboxProof', data: returned })
  } catch (cause) {
    throw new ArbUntrustedDataError(`${params.source} returned a malformed answer to NodeInterface.constructOutboxProof.`, { cause, details: returned.slice(0, 200) })
  }
  const [send, root, proof] = decoded
  if (proof.length > MAX_PROOF_LENGTH) throw new ArbUntrustedDataError(`${params.source} returned a withdrawal proof of ${proof.length} hashes (at most ${MAX_PROOF_LENGTH} exist).`)
  return { status: 'answered', send, root, proof }
}

/**
 * The node's JSON-RPC error message when the error is the node refusing the request (so it cannot serve it and the
 * caller may fall back); undefined for transport failures and rate limits (retry later instead).
 */
function rpcRefusal(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined
  if (error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) return undefined
  const coded = error.walk((e) => typeof (e as { code?: unknown }).code === 'number') as (BaseError & { code: number }) | null
  if (coded) return RATE_LIMIT_CODES.has(coded.code) ? undefined : `${(coded.details || coded.shortMessage).split('\n')[0] ?? ''} (code ${coded.code})`
  // A revert without a JSON-RPC code (viem decodes some node errors from the message alone).
  const reverted = error.walk((e) => e instanceof BaseError && /revert/i.test(e.shortMessage))
  return reverted instanceof BaseError ? reverted.shortMessage.split('\n')[0] : undefined
}
