/**
 * The L1Source port over viem JSON-RPC.
 *
 * - Several endpoints: every header is fetched from all of them and their hashes must agree (a disagreement is a
 *   loud L1EndpointsDisagreeError naming the endpoints); logs are cross-checked the same way (deposits are money).
 * - Every header's fields are re-hashed and must equal its hash; a block's transactions are re-serialized and must
 *   rebuild its transactionsRoot, so a lying endpoint cannot change the content behind an agreed hash.
 * - Senders are recovered locally from signatures (never the RPC's `from`).
 * - JSON-RPC batching (viem http batch) with read-ahead of headers, retries with exponential backoff.
 * - A content-addressed on-disk cache (files named by block hash) of finalized data; a number → hash index is kept
 *   only for finalized blocks, so a second scan of a finalized range makes no RPC call.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createMPT } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
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
  type RpcLog,
  type RpcTransaction,
} from 'viem'
import { z } from 'zod'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import type { AbortSignalLike } from '../../../shared/l1/BlobSource'
import type { Address, L1BlockHeader, L1BlockRef, L1BlockTag, L1Log, L1Source, L1Transaction } from '../../../shared/l1/L1Source'

export class L1EndpointsDisagreeError extends EscapeError {
  override name = 'L1EndpointsDisagreeError'
  constructor(what: string, answers: readonly { endpoint: string; value: string }[]) {
    super(`Your L1 endpoints disagree about ${what}.`, {
      kind: 'critical',
      steps: [
        'At least one endpoint is on another chain, out of sync or lying. Do not continue with these endpoints.',
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
  /** Called for every JSON-RPC request sent (diagnostics and tests). */
  onRequest?(endpoint: string, method: string): void
}

export interface ViemL1Source extends L1Source {
  readonly stats: { rpcRequests: number; cacheHits: number }
}

interface Endpoint {
  url: string
  client: PublicClient
}

type RpcHeader = RpcBlock<'latest', false>

const rpcHeaderSchema = z.object({ hash: z.string(), number: z.string(), parentHash: z.string(), timestamp: z.string() }).passthrough()

