// Air-gapped signing from the Ledger screen: a real journal, the real FileSigner exporting the request, the drill key
// signing "offline" as `escape-hatch sign-file` does; the screen's export copies the journaled file unchanged, and a
// signed file is accepted or refused exactly as a resume would.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { encodeFunctionData } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { arbSysAbi } from '../../../contracts-abi/arbitrum-nitro/ArbSys'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { ARBITRUM_ONE } from '../../../shared/rollups/arbitrum-nitro/networks'
import { ARB_SYS_ADDRESS } from '../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildSignedTxFile } from '../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { signingHashOf, type UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { ARBITRUM_ESCAPE_JOB_KIND, toJobParams, type ArbitrumEscapeParams } from '../flows/arbitrum/arbitrumEscapeJob'
import { JournalStore } from '../journal/JournalStore'
import { DrillKeySigner } from '../signers/drill-key/DrillKeySigner'
import { FileSigner, signedNameFor } from '../signers/file/FileSigner'
import { checkSignedFile, describeAirGappedRequest, exportAirGappedRequest } from './airGappedFiles'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-airgapped-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const PATH0 = "44'/60'/0'/0/0"
const network = { ...ARBITRUM_ONE, name: 'Devnet Arbitrum', l1ChainId: 31337, l2ChainId: 412346 }
const offline = new DrillKeySigner({ devnetChainId: 412346 })
const from = offline.addressAt(PATH0)
const params: ArbitrumEscapeParams = { network, account: from, signerPath: PATH0, destination: from, amountWei: '1000000000000000000', signer: { kind: 'file' } }
const request: UnsignedTxRequest = {
  type: 'eip1559', chainId: 412346, nonce: 0, gas: 300_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n, to: ARB_SYS_ADDRESS, value: 10n ** 18n,
  data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [from] }),
}

async function signOffline(unsignedFile: string, signedFile: string, override: Partial<UnsignedTxRequest> = {}): Promise<void> {
  const { file, request: r } = parseUnsignedTxFile(fs.readFileSync(unsignedFile, 'utf8'))
  const tx = await offline.signTransaction({ path: PATH0, request: { ...r, ...override } as UnsignedTxRequest })
  fs.writeFileSync(signedFile, buildSignedTxFile({ unsigned: file, signed: tx, signer: { kind: 'drill-key', path: PATH0 }, signedAt: new Date().toISOString() }).text)
}

describe('air-gapped files from the Ledger screen', () => {
  it('describes the exported request from its bytes, copies it unchanged, and checks the signed file as a resume does', async () => {
    const store = await JournalStore.open(path.join(dir, 'jobs'))
    try {
      const { id: jobId } = await store.createJob({ kind: ARBITRUM_ESCAPE_JOB_KIND, title: 'escape', params: toJobParams(params) })
      await expect(describeAirGappedRequest(store, jobId)).rejects.toThrow('This job has no request file to sign yet.')
      await store.append(jobId, { type: 'step.started', step: 'sign-l2-tx' })
      const signer = new FileSigner({ store, jobId, exportDir: path.join(dir, 'exports'), from, resumeCommand: () => 'resume' })
      await signer.signTransaction({ path: PATH0, request }).catch(() => undefined) // exports and pauses

      const view = await describeAirGappedRequest(store, jobId)
      expect(view).toMatchObject({ jobId, from, signingHash: signingHashOf(request), call: { action: 'ArbSys.withdrawEth', recognised: true } })
      expect(view.suggestedSignedFile).toBe(signedNameFor(view.file))

      const usb = path.join(dir, 'usb.unsigned.json')
      expect(await exportAirGappedRequest(store, jobId, usb)).toEqual({ path: usb, bytes: fs.statSync(view.file).size })
      expect(fs.readFileSync(usb, 'utf8')).toBe(fs.readFileSync(view.file, 'utf8'))
      await expect(exportAirGappedRequest(store, jobId, usb)).rejects.toThrow('already exists') // never over a file

      // A signed file for another transaction (another nonce) is refused; the right one is accepted.
      const wrong = path.join(dir, 'wrong.signed.json')
      await signOffline(usb, wrong, { nonce: 5 })
      const refused = await checkSignedFile(store, jobId, wrong).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(EscapeError)
      const good = path.join(dir, 'good.signed.json')
      await signOffline(usb, good)
      const checked = await checkSignedFile(store, jobId, good)
      expect(checked).toMatchObject({ signedFile: good, from, signingHash: signingHashOf(request) })

      // The app's own copy changed after export: nothing is exported or accepted from it.
      fs.appendFileSync(view.file, ' ')
      await expect(exportAirGappedRequest(store, jobId, path.join(dir, 'other.json'))).rejects.toThrow('was changed after it was exported')
      await expect(checkSignedFile(store, jobId, good)).rejects.toThrow('was changed after it was exported')
    } finally {
      store.close()
    }
  })
})
