// The Ledger screen's service over the software Ledger (the real LedgerSigner and hw-app-eth on top): each device
// fault comes back as the instruction the screen shows, accounts on the three kinds of path, and every job signature
// reported with its decoded call and the very hash the device displays — before the device is asked.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeFunctionData, keccak256, serializeTransaction } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { arbSysAbi } from '../../../contracts-abi/arbitrum-nitro/ArbSys'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { EventName, EventPayload } from '../../../shared/ipc/contract'
import type { LedgerSigningView } from '../../../shared/ipc/ledgerSchemas'
import { ledgerInstructionForError } from '../../../shared/signing/ledgerInstructions'
import { ARB_SYS_ADDRESS } from '../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { endsJob } from '../jobs/classifyFailure'
import { openDeviceSigner } from '../jobs/openJobSigner'
import { TransportStatusError } from '../signers/ledger/loadLedgerLibs'
import { mapLedgerError } from '../signers/ledger/mapLedgerError'
import { SoftLedgerDevice, SW, TEST_MNEMONIC, type SoftLedgerPrompt } from '../signers/soft-ledger/SoftLedgerTransport'
import { createLedgerService } from './createLedgerService'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-ledger-service-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

function setup() {
  const device = new SoftLedgerDevice()
  const events: LedgerSigningView[] = []
  const publish = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event === 'ledgerSigning') events.push(payload as LedgerSigningView)
  }
  const service = createLedgerService({ dataDir, publish, softLedger: device })
  return { device, events, service }
}

const USER = mnemonicToAccount(TEST_MNEMONIC, { addressIndex: 6 }).address
const withdrawal: UnsignedTxRequest = {
  type: 'eip1559',
  chainId: 412346,
  nonce: 0,
  gas: 200_000n,
  maxFeePerGas: 10n ** 9n,
  maxPriorityFeePerGas: 0n,
  to: ARB_SYS_ADDRESS,
  value: 10n ** 18n,
  data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [USER] }),
}
const context = { chains: [{ chainId: 412346, name: 'Devnet Arbitrum (L2)' }], contracts: [{ chainId: 412346, address: ARB_SYS_ADDRESS, kind: 'arbitrum-arbsys' as const, network: 'Devnet Arbitrum' }] }

describe('status words → instructions', () => {
  it('maps the status words hw-app-eth throws (TransportStatusError, @ledgerhq/errors) to the instruction of each state', () => {
    const title = (sw: number, op: Parameters<typeof mapLedgerError>[1] = 'get-address') => ledgerInstructionForError(mapLedgerError(new TransportStatusError(sw), op))?.title
    expect(title(0x5515)).toBe('Your Ledger is locked: unlock it with your PIN.')
    expect(title(0x6982)).toBe('Your Ledger is locked: unlock it with your PIN.')
    for (const sw of [0x6511, 0x6e00, 0x6d00, 0x6e01]) expect(title(sw)).toBe('Open the Ethereum app on your Ledger.')
    expect(title(0x6a80, 'sign-transaction')).toBe('Enable blind signing in the Ethereum app’s Settings.')
    expect(title(0x6a80, 'get-address')).toBe('Your Ledger answered with an error.') // invalid data outside SIGN is not about blind signing
    expect(title(0x6985, 'sign-transaction')).toBe('You rejected it on the device; try again.')
    expect(title(0x5501, 'sign-transaction')).toBe('You rejected it on the device; try again.')
    expect(title(0x6f00)).toBe('Your Ledger answered with an error.')
  })

  it('never ends a job: every device answer leaves the escape resumable once the device is fixed', () => {
    for (const sw of [0x5515, 0x6511, 0x6a80, 0x6985, 0x6f00, 0x6501]) expect(endsJob(mapLedgerError(new TransportStatusError(sw), 'sign-transaction'))).toBe(false)
  })
})