export function createViemL1Source(opts: ViemL1SourceOptions): ViemL1Source {
  if (opts.rpcUrls.length === 0) throw new EscapeError('No L1 endpoint is configured.', { kind: 'user-action', steps: ['Give at least one L1 RPC URL (--rpc).'] })
  const stats = { rpcRequests: 0, cacheHits: 0 }
  const endpoints: Endpoint[] = opts.rpcUrls.map((url) => ({
    url,
    client: createPublicClient({
      transport: http(url, {
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

  const request = async <T>(ep: Endpoint, method: string, params: unknown[], what: string): Promise<T> => {
    try {
      // Raw JSON-RPC: we want the node's hex fields as sent, to re-hash them.
      const raw = ep.client.request as unknown as (args: { method: string; params: unknown[] }) => Promise<unknown>
      return (await raw({ method, params })) as T
    } catch (e) {
      throw new L1UnavailableError(ep.url, what, e)
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
      const ids = await Promise.all(endpoints.map(async (ep) => ({ endpoint: ep.url, value: String(Number(await request<Hex>(ep, 'eth_chainId', [], 'the chain id'))) })))
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
    const answers = await Promise.all(
      endpoints.map(async (ep) => {
        const b = await request<RpcHeader | null>(ep, 'eth_getBlockByNumber', [id, false], `L1 block ${id}`)
        if (!b) throw new L1UnavailableError(ep.url, `L1 block ${id}`, new Error('block not found'))
        const parsed = rpcHeaderSchema.safeParse(b)
        if (!parsed.success) throw new L1DataIntegrityError(ep.url, `malformed header for ${id}`)
        const computed = headerHash(b)
        if (computed !== b.hash) throw new L1DataIntegrityError(ep.url, `header fields of block ${Number(b.number)} hash to ${computed}, not ${b.hash}`)
        return { ep, b }
      }),
    )
    const first = answers[0] as { ep: Endpoint; b: RpcHeader }
    if (answers.some((a) => a.b.hash !== first.b.hash)) {
      throw new L1EndpointsDisagreeError(`L1 block ${id === 'latest' || id === 'safe' || id === 'finalized' ? id : Number(id)}`, answers.map((a) => ({ endpoint: a.ep.url, value: `${Number(a.b.number)} ${a.b.hash}` })))
    }
    return toHeader(first.b)
  }

  async function headerAt(n: number): Promise<L1BlockHeader> {
    const fin = await finalizedNumber()
    if (n <= fin) {
      const idx = await cacheRead(`canonical/${n}.json`, z.object({ hash: z.string() }))
      if (idx) {
        const h = await cacheRead(`blocks/${idx.hash}.header.json`, cachedHeaderSchema)
        if (h && h.number === n) return h
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
        await cacheWrite(`blocks/${h.hash}.header.json`, h)
        await cacheWrite(`canonical/${n}.json`, { hash: h.hash })
      }
      return h
    } finally {
      headerByNumber.delete(n)
      if (headerByNumber.size > 4 * readAhead) for (const k of headerByNumber.keys()) if (k < n) headerByNumber.delete(k)
    }
  }

  const isFinal = async (block: L1BlockRef): Promise<boolean> => block.number <= (await finalizedNumber())

  return {
    stats,
    async chainId() {
      return chainId()
    },

    async getHeader(block: number | L1BlockTag, _signal?: AbortSignalLike) {
      if (typeof block === 'number') return headerAt(block)
      return fetchHeaderAgreed(block)
    },

    async getTransactionsTo(block: L1BlockRef, to: Address) {
      const name = `blocks/${block.hash}.txs-to-${to.toLowerCase()}.json`
      if (await isFinal(block)) {
        const cached = await cacheRead(name, z.array(cachedTxSchema))
        if (cached) return cached as L1Transaction[]
      }
      const ep = endpoints[0] as Endpoint
      const b = await request<RpcBlock<'latest', true> | null>(ep, 'eth_getBlockByHash', [block.hash, true], `L1 block ${block.number}`)
      if (!b) throw new L1UnavailableError(ep.url, `L1 block ${block.number}`, new Error('block not found'))
      if (b.hash !== block.hash || Number(b.number) !== block.number) throw new L1DataIntegrityError(ep.url, `asked for block ${block.hash}, got ${b.hash}`)
      const txs = b.transactions as RpcTransaction[]
      const serialized = txs.map((t) => serializeRpcTransaction(t, ep.url))
      if (verifyTxRoot) {
        let root = await transactionsRoot(serialized)
        // anvil (the devnet L1) computes transactionsRoot over blob txs in their network form (with sidecars) and
        // returns the sidecars in the block body; accept that encoding only when the body carries them.
        if (root !== b.transactionsRoot && txs.some((t) => Array.isArray((t as { blobs?: unknown }).blobs))) {
          root = await transactionsRoot(txs.map((t, i) => serializeNetworkForm(t) ?? (serialized[i] as Hex)))
        }
        if (root !== b.transactionsRoot) throw new L1DataIntegrityError(ep.url, `transactions of block ${block.number} rebuild root ${root}, header says ${b.transactionsRoot}`)
        if (headerHash(b as unknown as RpcHeader) !== block.hash) throw new L1DataIntegrityError(ep.url, `block ${block.number} header does not hash to ${block.hash}`)
      }
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

    async getLogs(block: L1BlockRef, addresses: readonly Address[]) {
      const key = keccak256(new TextEncoder().encode([...addresses].map((a) => a.toLowerCase()).sort().join(','))).slice(2, 18)
      const name = `blocks/${block.hash}.logs-${key}.json`
      if (await isFinal(block)) {
        const cached = await cacheRead(name, z.array(cachedLogSchema))
        if (cached) return cached as L1Log[]
      }
      const answers = await Promise.all(
        endpoints.map(async (ep) => {
          const logs = await request<RpcLog[]>(ep, 'eth_getLogs', [{ blockHash: block.hash, address: addresses.map((a) => a.toLowerCase()) }], `logs of L1 block ${block.number}`)
          for (const l of logs) {
            if (l.blockHash !== block.hash) throw new L1DataIntegrityError(ep.url, `log from block ${l.blockHash} returned for ${block.hash}`)
            if (l.removed) throw new L1DataIntegrityError(ep.url, `removed log returned for block ${block.hash}`)
          }
          return { ep, logs: logs.map(toLog).sort((a, b) => a.logIndex - b.logIndex) }
        }),
      )
      const digest = (logs: L1Log[]): string => keccak256(new TextEncoder().encode(JSON.stringify(logs)))
      const first = answers[0] as { ep: Endpoint; logs: L1Log[] }
      if (answers.some((a) => digest(a.logs) !== digest(first.logs))) {
        throw new L1EndpointsDisagreeError(`the events of L1 block ${block.number}`, answers.map((a) => ({ endpoint: a.ep.url, value: `${a.logs.length} logs, digest ${digest(a.logs).slice(0, 18)}` })))
      }
      if (await isFinal(block)) await cacheWrite(name, first.logs)
      return first.logs
    },
  }
}

const hexStr = z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<`0x${string}`>
const bigStr = z.union([z.string(), z.number()]).transform((v) => BigInt(v))
const cachedHeaderSchema = z.object({
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
}) as unknown as z.ZodType<L1BlockHeader>
const cachedTxSchema = z.object({
  hash: hexStr, index: z.number(), type: z.number(), from: hexStr, to: hexStr.nullable(), input: hexStr, blobVersionedHashes: z.array(hexStr),
})
const cachedLogSchema = z.object({
  address: hexStr, topics: z.array(hexStr), data: hexStr, logIndex: z.number(), transactionIndex: z.number(), transactionHash: hexStr, blockHash: hexStr, blockNumber: z.number(),
})

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

function toLog(l: RpcLog): L1Log {
  return {
    address: l.address.toLowerCase() as Address,
    topics: l.topics as Hex[],
    data: l.data,
    logIndex: Number(l.logIndex),
    transactionIndex: Number(l.transactionIndex),
    transactionHash: l.transactionHash as Hex,
    blockHash: l.blockHash as Hex,
    blockNumber: Number(l.blockNumber),
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

function serializeRpcTransaction(t: RpcTransaction, endpoint: string): Hex {
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
  const trie = await createMPT()
  for (let i = 0; i < serialized.length; i++) await trie.put(RLP.encode(i), hexToBytes(serialized[i] as Hex))
  return `0x${Buffer.from(trie.root()).toString('hex')}` as Hex
}
