// Errors as hw-app-eth actually throws them (produced through the software Ledger), mapped to instructions.
import { describe, expect, it } from 'vitest'
import { serializeTransaction } from 'viem'
import { serializeError, deserializeError } from '../../../../shared/errors/EscapeError'
import { LedgerAppNotOpenError, LedgerAppOutdatedError, LedgerBlindSigningDisabledError, LedgerBusyError, LedgerDeviceError, LedgerDisconnectedError, LedgerLockedError, LedgerUserRejectedError } from '../../../../shared/signing/errors'
import { SoftLedgerTransport, SW } from '../soft-ledger/SoftLedgerTransport'
import { loadEth } from './loadLedgerLibs'
import { mapLedgerError } from './mapLedgerError'

const Eth = loadEth()
const tx = serializeTransaction({ type: 'eip1559', chainId: 1, nonce: 0, gas: 50_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 0n, data: '0x12' }).slice(2)

async function thrown(faults: ConstructorParameters<typeof SoftLedgerTransport>[0], call: (eth: InstanceType<typeof Eth>) => Promise<unknown>): Promise<unknown> {
  return call(new Eth(new SoftLedgerTransport(faults))).then(() => undefined, (e: unknown) => e)
}

describe('mapLedgerError', () => {
  it('maps what hw-app-eth throws', async () => {
    expect(mapLedgerError(await thrown({ faults: { locked: true } }, (e) => e.getAddress("44'/60'/0'/0/0")), 'get-address')).toBeInstanceOf(LedgerLockedError)
    expect(mapLedgerError(await thrown({ faults: { appNotOpen: SW.APP_NOT_OPEN } }, (e) => e.getAppConfiguration()), 'get-configuration')).toBeInstanceOf(LedgerAppNotOpenError)
    expect(mapLedgerError(await thrown({ faults: { blindSigning: false } }, (e) => e.signTransaction("44'/60'/0'/0/0", tx, null)), 'sign-transaction')).toBeInstanceOf(LedgerBlindSigningDisabledError)
    expect(mapLedgerError(await thrown({ faults: { confirm: 'reject' } }, (e) => e.signTransaction("44'/60'/0'/0/0", tx, null)), 'sign-transaction')).toBeInstanceOf(LedgerUserRejectedError)
    expect(mapLedgerError(await thrown({ faults: { disconnectAtSignChunk: 1 } }, (e) => e.signTransaction("44'/60'/0'/0/0", tx, null)), 'sign-transaction')).toBeInstanceOf(LedgerDisconnectedError)
  })

  it('maps busy, unknown status words, and survives serialization by name', () => {
    expect(mapLedgerError(Object.assign(new Error('busy'), { id: 'TransportLocked' }), 'get-address')).toBeInstanceOf(LedgerBusyError)
    const unknown = mapLedgerError(Object.assign(new Error('x'), { statusCode: 0x6f00 }), 'get-address')
    expect(unknown).toBeInstanceOf(LedgerDeviceError)
    expect(unknown.shortMessage).toBe('Your Ledger returned error 0x6f00.')
    expect(mapLedgerError(Object.assign(new Error('x'), { statusCode: 0x6a80 }), 'get-address')).toBeInstanceOf(LedgerDeviceError)
    const outdated = mapLedgerError(Object.assign(new Error('x'), { statusCode: 0x6501 }), 'sign-transaction')
    expect(outdated).toBeInstanceOf(LedgerAppOutdatedError)
    expect(outdated.shortMessage).toBe('The Ethereum app on your Ledger is too old for this type of transaction.')
    const back = deserializeError(serializeError(new LedgerBlindSigningDisabledError()))
    expect(back).toBeInstanceOf(LedgerBlindSigningDisabledError)
  })
})
