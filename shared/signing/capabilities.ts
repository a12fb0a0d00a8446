/**
 * What each signer family can do, so the UI offers only what works (e.g. "verify address on device" only where there
 * is a screen) and explains blind signing before the device asks for it.
 */
export type SignerKind = 'ledger' | 'soft-ledger' | 'drill-key' | 'file'

export interface SignerCapabilities {
  label: string
  /** Can show an address on a trusted screen for the user to compare. */
  displayAddress: boolean
  /** Can sign transactions with calldata it cannot decode (the device shows a hash, not the meaning). */
  blindSigning: boolean
  /**
   * Can show decoded fields on its own screen. 'plain-transfers': the Ledger Ethereum app shows amount, recipient,
   * network and fees for a transfer without data; contract calls need blind signing because we never ask Ledger's
   * CDN for clear-signing metadata.
   */
  clearSigning: 'none' | 'plain-transfers'
  personalSign: boolean
  /** Signs without any network access on the signing machine. */
  offline: boolean
  /** The key never leaves dedicated hardware. */
  hardwareKey: boolean
  /** Refuses chains other than the devnet unless explicitly overridden. */
  devnetOnly: boolean
  /** The user must act (press buttons, carry a file) for each signature. */
  needsUser: boolean
}

export const signerCapabilities: Readonly<Record<SignerKind, SignerCapabilities>> = {
  ledger: {
    label: 'Ledger (USB)',
    displayAddress: true,
    blindSigning: true,
    clearSigning: 'plain-transfers',
    personalSign: true,
    offline: true,
    hardwareKey: true,
    devnetOnly: false,
    needsUser: true,
  },
  'soft-ledger': {
    label: 'Software Ledger (drills and tests)',
    displayAddress: true,
    blindSigning: true,
    clearSigning: 'plain-transfers',
    personalSign: true,
    offline: true,
    hardwareKey: false,
    devnetOnly: true,
    needsUser: false,
  },
  'drill-key': {
    label: 'Drill key (devnet only)',
    displayAddress: false,
    blindSigning: true,
    clearSigning: 'none',
    personalSign: true,
    offline: true,
    hardwareKey: false,
    devnetOnly: true,
    needsUser: false,
  },
  file: {
    label: 'Air-gapped file',
    displayAddress: false,
    blindSigning: true,
    clearSigning: 'none',
    personalSign: false,
    offline: true,
    hardwareKey: false,
    devnetOnly: false,
    needsUser: true,
  },
}
