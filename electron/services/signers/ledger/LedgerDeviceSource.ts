/**
 * Where Ledger devices come from: node-hid over USB in the app, the software Ledger in tests and drills. A source
 * reports devices as they are plugged in and out (the Ledger re-enumerates on USB when the user opens or closes an
 * app, so "remove then add" is normal) and opens a transport to one.
 */
import type { Transport } from './loadLedgerLibs'

export interface LedgerDeviceEvent {
  type: 'add' | 'remove'
  /** Stable while plugged in (the HID path for USB). */
  id: string
  /** e.g. "Nano S Plus", when known. */
  model?: string
}

export interface LedgerDeviceSource {
  /** Emits an 'add' for every device present now, then changes as they happen. Returns unsubscribe. */
  listen(onEvent: (event: LedgerDeviceEvent) => void, onError: (error: unknown) => void): () => void
  open(id: string): Promise<Transport>
}
