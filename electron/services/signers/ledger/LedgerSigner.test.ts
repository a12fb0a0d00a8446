// The Ledger signer (hw-app-eth, unmodified) against the software Ledger: addresses, signatures, every fault mapped to
// an instruction, the per-device queue, hot-plug and reconnect grace — and no socket leaves loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { keccak256, parseTransaction, recoverTransactionAddress, toHex, verifyMessage, type TransactionSerialized } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { presetPaths } from '../../../../shared/signing/derivationPaths'
import {
  LedgerAppNotOpenError,
  LedgerAppOutdatedError,
  LedgerBlindSigningDisabledError,
  LedgerDisconnectedError,
  LedgerLockedError,
  LedgerNotFoundError,
  LedgerUserRejectedError,
  SignerAddressMismatchError,
} from '../../../../shared/signing/errors'
import { serializeUnsignedTx, type UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import { SoftLedgerDevice, SoftLedgerTransport, SW, TEST_MNEMONIC, type SoftLedgerFaults, type SoftLedgerPrompt } from '../soft-ledger/SoftLedgerTransport'
import { SoftLedgerDeviceSource } from '../soft-ledger/softLedgerDeviceSource'
import { guardLoopbackOnly, type LoopbackGuard } from '../test-support/guardLoopbackOnly'
import { LedgerDeviceManager } from './LedgerDeviceManager'
import { LedgerSigner } from './LedgerSigner'
import { loadEth } from './loadLedgerLibs'

const PATH0 = "44'/60'/0'/0/0"
const ANVIL_0 = mnemonicToAccount(TEST_MNEMONIC).address
const to = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const transfer: UnsignedTxRequest = { type: 'eip1559', chainId: 1, nonce: 3, gas: 21_000n, maxFeePerGas: 30n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n, to, value: 10n ** 17n, data: '0x' }
const contractCall: UnsignedTxRequest = { ...transfer, gas: 900_000n, value: 0n, data: toHex(Uint8Array.from({ length: 1300 }, (_, i) => i & 0xff)) }

let guard: LoopbackGuard
beforeAll(() => {
  guard = guardLoopbackOnly()
})
afterAll(() => {
  guard.restore()
  // The proof: nothing in this file tried to reach Ledger's CDN (or anything else off this machine).
  expect(guard.attempts).toEqual([])
})

const managers: LedgerDeviceManager[] = []
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()))
})

function setup(options: { faults?: Partial<SoftLedgerFaults> } = {}) {
  const device = new SoftLedgerDevice({ faults: options.faults ?? {} })
  const source = new SoftLedgerDeviceSource()
  source.plug(device)
  const manager = new LedgerDeviceManager(source, { reconnectGraceMs: 1_500, appSwitchGraceMs: 300, retryDelayMs: 20 })
  managers.push(manager)
  const signer = new LedgerSigner({ device: manager.device(), kind: 'soft-ledger' })
  return { device, source, manager, signer }
}

const lastSignPrompt = (device: SoftLedgerDevice) => device.prompts.filter((p) => p.kind === 'sign-transaction').at(-1) as Extract<SoftLedgerPrompt, { kind: 'sign-transaction' }> | undefined

