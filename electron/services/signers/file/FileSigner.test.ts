// The air-gapped signer across two runs: export + pause, then import + verify. Real journal, real files, the real
// drill key signing "offline" through the same file functions `escape-hatch sign-file` uses.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { buildSignedTxFile } from '../../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../../shared/signing/buildUnsignedTxFile'
import { TxFileMismatchError } from '../../../../shared/signing/txFileErrors'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import { JournalStore } from '../../journal/JournalStore'
import { JobPausedError } from '../../journal/JobPausedError'
import { DrillKeySigner } from '../drill-key/DrillKeySigner'
import { FileSigner, SignedFileRefusedError, signedNameFor } from './FileSigner'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-filesigner-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const PATH0 = "44'/60'/0'/0/0"
const offline = new DrillKeySigner({ devnetChainId: 31337 })
const from = offline.addressAt(PATH0)
const request: UnsignedTxRequest = {
  type: 'eip1559', chainId: 31337, nonce: 7, gas: 90_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n,
  to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 0n, data: '0xb75436bb',
}

let dir: string
let store: JournalStore
let jobId: string
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(root, 'case-'))
  store = await JournalStore.open(path.join(dir, 'jobs'))
  jobId = (await store.createJob({ kind: 'test', title: 'file signer', params: {} })).id
  await store.append(jobId, { type: 'step.started', step: 'send-l2-message' })
  return () => store.close()
})

const signer = (signedFile?: string) =>
  new FileSigner({ store, jobId, exportDir: path.join(dir, 'exports'), from, signedFile, resumeCommand: (s) => `escape-hatch jobs resume ${jobId}${s ? ` --signed ${s}` : ''}` })

async function pauseOf(p: Promise<unknown>): Promise<JobPausedError> {
  const error = await p.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(JobPausedError)
  return error as JobPausedError
}

/** What `escape-hatch sign-file` does on the offline machine. */
async function signOffline(unsignedFile: string, signed: string, override?: Partial<UnsignedTxRequest>): Promise<void> {
  const { file, request: r } = parseUnsignedTxFile(fs.readFileSync(unsignedFile, 'utf8'))
  const tx = await offline.signTransaction({ path: PATH0, request: { ...r, ...override } as UnsignedTxRequest })
  fs.writeFileSync(signed, buildSignedTxFile({ unsigned: file, signed: tx, signer: { kind: 'drill-key', path: PATH0 }, signedAt: new Date().toISOString() }).text)
}

