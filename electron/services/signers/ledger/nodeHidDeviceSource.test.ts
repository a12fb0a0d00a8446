// The real USB path, as far as this machine allows (no Ledger is attached): node-hid loads, listens for hot-plug,
// reports no device, unsubscribes cleanly, and the signer turns "nothing there" into its instruction.
import { describe, expect, it } from 'vitest'
import { LedgerNotFoundError } from '../../../../shared/signing/errors'
import { LedgerDeviceManager } from './LedgerDeviceManager'
import { LedgerSigner } from './LedgerSigner'
import { nodeHidDeviceSource } from './nodeHidDeviceSource'

describe('nodeHidDeviceSource (no device attached)', () => {
  it('lists no Ledger and the signer says to connect one', async () => {
    const manager = new LedgerDeviceManager(nodeHidDeviceSource(), { reconnectGraceMs: 300 })
    try {
      const signer = new LedgerSigner({ device: manager.device() })
      const error = await signer.listAccounts({ paths: ["44'/60'/0'/0/0"] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LedgerNotFoundError)
      expect((error as LedgerNotFoundError).steps[0]).toMatch(/Connect your Ledger/)
      expect(manager.devices()).toEqual([])
    } finally {
      await manager.stop()
    }
  })
})
