/**
 * The software Ledger the drill signs with: the real LedgerSigner (hw-app-eth, unmodified) over a SoftLedgerDevice
 * holding the well-known test mnemonic. Drills and tests only — the devnet accounts use the same mnemonic.
 */
import { LedgerDeviceManager } from '../../signers/ledger/LedgerDeviceManager'
import { LedgerSigner } from '../../signers/ledger/LedgerSigner'
import { SoftLedgerDevice } from '../../signers/soft-ledger/SoftLedgerTransport'
import { SoftLedgerDeviceSource } from '../../signers/soft-ledger/softLedgerDeviceSource'

export interface SoftLedgerSignerHandle {
  signer: LedgerSigner
  device: SoftLedgerDevice
  stop(): Promise<void>
}

export function createSoftLedgerSigner(): SoftLedgerSignerHandle {
  const device = new SoftLedgerDevice()
  const source = new SoftLedgerDeviceSource()
  source.plug(device)
  const manager = new LedgerDeviceManager(source, { reconnectGraceMs: 1_500, appSwitchGraceMs: 300, retryDelayMs: 20 })
  const signer = new LedgerSigner({ device: manager.device(), kind: 'soft-ledger' })
  return { signer, device, stop: () => manager.stop() }
}
