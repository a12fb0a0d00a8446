/**
 * The ONE L1 gateway: every L1 read used for a decision goes through it, with one rule set (DESIGN.md, trust model).
 *
 * Shape: `openL1Gateway({ urls, l1ChainId })` checks every endpoint's chain id, then returns an object with the
 * viem PublicClient read methods the flows already use (the ArbL1Client / ArbL1FullClient ports), so call sites swap
 * a client for the gateway without changing the engine's deps; plus the raw per-endpoint clients (the broadcaster
 * sends signed bytes to all of them) and the verified L1Source (createViemL1Source) it is built on.
 *
 * Rules:
 * - Several endpoints, all asked. Each one's chain id must be the network's L1 chain id (checked when opening).
 * - A "latest" read is pinned to the lowest head among the endpoints; the header there is fetched from every endpoint,
 *   re-hashed from its fields (createViemL1Source) and the hashes must agree.
 * - readContract / getBalance / getCode are made at that ONE pinned block (or the block asked for, whose header is
 *   checked the same way) and sent to every endpoint: different answers → L1EndpointsDisagreeError naming endpoints
 *   by host only (endpointLabel).
 * - getLogs: every endpoint's answer must be the same set of logs, and each block that holds one is checked against
 *   its agreed header: its receipts must rebuild the receiptsRoot (createViemL1Source's receipts path) and the
 *   logs must be exactly the verified logs of that block that match the filter.
 * - getTransaction / getTransactionReceipt: the transaction must be in its block's body rebuilt against the agreed
 *   header's transactionsRoot (its hash recomputed from its fields; `from` recovered from the signature), the receipt
 *   in the block's receipts rebuilt against the receiptsRoot.
 * - Bounded response bodies (http), timeouts, viem's retries only for temporary failures; an endpoint that cannot
 *   be read is an L1UnavailableError (temporary), a lie an L1DataIntegrityError / L1EndpointsDisagreeError (critical).
 * Not decisions, so the first endpoint that answers is enough: estimateGas (a wrong estimate only fails the tx
 * before it is signed) and the pending nonce (the highest of all answers; the journal re-sends, never re-signs).
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  encodeEventTopics,
  formatBlock,
  formatTransaction,
  formatTransactionReceipt,
  type AbiEvent,
  type Hex,
  type PublicClient,
  type RpcTransaction,
  type RpcTransactionReceipt,
} from 'viem'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import type { L1BlockRef, L1Log } from '../../../shared/l1/L1Source'
import { createEndpointClient, endpointLabel, type EndpointClient } from './endpointClients'
import {
  boundedFetch,
  createViemL1Source,
  L1DataIntegrityError,
  L1EndpointsDisagreeError,
  L1UnavailableError,
  serializeRpcTransaction,
  type ViemL1Source,
} from './createViemL1Source'

/** The PublicClient reads the flows make on L1 (ArbL1Client, ArbL1FullClient and the escape plan's balance/code). */
export type L1ReadClient = Pick<
  PublicClient,
  'readContract' | 'getLogs' | 'getBlockNumber' | 'getBlock' | 'getTransaction' | 'getTransactionReceipt' | 'getChainId' | 'getTransactionCount' | 'estimateGas' | 'getBalance' | 'getCode'
>

export interface L1Gateway extends L1ReadClient {
  readonly l1ChainId: number
  /** One raw client per endpoint (for sending signed bytes to all of them); never for a decision. */
  readonly endpoints: readonly EndpointClient[]
  /** The verified L1Source over the same endpoints (headers re-hashed and agreed, logs checked against receipts). */
  readonly source: ViemL1Source
  /** The agreed block every "latest" read of this moment is pinned to. */
  pinBlock(): Promise<{ number: bigint; hash: Hex }>
}

export interface OpenL1GatewayParameters {
  urls: readonly string[]
  /** The chain every endpoint must be on (the network's L1). */
  l1ChainId: number
  /** What the endpoints are for, in errors ("Arbitrum One's L1"); default "L1". */
  label?: string
  timeoutMs?: number
  retryCount?: number
  /** Largest response body accepted (default 32 MiB). */
  maxResponseBytes?: number
}

export class L1WrongChainError extends EscapeError {
  override name = 'L1WrongChainError'
  constructor(endpoint: string, chainId: number, expected: number, what: string) {
    super(`The L1 endpoint ${endpoint} is on chain ${chainId}, but ${what} is chain ${expected}.`, {
      kind: 'user-action',
      steps: ['Use L1 endpoints of the right chain (check the network you chose), or remove this endpoint.'],
    })
  }
}
registerErrorClass('L1WrongChainError', L1WrongChainError)

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

