/**
 * The L1Source port over viem JSON-RPC.
 *
 * - Several endpoints: every header is fetched from all of them and their hashes must agree (a disagreement is a
 *   loud L1EndpointsDisagreeError naming the endpoints).
 * - Every header's fields are re-hashed and must equal its hash; a block's transactions are re-serialized and must
 *   rebuild its transactionsRoot, so a lying endpoint cannot change the content behind an agreed hash.
 * - Logs (deposits and SystemConfig updates: money and the batcher's identity) are checked against the header too,
 *   so one endpoint is enough to trust them: the header's logsBloom says when a block cannot hold a log of the
 *   watched addresses (then no request is made at all); otherwise the block's receipts are fetched
 *   (eth_getBlockReceipts, or eth_getTransactionReceipt per verified tx hash where an endpoint lacks it), re-encoded
 *   and must rebuild the header's receiptsRoot before any log is returned. A mismatch is an L1DataIntegrityError
 *   naming the endpoint; the next endpoint is tried.
 * - Senders are recovered locally from signatures (never the RPC's `from`).
 * - JSON-RPC batching (viem http batch) with read-ahead of headers, retries with exponential backoff.
 * - A content-addressed on-disk cache (files named by block hash) of finalized data; a number → hash index is kept
 *   only for finalized blocks, so a second scan of a finalized range makes no RPC call.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  createPublicClient,
  formatTransaction,
  hexToBytes,
  http,
  keccak256,
  recoverTransactionAddress,
  serializeTransaction,
  toRlp,
  type Hex,
  type PublicClient,
  type RpcBlock,
  type RpcTransaction,
} from 'viem'
import { z } from 'zod'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import type { AbortSignalLike } from '../../../shared/l1/BlobSource'
import type { Address, L1BlockHeader, L1BlockRef, L1BlockTag, L1Log, L1Source, L1Transaction } from '../../../shared/l1/L1Source'
import { orderedTrieRoot } from '../../../shared/l1/orderedTrieRoot'
import { selectVerifiedLogs, type ReceiptsCommitment } from '../../../shared/l1/selectVerifiedLogs'
import { readBoundedBody } from '../http/readBoundedBody'
import { bloomMayContainAny } from '../../../shared/eth/logsBloom'
import { endpointLabel } from './endpointClients'

export class L1EndpointsDisagreeError extends EscapeError {
  override name = 'L1EndpointsDisagreeError'
  constructor(what: string, answers: readonly { endpoint: string; value: string }[]) {
    super(`Your L1 endpoints disagree about ${what}.`, {
      kind: 'critical',
      steps: [
        `At least one endpoint is on another chain, out of sync or lying (${answers.map((a) => `${a.endpoint} says ${a.value.length > 24 ? `${a.value.slice(0, 21)}…` : a.value}`).join('; ')}). Do not continue with these endpoints.`,
        'Remove or replace the endpoint that differs, then retry.',
      ],
      details: answers.map((a) => `${a.endpoint}: ${a.value}`).join('; '),
    })
  }
}
registerErrorClass('L1EndpointsDisagreeError', L1EndpointsDisagreeError)

export class L1DataIntegrityError extends EscapeError {
  override name = 'L1DataIntegrityError'
  constructor(endpoint: string, problem: string) {
    super(`The L1 endpoint ${endpoint} returned data that does not match its block hash.`, {
      kind: 'critical',
      steps: ['This endpoint is faulty or lying: remove it and use another L1 endpoint.'],
      details: problem,
    })
  }
}
registerErrorClass('L1DataIntegrityError', L1DataIntegrityError)

export class L1UnavailableError extends EscapeError {
  override name = 'L1UnavailableError'
  constructor(endpoint: string, what: string, cause: unknown) {
    super(`Could not read ${what} from the L1 endpoint ${endpoint}.`, {
      kind: 'temporary',
      steps: ['Check the endpoint URL and your connection, then retry.', 'Rate-limited? Configure your own node or a paid endpoint.'],
      cause,
    })
  }
}
registerErrorClass('L1UnavailableError', L1UnavailableError)

export class L1ReadCancelledError extends EscapeError {
  override name = 'L1ReadCancelledError'
  constructor(what: string) {
    super(`Reading ${what} from L1 was cancelled.`, { kind: 'user-action', steps: ['Start the operation again when you are ready.'] })
  }
}
registerErrorClass('L1ReadCancelledError', L1ReadCancelledError)

export interface ViemL1SourceOptions {
  /** One or more L1 JSON-RPC URLs; all must agree. */
  rpcUrls: readonly string[]
  /** Directory of the content-addressed cache of finalized data; no caching without it. */
  cacheDir?: string
  retryCount?: number
  batchSize?: number
  /** Headers fetched ahead of the one asked for (they arrive in one JSON-RPC batch). */
  readAhead?: number
  /** Check each block's transactionsRoot against its re-serialized transactions (default true). */
  verifyTransactionsRoot?: boolean
  /** Largest HTTP response body accepted from an endpoint (default 128 MiB): a bigger answer is refused unread. */
  maxResponseBytes?: number
  /** Called for every JSON-RPC request sent (diagnostics and tests). */
  onRequest?(endpoint: string, method: string): void
  /** Called when an endpoint's answer failed verification and another endpoint was tried (it is lying or broken). */
  onRejectedAnswer?(error: L1DataIntegrityError): void
}

