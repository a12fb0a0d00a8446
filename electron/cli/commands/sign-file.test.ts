// The air-gapped round trip: export an unsigned file, sign it with `escape-hatch sign-file` (drill key and the
// software Ledger), import and verify it, broadcast it on anvil; tampered and foreign files are refused.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEther, parseGwei, toHex, type PublicClient } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { buildSignedTxFile } from '../../../shared/signing/buildSignedTxFile'
import { buildUnsignedTxFile, parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { txFileChecksum } from '../../../shared/signing/txFile'
import { TxFileChecksumError, TxFileInvalidError, TxFileMismatchError } from '../../../shared/signing/txFileErrors'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { verifySignedTxFile } from '../../../shared/signing/verifySignedTxFile'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { sendJournaled } from '../../services/broadcast/sendJournaled'
import { JournalStore } from '../../services/journal/JournalStore'
import { DRILL_MNEMONIC, DrillKeySigner } from '../../services/signers/drill-key/DrillKeySigner'
import { main } from '../main'
import { devnetPublicClient } from '../../devnet/devnetClients'
import { ARBITRUM_SEPOLIA } from '../../../shared/rollups/arbitrum-nitro/networks'
import { buildL2WithdrawalTx } from '../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildSendL2MessageTx } from '../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import { toUnsignedL1Request } from '../../../shared/rollups/arbitrum-nitro/tx/l1Call'
import { describeEscapeTx } from '../../services/flows/arbitrum/describeEscapeTx'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-signfile-'))
const from = mnemonicToAccount(DRILL_MNEMONIC).address
const PATH0 = "44'/60'/0'/0/0"
let anvil: AnvilHandle
let client: PublicClient

beforeAll(async () => {
  anvil = await startAnvil()
  client = devnetPublicClient(anvil.rpcUrl)
})
afterAll(async () => {
  await anvil?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

const file = (name: string) => path.join(home, name)

async function exportRequest(request: UnsignedTxRequest, name: string) {
  const { text } = buildUnsignedTxFile({
    request, from, path: PATH0, createdAt: '2026-11-21T12:00:00.000Z',
    intent: { summary: 'Drill: send 0.5 ETH to the exit contract', details: [{ label: 'Step', value: 'drill-1' }] },
  })
  fs.writeFileSync(file(name), text)
  return text
}

async function devnetRequest(overrides: Partial<UnsignedTxRequest> = {}): Promise<UnsignedTxRequest> {
  return {
    type: 'eip1559', chainId: anvil.chainId, nonce: await client.getTransactionCount({ address: from }), gas: 100_000n,
    maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1'), to: '0x00000000000000000000000000000000000Ca11d',
    value: parseEther('0.5'), data: toHex(new Uint8Array(64).fill(7)), ...overrides,
  } as UnsignedTxRequest
}

describe('air-gapped round trip', () => {
  it('exports, signs offline with the CLI (drill key and software Ledger alike), verifies on import and broadcasts', async () => {
    const request = await devnetRequest()
    const unsignedText = await exportRequest(request, 'unsigned.json')
    const unsigned = parseUnsignedTxFile(unsignedText)
    expect(unsigned.file).toMatchObject({ schema: 'escape-hatch/unsigned-tx', version: 1, from, deviceDisplay: { mode: 'blind' } })

    // Calldata to a contract Escape Hatch does not know: blind, so refused unless --blind says the user knows.
    const refused = await run('sign-file', file('unsigned.json'), '--out', file('signed.json'), '--signer', 'drill-key')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Escape Hatch cannot tell what this transaction does, so signing it would be blind. Nothing was signed (--blind signs it anyway).')
    expect(fs.existsSync(file('signed.json'))).toBe(false)
    const drill = await run('sign-file', file('unsigned.json'), '--out', file('signed.json'), '--signer', 'drill-key', '--blind', '--json')
    expect(drill.code, drill.stderr).toBe(0)
    // What is shown is decoded from the bytes, never the file's own words.
    expect(drill.stderr).not.toContain('Drill: send 0.5 ETH to the exit contract')
    expect(drill.stderr).toContain('Sends: 0.5 ETH (500000000000000000 wei)')
    expect(drill.stderr).toContain('Function: unknown (selector 0x07070707)')
    expect(drill.stderr).toContain('BLIND SIGNING (--blind)')
    const soft = await run('sign-file', file('unsigned.json'), '--out', file('signed-soft.json'), '--signer', 'soft-ledger', '--blind', '--json')
    expect(soft.code, soft.stderr).toBe(0)
    expect(soft.stderr).toContain(unsigned.file.deviceDisplay.signingHash) // the hash to compare on the device
    // RFC 6979: the same key signs the same bytes identically, through hw-app-eth or directly.
    expect(JSON.parse(soft.stdout).hash).toBe(JSON.parse(drill.stdout).hash)
    expect(fs.statSync(file('signed.json')).mode & 0o777).toBe(0o600)

    // Refuses to overwrite without --force
    expect((await run('sign-file', file('unsigned.json'), '--out', file('signed.json'), '--signer', 'drill-key', '--blind')).code).toBe(1)

    const verified = await run('verify-file', file('signed.json'), '--unsigned', file('unsigned.json'), '--json')
    expect(verified.code, verified.stderr).toBe(0)
    const signed = await verifySignedTxFile({ text: fs.readFileSync(file('signed.json'), 'utf8'), request, from, unsignedChecksum: unsigned.file.checksum })
    expect(signed.hash).toBe(JSON.parse(verified.stdout).hash)

    const store = await JournalStore.open(path.join(home, 'jobs'))
    try {
      const job = await store.createJob({ kind: 'drill', title: 'air-gapped', params: {} })
      const result = await sendJournaled({ store, jobId: job.id, step: 'send', signed, endpoints: [anvil.rpcUrl], pollIntervalMs: 50 })
      expect(result.status).toBe('success')
      expect(await client.getBalance({ address: request.to! })).toBe(parseEther('0.5'))
    } finally {
      store.close()
    }
  })

  it('rejects a signed file whose to or value was changed (re-signed by the right key, checksums recomputed)', async () => {
    const request = await devnetRequest()
    const unsignedText = await exportRequest(request, 'unsigned-2.json')
    const { file: unsigned } = parseUnsignedTxFile(unsignedText)
    const signer = new DrillKeySigner({ devnetChainId: anvil.chainId })
    for (const [field, change] of [
      ['recipient (to)', { to: '0x000000000000000000000000000000000000dEaD' }],
      ['value', { value: parseEther('50') }],
    ] as const) {
      const evil = { ...request, ...change } as UnsignedTxRequest
      const evilSigned = await signer.signTransaction({ path: PATH0, request: evil })
      // A consistent-looking file: its tx, hash and checksum all describe the evil transaction.
      const { file: evilUnsigned } = parseUnsignedTxFile(buildUnsignedTxFile({ request: evil, from, path: PATH0, createdAt: unsigned.createdAt, intent: unsigned.intent }).text)
      const { text } = buildSignedTxFile({ unsigned: { ...evilUnsigned, checksum: unsigned.checksum }, signed: evilSigned, signer: { kind: 'drill-key', path: PATH0 }, signedAt: '2026-11-21T12:01:00.000Z' })
      const error = await verifySignedTxFile({ text, request, from, unsignedChecksum: unsigned.checksum }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TxFileMismatchError)
      expect((error as TxFileMismatchError).field).toBe(field)
      expect((error as TxFileMismatchError).shortMessage).toBe(`The signed transaction does not match the one Escape Hatch prepared: its ${field} differs.`)

      fs.writeFileSync(file('evil.json'), text)
      const cli = await run('verify-file', file('evil.json'), '--unsigned', file('unsigned-2.json'))
      expect(cli.code).toBe(1)
      expect(cli.stderr).toContain(`its ${field} differs`)
    }
  })

  it('rejects a hand-edited signed file (bad checksum), one signed by another account, one for another unsigned file, and other formats', async () => {
    const request = await devnetRequest({ nonce: 77 })
    const { file: unsigned } = parseUnsignedTxFile(await exportRequest(request, 'unsigned-3.json'))
    expect((await run('sign-file', file('unsigned-3.json'), '--out', file('signed-3.json'), '--signer', 'drill-key', '--blind')).code).toBe(0)
    const good = fs.readFileSync(file('signed-3.json'), 'utf8')
    const verify = (text: string, checksum = unsigned.checksum) => verifySignedTxFile({ text, request, from, unsignedChecksum: checksum })
    await expect(verify(good)).resolves.toMatchObject({ from })

    const json = JSON.parse(good) as Record<string, unknown> & { tx: Record<string, unknown> }
    const editedTo = JSON.stringify({ ...json, tx: { ...json.tx, to: '0x000000000000000000000000000000000000dEaD' } })
    await expect(verify(editedTo)).rejects.toBeInstanceOf(TxFileChecksumError)
    const editedValue = good.replace('"value": "500000000000000000"', '"value": "5000000000000000000"')
    expect(editedValue).not.toBe(good)
    await expect(verify(editedValue)).rejects.toBeInstanceOf(TxFileChecksumError)
    // The readable copy edited and the checksum recomputed: still refused, by field.
    const describedOnly = { ...json, tx: { ...json.tx, value: '1' } }
    await expect(verify(JSON.stringify({ ...describedOnly, checksum: txFileChecksum(describedOnly) }))).rejects.toMatchObject({ field: 'described transaction' })

    const other = await new DrillKeySigner({ devnetChainId: anvil.chainId }).signTransaction({ path: "44'/60'/0'/0/1", request })
    const foreign = buildSignedTxFile({ unsigned, signed: other, signer: { kind: 'drill-key', path: "44'/60'/0'/0/1" }, signedAt: '2026-11-21T12:02:00.000Z' }).text
    await expect(verify(foreign)).rejects.toMatchObject({ field: 'signer' })
    await expect(verify(good, `0x${'00'.repeat(32)}`)).rejects.toMatchObject({ field: 'unsigned file checksum' })

    await expect(verify('not json')).rejects.toBeInstanceOf(TxFileInvalidError)
    await expect(verify(JSON.stringify({ ...json, version: 2 }))).rejects.toThrow(/format version 2/)
    await expect(verify(fs.readFileSync(file('unsigned-3.json'), 'utf8'))).rejects.toThrow(/"escape-hatch\/unsigned-tx" file, not a signed/)
  })

  it('sign-file refuses a damaged unsigned file, and the drill key refuses a real chain', async () => {
    const text = await exportRequest(await devnetRequest(), 'unsigned-4.json')
    fs.writeFileSync(file('damaged.json'), text.replace('"nonce": ', '"nonce": 1'))
    const damaged = await run('sign-file', file('damaged.json'), '--out', file('x.json'), '--signer', 'drill-key')
    expect(damaged.code).toBe(1)
    expect(damaged.stderr).toMatch(/changed after it was written|not a valid/)

    await exportRequest(await devnetRequest({ chainId: 1 }), 'mainnet.json')
    const refused = await run('sign-file', file('mainnet.json'), '--out', file('y.json'), '--signer', 'drill-key', '--blind')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('The drill key only signs for the devnet (chain ID 31337), not chain ID 1.')
    expect(fs.existsSync(file('y.json'))).toBe(false)
  })
})

// Issue 14 defect 1: the offline signer shows only what it decodes from the bytes it signs, and refuses a request file
// whose description says otherwise. Arbitrum Sepolia requests (a built-in network), signed with the drill key
// (--allow-any-chain: throwaway key, nothing is broadcast).
describe('sign-file decodes the bytes it signs and refuses a request whose description contradicts them', () => {
  const DEAD = '0x000000000000000000000000000000000000dEaD' as const
  const l2Withdrawal = (destination: `0x${string}`) => buildL2WithdrawalTx({ l2ChainId: ARBITRUM_SEPOLIA.l2ChainId, nonce: 4, destination, value: parseEther('1') }).request
  const signFile = (name: string, out: string) => run('sign-file', file(name), '--out', file(out), '--signer', 'drill-key', '--allow-any-chain')

  /** The attacker's file: the bytes changed, the genuine description kept, device hash and checksum recomputed. */
  function writeRequest(name: string, request: UnsignedTxRequest, describedAs: UnsignedTxRequest) {
    const { text } = buildUnsignedTxFile({ request, from, path: PATH0, createdAt: '2026-12-07T12:00:00.000Z', intent: describeEscapeTx(describedAs, ARBITRUM_SEPOLIA) })
    fs.writeFileSync(file(name), text)
  }

  async function sendL2Message(destination: `0x${string}`) {
    const signedL2Tx = await new DrillKeySigner({ devnetChainId: ARBITRUM_SEPOLIA.l2ChainId }).signTransaction({ path: PATH0, request: l2Withdrawal(destination) })
    return toUnsignedL1Request(buildSendL2MessageTx({ network: ARBITRUM_SEPOLIA, signedL2Tx: signedL2Tx.raw }), { nonce: 9, gas: 150_000n, maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('1') })
  }

  it('signs a matching request, showing chain name, function, amount in ETH and wei, destination and nonce decoded from its bytes', async () => {
    writeRequest('arb-l2.json', l2Withdrawal(from), l2Withdrawal(from))
    const ok = await signFile('arb-l2.json', 'arb-l2.signed.json')
    expect(ok.code, ok.stderr).toBe(0)
    for (const line of ['Network: Arbitrum Sepolia (L2), chain ID 421614', 'Contract: Arbitrum Sepolia ArbSys 0x0000000000000000000000000000000000000064', 'Function: ArbSys.withdrawEth', 'Withdraws: 1 ETH (1000000000000000000 wei)', `L1 destination: ${from}`, 'Nonce: 4']) {
      expect(ok.stderr).toContain(line)
    }
    expect(fs.existsSync(file('arb-l2.signed.json'))).toBe(true)
  })

  it('refuses withdrawEth(0x…dEaD) in a file that still says "Withdraw 1 ETH … to <the user>" (checksum recomputed), before signing', async () => {
    writeRequest('arb-evil.json', l2Withdrawal(DEAD), l2Withdrawal(from))
    parseUnsignedTxFile(fs.readFileSync(file('arb-evil.json'), 'utf8')) // a consistent-looking file: checksum and device hash fine
    const evil = await signFile('arb-evil.json', 'arb-evil.signed.json')
    expect(evil.code).toBe(1)
    expect(evil.stderr).toContain(`its L1 destination says ${from}, but the transaction bytes say ${DEAD}`)
    expect(evil.stderr).toContain('Nothing was signed. Do not sign this file.')
    expect(evil.stderr).toContain(`L1 destination: ${DEAD}`) // what is shown is what the bytes say
    expect(evil.stderr).not.toContain(`Withdraw 1 ETH from Arbitrum Sepolia to ${from}`)
    expect(fs.existsSync(file('arb-evil.signed.json'))).toBe(false)
  })

  it('refuses an Inbox.sendL2Message whose carried signed L2 leg was swapped for withdrawEth(0x…dEaD)', async () => {
    writeRequest('arb-l1.json', await sendL2Message(from), await sendL2Message(from))
    const ok = await signFile('arb-l1.json', 'arb-l1.signed.json')
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stderr).toContain('Contract: Arbitrum Sepolia Inbox')
    expect(ok.stderr).toContain(`L2 transaction signer: ${from}`)
    expect(ok.stderr).toContain(`L2 transaction: L1 destination: ${from}`)

    writeRequest('arb-l1-evil.json', await sendL2Message(DEAD), await sendL2Message(from))
    const evil = await signFile('arb-l1-evil.json', 'arb-l1-evil.signed.json')
    expect(evil.code).toBe(1)
    expect(evil.stderr).toContain(`its L2 transaction: L1 destination says ${from}, but the transaction bytes say ${DEAD}`)
    expect(fs.existsSync(file('arb-l1-evil.signed.json'))).toBe(false)
  })
})
