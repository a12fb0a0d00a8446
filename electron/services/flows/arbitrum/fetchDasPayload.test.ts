// A Nova-style AnyTrust batch resolved through DAS REST endpoints served on 127.0.0.1: the batch data is the real
// Arbitrum One batch payload (vectors/arbitrum/arb1-batch-data.json) under a certificate we encode; a lying endpoint
// (wrong bytes) is refused by host, a missing one skipped, and with no honest endpoint the error says what is
// missing and what still works.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hexToBytes, keccak256, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../../fixtures/vectors'
import { encodeDasCertificate, MIN_DAS_CERT_LIFETIME_SECONDS } from '../../../../shared/rollups/arbitrum-nitro/anytrust/dasCertificate'
import { dasTreeHash, flatHashToTreeHash } from '../../../../shared/rollups/arbitrum-nitro/anytrust/dasTreeHash'
import { decodeBatch } from '../../../../shared/rollups/arbitrum-nitro/derive/decodeBatch'
import { parseSequencerMessage, encodeBatchHeader, type DasCertificate } from '../../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'
import { ArbDasDataUnavailableError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import { endpointLabel } from '../../l1/endpointClients'
import { fetchDasPayload, readDasUrlList } from './fetchDasPayload'
import { nodeBrotliDecompressor } from './nodeBrotliDecompressor'

const payload = hexToBytes((readVectorJson('arbitrum/arb1-batch-data.json') as { data: Hex }).data)
const expected = (readVectorJson('arbitrum/arb1-batch-data.expected.json') as { expected: { signedTxCount: number } }).expected
const header = { minTimestamp: 0n, maxTimestamp: 1_696_253_835n, minL1Block: 0n, maxL1Block: 18_263_190n, afterDelayedMessagesRead: 0n }
const keysetHash: Hex = `0x${'5e'.repeat(32)}`
const timeout = header.maxTimestamp + MIN_DAS_CERT_LIFETIME_SECONDS + 3600n
const treeHash = dasTreeHash(payload)

const servers: Server[] = []
/** A DAS REST server answering GET /get-by-hash/<hex> from `store` (hash without 0x → bytes). */
async function dasServer(store: Map<string, Uint8Array>, hits: string[] = []): Promise<string> {
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    const m = /^\/get-by-hash\/([0-9a-f]{64})$/.exec(req.url ?? '')
    const bytes = m ? store.get(m[1]!) : undefined
    if (!bytes) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: Buffer.from(bytes).toString('base64') }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

let honest: string
let liar: string
let empty: string
let oldStyle: string
const honestHits: string[] = []
beforeAll(async () => {
  const lie = payload.slice()
  lie[100] = (lie[100] as number) ^ 0xff
  honest = await dasServer(new Map([[treeHash.slice(2), payload]]), honestHits)
  liar = await dasServer(new Map([[treeHash.slice(2), lie]]))
  empty = await dasServer(new Map())
  // An old server that indexes version-0 data only by its flat keccak hash.
  oldStyle = await dasServer(new Map([[keccak256(payload).slice(2), payload]]))
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
})

const cert = (version: number, dataHash: Hex): DasCertificate => ({ keysetHash, dataHash, timeout, version, signersMask: 1n, signature: `0x${'00'.repeat(96)}` })

describe('fetchDasPayload', () => {
  it('skips a lying and a missing endpoint, takes the bytes that match, and the batch decodes to its 622 transactions', async () => {
    const c = cert(1, treeHash)
    const got = await fetchDasPayload({ endpoints: [liar, empty, honest], certificate: c })
    expect(got.source).toBe(endpointLabel(honest))
    expect(got.attempts.map((a) => [a.endpoint, a.outcome])).toEqual([[endpointLabel(liar), 'lied'], [endpointLabel(empty), 'not-found'], [endpointLabel(honest), 'served']])
    expect(honestHits).toContain(`/get-by-hash/${treeHash.slice(2)}`)

    const message = new Uint8Array([...encodeBatchHeader(header), ...hexToBytes(encodeDasCertificate(c))])
    const { payload: batchData } = parseSequencerMessage(message)
    expect(batchData.kind).toBe('das')
    const decoded = decodeBatch({ data: message.subarray(40), header, chainId: 42161n, decompressor: nodeBrotliDecompressor, dasPayload: { bytes: got.bytes, source: got.source } })
    expect(decoded.dataOnL1).toBe(true)
    expect(decoded.transactionCount).toBe(expected.signedTxCount)
  })

  it('a version-0 certificate: asks by the tree-style key first, then by the flat hash', async () => {
    const flat = keccak256(payload)
    const got = await fetchDasPayload({ endpoints: [oldStyle], certificate: cert(0, flat) })
    expect(got.bytes).toEqual(payload)
    expect(flatHashToTreeHash(flat)).not.toBe(flat)
  })

  it('with no honest endpoint: says what is missing, who lied (host only), and what still works', async () => {
    const closed = 'http://127.0.0.1:9/?key=secret'
    const error = await fetchDasPayload({ endpoints: [liar, empty, closed], certificate: cert(1, treeHash), what: 'batch 42', timeoutMs: 2000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ArbDasDataUnavailableError)
    const e = error as ArbDasDataUnavailableError
    expect(e.shortMessage).toBe(`No DAS endpoint served the data of batch 42; ${endpointLabel(liar)} served wrong data and was refused. Forcing your own transaction in and withdrawing through the Outbox do not need this data.`)
    expect(e.steps[0]).toContain(`Missing: the batch data with DAS tree hash ${treeHash}, certified by the committee keyset ${keysetHash}`)
    expect(e.steps[2]).toMatch(/Still works without it: forcing your own transaction in through the L1 delayed inbox, and executing withdrawals on the L1 Outbox/)
    expect(e.details).toMatch(/127\.0\.0\.1:9: unreachable/)
    expect(e.message).not.toContain('secret')
  })

  it('reads an online URL list of endpoints, keeping only http(s) URLs', async () => {
    const list = createServer((_req, res) => res.writeHead(200).end(`${honest}\nnot a url\nftp://x.example\n${empty}\n`))
    await new Promise<void>((resolve) => list.listen(0, '127.0.0.1', resolve))
    servers.push(list)
    expect(await readDasUrlList(`http://127.0.0.1:${(list.address() as AddressInfo).port}/das-servers`)).toEqual([honest, empty])
  })
})
