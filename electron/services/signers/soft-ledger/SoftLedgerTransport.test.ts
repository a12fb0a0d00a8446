// The real hw-app-eth, unmodified, over the software Ledger: addresses and signatures must be what viem recovers.
import { describe, expect, it } from 'vitest'
import { keccak256, recoverMessageAddress, recoverTransactionAddress, serializeTransaction, toHex, type Hex, type TransactionSerializable } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { loadEth } from '../ledger/loadLedgerLibs'
import { SoftLedgerTransport, SW, TEST_MNEMONIC, type SoftLedgerPrompt } from './SoftLedgerTransport'

const Eth = loadEth()
const ANVIL_0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const to = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

function device(faults: ConstructorParameters<typeof SoftLedgerTransport>[0] = {}) {
  const transport = new SoftLedgerTransport(faults)
  return { transport, eth: new Eth(transport) }
}

async function signAndRecover(eth: InstanceType<ReturnType<typeof loadEth>>, path: string, tx: TransactionSerializable) {
  const unsigned = serializeTransaction(tx)
  const { v, r, s } = await eth.signTransaction(path, unsigned.slice(2), null)
  const vBig = BigInt(`0x${v}`)
  const signature =
    tx.type === 'legacy'
      ? { r: `0x${r}` as Hex, s: `0x${s}` as Hex, v: vBig }
      : { r: `0x${r}` as Hex, s: `0x${s}` as Hex, yParity: Number(vBig) }
  const raw = serializeTransaction(tx, signature)
  return { v: vBig, raw, from: await recoverTransactionAddress({ serializedTransaction: raw as never }) }
}