describe('LedgerSigner over the software Ledger', () => {
  it('lists accounts for the Ledger Live and legacy presets and a custom path', async () => {
    const { signer } = setup()
    const live = await signer.listAccounts({ paths: presetPaths('ledger-live', 0, 3) })
    expect(live.map((a) => a.address)).toEqual([0, 1, 2].map((i) => mnemonicToAccount(TEST_MNEMONIC, { accountIndex: i }).address))
    const legacy = await signer.listAccounts({ paths: presetPaths('legacy', 0, 2) })
    expect(legacy.map((a) => a.path)).toEqual(["44'/60'/0'/0", "44'/60'/0'/1"])
    expect(legacy[0]!.address).toBe(mnemonicToAccount(TEST_MNEMONIC, { path: "m/44'/60'/0'/0" }).address)
    const [custom] = await signer.listAccounts({ paths: ["m/44h/60h/0h/0/7"] })
    expect(custom).toEqual({ path: "44'/60'/0'/0/7", address: mnemonicToAccount(TEST_MNEMONIC, { addressIndex: 7 }).address })
  })

  it('shows the address on the device and refuses a different expected address', async () => {
    const { signer, device } = setup()
    expect(await signer.showAddress({ path: PATH0, expected: ANVIL_0 })).toEqual({ address: ANVIL_0, shownOnDevice: true })
    expect(device.prompts.at(-1)).toMatchObject({ kind: 'verify-address', address: ANVIL_0 })
    await expect(signer.showAddress({ path: PATH0, expected: to })).rejects.toBeInstanceOf(SignerAddressMismatchError)
  })

  it('signs an EIP-1559 contract call with 1.3 KB of data; the device shows the hash the UI announced', async () => {
    const { signer, device } = setup()
    const display = signer.describeDisplay(contractCall)
    expect(display.mode).toBe('blind')
    const signed = await signer.signTransaction({ path: PATH0, request: contractCall })
    expect(signed.from).toBe(ANVIL_0)
    expect(await recoverTransactionAddress({ serializedTransaction: signed.raw as TransactionSerialized })).toBe(ANVIL_0)
    expect(signed.hash).toBe(keccak256(signed.raw))
    expect(parseTransaction(signed.raw)).toMatchObject({ type: 'eip1559', chainId: 1, nonce: 3, data: contractCall.data })
    expect(lastSignPrompt(device)).toMatchObject({ blind: true, signingHash: display.signingHash })
    expect(display.signingHash).toBe(keccak256(serializeUnsignedTx(contractCall)))
    expect(device.apduLog.filter((a) => a.startsWith('e004')).length).toBeGreaterThan(5)
  })

  it('signs legacy transactions for large chain ids (v truncated on the device, rebuilt by hw-app-eth)', async () => {
    const { signer } = setup()
    for (const chainId of [421614, 0x7fff_ffff]) {
      const request: UnsignedTxRequest = { type: 'legacy', chainId, nonce: 1, gas: 100_000n, gasPrice: 10n ** 9n, to, value: 5n, data: '0xdeadbeef' }
      const signed = await signer.signTransaction({ path: PATH0, request })
      expect(await recoverTransactionAddress({ serializedTransaction: signed.raw as TransactionSerialized })).toBe(ANVIL_0)
      expect(signed.signature.v).toBe(BigInt(chainId) * 2n + 35n + BigInt(signed.signature.yParity))
    }
  })

  it('signs personal messages', async () => {
    const { signer } = setup()
    const { address, signature } = await signer.signPersonalMessage({ path: PATH0, message: 'I control this account' })
    expect(address).toBe(ANVIL_0)
    expect(await verifyMessage({ address, message: 'I control this account', signature })).toBe(true)
  })

  it('refuses a signature for another account than expectedFrom', async () => {
    const { signer } = setup()
    await expect(signer.signTransaction({ path: PATH0, request: transfer, expectedFrom: to })).rejects.toBeInstanceOf(SignerAddressMismatchError)
  })

  describe('faults become instructions', () => {
    it('locked → unlock', async () => {
      const { signer } = setup({ faults: { locked: true } })
      const error = await signer.signTransaction({ path: PATH0, request: transfer }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LedgerLockedError)
      expect((error as LedgerLockedError).steps[0]).toMatch(/Unlock your Ledger/)
    })

    it.each([SW.APP_NOT_OPEN_DASHBOARD, SW.INS_NOT_SUPPORTED, SW.APP_NOT_OPEN])('app not open (status word %i) → open the Ethereum app', async (sw) => {
      const { signer } = setup({ faults: { appNotOpen: sw } })
      const error = await signer.listAccounts({ paths: [PATH0] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LedgerAppNotOpenError)
      expect((error as LedgerAppNotOpenError).steps[0]).toMatch(/Open the Ethereum app/)
    })

    it('blind signing off → enable it in the Ethereum app settings, before the device shows anything; plain transfers still sign', async () => {
      const { signer, device } = setup({ faults: { blindSigning: false } })
      const error = await signer.signTransaction({ path: PATH0, request: contractCall }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LedgerBlindSigningDisabledError)
      expect((error as LedgerBlindSigningDisabledError).steps[0]).toMatch(/enable "Blind signing"/)
      expect(lastSignPrompt(device)).toBeUndefined()
      expect((await signer.signTransaction({ path: PATH0, request: transfer })).from).toBe(ANVIL_0)
    })

    it('user rejects → nothing signed', async () => {
      const { signer } = setup({ faults: { confirm: 'reject' } })
      await expect(signer.signTransaction({ path: PATH0, request: transfer })).rejects.toBeInstanceOf(LedgerUserRejectedError)
      await expect(signer.signPersonalMessage({ path: PATH0, message: 'x' })).rejects.toBeInstanceOf(LedgerUserRejectedError)
      await expect(signer.showAddress({ path: PATH0 })).rejects.toBeInstanceOf(LedgerUserRejectedError)
    })

    it('cable pulled mid-signature → reconnect, nothing was signed; after plugging back in, signing works', async () => {
      const { signer, device, source } = setup({ faults: { disconnectAtSignChunk: 3 } })
      const error = await signer.signTransaction({ path: PATH0, request: contractCall }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LedgerDisconnectedError)
      expect((error as LedgerDisconnectedError).shortMessage).toMatch(/nothing was signed/)
      expect(lastSignPrompt(device)).toBeUndefined()
      const opened = source.opened
      setTimeout(() => source.plug(device), 50)
      const signed = await signer.signTransaction({ path: PATH0, request: contractCall })
      expect(signed.from).toBe(ANVIL_0)
      expect(source.opened).toBe(opened + 1) // a fresh transport to the re-enumerated device
    })

    it('old Ethereum app → update', async () => {
      const { signer } = setup({ faults: { version: [1, 9, 5] } })
      const error = await signer.signTransaction({ path: PATH0, request: transfer }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LedgerAppOutdatedError)
      expect((error as LedgerAppOutdatedError).shortMessage).toMatch(/1\.9\.5; 1\.10\.0 or later/)
    })

    it('no device → connect it (after the grace period)', async () => {
      const source = new SoftLedgerDeviceSource()
      const manager = new LedgerDeviceManager(source, { reconnectGraceMs: 100 })
      managers.push(manager)
      const signer = new LedgerSigner({ device: manager.device() })
      await expect(signer.listAccounts({ paths: [PATH0] })).rejects.toBeInstanceOf(LedgerNotFoundError)
    })
  })

  it('queues concurrent calls per device (hw-app-eth alone rejects them as busy)', async () => {
    // Without the queue: the raw library refuses the second call while the first waits for the user.
    const raw = new SoftLedgerTransport({ faults: { confirm: () => new Promise((r) => setTimeout(() => r('approve'), 50)) } })
    const eth = new (loadEth())(raw)
    const results = await Promise.allSettled([eth.getAddress(PATH0, true), eth.getAddress(PATH0)])
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { id: 'TransportLocked' } })

    const { signer, device } = setup({ faults: { confirm: () => new Promise((r) => setTimeout(() => r('approve'), 30)) } })
    const [a, b, c, d] = await Promise.all([
      signer.signTransaction({ path: PATH0, request: transfer }),
      signer.signTransaction({ path: PATH0, request: { ...transfer, nonce: 4 } }),
      signer.listAccounts({ paths: [PATH0] }),
      signer.signPersonalMessage({ path: PATH0, message: 'queued' }),
    ])
    expect([a.from, b.from, c[0]!.address, d.address]).toEqual([ANVIL_0, ANVIL_0, ANVIL_0, ANVIL_0])
    expect(device.prompts.map((p) => p.kind)).toEqual(['sign-transaction', 'sign-transaction', 'sign-message'])
  })

  it('hot-plug: a call waits for a device that is plugged in within the grace period', async () => {
    const device = new SoftLedgerDevice()
    const source = new SoftLedgerDeviceSource()
    const waits: string[] = []
    const manager = new LedgerDeviceManager(source, { reconnectGraceMs: 2_000, onWaiting: (w) => waits.push(w) })
    managers.push(manager)
    const signer = new LedgerSigner({ device: manager.device() })
    const pending = signer.listAccounts({ paths: [PATH0] })
    setTimeout(() => source.plug(device), 100)
    expect((await pending)[0]!.address).toBe(ANVIL_0)
    expect(waits).toContain('device')
    expect(manager.devices()).toEqual([{ id: source.idOf(device), model: 'Software Ledger' }])
  })

  it('reconnect grace: the user switching apps (device re-enumerates, then answers "app not open" briefly) does not fail a read', async () => {
    const device = new SoftLedgerDevice()
    const source = new SoftLedgerDeviceSource()
    source.plug(device)
    // Generous graces: the timers below must fire well inside them even on a loaded machine.
    const manager = new LedgerDeviceManager(source, { reconnectGraceMs: 10_000, appSwitchGraceMs: 10_000, retryDelayMs: 20 })
    managers.push(manager)
    const signer = new LedgerSigner({ device: manager.device() })
    await signer.listAccounts({ paths: [PATH0] })
    device.setFaults({ appNotOpen: SW.APP_NOT_OPEN_DASHBOARD })
    device.unplug()
    setTimeout(() => device.plugIn(), 60)
    setTimeout(() => device.setFaults({ appNotOpen: null }), 150)
    expect(await signer.getAppInfo()).toEqual({ version: '1.17.0', blindSigningEnabled: true })
  })
})

describe('the loopback guard used above', () => {
  it('catches hw-app-eth reaching for Ledger\'s CDN when resolution is left undefined (so the guard can fail)', async () => {
    const local = guardLoopbackOnly()
    const warn = console.warn
    console.warn = () => undefined
    try {
      const eth = new (loadEth())(new SoftLedgerTransport())
      const unsigned = serializeUnsignedTx(contractCall)
      await (eth.signTransaction as (path: string, raw: string, resolution?: null) => Promise<unknown>)(PATH0, unsigned.slice(2))
    } finally {
      console.warn = warn
      local.restore()
    }
    expect(local.attempts.some((a) => /ledger\.com/.test(a))).toBe(true)
  })
})
