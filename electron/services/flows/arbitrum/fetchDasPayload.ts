/**
 * The data behind an AnyTrust certificate, from the Data Availability Committee's REST endpoints (nitro
 * daprovider/anytrust/restful_client.go: `GET <url>/get-by-hash/<hash hex>` → JSON {"data": base64}). Every endpoint
 * is untrusted: bytes are used only when they hash to the certificate's dataHash (checkDasPayload); an endpoint whose
 * bytes do not is recorded as lying, by host only, and the next one is asked. When none serves the data, the error
 * says exactly what is missing and what still works without it.
 *
 * An `online-url-list` (Nova's: https://nova.arbitrum.io/das-servers, nitro cmd/chaininfo) is a text list of REST
 * endpoints, one per line; it is untrusted too, and only adds endpoints to ask.
 */
import { z } from 'zod'
import { checkDasPayload, dasLookupHashes } from '../../../../shared/rollups/arbitrum-nitro/anytrust/dasCertificate'
import type { DasCertificate } from '../../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'
import { ArbDasDataUnavailableError, ArbUntrustedDataError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import { readBoundedBody } from '../../http/readBoundedBody'
import { endpointLabel } from '../../l1/endpointClients'

/** A batch's data is at most a few MB; base64 adds a third. */
export const MAX_DAS_RESPONSE_BYTES = 64 * 1024 * 1024
const MAX_URL_LIST_BYTES = 64 * 1024
const MAX_ENDPOINTS = 32
const DEFAULT_TIMEOUT_MS = 20_000

export type DasAttemptOutcome = 'served' | 'not-found' | 'lied' | 'unreachable' | 'bad-response'

export interface DasAttempt {
  /** Host only (endpointLabel): a URL may carry a key. */
  endpoint: string
  outcome: DasAttemptOutcome
  detail: string
}

export interface FetchDasPayloadParameters {
  endpoints: readonly string[]
  certificate: Pick<DasCertificate, 'dataHash' | 'version' | 'keysetHash' | 'timeout'>
  /** What the data is for, in messages (e.g. "batch 1234"). */
  what?: string
  signal?: AbortSignal
  timeoutMs?: number
}

export interface FetchDasPayloadReturnType {
  bytes: Uint8Array
  /** The endpoint that served it (host only). */
  source: string
  attempts: DasAttempt[]
}

const responseSchema = z.object({ data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64') })

export async function fetchDasPayload(p: FetchDasPayloadParameters): Promise<FetchDasPayloadReturnType> {
  const attempts: DasAttempt[] = []
  const hashes = dasLookupHashes(p.certificate)
  for (const url of p.endpoints.slice(0, MAX_ENDPOINTS)) {
    const endpoint = endpointLabel(url)
    let outcome: DasAttempt | undefined
    for (const hash of hashes) {
      const got = await getByHash(url, hash, p)
      if (got.kind === 'not-found') {
        outcome = { endpoint, outcome: 'not-found', detail: `no data for ${hash}` }
        continue
      }
      if (got.kind === 'failed') {
        outcome = { endpoint, outcome: got.outcome, detail: got.detail }
        break
      }
      try {
        checkDasPayload(p.certificate, got.bytes, endpoint)
      } catch (error) {
        if (!(error instanceof ArbUntrustedDataError)) throw error
        outcome = { endpoint, outcome: 'lied', detail: error.details ?? error.shortMessage }
        break
      }
      attempts.push({ endpoint, outcome: 'served', detail: `${got.bytes.length} bytes matching the certificate` })
      return { bytes: got.bytes, source: endpoint, attempts }
    }
    if (outcome) attempts.push(outcome)
  }
  throw unavailable(p, attempts)
}

type GetResult = { kind: 'ok'; bytes: Uint8Array } | { kind: 'not-found' } | { kind: 'failed'; outcome: 'unreachable' | 'bad-response'; detail: string }

async function getByHash(baseUrl: string, hash: string, p: FetchDasPayloadParameters): Promise<GetResult> {
  const url = `${baseUrl.replace(/\/+$/, '')}/get-by-hash/${hash.slice(2)}`
  const signal = AbortSignal.any([AbortSignal.timeout(p.timeoutMs ?? DEFAULT_TIMEOUT_MS), ...(p.signal ? [p.signal] : [])])
  let res: Response
  try {
    res = await fetch(url, { signal, redirect: 'error' })
  } catch (error) {
    p.signal?.throwIfAborted()
    return { kind: 'failed', outcome: 'unreachable', detail: (error as Error).name === 'TimeoutError' ? 'timed out' : 'could not connect' }
  }
  if (res.status === 404) {
    await res.body?.cancel()
    return { kind: 'not-found' }
  }
  if (res.status !== 200) {
    await res.body?.cancel()
    return { kind: 'failed', outcome: 'bad-response', detail: `HTTP ${res.status}` }
  }
  const body = await readBoundedBody(res, MAX_DAS_RESPONSE_BYTES)
  if (!body) return { kind: 'failed', outcome: 'bad-response', detail: `answer larger than ${MAX_DAS_RESPONSE_BYTES} bytes` }
  let parsed: z.infer<typeof responseSchema>
  try {
    parsed = responseSchema.parse(JSON.parse(new TextDecoder().decode(body)))
  } catch {
    return { kind: 'failed', outcome: 'bad-response', detail: 'not a JSON {"data": base64} answer' }
  }
  return { kind: 'ok', bytes: new Uint8Array(Buffer.from(parsed.data, 'base64')) }
}

function unavailable(p: FetchDasPayloadParameters, attempts: DasAttempt[]): ArbDasDataUnavailableError {
  const liars = attempts.filter((a) => a.outcome === 'lied').map((a) => a.endpoint)
  const c = p.certificate
  const expires = new Date(Number(c.timeout) * 1000).toISOString().slice(0, 16).replace('T', ' ')
  return new ArbDasDataUnavailableError(
    `No DAS endpoint served the data of ${p.what ?? 'this AnyTrust batch'}${liars.length ? `; ${liars.join(', ')} served wrong data and ${liars.length === 1 ? 'was' : 'were'} refused` : ''}. ` +
      'Forcing your own transaction in and withdrawing through the Outbox do not need this data.',
    {
      steps: [
        `Missing: the batch data with ${c.version === 0 ? 'keccak256' : 'DAS tree hash'} ${c.dataHash}, certified by the committee keyset ${c.keysetHash} and promised to be kept until ${expires} UTC.`,
        p.endpoints.length === 0 ? 'No DAS endpoint was given: add one with --das-url URL (repeatable), or --das-url-list URL.' : 'Try another DAS endpoint (--das-url URL, repeatable), or a mirror that archives this chain.',
        'Still works without it: forcing your own transaction in through the L1 delayed inbox, and executing withdrawals on the L1 Outbox (their proofs come from the send root confirmed on L1). Only the list of other users’ transactions in this batch needs the data.',
      ],
      details: attempts.length ? attempts.map((a) => `${a.endpoint}: ${a.outcome} (${a.detail})`).join('; ') : 'no endpoints',
    },
  )
}

/** The REST endpoints an online URL list names (one http(s) URL per line; comments and junk ignored). */
export async function readDasUrlList(listUrl: string, signal?: AbortSignal): Promise<string[]> {
  const res = await fetch(listUrl, { signal: AbortSignal.any([AbortSignal.timeout(DEFAULT_TIMEOUT_MS), ...(signal ? [signal] : [])]), redirect: 'follow' })
  if (res.status !== 200) {
    await res.body?.cancel()
    throw new ArbDasDataUnavailableError(`The DAS endpoint list at ${endpointLabel(listUrl)} answered HTTP ${res.status}.`, { steps: ['Give DAS endpoints directly with --das-url URL.'] })
  }
  const body = await readBoundedBody(res, MAX_URL_LIST_BYTES)
  if (!body) throw new ArbDasDataUnavailableError(`The DAS endpoint list at ${endpointLabel(listUrl)} is larger than ${MAX_URL_LIST_BYTES} bytes.`)
  return new TextDecoder().decode(body).split(/\s+/).filter((line) => /^https?:\/\/\S+$/.test(line) && URL.canParse(line)).slice(0, MAX_ENDPOINTS)
}