describe('SoftLedgerTransport under hw-app-eth', () => {
  it('answers GET APP CONFIGURATION like the Ethereum app', async () => {
    const { eth } = device({ faults: { version: [1, 13, 2], blindSigning: false } })
    expect(await eth.getAppConfiguration()).toMatchObject({ arbitraryDataEnabled: 0, version: '1.13.2' })
  })

  it('derives the anvil accounts from the test mnemonic, with public key and chain code', async () => {
    const { eth } = device()
    const a0 = await eth.getAddress("44'/60'/0'/0/0", false, true)
    expect(a0.address).toBe(ANVIL_0) // EIP-55 case, as the real app answers
    expect(a0.publicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(a0.chainCode).toMatch(/^[0-9a-f]{64}$/)
    const a1 = await eth.getAddress("44'/60'/0'/0/1")
    expect(a1.address).toBe(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: 1 }).address)
    expect(a1.chainCode).toBeUndefined()
    // Ledger Live path for account 3, and the chain-id variant of the APDU (8 extra bytes)
    const live3 = await eth.getAddress("44'/60'/3'/0/0", false, false, '1')
    expect(live3.address).toBe(mnemonicToAccount(TEST_MNEMONIC, { accountIndex: 3 }).address)
  })

  it('signs an EIP-1559 transaction with more than 1 KB of data in several 255-byte chunks; viem recovers the device address', async () => {
    const { transport, eth } = device()
    const data = toHex(Uint8Array.from({ length: 1500 }, (_, i) => (i * 7) & 0xff))
    const tx: TransactionSerializable = {
      type: 'eip1559', chainId: 11155111, nonce: 42, gas: 500_000n, maxFeePerGas: 30_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n,
      to, value: 10n ** 16n, data, accessList: [{ address: to, storageKeys: [keccak256('0x01')] }],
    }
    const { v, from } = await signAndRecover(eth, "44'/60'/0'/0/0", tx)
    expect(from).toBe(ANVIL_0)
    expect(v === 0n || v === 1n).toBe(true)
    const signApdus = transport.apduLog.filter((a) => a.startsWith('e004'))
    expect(signApdus.length).toBeGreaterThanOrEqual(7)
    expect(signApdus[0]!.slice(4, 6)).toBe('00')
    expect(signApdus.slice(1).every((a) => a.slice(4, 6) === '80')).toBe(true)
    const prompt = transport.prompts.at(-1) as Extract<SoftLedgerPrompt, { kind: 'sign-transaction' }>
    expect(prompt).toMatchObject({ kind: 'sign-transaction', blind: true, signingHash: keccak256(serializeTransaction(tx)) })
  })

  it('signs legacy transactions, rebuilding v when the device truncates it (chain ids 1, 421614 and a 5-byte one)', async () => {
    const { transport, eth } = device()
    for (const chainId of [1, 421614, 0x01_2345_6789]) {
      for (const size of [0, 600]) {
        const tx: TransactionSerializable = {
          type: 'legacy', chainId, nonce: 7, gas: 100_000n, gasPrice: 2_000_000_000n, to, value: 123n, data: size ? toHex(new Uint8Array(size).fill(0xab)) : '0x',
        }
        const { v, from } = await signAndRecover(eth, "44'/60'/0'/0/0", tx)
        expect(from).toBe(ANVIL_0)
        const parity = v - BigInt(chainId) * 2n - 35n
        expect(parity === 0n || parity === 1n).toBe(true)
        // The device answered one byte: the first 4 bytes of the chain id, EIP-155, truncated.
        const hex = chainId.toString(16).padStart(Math.ceil(chainId.toString(16).length / 2) * 2, '0')
        const uint32 = parseInt(hex.slice(0, 8), 16)
        const deviceV = parseInt(transport.responseLog.at(-1)!.slice(0, 2), 16)
        expect(deviceV).toBe((uint32 * 2 + 35 + Number(parity)) & 0xff)
        if (chainId > 110) expect(BigInt(deviceV)).not.toBe(v)
      }
    }
  })

  it('signs a legacy transaction without EIP-155 chain id only as hw-app-eth allows (chainId 0 → v 27/28)', async () => {
    const { eth } = device()
    const tx: TransactionSerializable = { type: 'legacy', nonce: 0, gas: 21_000n, gasPrice: 1n, to, value: 1n }
    const unsigned = serializeTransaction(tx)
    const { v } = await eth.signTransaction("44'/60'/0'/0/0", unsigned.slice(2), null)
    expect(['1b', '1c']).toContain(v)
  })

  it('signs personal messages (several 150-byte chunks) that viem verifies', async () => {
    const { eth } = device()
    const message = 'Escape Hatch drill '.repeat(40)
    const { v, r, s } = await eth.signPersonalMessage("44'/60'/0'/0/0", Buffer.from(message).toString('hex'))
    const signature = `0x${r}${s}${v.toString(16)}` as Hex
    expect(await recoverMessageAddress({ message, signature })).toBe(ANVIL_0)
  })

  it('fault: locked device answers 0x5515 (LockedDeviceError)', async () => {
    const { eth } = device({ faults: { locked: true } })
    await expect(eth.getAddress("44'/60'/0'/0/0")).rejects.toMatchObject({ statusCode: SW.LOCKED, name: 'LockedDeviceError' })
  })

  it.each([SW.APP_NOT_OPEN_DASHBOARD, SW.INS_NOT_SUPPORTED, SW.APP_NOT_OPEN])('fault: app not open answers status word %i', async (sw) => {
    const { eth } = device({ faults: { appNotOpen: sw } })
    await expect(eth.getAppConfiguration()).rejects.toMatchObject({ statusCode: sw })
  })

  it('fault: blind signing off refuses a tx with data (0x6a80, remapped by hw-app-eth) but signs a plain transfer', async () => {
    const { eth } = device({ faults: { blindSigning: false } })
    const base = { type: 'eip1559', chainId: 1, nonce: 0, gas: 50_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, to, value: 1n } as const
    await expect(eth.signTransaction("44'/60'/0'/0/0", serializeTransaction({ ...base, data: '0x1234' }).slice(2), null)).rejects.toMatchObject({
      name: 'EthAppPleaseEnableContractData',
    })
    const { from } = await signAndRecover(eth, "44'/60'/0'/0/0", base)
    expect(from).toBe(ANVIL_0)
  })

  it('fault: user rejection answers 0x6985 for address display, tx and message', async () => {
    const { eth } = device({ faults: { confirm: 'reject' } })
    await expect(eth.getAddress("44'/60'/0'/0/0", true)).rejects.toMatchObject({ statusCode: SW.USER_REJECTED })
    const tx = serializeTransaction({ type: 'eip1559', chainId: 1, nonce: 0, gas: 21_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, to, value: 1n })
    await expect(eth.signTransaction("44'/60'/0'/0/0", tx.slice(2), null)).rejects.toMatchObject({ statusCode: SW.USER_REJECTED })
    await expect(eth.signPersonalMessage("44'/60'/0'/0/0", '68656c6c6f')).rejects.toMatchObject({ statusCode: SW.USER_REJECTED })
    // Without display the address needs no confirmation
    expect((await eth.getAddress("44'/60'/0'/0/0", false)).address).toBe(ANVIL_0)
  })

  it('fault: cable pulled at chunk 3 of a multi-chunk signature fails with a transport error and stays disconnected', async () => {
    const { transport, eth } = device({ faults: { disconnectAtSignChunk: 3 } })
    let disconnected = false
    transport.on('disconnect', () => (disconnected = true))
    const tx = serializeTransaction({ type: 'eip1559', chainId: 1, nonce: 0, gas: 200_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, to, value: 0n, data: toHex(new Uint8Array(1000)) })
    await expect(eth.signTransaction("44'/60'/0'/0/0", tx.slice(2), null)).rejects.toMatchObject({ name: 'DisconnectedDeviceDuringOperation' })
    expect(disconnected).toBe(true)
    await expect(eth.getAddress("44'/60'/0'/0/0")).rejects.toMatchObject({ name: 'DisconnectedDevice' })
    transport.reconnect()
    expect((await eth.getAddress("44'/60'/0'/0/0")).address).toBe(ANVIL_0)
  })

  it('rejects malformed payloads the way the app does (trailing bytes → 0x6a80)', async () => {
    const { transport } = device()
    const tx = serializeTransaction({ type: 'eip1559', chainId: 1, nonce: 0, gas: 21_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, to, value: 1n })
    const path = Buffer.from('058000002c8000003c800000000000000000000000', 'hex')
    const payload = Buffer.concat([path, Buffer.from(tx.slice(2), 'hex'), Buffer.from([0x00])])
    await expect(transport.send(0xe0, 0x04, 0x00, 0x00, payload)).rejects.toMatchObject({ statusCode: SW.INVALID_DATA })
    await expect(transport.send(0xe0, 0x04, 0x80, 0x00, Buffer.from([0xc0]))).rejects.toMatchObject({ statusCode: SW.INVALID_DATA })
    await expect(transport.send(0xe0, 0x99, 0x00, 0x00)).rejects.toMatchObject({ statusCode: SW.INS_NOT_SUPPORTED })
  })
})
