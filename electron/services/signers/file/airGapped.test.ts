import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { buildSignedTxFile } from '../../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../../shared/signing/buildUnsignedTxFile'
import { TxFileMismatchError } from '../../../../shared/signing/txFileErrors'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import { JournalStore } from '../../journal/JournalStore'
import { DrillKeySigner } from '../drill-key/DrillKeySigner'
import { exportUnsignedTxFile } from './exportUnsignedTxFile'
import { importSignedTxFile } from './importSignedTxFile'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-airgap-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const PATH0 = "44'/60'/0'/0/0"
const signer = new DrillKeySigner({ devnetChainId: 31337 })
const from = signer.addressAt(PATH0)
const request: UnsignedTxRequest = { type: 'legacy', chainId: 31337, nonce: 4, gas: 50_000n, gasPrice: 10n ** 9n, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 3n, data: '0x' }

describe('export / import of air-gapped files', () => {
  it('journals the export with the file hash, and imports the signed result as a SignedTx', async () => {
    const store = await JournalStore.open(path.join(dir, 'jobs'))
    try {
      const job = await store.createJob({ kind: 'test', title: 'air gap', params: {} })
      const out = path.join(dir, 'unsigned.json')
      const exported = await exportUnsignedTxFile({ file: out, request, from, path: PATH0, intent: { summary: 'Send 3 wei' }, journal: { store, jobId: job.id, purpose: 'sign offline: step send' } })
      const bytes = fs.readFileSync(out, 'utf8')
      expect(exported.sha256).toBe(`0x${createHash('sha256').update(bytes).digest('hex')}`)
      expect((await store.load(job.id)).state.files).toEqual([expect.objectContaining({ path: out, sha256: exported.sha256, purpose: 'sign offline: step send' })])
      await expect(exportUnsignedTxFile({ file: out, request, from, intent: { summary: 'again' } })).rejects.toThrow(/already exists/)

      const { file } = parseUnsignedTxFile(bytes)
      const signed = await signer.signTransaction({ path: PATH0, request })
      fs.writeFileSync(path.join(dir, 'signed.json'), buildSignedTxFile({ unsigned: file, signed, signer: { kind: 'drill-key', path: PATH0 }, signedAt: new Date().toISOString() }).text)
      expect(await importSignedTxFile({ file: path.join(dir, 'signed.json'), request, from, unsignedChecksum: exported.checksum })).toEqual(signed)
      // The app's request for the step changed (e.g. rebuilt with a new nonce): the old signature is refused.
      await expect(importSignedTxFile({ file: path.join(dir, 'signed.json'), request: { ...request, nonce: 5 }, from, unsignedChecksum: exported.checksum })).rejects.toBeInstanceOf(TxFileMismatchError)
    } finally {
      store.close()
    }
  })

  it('refuses oversized files before parsing them', async () => {
    const big = path.join(dir, 'big.json')
    fs.writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x20))
    // The one bounded reader refuses it (UserFileError, naming the file and the limit) before any byte is parsed.
    await expect(importSignedTxFile({ file: big, request, from, unsignedChecksum: '0x' })).rejects.toThrow(/big\.json is larger than .*, more than a transaction file can be/)
  })
})
