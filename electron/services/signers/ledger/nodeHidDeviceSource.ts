/**
 * Ledger devices over USB HID (@ledgerhq/hw-transport-node-hid), with hot-plug from its `listen`. Needs libusb and
 * libudev at run time and Ledger's udev rules on Linux. Not exercised in CI (no device; notes/tooling.md §7).
 */
import type { LedgerDeviceSource } from './LedgerDeviceSource'
import { loadTransportNodeHid } from './loadLedgerLibs'

export function nodeHidDeviceSource(): LedgerDeviceSource {
  const TransportNodeHid = loadTransportNodeHid()
  return {
    listen(onEvent, onError) {
      const sub = TransportNodeHid.listen({
        next: (e) => {
          if (typeof e.descriptor !== 'string') return
          onEvent({ type: e.type, id: e.descriptor, ...(e.deviceModel?.productName ? { model: e.deviceModel.productName } : {}) })
        },
        error: onError,
        complete: () => undefined,
      })
      return () => sub.unsubscribe()
    },
    async open(id) {
      return TransportNodeHid.open(id)
    },
  }
}
