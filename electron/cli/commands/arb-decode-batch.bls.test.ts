// `arb decode-batch` checks an AnyTrust certificate's aggregated BLS signature against the committee keyset, here a
// keyset file (--keyset, offline): a certificate signed by 2 of 3 members (the real Arbitrum One batch payload behind
// it, served by a DAS server on 127.0.0.1) verifies and decodes; a forged signature is refused naming the batch before
// any endpoint is asked; a keyset that is not the one named is refused; with no endpoint serving the data, the error
// still says the certificate is valid and what works without the data.
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
import { makeTestCommittee } from '../../services/flows/arbitrum/test-support/dasCommittee'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-bls-'))
const payload = hexToBytes((readVectorJson('arbitrum/arb1-batch-data.json') as { data: Hex }).data)
const header = { minTimestamp: 0n, maxTimestamp: 1_696_253_835n, minL1Block: 0n, maxL1Block: 18_263_190n, afterDelayedMessagesRead: 0n }
const committee = makeTestCommittee([0x1234_5678_9abcn, 0xdead_beef_cafen, 0x0bad_f00d_0001n], 2n)
const fields = { dataHash: dasTreeHash(payload), timeout: header.maxTimestamp + MIN_DAS_CERT_LIFETIME_SECONDS + 1n, version: 1 }
const servers: Server[] = []
let honest: string
let asked = 0

function batchFile(name: string, signature: Hex, signersMask = 0b101n): string {
  const cert = encodeDasCertificate({ keysetHash: committee.keysetHash, ...fields, signersMask, signature })
  const file = path.join(home, name)
  fs.writeFileSync(file, bytesToHex(new Uint8Array([...encodeBatchHeader(header), ...hexToBytes(cert)])))
  return file
}

beforeAll(async () => {
  fs.writeFileSync(path.join(home, 'keyset.hex'), bytesToHex(committee.keysetBytes))
  const other = makeTestCommittee([7n, 8n, 9n], 2n)
  fs.writeFileSync(path.join(home, 'other-keyset.hex'), bytesToHex(other.keysetBytes))
  const server = createServer((req, res) => {
    asked++
    if (req.url === `/get-by-hash/${fields.dataHash.slice(2)}`) res.writeHead(200).end(JSON.stringify({ data: Buffer.from(payload).toString('base64') }))
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  honest = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  fs.rmSync(home, { recursive: true, force: true })
})

async function cli(file: string, ...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(['arb', 'decode-batch', file, '--format', 'sequencer-message', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('arb decode-batch: the AnyTrust certificate\'s BLS signature', () => {
  it('a certificate signed by 2 of 3 verifies against the keyset file, and its data decodes from the DAS endpoint', async () => {
    const r = await cli(batchFile('good.hex', committee.sign(fields, [0, 2])), '--keyset', path.join(home, 'keyset.hex'), '--das-url', honest, '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    expect(out).toMatchObject({ payloadKind: 'das', dataOnL1: true, transactionCount: 622, dasSignature: { checked: true, against: 'keyset-file', keysetHash: committee.keysetHash, signers: 2, committee: 3 } })
    const text = await cli(batchFile('good.hex', committee.sign(fields, [0, 2])), '--keyset', path.join(home, 'keyset.hex'))
    expect(text.stdout).toContain('The certificate is valid: its BLS signature by 2 of 3 committee members verifies against keyset')
  })

  it('a forged signature is refused naming the batch, before any DAS endpoint is asked', async () => {
    const before = asked
    // The mask names members 0 and 2; members 0 and 1 signed.
    const r = await cli(batchFile('forged.hex', committee.sign(fields, [0, 1])), '--keyset', path.join(home, 'keyset.hex'), '--das-url', honest)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('The AnyTrust certificate of forged.hex has a BLS signature that does not verify against the 2 committee key(s) it names; it was refused.')
    expect(asked).toBe(before)
    // Signed over another timeout than the certificate's.
    const r2 = await cli(batchFile('other-fields.hex', committee.sign({ ...fields, timeout: fields.timeout + 1n }, [0, 2])), '--keyset', path.join(home, 'keyset.hex'))
    expect(r2.stderr).toContain('The AnyTrust certificate of other-fields.hex has a BLS signature that does not verify')
  })

  it('a keyset file that is not the keyset the certificate names is refused', async () => {
    const r = await cli(batchFile('good.hex', committee.sign(fields, [0, 2])), '--keyset', path.join(home, 'other-keyset.hex'))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('The keyset in other-keyset.hex is not the one the certificate names; it was not used.')
  })

  it('when no endpoint serves the data: what is missing, that the certificate is valid, and what still works', async () => {
    const r = await cli(batchFile('good.hex', committee.sign(fields, [0, 2])), '--keyset', path.join(home, 'keyset.hex'), '--das-url', `${honest}/nothing-here`)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('No DAS endpoint served the data of this AnyTrust batch.')
    expect(r.stderr).toContain('Forcing your own transaction in and withdrawing through the Outbox do not need this data.')
    expect(r.stderr).toContain('Missing: the batch data with DAS tree hash')
    expect(r.stderr).toContain('The certificate is valid: its BLS signature by 2 of 3 committee members verifies')
  })

  it('without a keyset: decoded, and said plainly that the signature was not checked', async () => {
    const r = await cli(batchFile('good.hex', committee.sign(fields, [0, 2])), '--das-url', honest)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('! The certificate\'s BLS signature was NOT checked: give --network and --l1-rpc')
  })
})
