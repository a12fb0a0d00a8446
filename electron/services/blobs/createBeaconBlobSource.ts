/**
 * The BlobSource port over the beacon API, with an optional blob archive (any beacon-API-compatible archive, e.g. a
 * blob-archiver instance, as op-node's `--l1.beacon-archiver`).
 *
 * - `GET /eth/v1/beacon/blobs/{block_id}?versioned_hashes=…` (Fulu API, optimism PR #17736), falling back to the
 *   deprecated `GET /eth/v1/beacon/blob_sidecars/{block_id}` (beacon-APIs #577).
 * - block_id: the slot computed from the execution timestamp and the beacon genesis time (12 s slots); then the
 *   execution block number and hash, which the devnet's anvil accepts. Every candidate is checked against the
 *   versioned hashes (KZG commitment → sha256 → 0x01), so asking by several ids cannot return wrong data.
 * - Blobs older than the ~18-day retention that neither the beacon node nor the archive returns → BlobsPrunedError
 *   naming the block and what to configure.
 */
import { z } from 'zod'
import { BlobMismatchError, type Hex, type Kzg } from '../../../shared/l1/kzg'
import {
  BlobsPrunedError,
  BlobUnavailableError,
  isBeyondBlobRetention,
  matchBlobsToVersionedHashes,
  type AbortSignalLike,
  type BlobBlockRef,
  type BlobSource,
} from '../../../shared/l1/BlobSource'

export interface BeaconBlobSourceOptions {
  beaconUrl?: string
  archiveUrl?: string
  kzg: Kzg
  /** Seconds per slot (12 on Ethereum). */
  secondsPerSlot?: number
  /** Current time in seconds (tests). */
  now?: () => number
  fetch?: typeof fetch
  timeoutMs?: number
  /** Largest response accepted (bytes); a blob is 128 KiB hex-encoded to ~256 KiB. */
  maxResponseBytes?: number
}

const blobsResponse = z.object({ data: z.array(z.string().regex(/^0x[0-9a-fA-F]*$/)) })
const sidecarsResponse = z.object({ data: z.array(z.object({ blob: z.string().regex(/^0x[0-9a-fA-F]*$/) }).passthrough()) })
const genesisResponse = z.object({ data: z.object({ genesis_time: z.string().regex(/^[0-9]+$/) }) })

export function createBeaconBlobSource(opts: BeaconBlobSourceOptions): BlobSource {
  const doFetch = opts.fetch ?? fetch
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000))
  const secondsPerSlot = opts.secondsPerSlot ?? 12
  const maxBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024
  const genesis = new Map<string, Promise<number | undefined>>()

  const getJson = async (url: string, signal?: AbortSignalLike): Promise<{ status: number; body?: unknown }> => {
    const ctrl = new AbortController()
    const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 30_000)
    try {
      if (signal?.aborted) ctrl.abort()
      const r = await doFetch(url, { signal: ctrl.signal, headers: { accept: 'application/json' } })
      if (!r.ok) return { status: r.status }
      const len = Number(r.headers.get('content-length') ?? '0')
      if (len > maxBytes) return { status: 413 }
      const text = await r.text()
      if (text.length > maxBytes * 2) return { status: 413 }
      return { status: r.status, body: JSON.parse(text) }
    } finally {
      clearTimeout(timer)
    }
  }

  const genesisTime = (base: string): Promise<number | undefined> => {
    let p = genesis.get(base)
    if (!p) {
      p = getJson(`${base}/eth/v1/beacon/genesis`)
        .then((r) => {
          const g = genesisResponse.safeParse(r.body)
          return g.success ? Number(g.data.data.genesis_time) : undefined
        })
        .catch(() => undefined)
      genesis.set(base, p)
    }
    return p
  }

  /** Candidate blobs from one beacon-API base URL; [] when it has none for this block. */
  const fromSource = async (base: string, block: BlobBlockRef, hashes: readonly Hex[], signal?: AbortSignalLike): Promise<{ candidates: Uint8Array[]; tried: string[] }> => {
    const ids: string[] = []
    const g = await genesisTime(base)
    if (g !== undefined && block.timestamp >= g && (block.timestamp - g) % secondsPerSlot === 0) ids.push(String((block.timestamp - g) / secondsPerSlot))
    ids.push(`0x${block.number.toString(16)}`, block.hash)
    const tried: string[] = []
    const query = hashes.map((h) => `versioned_hashes=${h}`).join('&')
    for (const id of ids) {
      for (const path of [`/eth/v1/beacon/blobs/${id}?${query}`, `/eth/v1/beacon/blob_sidecars/${id}`]) {
        tried.push(`${base}${path.split('?')[0]}`)
        let r: { status: number; body?: unknown }
        try {
          r = await getJson(`${base}${path}`, signal)
        } catch {
          continue
        }
        if (r.status !== 200) continue
        const blobs = blobsResponse.safeParse(r.body)
        const sidecars = blobs.success ? undefined : sidecarsResponse.safeParse(r.body)
        const hexes = blobs.success ? blobs.data.data : sidecars?.success ? sidecars.data.data.map((s) => s.blob) : undefined
        if (!hexes || hexes.length === 0) continue
        return { candidates: hexes.map((h) => new Uint8Array(Buffer.from(h.slice(2), 'hex'))), tried }
      }
    }
    return { candidates: [], tried }
  }

  return {
    async getBlobs(block, versionedHashes, signal) {
      if (versionedHashes.length === 0) return []
      const sources = [opts.beaconUrl, opts.archiveUrl].filter((s): s is string => !!s).map((s) => s.replace(/\/+$/, ''))
      const found = new Map<string, Uint8Array>()
      const tried: string[] = []
      let wrongFrom: string | undefined
      for (const base of sources) {
        const missing = versionedHashes.filter((h) => !found.has(h.toLowerCase()))
        if (missing.length === 0) break
        const { candidates, tried: t } = await fromSource(base, block, missing, signal)
        tried.push(...t)
        const matched = matchBlobsToVersionedHashes(opts.kzg, candidates, missing)
        matched.forEach((b, i) => {
          if (b) found.set((missing[i] as Hex).toLowerCase(), b)
        })
        if (candidates.length > 0 && matched.every((b) => !b)) wrongFrom = base
      }
      const missing = versionedHashes.filter((h) => !found.has(h.toLowerCase()))
      if (missing.length > 0) {
        if (wrongFrom) throw new BlobMismatchError({ source: wrongFrom, l1BlockNumber: block.number, versionedHash: missing[0] as Hex, reason: 'the source returned blobs, none with the requested versioned hashes' })
        if (sources.length > 0 && isBeyondBlobRetention(block.timestamp, now())) throw new BlobsPrunedError([{ number: block.number, timestamp: block.timestamp }], !!opts.archiveUrl)
        throw new BlobUnavailableError(block, sources.length ? tried : [])
      }
      return versionedHashes.map((h) => found.get(h.toLowerCase()) as Uint8Array)
    },
  }
}
