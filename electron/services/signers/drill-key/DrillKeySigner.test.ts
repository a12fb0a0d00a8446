import { describe, expect, it } from 'vitest'
import { recoverTransactionAddress, toHex, verifyMessage, type TransactionSerialized } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { DrillKeyChainRefusedError } from '../../../../shared/signing/errors'
import { toSerializable, type UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import { DRILL_MNEMONIC, DrillKeySigner } from './DrillKeySigner'

const PATH0 = "44'/60'/0'/0/0"
const account0 = mnemonicToAccount(DRILL_MNEMONIC)
const request: UnsignedTxRequest = {
  type: 'eip1559', chainId: 31337, nonce: 0, gas: 60_000n, maxFeePerGas: 2n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n,
  to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 1n, data: toHex(new Uint8Array(300).fill(1)),
}

describe('DrillKeySigner', () => {
  it('signs for the devnet exactly as a viem local account does', async () => {
    const signer = new DrillKeySigner({ devnetChainId: 31337 })
    const signed = await signer.signTransaction({ path: PATH0, request })
    expect(signed.raw).toBe(await account0.signTransaction(toSerializable(request)))
    expect(await recoverTransactionAddress({ serializedTransaction: signed.raw as TransactionSerialized })).toBe(account0.address)
    const legacy = await signer.signTransaction({ path: PATH0, request: { type: 'legacy', chainId: 31337, nonce: 1, gas: 21_000n, gasPrice: 1n, to: request.to, value: 1n, data: '0x' } })
    expect(legacy.signature.v).toBe(31337n * 2n + 35n + BigInt(legacy.signature.yParity))
  })

  it('refuses any other chain unless explicitly overridden', async () => {
    const signer = new DrillKeySigner({ devnetChainId: 31337 })
    const error = await signer.signTransaction({ path: PATH0, request: { ...request, chainId: 1 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DrillKeyChainRefusedError)
    expect((error as DrillKeyChainRefusedError).shortMessage).toBe('The drill key only signs for the devnet (chain ID 31337), not chain ID 1.')
    const overridden = new DrillKeySigner({ devnetChainId: 31337, allowAnyChain: true })
    expect((await overridden.signTransaction({ path: PATH0, request: { ...request, chainId: 1 } })).from).toBe(account0.address)
  })

  it('lists accounts, shows addresses without a screen, signs messages', async () => {
    const signer = new DrillKeySigner({ devnetChainId: 31337 })
    expect(await signer.listAccounts({ paths: ["m/44'/60'/0'/0/1"] })).toEqual([{ path: "44'/60'/0'/0/1", address: mnemonicToAccount(DRILL_MNEMONIC, { addressIndex: 1 }).address }])
    expect(await signer.showAddress({ path: PATH0 })).toEqual({ address: account0.address, shownOnDevice: false })
    const { signature } = await signer.signPersonalMessage({ path: PATH0, message: 'drill' })
    expect(await verifyMessage({ address: account0.address, message: 'drill', signature })).toBe(true)
    expect(signer.capabilities.devnetOnly).toBe(true)
  })
})