type Args = Record<string, unknown> & { blockNumber?: bigint; blockTag?: string }

export async function openL1Gateway(p: OpenL1GatewayParameters): Promise<L1Gateway> {
  const urls = [...new Set(p.urls)]
  if (urls.length === 0) throw new EscapeError('No L1 endpoint is configured.', { kind: 'user-action', steps: ['Give at least one L1 RPC URL (--l1-rpc); several are cross-checked.'] })
  // The verified reads use JSON-RPC batches over HTTP with a bounded body; a WebSocket answer could not be bounded.
  const ws = urls.find((u) => /^wss?:/i.test(u))
  if (ws) throw new EscapeError(`The L1 endpoint ${endpointLabel(ws)} is a WebSocket URL; L1 reads need an http(s) URL.`, { kind: 'user-action', steps: ['Give the http(s) URL of the same provider instead.'] })
  const fetchFn = boundedFetch(p.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES)
  const endpoints = urls.map((url) => createEndpointClient(url, { retryCount: p.retryCount ?? 2, timeoutMs: p.timeoutMs ?? 30_000, fetchFn }))
  // readAhead 1: the gateway asks for single headers, not ranges (no speculative requests to every endpoint).
  const source = createViemL1Source({ rpcUrls: urls, readAhead: 1, retryCount: p.retryCount ?? 2, maxResponseBytes: p.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES })
  const what = p.label ?? 'the L1'

  /** One call on every endpoint; an endpoint that cannot answer is temporary and names its host. */
  const onEach = <T>(label: string, f: (c: PublicClient) => Promise<T>): Promise<T[]> =>
    Promise.all(endpoints.map(async (ep) => {
      try {
        return await f(ep.client)
      } catch (e) {
        throw new L1UnavailableError(ep.label, label, e)
      }
    }))

  const ids = await onEach('the chain id', (c) => c.getChainId())
  ids.forEach((id, i) => {
    if (id !== p.l1ChainId) throw new L1WrongChainError((endpoints[i] as EndpointClient).label, id, p.l1ChainId, what)
  })

  // Refuse endpoints that disagree before any read: the header at the lowest head, re-hashed, must be the same on all.
  await pinBlock()

  const agree = <T>(subject: string, answers: readonly T[]): T => {
    const shown = answers.map(show)
    if (new Set(shown).size > 1) throw new L1EndpointsDisagreeError(subject, endpoints.map((ep, i) => ({ endpoint: ep.label, value: shown[i] as string })))
    return answers[0] as T
  }

  async function headNumber(): Promise<bigint> {
    const heads = await onEach('the latest block number', (c) => c.getBlockNumber({ cacheTime: 0 }))
    return heads.reduce((a, b) => (a < b ? a : b))
  }

  async function pinBlock(): Promise<{ number: bigint; hash: Hex }> {
    const h = await source.getHeader(Number(await headNumber()))
    return { number: BigInt(h.number), hash: h.hash }
  }

  /** The block a read is made at: the one asked for (its header agreed by every endpoint) or the pinned head. */
  async function blockFor(args: Args): Promise<bigint> {
    if (args.blockNumber !== undefined) {
      await source.getHeader(Number(args.blockNumber))
      return args.blockNumber
    }
    if (args.blockTag === 'safe' || args.blockTag === 'finalized') return BigInt((await source.getHeader(args.blockTag)).number)
    return (await pinBlock()).number
  }

  /**
   * A read at one block on every endpoint. A revert is an answer too (the same revert everywhere is rethrown);
   * an endpoint that fails otherwise makes the read temporary.
   */
  async function pinnedRead<T>(subject: (at: bigint) => string, args: Args, call: (c: PublicClient, at: bigint) => Promise<T>): Promise<T> {
    const at = await blockFor(args)
    const settled = await Promise.allSettled(endpoints.map((ep) => call(ep.client, at)))
    const failed = settled.findIndex((s) => s.status === 'rejected' && !isRevert(s.reason))
    if (failed >= 0) throw new L1UnavailableError((endpoints[failed] as EndpointClient).label, subject(at), (settled[failed] as PromiseRejectedResult).reason)
    const answers = settled.map((s) => (s.status === 'fulfilled' ? { ok: s.value } : { revert: revertText(s.reason) }))
    agree(subject(at), answers)
    const first = settled[0] as PromiseSettledResult<T>
    if (first.status === 'rejected') throw first.reason
    return first.value
  }

  async function getBlock(args: Args & { blockHash?: Hex; includeTransactions?: boolean } = {}) {
    if (args.includeTransactions) throw new EscapeError('The L1 gateway reads headers only (getBlock without includeTransactions).', { kind: 'critical' })
    let raw
    if (args.blockHash !== undefined) {
      const h = await firstAnswer(`L1 block ${args.blockHash}`, (c) => c.getBlock({ blockHash: args.blockHash as Hex }))
      raw = await source.getRawHeader(Number(h.number))
      if (raw.hash !== args.blockHash) throw new L1EndpointsDisagreeError(`L1 block ${h.number}`, [{ endpoint: 'asked for', value: args.blockHash }, { endpoint: 'agreed by every endpoint', value: String(raw.hash) }])
    } else if (args.blockNumber !== undefined) raw = await source.getRawHeader(Number(args.blockNumber))
    else if (args.blockTag === 'safe' || args.blockTag === 'finalized') raw = await source.getRawHeader(args.blockTag)
    else raw = await source.getRawHeader(Number(await headNumber()))
    return formatBlock(raw)
  }

  async function firstAnswer<T>(subject: string, f: (c: PublicClient) => Promise<T>): Promise<T> {
    let last: unknown
    for (const ep of endpoints) {
      try {
        return await f(ep.client)
      } catch (e) {
        last = new L1UnavailableError(ep.label, subject, e)
      }
    }
    throw last
  }

  /** Where a mined transaction is: its block, agreed by every endpoint (the locator itself comes from one endpoint). */
  async function locate(hash: Hex): Promise<L1BlockRef | undefined> {
    const raw = await firstAnswer(`transaction ${hash}`, (c) => c.request({ method: 'eth_getTransactionByHash', params: [hash] }) as Promise<RpcTransaction | null>)
    if (!raw) return undefined
    if (raw.blockHash === null || raw.blockNumber === null) {
      // Pending: the fields must still hash to the hash asked for.
      serializeRpcTransaction(raw, endpointLabel(endpoints[0]?.url ?? ''))
      return undefined
    }
    const header = await source.getHeader(Number(raw.blockNumber))
    if (header.hash !== raw.blockHash) throw new L1EndpointsDisagreeError(`the block of transaction ${hash}`, [{ endpoint: 'an endpoint says', value: `${Number(raw.blockNumber)} ${raw.blockHash}` }, { endpoint: 'every endpoint agrees on', value: header.hash }])
    return header
  }

  async function getTransaction(args: { hash: Hex }) {
    const block = await locate(args.hash)
    if (!block) {
      const raw = await firstAnswer(`transaction ${args.hash}`, (c) => c.request({ method: 'eth_getTransactionByHash', params: [args.hash] }) as Promise<RpcTransaction | null>)
      if (!raw) throw new L1UnavailableError(endpoints[0]?.label ?? 'L1', `transaction ${args.hash}`, new Error('transaction not found'))
      return formatTransaction(raw)
    }
    const v = await source.getVerifiedTransaction(block, args.hash)
    if (!v) throw new L1DataIntegrityError(endpoints[0]?.label ?? 'L1', `transaction ${args.hash} is not in the verified body of block ${block.number}`)
    return formatTransaction({ ...v.transaction, blockHash: block.hash, blockNumber: `0x${block.number.toString(16)}` })
  }

  async function getTransactionReceipt(args: { hash: Hex }) {
    const block = await locate(args.hash)
    if (!block) throw new L1UnavailableError(endpoints[0]?.label ?? 'L1', `the receipt of ${args.hash}`, new Error('transaction not mined yet'))
    const v = await source.getVerifiedReceipt(block, args.hash)
    if (!v) throw new L1DataIntegrityError(endpoints[0]?.label ?? 'L1', `transaction ${args.hash} is not in the verified body of block ${block.number}`)
    // from/to are not in the receipts root: take them from the verified transaction.
    const receipt = { ...(v.receipt as RpcTransactionReceipt), from: v.transaction.from, to: v.transaction.to }
    return formatTransactionReceipt(receipt)
  }

  async function getLogs(args: Args & { address?: Hex | Hex[]; event?: AbiEvent; events?: readonly AbiEvent[]; args?: Record<string, unknown>; fromBlock?: bigint | string; toBlock?: bigint | string; blockHash?: Hex }) {
    if (args.address === undefined || args.events !== undefined || args.blockHash !== undefined) {
      throw new EscapeError('The L1 gateway reads the logs of given contracts for one event over a block range.', { kind: 'critical' })
    }
    const head = typeof args.toBlock === 'bigint' && typeof args.fromBlock === 'bigint' ? undefined : await headNumber()
    const toBlock = typeof args.toBlock === 'bigint' ? args.toBlock : (head as bigint)
    const fromBlock = typeof args.fromBlock === 'bigint' ? args.fromBlock : toBlock
    const query = { ...args, fromBlock, toBlock }
    const answers = await onEach(`the events of blocks ${fromBlock}..${toBlock}`, (c) => c.getLogs(query as never))
    agree(`the events of ${addressesOf(args.address).join(', ')} in L1 blocks ${fromBlock}..${toBlock}`, answers.map((ls) => ls.map(logKey).sort()))
    const logs = answers[0] ?? []
    const topics = args.event ? (encodeEventTopics({ abi: [args.event], eventName: args.event.name, args: args.args } as never) as (Hex | Hex[] | null)[]) : []
    const blocks = new Map<string, number>()
    for (const l of logs) blocks.set(l.blockHash as Hex, Number(l.blockNumber))
    for (const [hash, number] of blocks) {
      const header = await source.getHeader(number)
      if (header.hash !== hash) throw new L1EndpointsDisagreeError(`L1 block ${number}`, [{ endpoint: 'the events say', value: hash }, { endpoint: 'every endpoint agrees on', value: header.hash }])
      const verified = (await source.getLogs(header, addressesOf(args.address))).filter((l) => matchesTopics(l, topics))
      const reported = logs.filter((l) => l.blockHash === hash)
      const want = verified.map(logKey).sort()
      const got = reported.map(logKey).sort()
      if (show(want) !== show(got)) {
        throw new L1DataIntegrityError(endpoints.map((e) => e.label).join(', '), `the events reported for L1 block ${number} are not the ones its receipts commit to (${got.length} reported, ${want.length} in the receipts)`)
      }
    }
    return logs
  }

  const gateway = {
    l1ChainId: p.l1ChainId,
    endpoints,
    source,
    pinBlock,
    getChainId: async () => p.l1ChainId,
    getBlockNumber: async () => headNumber(),
    getBlock,
    getTransaction,
    getTransactionReceipt,
    getLogs,
    readContract: (args: Args & { address: Hex; functionName: string }) =>
      pinnedRead((at) => `${args.functionName}() of ${args.address} at L1 block ${at}`, args, (c, at) => c.readContract({ ...args, blockTag: undefined, blockNumber: at } as never)),
    getBalance: (args: Args & { address: Hex }) => pinnedRead((at) => `the balance of ${args.address} at L1 block ${at}`, args, (c, at) => c.getBalance({ address: args.address, blockNumber: at })),
    getCode: (args: Args & { address: Hex }) => pinnedRead((at) => `the code of ${args.address} at L1 block ${at}`, args, (c, at) => c.getCode({ address: args.address, blockNumber: at })),
    async getTransactionCount(args: { address: Hex; blockTag?: 'pending' | 'latest' }) {
      if (args.blockTag === 'pending') {
        const counts = await onEach(`the pending nonce of ${args.address}`, (c) => c.getTransactionCount({ address: args.address, blockTag: 'pending' }))
        return Math.max(...counts)
      }
      return pinnedRead((at) => `the nonce of ${args.address} at L1 block ${at}`, args as Args, (c, at) => c.getTransactionCount({ address: args.address, blockNumber: at }))
    },
    estimateGas: (args: Parameters<PublicClient['estimateGas']>[0]) => firstAnswer('a gas estimate', (c) => c.estimateGas(args)),
  }
  return gateway as unknown as L1Gateway
}