describe('FileSigner', () => {
  it('exports once and pauses with exact instructions; the signed file comes back and signs the exported request', async () => {
    const paused = await pauseOf(signer().signTransaction({ path: PATH0, request, expectedFrom: from }))
    const file = paused.files[0]!
    expect(paused.reason).toBe('signature')
    expect(paused.kind).toBe('user-action')
    expect(paused.steps.join('\n')).toContain(`escape-hatch sign-file ${path.basename(file)} --out ${path.basename(signedNameFor(file))}`)
    expect(paused.steps.at(-1)).toBe(`Then run: escape-hatch jobs resume ${jobId} --signed ${signedNameFor(file)}`)
    const { state } = await store.load(jobId)
    expect(state.files).toEqual([expect.objectContaining({ path: file, purpose: 'sign offline: send-l2-message' })])
    expect(parseUnsignedTxFile(fs.readFileSync(file, 'utf8')).request).toEqual(request)

    // Asked again before the user came back: the same file, nothing new exported.
    const again = await pauseOf(signer().signTransaction({ path: PATH0, request: { ...request, maxFeePerGas: 5_000_000_000n }, expectedFrom: from }))
    expect(again.files).toEqual([file])
    expect((await store.load(jobId)).state.files).toHaveLength(1)

    await signOffline(file, signedNameFor(file))
    // The job rebuilt its request with newer fees; what is signed and returned is the exported request.
    const resumed = signer(signedNameFor(file))
    const signed = await resumed.signTransaction({ path: PATH0, request: { ...request, gas: 95_000n, maxFeePerGas: 9_000_000_000n }, expectedFrom: from })
    expect(signed).toEqual(await offline.signTransaction({ path: PATH0, request }))
    expect(resumed.signedFilePending).toBe(false)
    // Used once: the next signature request of this run exports again instead of reusing the file.
    await store.append(jobId, { type: 'step.completed', step: 'send-l2-message' })
    await store.append(jobId, { type: 'step.started', step: 'force-inclusion' })
    const next = await pauseOf(resumed.signTransaction({ path: PATH0, request: { ...request, nonce: 8 }, expectedFrom: from }))
    expect(next.files[0]).toContain(`${jobId}-force-inclusion-1.unsigned.json`)
  })

  it('refuses a tampered signed file, a signed file for another export, and a signed file when nothing was exported — as user-action errors', async () => {
    const refused = async (signedFile: string) => {
      const error = await signer(signedFile).signTransaction({ path: PATH0, request, expectedFrom: from }).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(SignedFileRefusedError)
      expect((error as SignedFileRefusedError).kind).toBe('user-action')
      return error as SignedFileRefusedError
    }
    const none = await refused(path.join(dir, 'whatever.json'))
    expect(none.shortMessage).toMatch(/no unsigned file was exported for it yet/)

    const file = (await pauseOf(signer().signTransaction({ path: PATH0, request, expectedFrom: from }))).files[0]!
    // Signed over a different value (what a compromised offline machine would do).
    await signOffline(file, path.join(dir, 'tampered.json'), { value: 10n ** 18n })
    const tampered = await refused(path.join(dir, 'tampered.json'))
    expect(tampered.cause).toBeInstanceOf(TxFileMismatchError)
    expect(tampered.shortMessage).toMatch(/was refused: The signed transaction does not match the one Escape Hatch prepared: its value differs/)

    // A signed file made from another unsigned file (another job or an older export).
    const otherDir = fs.mkdtempSync(path.join(dir, 'other-'))
    const other = new FileSigner({ store, jobId, exportDir: otherDir, from, resumeCommand: () => '' })
    await store.append(jobId, { type: 'step.completed', step: 'send-l2-message' })
    await store.append(jobId, { type: 'step.started', step: 'other' })
    const otherFile = (await pauseOf(other.signTransaction({ path: PATH0, request, expectedFrom: from }))).files[0]!
    await signOffline(otherFile, path.join(dir, 'other.signed.json'))
    await store.append(jobId, { type: 'step.completed', step: 'other' })
    await store.append(jobId, { type: 'step.started', step: 'send-l2-message' })
    const wrong = await refused(path.join(dir, 'other.signed.json'))
    expect(wrong.shortMessage).toMatch(/unsigned file checksum differs/)
  })

  it('a job that now wants another transaction (nonce moved) exports a new file instead of using a stale signature', async () => {
    const file = (await pauseOf(signer().signTransaction({ path: PATH0, request, expectedFrom: from }))).files[0]!
    await signOffline(file, signedNameFor(file))
    const paused = await pauseOf(signer(signedNameFor(file)).signTransaction({ path: PATH0, request: { ...request, nonce: 9 }, expectedFrom: from }))
    expect(paused.shortMessage).toMatch(/no longer send \(its nonce was 7, now 9\)/)
    expect(paused.files[0]).not.toBe(file)
    expect(parseUnsignedTxFile(fs.readFileSync(paused.files[0]!, 'utf8')).request.nonce).toBe(9)
  })

  it('refuses when the exported file was changed or removed after export', async () => {
    const file = (await pauseOf(signer().signTransaction({ path: PATH0, request, expectedFrom: from }))).files[0]!
    await signOffline(file, signedNameFor(file))
    fs.appendFileSync(file, ' ')
    await expect(signer(signedNameFor(file)).signTransaction({ path: PATH0, request, expectedFrom: from })).rejects.toThrow(/was changed after it was exported/)
    fs.rmSync(file)
    await expect(signer(signedNameFor(file)).signTransaction({ path: PATH0, request, expectedFrom: from })).rejects.toThrow(/is missing/)
  })

  it('signs only for its account and cannot derive addresses', async () => {
    await expect(signer().signTransaction({ path: PATH0, request, expectedFrom: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' })).rejects.toThrow(/signs for/)
    await expect(signer().listAccounts({ paths: [PATH0] })).rejects.toThrow(/--from/)
  })
})

describe('FileSigner with an Arbitrum L2 request (priority fee 0, which RLP leaves out)', () => {
  it('accepts the signed file of a zero-tip request', async () => {
    const l2Signer = new DrillKeySigner({ devnetChainId: 412346 })
    const zeroTip: UnsignedTxRequest = { ...request, chainId: 412346, nonce: 0, maxPriorityFeePerGas: 0n, value: 10n ** 18n }
    const file = (await pauseOf(signer().signTransaction({ path: PATH0, request: zeroTip, expectedFrom: from }))).files[0]!
    const { file: unsigned, request: r } = parseUnsignedTxFile(fs.readFileSync(file, 'utf8'))
    const tx = await l2Signer.signTransaction({ path: PATH0, request: r })
    fs.writeFileSync(signedNameFor(file), buildSignedTxFile({ unsigned, signed: tx, signer: { kind: 'drill-key', path: PATH0 }, signedAt: new Date().toISOString() }).text)
    expect(await signer(signedNameFor(file)).signTransaction({ path: PATH0, request: zeroTip, expectedFrom: from })).toEqual(tx)
  })
})
