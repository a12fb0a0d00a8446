/**
 * The L2BlockSource port over an untrusted L2 node's JSON-RPC (eth_getBlockByNumber/Hash with full transactions,
 * eth_getProof). Transport only: responses are size-bounded (read as a stream, stopped at `maxResponseBytes`),
 * transport failures and 5xx/429 answers are retried with backoff, and every answer is shape-checked and re-serialised
 * by shared parseRpcL2Block — its *content* is verified by the caller against L1 (planDerivationStart).
 */
import type { Hex } from 'viem'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import type { AbortSignalLike } from '../../../shared/l1/BlobSource'
import { parseRpcAccountProof, parseRpcL2Block } from '../../../shared/rollups/op-stack/derive/start/parseRpcL2Block'
import type { L2BlockSource, UntrustedAccountProof, UntrustedL2Block } from '../../../shared/rollups/op-stack/derive/start/L2BlockSource'
import { UntrustedL2DataError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../shared/eth/predeploys'
import { parseRpcStorageProof, type WithdrawalStorageProofSource } from '../../../shared/rollups/op-stack/withdraw/readUntrustedWithdrawalProof'
import { endpointLabel } from '../l1/endpointClients'
import { readBoundedBody } from '../http/readBoundedBody'

export interface CreateRpcL2BlockSourceParameters {
  url: string
  /** Largest accepted JSON-RPC response (default 64 MiB: a full 30M-gas block of calldata is ~4 MB of JSON). */
  maxResponseBytes?: number
  retryCount?: number
  retryDelayMs?: number
  timeoutMs?: number
  /** Called for every request sent (diagnostics and tests). */
  onRequest?(method: string): void
}

export interface RpcL2BlockSource extends L2BlockSource, WithdrawalStorageProofSource {
  chainId(signal?: AbortSignalLike): Promise<number>
  /** debug_executionWitness for one block, as the node answers it (parsed and re-keyed by the replay). */
  executionWitness(number: number, signal?: AbortSignalLike): Promise<unknown>
}

export class L2NodeUnavailableError extends EscapeError {
  override name = 'L2NodeUnavailableError'
}
registerErrorClass('L2NodeUnavailableError', L2NodeUnavailableError)

export function createRpcL2BlockSource(p: CreateRpcL2BlockSourceParameters): RpcL2BlockSource {
  const label = endpointLabel(p.url)
  const maxBytes = p.maxResponseBytes ?? 64 * 1024 * 1024
  const retries = p.retryCount ?? 3
  let id = 0

  const unavailable = (what: string, cause?: unknown): L2NodeUnavailableError =>
    new L2NodeUnavailableError(`The L2 node ${label} did not answer ${what}.`, {
      kind: 'temporary',
      steps: ['Check the --l2-rpc URL and your connection, then try again.', 'Or use another L2 RPC: any node of the chain will do, it is not trusted.'],
      cause,
    })

  async function once(method: string, params: unknown[], signal: AbortSignalLike | undefined): Promise<{ retry: boolean; error?: unknown; result?: unknown }> {
    p.onRequest?.(method)
    const ac = new AbortController()
    const timer = setTimeout(() => ac.abort(), p.timeoutMs ?? 30_000)
    const onAbort = (): void => ac.abort()
    ;(signal as AbortSignal | undefined)?.addEventListener?.('abort', onAbort)
    try {
      const res = await fetch(p.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }), signal: ac.signal })
      if (res.status === 429 || res.status >= 500) return { retry: true, error: new Error(`HTTP ${res.status}`) }
      if (!res.ok) return { retry: false, error: new Error(`HTTP ${res.status}`) }
      const text = await readBounded(res, maxBytes)
      if (text === undefined) return { retry: false, error: new UntrustedL2DataError('malformed', `The L2 node's answer to ${method} is larger than ${maxBytes} bytes.`, { node: label }) }
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch (cause) {
        return { retry: false, error: new UntrustedL2DataError('malformed', `The L2 node's answer to ${method} is not JSON.`, { node: label, cause }) }
      }
      const b = body as { result?: unknown; error?: { code?: number; message?: string } }
      if (b && typeof b === 'object' && b.error) return { retry: false, error: new Error(`JSON-RPC error ${b.error.code ?? ''}: ${String(b.error.message ?? '').slice(0, 200)}`) }
      if (!b || typeof b !== 'object' || !('result' in b)) return { retry: false, error: new UntrustedL2DataError('malformed', `The L2 node's answer to ${method} has no result.`, { node: label }) }
      return { retry: false, result: b.result }
    } catch (error) {
      if (signal?.aborted) throw new EscapeError('Reading the L2 node was cancelled.', { kind: 'user-action', cause: error })
      return { retry: true, error }
    } finally {
      clearTimeout(timer)
      ;(signal as AbortSignal | undefined)?.removeEventListener?.('abort', onAbort)
    }
  }

  async function call(method: string, params: unknown[], what: string, signal?: AbortSignalLike): Promise<unknown> {
    let last: unknown
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, (p.retryDelayMs ?? 250) * 2 ** (attempt - 1)))
      const r = await once(method, params, signal)
      if (!r.error) return r.result
      if (r.error instanceof EscapeError) throw r.error
      last = r.error
      if (!r.retry) break
    }
    throw unavailable(what, last)
  }

  const notFound = (what: string): EscapeError =>
    new EscapeError(`The L2 node ${label} does not have ${what}.`, {
      kind: 'user-action',
      steps: ['Use an L2 node that keeps full blocks back to the anchor (not a pruned or still-syncing node).', 'Or start derivation from the rollup genesis (--start genesis).'],
    })

  return {
    label,
    async chainId(signal) {
      const r = await call('eth_chainId', [], 'eth_chainId', signal)
      if (typeof r !== 'string' || !/^0x[0-9a-fA-F]{1,16}$/.test(r)) throw new UntrustedL2DataError('malformed', 'The L2 node sent an invalid chain id.', { node: label })
      return Number(BigInt(r))
    },
    async blockByNumber(number, signal): Promise<UntrustedL2Block> {
      const r = await call('eth_getBlockByNumber', [`0x${number.toString(16)}`, true], `for L2 block ${number}`, signal)
      if (r === null) throw notFound(`L2 block ${number}`)
      return parseRpcL2Block(r, label)
    },
    async blockByHash(hash, signal): Promise<UntrustedL2Block> {
      const r = await call('eth_getBlockByHash', [hash, true], `for L2 block ${hash}`, signal)
      if (r === null) throw notFound(`L2 block ${hash}`)
      return parseRpcL2Block(r, label)
    },
    async executionWitness(number, signal): Promise<unknown> {
      const r = await call('debug_executionWitness', [`0x${number.toString(16)}`], `debug_executionWitness for L2 block ${number}`, signal)
      if (r === null) throw notFound(`the execution witness of L2 block ${number} (it needs the debug API: op-geth, op-reth or reth)`)
      return r
    },
    async accountProof(address: Hex, blockHash: Hex, signal): Promise<UntrustedAccountProof> {
      // EIP-1898 block parameter: the proof must be for exactly this block.
      const r = await call('eth_getProof', [address, [], { blockHash }], `eth_getProof for ${address}`, signal)
      if (r === null) throw notFound(`the state of L2 block ${blockHash}`)
      return parseRpcAccountProof(r, label)
    },
    async messagePasserStorageProof(slot: Hex, blockHash: Hex) {
      // The withdrawal's sentMessages slot, at exactly this block (EIP-1898); checked by readUntrustedWithdrawalProof.
      const r = await call('eth_getProof', [L2_TO_L1_MESSAGE_PASSER, [slot], { blockHash }], `eth_getProof for the withdrawal slot ${slot}`)
      if (r === null) throw notFound(`the state of L2 block ${blockHash}`)
      return parseRpcStorageProof(r, label)
    },
  }
}

/** The body as text, or undefined when it is larger than `max` bytes (stops reading there). */
async function readBounded(res: Response, max: number): Promise<string | undefined> {
  const body = await readBoundedBody(res, max)
  return body && Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
}