function addressesOf(a: Hex | Hex[]): Hex[] {
  return (Array.isArray(a) ? a : [a]).map((x) => x.toLowerCase() as Hex)
}

function matchesTopics(l: L1Log, filter: readonly (Hex | Hex[] | null)[]): boolean {
  return filter.every((want, i) => want === null || (Array.isArray(want) ? want.map((w) => w.toLowerCase()).includes(String(l.topics[i]).toLowerCase()) : String(l.topics[i]).toLowerCase() === want.toLowerCase()))
}

/** What a log commits to, plus where it is: compared between endpoints and against the verified receipts. */
function logKey(l: { address: string; topics: readonly (string | null)[]; data: string; logIndex: number | null; transactionHash: string | null; blockHash: string | null }): string {
  return [l.blockHash, l.logIndex, l.transactionHash, l.address, ...l.topics, l.data].map((x) => String(x).toLowerCase()).join('|')
}

function isRevert(e: unknown): boolean {
  return e instanceof BaseError && e.walk((x) => x instanceof ContractFunctionRevertedError || x instanceof ContractFunctionZeroDataError) !== null
}

function revertText(e: unknown): string {
  return e instanceof BaseError ? e.shortMessage : String(e)
}

function show(x: unknown): string {
  return JSON.stringify(x, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