describe('createLedgerService over the software Ledger', () => {
  it('reports a ready device, then each fault as its instruction', async () => {
    const { device, service } = setup()
    expect(await service.status('soft-ledger')).toMatchObject({ signer: 'soft-ledger', ready: true, model: 'Software Ledger', app: { version: '1.17.0', blindSigningEnabled: true } })
    expect((await service.status('soft-ledger')).instruction).toBeUndefined()
    device.setFaults({ blindSigning: false })
    expect(await service.status('soft-ledger')).toMatchObject({ ready: false, app: { blindSigningEnabled: false }, instruction: { state: 'blind-signing-off' } })
    device.setFaults({ blindSigning: true, locked: true })
    expect(await service.status('soft-ledger')).toMatchObject({ ready: false, instruction: { state: 'locked', title: 'Your Ledger is locked: unlock it with your PIN.', retry: 'Try again' } })
    for (const sw of [SW.APP_NOT_OPEN, SW.APP_NOT_OPEN_DASHBOARD, SW.INS_NOT_SUPPORTED]) {
      device.setFaults({ locked: false, appNotOpen: sw })
      expect((await service.status('soft-ledger')).instruction?.state).toBe('app-not-open')
    }
    device.setFaults({ appNotOpen: null })
    device.unplug()
    expect(await service.status('soft-ledger')).toMatchObject({ ready: false, instruction: { state: 'not-connected', retry: 'Check again' } })
  }, 20_000)

  it('lists Ledger Live, legacy and custom accounts; a bad custom path is refused in plain words', async () => {
    const { service } = setup()
    const live = await service.listAccounts({ signer: 'soft-ledger', scheme: 'ledger-live', start: 0, count: 3 })
    expect(live.accounts).toEqual([0, 1, 2].map((i) => ({ path: `44'/60'/${i}'/0/0`, address: mnemonicToAccount(TEST_MNEMONIC, { accountIndex: i }).address })))
    expect(live.balances).toBeUndefined()
    expect(live.notes[0]).toMatch(/add an L1 endpoint in the escape wizard/)
    const legacy = await service.listAccounts({ signer: 'soft-ledger', scheme: 'legacy', start: 2, count: 1 })
    expect(legacy.accounts).toEqual([{ path: "44'/60'/0'/2", address: mnemonicToAccount(TEST_MNEMONIC, { path: "m/44'/60'/0'/2" }).address }])
    const custom = await service.listAccounts({ signer: 'soft-ledger', scheme: 'custom', customPath: 'm/44h/60h/0h/0/6' })
    expect(custom.accounts).toEqual([{ path: "44'/60'/0'/0/6", address: USER }])
    const refused = await service.listAccounts({ signer: 'soft-ledger', scheme: 'custom', customPath: "44'/60'/zero" }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(EscapeError)
    expect((refused as EscapeError).shortMessage).toMatch(/^"zero" is not a level of a path/)
    expect(await service.showAddress('soft-ledger', "44'/60'/0'/0/6")).toEqual({ path: "44'/60'/0'/0/6", address: USER })
  })

  it('reports each job signature before the device is asked, with the hash the device shows; a refusal comes back as an instruction', async () => {
    const { device, events, service } = setup()
    const seenWhileAsking: (LedgerSigningView | undefined)[] = []
    device.setFaults({
      confirm: async (prompt: SoftLedgerPrompt) => {
        seenWhileAsking.push(events.at(-1))
        return prompt.kind === 'sign-transaction' && seenWhileAsking.length > 1 ? 'reject' : 'approve'
      },
    })
    const opened = service.watchJobSigner('arb-escape-test-1', context, openDeviceSigner('soft-ledger', service.deviceOptions('soft-ledger')))
    try {
      // While a job holds the device, the screen does not open it behind the job's back.
      expect((await service.status('soft-ledger')).instruction?.state).toBe('busy')
      const signed = await opened.signer.signTransaction({ path: "44'/60'/0'/0/6", request: withdrawal })
      expect(signed.from).toBe(USER)
      const prompt = device.prompts.at(-1) as Extract<SoftLedgerPrompt, { kind: 'sign-transaction' }>
      const unsignedHash = keccak256(serializeTransaction({ ...withdrawal }))
      expect(prompt.signingHash).toBe(unsignedHash)
      expect(seenWhileAsking[0]).toMatchObject({ state: 'waiting-for-device', jobId: 'arb-escape-test-1', path: "44'/60'/0'/0/6", device: { mode: 'blind', signingHash: unsignedHash } })
      expect(seenWhileAsking[0]!.call).toMatchObject({ chain: 'Devnet Arbitrum (L2), chain ID 412346', action: 'ArbSys.withdrawEth', recognised: true })
      expect(seenWhileAsking[0]!.call.fields.map((f) => f.value).join('\n')).toContain(USER)
      expect(events.at(-1)).toMatchObject({ state: 'signed', id: seenWhileAsking[0]!.id })

      const rejected = await opened.signer.signTransaction({ path: "44'/60'/0'/0/6", request: { ...withdrawal, nonce: 1 } }).catch((e: unknown) => e)
      expect((rejected as EscapeError).name).toBe('LedgerUserRejectedError')
      expect(events.at(-1)).toMatchObject({ state: 'failed', instruction: { state: 'rejected', title: 'You rejected it on the device; try again.' } })

      device.setFaults({ confirm: 'approve', blindSigning: false })
      await opened.signer.signTransaction({ path: "44'/60'/0'/0/6", request: { ...withdrawal, nonce: 2 } }).catch(() => undefined)
      expect(events.at(-1)).toMatchObject({ state: 'failed', instruction: { state: 'blind-signing-off' } })
      expect(service.signings().map((s) => s.state)).toEqual(['signed', 'failed', 'failed'])
    } finally {
      await opened.release()
    }
    device.setFaults({ blindSigning: true })
    expect((await service.status('soft-ledger')).ready).toBe(true)
  }, 20_000)
})