/** A transaction whose bytes are in a block's verified body; `from` recovered locally. */
export interface VerifiedTransaction {
  transaction: RpcTransaction
  serialized: Hex
}

export interface ViemL1Source extends L1Source {
  /** An agreed, re-hashed header as the endpoints sent it (for callers that need every field). */
  getRawHeader(block: number | L1BlockTag, signal?: AbortSignalLike): Promise<RpcBlock<'latest', false>>
  /** The transaction `hash` of a block, from its body checked against transactionsRoot; undefined when not in it. */
  getVerifiedTransaction(block: L1BlockRef, hash: Hex, signal?: AbortSignalLike): Promise<VerifiedTransaction | undefined>
  /**
   * The receipt of transaction `hash` in a block, from the block's receipts checked against receiptsRoot (as the RPC
   * sent it: fields the root does not commit to — from, to, contractAddress, gas price — are the RPC's), with the
   * verified transaction; undefined when the block has no such transaction.
   */
  getVerifiedReceipt(block: L1BlockRef, hash: Hex, signal?: AbortSignalLike): Promise<(VerifiedTransaction & { receipt: unknown }) | undefined>
  readonly stats: {
    rpcRequests: number
    cacheHits: number
    /** getLogs calls answered from the header's logsBloom alone (no request). */
    bloomSkips: number
    /** Blocks whose receipts were fetched and checked against receiptsRoot. */
    receiptsVerified: number
    /** Endpoint answers that failed verification. */
    rejectedAnswers: number
  }
}

/** A verified block body: the transactions behind the header's transactionsRoot. */
interface VerifiedBody {
  txs: RpcTransaction[]
  serialized: Hex[]
  hashes: Hex[]
}

interface Endpoint {
  url: string
  /** How the endpoint is named in errors: scheme and host only (paths and queries often carry API keys). */
  label: string
  client: PublicClient
}

type RpcHeader = RpcBlock<'latest', false>

const rpcHeaderSchema = z.object({ hash: z.string(), number: z.string(), parentHash: z.string(), timestamp: z.string() }).passthrough()

