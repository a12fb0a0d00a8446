// `arb decode-batch` on a Nova-style AnyTrust sequencer message (40-byte header ‖ certificate we encode over the real
// Arbitrum One batch payload), resolved through a DAS REST server on 127.0.0.1; a lying server is refused by name.
import * as fs from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../fixtures/vectors'
import { encodeDasCertificate, MIN_DAS_CERT_LIFETIME_SECONDS } from '../../../shared/rollups/arbitrum-nitro/anytrust/dasCertificate'
import { dasTreeHash } from '../../../shared/rollups/arbitrum-nitro/anytrust/dasTreeHash'
import { encodeBatchHeader } from '../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-das-'))
const payload = hexToBytes((readVectorJson('arbitrum/arb1-batch-data.json') as { data: Hex }).data)
const header = { minTimestamp: 0n, maxTimestamp: 1_696_253_835n, minL1Block: 0n, maxL1Block: 18_263_190n, afterDelayedMessagesRead: 0n }
const certificate = encodeDasCertificate({
  keysetHash: `0x${'5e'.repeat(32)}`, dataHash: dasTreeHash(payload), timeout: header.maxTimestamp + MIN_DAS_CERT_LIFETIME_SECONDS + 1n, version: 1, signersMask: 3n,
  signature: `0x${'00'.repeat(96)}`,
})
const file = path.join(home, 'nova-style-batch.hex')
const servers: Server[] = []
let honest: string
let liar: string

async function serve(bytes: Uint8Array): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === `/get-by-hash/${dasTreeHash(payload).slice(2)}`) res.writeHead(200).end(JSON.stringify({ data: Buffer.from(bytes).toString('base64') }))
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  fs.writeFileSync(file, bytesToHex(new Uint8Array([...encodeBatchHeader(header), ...hexToBytes(certificate)])))
  honest = await serve(payload)
  const lie = payload.slice()
  lie[500] = (lie[500] as number) ^ 1
  liar = await serve(lie)
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  fs.rmSync(home, { recursive: true, force: true })
})

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(['arb', 'decode-batch', file, '--format', 'sequencer-message', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('arb decode-batch on an AnyTrust batch', () => {
  it('without a DAS endpoint: data not on L1, and what still works', async () => {
    const r = await cli()
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Data NOT on L1.')
    expect(r.stdout).toMatch(/force your own transaction through the delayed inbox/)
  })

  it('through a lying and an honest DAS endpoint: the liar is skipped, the data decodes', async () => {
    const r = await cli('--das-url', liar, '--das-url', honest, '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { payloadKind: string; dataOnL1: boolean; dasDataSource: string; transactionCount: number }
    expect(out).toMatchObject({ payloadKind: 'das', dataOnL1: true, dasDataSource: honest, transactionCount: 622 })
  })

  it('with only a lying endpoint: refused, naming it', async () => {
    const r = await cli('--das-url', liar)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`No DAS endpoint served the data of this AnyTrust batch; ${liar} served wrong data and was refused.`)
    expect(r.stderr).toMatch(/Forcing your own transaction in and withdrawing through the Outbox do not need this data\. Next: Missing: the batch data with DAS tree hash 0x[0-9a-f]{64}/)
  })
})