export function createViemL1Source(opts: ViemL1SourceOptions): ViemL1Source {
  if (opts.rpcUrls.length === 0) throw new EscapeError('No L1 endpoint is configured.', { kind: 'user-action', steps: ['Give at least one L1 RPC URL (--rpc).'] })
  const stats = { rpcRequests: 0, cacheHits: 0, bloomSkips: 0, receiptsVerified: 0, rejectedAnswers: 0 }
  const fetchFn = boundedFetch(opts.maxResponseBytes ?? 128 * 1024 * 1024)
  const endpoints: Endpoint[] = opts.rpcUrls.map((url) => ({
    url,
    label: endpointLabel(url),
    client: createPublicClient({
      transport: http(url, {
        fetchFn,
        batch: { batchSize: opts.batchSize ?? 50, wait: 0 },
        retryCount: opts.retryCount ?? 4,
        retryDelay: 250,
        timeout: 30_000,
        onFetchRequest: async (req) => {
          let methods: string[] = ['?']
          try {
            const body = JSON.parse(await req.clone().text()) as { method: string } | { method: string }[]
            methods = Array.isArray(body) ? body.map((b) => b.method) : [body.method]
          } catch {
            // body not JSON: count as one request
          }
          for (const m of methods) {
            stats.rpcRequests++
            opts.onRequest?.(url, m)
          }
        },
      }),
    }) as PublicClient,
  }))
  const verifyTxRoot = opts.verifyTransactionsRoot ?? true
  const readAhead = opts.readAhead ?? 16

  let chainIdPromise: Promise<number> | undefined
  let finalized: { number: number; at: number } | undefined
  const headerByNumber = new Map<number, Promise<L1BlockHeader>>()
  /** What re-hashed headers commit to about their logs, by block hash (kept for the blocks a scan is near). */
  const commitments = new Map<string, BlockCommitments>()
  const remember = (c: BlockCommitments): void => {
    commitments.set(c.hash, c)
    if (commitments.size > 4096) commitments.delete(commitments.keys().next().value as string)
  }
  /** Verified block bodies of the last few blocks (getTransactionsTo and getLogs of one block share one fetch). */
  const bodies = new Map<string, Promise<VerifiedBody>>()
  /** Endpoints that answered eth_getBlockReceipts with "no such method": they get per-transaction receipt requests. */
  const noBlockReceipts = new Set<string>()

  const request = async <T>(ep: Endpoint, method: string, params: unknown[], what: string): Promise<T> => {
    try {
      // Raw JSON-RPC: we want the node's hex fields as sent, to re-hash them.
      const raw = ep.client.request as unknown as (args: { method: string; params: unknown[] }) => Promise<unknown>
      return (await raw({ method, params })) as T
    } catch (e) {
      throw new L1UnavailableError(ep.label, what, e)
    }
  }

  const cacheRoot = async (): Promise<string | undefined> => {
    if (!opts.cacheDir) return undefined
    const dir = join(opts.cacheDir, `l1-${await chainId()}`)
    return dir
  }
  const cacheRead = async <T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> => {
    const root = await cacheRoot()
    if (!root) return undefined
    try {
      const parsed = schema.safeParse(JSON.parse(await readFile(join(root, name), 'utf8')))
      if (!parsed.success) return undefined // a corrupt cache entry is refetched, never trusted
      stats.cacheHits++
      return parsed.data
    } catch {
      return undefined
    }
  }
  const cacheWrite = async (name: string, value: unknown): Promise<void> => {
    const root = await cacheRoot()
    if (!root) return
    const file = join(root, name)
    await mkdir(join(file, '..'), { recursive: true })
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    await writeFile(tmp, JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
    await rename(tmp, file)
  }

  async function chainId(): Promise<number> {
    chainIdPromise ??= (async () => {
      const ids = await Promise.all(endpoints.map(async (ep) => ({ endpoint: ep.label, value: String(Number(await request<Hex>(ep, 'eth_chainId', [], 'the chain id'))) })))
      if (new Set(ids.map((i) => i.value)).size > 1) throw new L1EndpointsDisagreeError('the chain id', ids)
      return Number(ids[0]?.value)
    })()
    return chainIdPromise
  }

  async function finalizedNumber(): Promise<number> {
    if (finalized && Date.now() - finalized.at < 30_000) return finalized.number
    const ep = endpoints[0] as Endpoint
    const b = await request<RpcHeader | null>(ep, 'eth_getBlockByNumber', ['finalized', false], 'the finalized block')
    const n = b ? Number(b.number) : -1
    finalized = { number: n, at: Date.now() }
    return n
  }

  /** Fetch one header from every endpoint; hashes must agree; fields must hash to the hash. */
  async function fetchHeaderAgreed(id: Hex | 'latest' | 'safe' | 'finalized'): Promise<L1BlockHeader> {
    return toHeader(await fetchRawHeaderAgreed(id))
  }

  /** fetchHeaderAgreed, as the endpoints sent it (every field re-hashed to the agreed hash). */
  async function fetchRawHeaderAgreed(id: Hex | 'latest' | 'safe' | 'finalized'): Promise<RpcHeader> {
    const answers = await Promise.all(
      endpoints.map(async (ep) => {
        const b = await request<RpcHeader | null>(ep, 'eth_getBlockByNumber', [id, false], `L1 block ${id}`)
        if (!b) throw new L1UnavailableError(ep.label, `L1 block ${id}`, new Error('block not found'))
        const parsed = rpcHeaderSchema.safeParse(b)
        if (!parsed.success) throw new L1DataIntegrityError(ep.label, `malformed header for ${id}`)
        const computed = headerHash(b)
        if (computed !== b.hash) throw new L1DataIntegrityError(ep.label, `header fields of block ${Number(b.number)} hash to ${computed}, not ${b.hash}`)
        return { ep, b }
      }),
    )
    const first = answers[0] as { ep: Endpoint; b: RpcHeader }
    if (answers.some((a) => a.b.hash !== first.b.hash)) {
      throw new L1EndpointsDisagreeError(`L1 block ${id === 'latest' || id === 'safe' || id === 'finalized' ? id : Number(id)}`, answers.map((a) => ({ endpoint: a.ep.label, value: `${Number(a.b.number)} ${a.b.hash}` })))
    }
    remember(commitmentsOf(first.b))
    return first.b
  }

  async function headerAt(n: number): Promise<L1BlockHeader> {
    const fin = await finalizedNumber()
    if (n <= fin) {
      const idx = await cacheRead(`canonical/${n}.json`, z.object({ hash: z.string() }))
      if (idx) {
        const entry = await cacheRead(`blocks/${idx.hash}.header.json`, cachedHeaderEntrySchema)
        if (entry && entry.number === n) {
          const { receiptsRoot, logsBloom, gasUsed, ...h } = entry
          if (receiptsRoot && logsBloom && gasUsed !== undefined) remember({ number: n, hash: h.hash, receiptsRoot, logsBloom, gasUsed })
          return h as L1BlockHeader
        }
      }
    }
    let p = headerByNumber.get(n)
    if (!p) {
      // Read ahead: one JSON-RPC batch for the next few headers (they are asked for next during a scan).
      for (let k = n; k < n + readAhead; k++) {
        if (k > n && (k > fin + readAhead || headerByNumber.has(k))) continue
        const q = fetchHeaderAgreed(`0x${k.toString(16)}`)
        q.catch(() => undefined) // a read-ahead beyond the chain head may fail; only a requested one reports
        headerByNumber.set(k, q)
      }
      p = headerByNumber.get(n) as Promise<L1BlockHeader>
    }
    try {
      const h = await p
      if (n <= fin) {
        // The entry keeps what the header commits to about logs (so a cached scan needs no request for getLogs);
        // getHeader still returns only the L1BlockHeader fields.
        const c = commitments.get(h.hash)
        await cacheWrite(`blocks/${h.hash}.header.json`, { ...h, ...(c ? { receiptsRoot: c.receiptsRoot, logsBloom: c.logsBloom, gasUsed: c.gasUsed } : {}) })
        await cacheWrite(`canonical/${n}.json`, { hash: h.hash })
      }
      return h
    } finally {
      headerByNumber.delete(n)
      if (headerByNumber.size > 4 * readAhead) for (const k of headerByNumber.keys()) if (k < n) headerByNumber.delete(k)
    }
  }

  const isFinal = async (block: L1BlockRef): Promise<boolean> => block.number <= (await finalizedNumber())
  const checkSignal = (signal: AbortSignalLike | undefined, what: string): void => {
    if (signal?.aborted) throw new L1ReadCancelledError(what)
  }

  /**
   * Ask the endpoints in order until one answer verifies. An answer that fails verification is reported
   * (onRejectedAnswer) and the next endpoint is asked; when none verifies, the first integrity failure is thrown
   * (a lie outranks an outage), else the last outage.
   */
  async function firstVerified<T>(signal: AbortSignalLike | undefined, what: string, attempt: (ep: Endpoint) => Promise<T>): Promise<T> {
    let lie: L1DataIntegrityError | undefined
    let outage: unknown
    for (const ep of endpoints) {
      checkSignal(signal, what)
      try {
        return await attempt(ep)
      } catch (e) {
        if (e instanceof L1DataIntegrityError) {
          stats.rejectedAnswers++
          opts.onRejectedAnswer?.(e)
          lie ??= e
        } else if (e instanceof L1UnavailableError) outage = e
        else throw e
      }
    }
    throw lie ?? outage
  }

  /** The block's receipts root, logs bloom and gas used, from a header that re-hashes to the block's hash. */
  async function blockCommitments(block: L1BlockRef, signal: AbortSignalLike | undefined): Promise<BlockCommitments> {
    const known = commitments.get(block.hash)
    if (known) return known
    const entry = await cacheRead(`blocks/${block.hash}.header.json`, cachedHeaderEntrySchema)
    if (entry?.receiptsRoot && entry.logsBloom && entry.gasUsed !== undefined && entry.hash === block.hash) {
      const c = { number: entry.number, hash: entry.hash, receiptsRoot: entry.receiptsRoot, logsBloom: entry.logsBloom, gasUsed: entry.gasUsed }
      remember(c)
      return c
    }
    return firstVerified(signal, `the header of L1 block ${block.number}`, async (ep) => {
      const b = await request<RpcHeader | null>(ep, 'eth_getBlockByHash', [block.hash, false], `L1 block ${block.number}`)
      if (!b) throw new L1UnavailableError(ep.label, `L1 block ${block.number}`, new Error('block not found'))
      if (!rpcHeaderSchema.safeParse(b).success) throw new L1DataIntegrityError(ep.label, `malformed header for block ${block.hash}`)
      const computed = headerHash(b)
      if (computed !== block.hash || Number(b.number) !== block.number) throw new L1DataIntegrityError(ep.label, `asked for block ${block.number} ${block.hash}, got fields hashing to ${computed} (number ${Number(b.number)})`)
      const c = commitmentsOf(b)
      remember(c)
      return c
    })
  }

  /** The block's transactions, re-serialized and checked against its transactionsRoot (and its header hash). */
  function verifiedBody(block: L1BlockRef, signal: AbortSignalLike | undefined): Promise<VerifiedBody> {
    let p = bodies.get(block.hash)
    if (p) return p
    p = firstVerified(signal, `the transactions of L1 block ${block.number}`, async (ep) => {
      const b = await request<RpcBlock<'latest', true> | null>(ep, 'eth_getBlockByHash', [block.hash, true], `L1 block ${block.number}`)
      if (!b) throw new L1UnavailableError(ep.label, `L1 block ${block.number}`, new Error('block not found'))
      if (!rpcHeaderSchema.safeParse(b).success || !Array.isArray(b.transactions)) throw new L1DataIntegrityError(ep.label, `malformed block ${block.hash}`)
      if (b.hash !== block.hash || Number(b.number) !== block.number) throw new L1DataIntegrityError(ep.label, `asked for block ${block.hash}, got ${b.hash}`)
      if (headerHash(b as unknown as RpcHeader) !== block.hash) throw new L1DataIntegrityError(ep.label, `block ${block.number} header does not hash to ${block.hash}`)
      const txs = b.transactions as RpcTransaction[]
      const serialized = txs.map((t) => serializeRpcTransaction(t, ep.label))
      if (verifyTxRoot) {
        let root = await transactionsRoot(serialized)
        // anvil (the devnet L1) computes transactionsRoot over blob txs in their network form (with sidecars) and
        // returns the sidecars in the block body; accept that encoding only when the body carries them.
        if (root !== b.transactionsRoot && txs.some((t) => Array.isArray((t as { blobs?: unknown }).blobs))) {
          root = await transactionsRoot(txs.map((t, i) => serializeNetworkForm(t) ?? (serialized[i] as Hex)))
        }
        if (root !== b.transactionsRoot) throw new L1DataIntegrityError(ep.label, `transactions of block ${block.number} rebuild root ${root}, header says ${b.transactionsRoot}`)
      }
      remember(commitmentsOf(b as unknown as RpcHeader))
      // serializeRpcTransaction checked keccak(serialized) == hash, so these hashes are the verified ones.
      return { txs, serialized, hashes: txs.map((t) => t.hash.toLowerCase() as Hex) }
    })
    bodies.set(block.hash, p)
    p.catch(() => bodies.delete(block.hash))
    if (bodies.size > 4) bodies.delete(bodies.keys().next().value as string)
    return p
  }

  /** The receipts of a block from one endpoint (unverified JSON; selectVerifiedLogs checks it). */
  async function fetchReceipts(ep: Endpoint, block: L1BlockRef, hashes: readonly Hex[], signal: AbortSignalLike | undefined): Promise<unknown> {
    const what = `the receipts of L1 block ${block.number}`
    if (!noBlockReceipts.has(ep.url)) {
      try {
        const raw = ep.client.request as unknown as (args: { method: string; params: unknown[] }) => Promise<unknown>
        const r = await raw({ method: 'eth_getBlockReceipts', params: [block.hash] })
        if (r === null) throw new L1UnavailableError(ep.label, what, new Error('block not found'))
        return r
      } catch (e) {
        if (e instanceof L1UnavailableError) throw e
        if (!isMethodUnsupported(e)) throw new L1UnavailableError(ep.label, what, e)
        noBlockReceipts.add(ep.url)
      }
    }
    // Fallback: one eth_getTransactionReceipt per verified tx hash, a batch (one HTTP request) at a time.
    const chunk = opts.batchSize ?? 50
    const out: unknown[] = []
    for (let i = 0; i < hashes.length; i += chunk) {
      checkSignal(signal, what)
      const part = await Promise.all(hashes.slice(i, i + chunk).map((h) => request<unknown>(ep, 'eth_getTransactionReceipt', [h], what)))
      for (const [k, r] of part.entries()) if (r === null) throw new L1UnavailableError(ep.label, what, new Error(`no receipt for transaction ${hashes[i + k]}`))
      out.push(...part)
    }
    return out
  }

  /** The verified receipts of a block (they rebuild its receiptsRoot), from the first endpoint whose answer does. */
  async function verifiedReceipts(block: L1BlockRef, signal: AbortSignalLike | undefined): Promise<{ body: VerifiedBody; receipts: unknown[] }> {
    const body = await verifiedBody(block, signal)
    const c = await blockCommitments(block, signal)
    const receipts = await firstVerified(signal, `the receipts of L1 block ${block.number}`, async (ep) => {
      const answer = await fetchReceipts(ep, block, body.hashes, signal)
      const r = selectVerifiedLogs({ block: c, transactionHashes: body.hashes, receipts: answer, addresses: [] })
      if (!r.ok) throw new L1DataIntegrityError(ep.label, r.problem)
      return answer as unknown[]
    })
    stats.receiptsVerified++
    return { body, receipts }
  }

  return {
    stats,
    async chainId() {
      return chainId()
    },

    async getRawHeader(block: number | L1BlockTag, signal?: AbortSignalLike) {
      checkSignal(signal, `L1 block ${block}`)
      return fetchRawHeaderAgreed(typeof block === 'number' ? `0x${block.toString(16)}` : block)
    },

    async getVerifiedTransaction(block: L1BlockRef, hash: Hex, signal?: AbortSignalLike) {
      const { txs, serialized, hashes } = await verifiedBody(block, signal)
      const index = hashes.indexOf(hash.toLowerCase() as Hex)
      if (index < 0) return undefined
      return verifiedTransactionAt(txs, serialized, index)
    },

    async getVerifiedReceipt(block: L1BlockRef, hash: Hex, signal?: AbortSignalLike) {
      const { body, receipts } = await verifiedReceipts(block, signal)
      const index = body.hashes.indexOf(hash.toLowerCase() as Hex)
      if (index < 0) return undefined
      return { receipt: receipts[index], ...(await verifiedTransactionAt(body.txs, body.serialized, index)) }
    },

    async getHeader(block: number | L1BlockTag, signal?: AbortSignalLike) {
      checkSignal(signal, `L1 block ${block}`)
      if (typeof block === 'number') return headerAt(block)
      return fetchHeaderAgreed(block)
    },

    async getTransactionsTo(block: L1BlockRef, to: Address, signal?: AbortSignalLike) {
      const name = `blocks/${block.hash}.txs-to-${to.toLowerCase()}.json`
      if (await isFinal(block)) {
        const cached = await cacheRead(name, z.array(cachedTxSchema))
        if (cached) return cached as L1Transaction[]
      }
      const { txs, serialized } = await verifiedBody(block, signal)
      const wanted = to.toLowerCase()
      const out: L1Transaction[] = []
      for (let i = 0; i < txs.length; i++) {
        const t = txs[i] as RpcTransaction
        if (t.to?.toLowerCase() !== wanted) continue
        const from = await recoverTransactionAddress({ serializedTransaction: serialized[i] as never })
        out.push({
          hash: t.hash,
          index: i,
          type: Number(t.type ?? '0x0'),
          from: from.toLowerCase() as Address,
          to: t.to.toLowerCase() as Address,
          input: t.input,
          blobVersionedHashes: ((t as { blobVersionedHashes?: Hex[] }).blobVersionedHashes ?? []).map((h) => h.toLowerCase() as Hex),
        })
      }
      if (await isFinal(block)) await cacheWrite(name, out)
      return out
    },

    async getLogs(block: L1BlockRef, addresses: readonly Address[], signal?: AbortSignalLike) {
      const what = `the events of L1 block ${block.number}`
      checkSignal(signal, what)
      if (addresses.length === 0) return []
      const key = keccak256(new TextEncoder().encode([...addresses].map((a) => a.toLowerCase()).sort().join(','))).slice(2, 18)
      const name = `blocks/${block.hash}.logs-${key}.json`
      const final = await isFinal(block)
      if (final) {
        const cached = await cacheRead(name, z.array(cachedLogSchema))
        if (cached) return cached as L1Log[]
      }
      const c = await blockCommitments(block, signal)
      // The bloom has no false negatives: when it rules out every watched address, the block has none of their logs.
      if (!bloomMayContainAny(hexToBytes(c.logsBloom), addresses.map((a) => hexToBytes(a)))) {
        stats.bloomSkips++
        return []
      }
      const body = await verifiedBody(block, signal)
      const logs = await firstVerified(signal, what, async (ep) => {
        const receipts = await fetchReceipts(ep, block, body.hashes, signal)
        const r = selectVerifiedLogs({ block: c, transactionHashes: body.hashes, receipts, addresses })
        if (!r.ok) throw new L1DataIntegrityError(ep.label, r.problem)
        return r.logs
      })
      stats.receiptsVerified++
      if (final) await cacheWrite(name, logs)
      return logs
    },
  }
}

/** A transaction of a verified body, with its sender recovered from the signature (never the RPC's `from`). */
async function verifiedTransactionAt(txs: readonly RpcTransaction[], serialized: readonly Hex[], index: number): Promise<VerifiedTransaction> {
  const raw = serialized[index] as Hex
  const from = (await recoverTransactionAddress({ serializedTransaction: raw as never })).toLowerCase() as Address
  return { transaction: { ...(txs[index] as RpcTransaction), from }, serialized: raw }
}

const hexStr = z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<`0x${string}`>
const bigStr = z.union([z.string(), z.number()]).transform((v) => BigInt(v))
/** A cached header entry: the L1BlockHeader plus what the header commits to about its logs (absent in old entries). */
const cachedHeaderEntrySchema = z.object({
  number: z.number(),
  hash: hexStr,
  parentHash: hexStr,
  timestamp: z.number(),
  baseFeePerGas: bigStr.nullable(),
  excessBlobGas: bigStr.nullable(),
  blobGasUsed: bigStr.nullable(),
  mixHash: hexStr,
  parentBeaconBlockRoot: hexStr.nullable(),
  gasLimit: bigStr,
  receiptsRoot: hexStr.optional(),
  logsBloom: z.string().regex(/^0x[0-9a-fA-F]{512}$/).optional() as unknown as z.ZodOptional<z.ZodType<Hex>>,
  gasUsed: bigStr.optional(),
})
const cachedTxSchema = z.object({
  hash: hexStr, index: z.number(), type: z.number(), from: hexStr, to: hexStr.nullable(), input: hexStr, blobVersionedHashes: z.array(hexStr),
})
const cachedLogSchema = z.object({
  address: hexStr, topics: z.array(hexStr), data: hexStr, logIndex: z.number(), transactionIndex: z.number(), transactionHash: hexStr, blockHash: hexStr, blockNumber: z.number(),
})

/** What a block's header commits to about its logs: the receipts root, the logs bloom and the gas used. */
type BlockCommitments = ReceiptsCommitment & { logsBloom: Hex }

function commitmentsOf(b: RpcHeader): BlockCommitments {
  return { number: Number(b.number), hash: b.hash as Hex, receiptsRoot: b.receiptsRoot, logsBloom: b.logsBloom as Hex, gasUsed: BigInt(b.gasUsed) }
}

/** Whether a JSON-RPC error says the endpoint has no such method (so the per-transaction fallback applies). */
function isMethodUnsupported(e: unknown): boolean {
  for (let x = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; x && depth < 5; x = x.cause as typeof x, depth++) {
    if (x.code === -32601) return true
    if (typeof x.message === 'string' && /method .*(not (found|supported|available)|does not exist|unsupported)|unsupported method|not supported/i.test(x.message)) return true
  }
  return false
}

/**
 * fetch with a cap on the response body: a body larger than `limit` is refused while streaming (and by its
 * content-length when given), so an endpoint cannot exhaust memory with one answer.
 */
export function boundedFetch(limit: number): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const res = await fetch(input, init)
    const body = await readBoundedBody(res, limit)
    if (!body) throw new Error(`the response is larger than ${limit} bytes`)
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
  }
}

function toHeader(b: RpcHeader): L1BlockHeader {
  return {
    number: Number(b.number),
    hash: b.hash as Hex,
    parentHash: b.parentHash,
    timestamp: Number(b.timestamp),
    baseFeePerGas: b.baseFeePerGas ? BigInt(b.baseFeePerGas) : null,
    excessBlobGas: b.excessBlobGas ? BigInt(b.excessBlobGas) : b.excessBlobGas === '0x0' ? 0n : null,
    blobGasUsed: b.blobGasUsed ? BigInt(b.blobGasUsed) : null,
    mixHash: b.mixHash,
    parentBeaconBlockRoot: (b as { parentBeaconBlockRoot?: Hex }).parentBeaconBlockRoot ?? null,
    gasLimit: BigInt(b.gasLimit),
  }
}

/** keccak256(rlp(header)) with the fields each fork added (London … Prague's requestsHash). */
export function headerHash(b: RpcHeader): Hex {
  const q = (v: string | null | undefined): Hex => {
    if (v === undefined || v === null || BigInt(v) === 0n) return '0x'
    const h = BigInt(v).toString(16)
    return `0x${h.length % 2 ? `0${h}` : h}` as Hex
  }
  const x = b as unknown as Record<string, string | null | undefined>
  const fields: Hex[] = [
    b.parentHash, b.sha3Uncles, b.miner, b.stateRoot, b.transactionsRoot, b.receiptsRoot, b.logsBloom as Hex,
    q(b.difficulty), q(b.number), q(b.gasLimit), q(b.gasUsed), q(b.timestamp), b.extraData, b.mixHash, b.nonce as Hex,
  ]
  const optional: [string, boolean][] = [
    ['baseFeePerGas', false], ['withdrawalsRoot', true], ['blobGasUsed', false], ['excessBlobGas', false], ['parentBeaconBlockRoot', true], ['requestsHash', true],
  ]
  for (const [key, isHash] of optional) {
    const v = x[key]
    if (v === undefined || v === null) break
    fields.push(isHash ? (v as Hex) : q(v))
  }
  return keccak256(toRlp(fields))
}

export function serializeRpcTransaction(t: RpcTransaction, endpoint: string): Hex {
  try {
    const formatted = formatTransaction(t) as Parameters<typeof serializeTransaction>[0] & { r: Hex; s: Hex; v?: bigint; yParity?: number; input: Hex }
    // viem's formatter keeps the calldata as `input`; its serializer reads `data`.
    // Blob txs: the block body carries no sidecars; serialize the plain (hashable) form only.
    const f = { ...formatted, data: formatted.input, ...(formatted.type === 'eip4844' ? { blobs: undefined, sidecars: false } : {}) }
    const serialized = serializeTransaction(f as never, { r: f.r, s: f.s, ...(f.yParity !== undefined && f.type !== 'legacy' ? { yParity: f.yParity } : { v: f.v as bigint }) } as never)
    if (keccak256(serialized) !== t.hash) throw new Error(`re-serialized bytes hash to ${keccak256(serialized)}`)
    return serialized
  } catch (e) {
    throw new L1DataIntegrityError(endpoint, `transaction ${t.hash} could not be re-serialized: ${(e as Error).message}`)
  }
}

/** A blob tx in network form (tx ‖ blobs ‖ commitments ‖ proofs), from a body that carries its sidecars (anvil). */
function serializeNetworkForm(t: RpcTransaction): Hex | undefined {
  const x = t as RpcTransaction & { blobs?: Hex[]; commitments?: Hex[]; proofs?: Hex[] }
  if (!x.blobs || !x.commitments || !x.proofs) return undefined
  const formatted = formatTransaction(t) as Parameters<typeof serializeTransaction>[0] & { r: Hex; s: Hex; yParity: number; input: Hex }
  const sidecars = x.blobs.map((blob, i) => ({ blob, commitment: x.commitments?.[i] as Hex, proof: x.proofs?.[i] as Hex }))
  return serializeTransaction({ ...formatted, data: formatted.input, blobs: undefined, sidecars } as never, { r: formatted.r, s: formatted.s, yParity: formatted.yParity } as never)
}

async function transactionsRoot(serialized: readonly Hex[]): Promise<Hex> {
  // The project's one-pass trie builder (shared/trie): @ethereumjs/mpt inserts key by key and was most of a block's cost.
  return orderedTrieRoot(serialized.map((t) => hexToBytes(t)))
}
