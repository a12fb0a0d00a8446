/**
 * The Signer for a Ledger running the Ethereum app, on the unmodified @ledgerhq/hw-app-eth. The same class drives
 * a real device (node-hid) and the software Ledger (drills, tests): only the device source differs.
 *
 * Safety rules enforced here:
 * - never any network: resolution is always `null` and hw-app-eth's load config has no URLs;
 * - the app version and blind-signing setting are checked before the device asks the user anything;
 * - every signature is checked to recover to the address the device derives for the path (or the caller's).
 */
import { bytesToHex, getAddress, isAddressEqual, recoverMessageAddress, stringToBytes, type Address, type Hex } from 'viem'
import { assembleSignedTx } from '../../../../shared/signing/assembleSignedTx'
import { signerCapabilities, type SignerCapabilities, type SignerKind } from '../../../../shared/signing/capabilities'
import { normalizeDerivationPath } from '../../../../shared/signing/derivationPaths'
import { describeDeviceDisplay, type DeviceDisplay } from '../../../../shared/signing/describeDeviceDisplay'
import { LedgerAppOutdatedError, LedgerBlindSigningDisabledError, SignerAddressMismatchError } from '../../../../shared/signing/errors'
import type {
  ListAccountsParameters,
  ShowAddressParameters,
  ShowAddressReturnType,
  SignedTx,
  Signer,
  SignerAccount,
  SignPersonalMessageParameters,
  SignPersonalMessageReturnType,
  SignTransactionParameters,
} from '../../../../shared/signing/Signer'
import { serializeUnsignedTx, unsignedTxRequestSchema } from '../../../../shared/signing/unsignedTxRequest'
import type { LedgerDeviceHandle, LedgerSession } from './LedgerDeviceManager'

/**
 * The oldest Ethereum app we accept: EIP-1559 signing arrived in the 1.9 series; 1.10 is the first release every
 * current device model can install with it.
 */
export const MIN_ETH_APP_VERSION = '1.10.0'

export interface LedgerSignerOptions {
  device: LedgerDeviceHandle
  /** 'soft-ledger' for the software device (drills, tests); it changes only the capabilities reported. */
  kind?: Extract<SignerKind, 'ledger' | 'soft-ledger'>
  minAppVersion?: string
}

export interface LedgerAppInfo {
  version: string
  blindSigningEnabled: boolean
}

export class LedgerSigner implements Signer {
  readonly kind: 'ledger' | 'soft-ledger'
  readonly capabilities: SignerCapabilities
  private readonly device: LedgerDeviceHandle
  private readonly minAppVersion: string

  constructor(options: LedgerSignerOptions) {
    this.device = options.device
    this.kind = options.kind ?? 'ledger'
    this.capabilities = signerCapabilities[this.kind]
    this.minAppVersion = options.minAppVersion ?? MIN_ETH_APP_VERSION
  }

  /** The Ethereum app's version and blind-signing setting; throws the mapped error when locked or not open. */
  getAppInfo(signal?: AbortSignal): Promise<LedgerAppInfo> {
    return this.device.exclusive((s) => this.appInfo(s), signal)
  }

  listAccounts({ paths, signal }: ListAccountsParameters): Promise<SignerAccount[]> {
    const normalized = paths.map((p) => normalizeDerivationPath(p))
    return this.device.exclusive(async (s) => {
      const accounts: SignerAccount[] = []
      for (const path of normalized) accounts.push({ path, address: await this.addressAt(s, path) })
      return accounts
    }, asAbortSignal(signal))
  }

  showAddress({ path, expected, signal }: ShowAddressParameters): Promise<ShowAddressReturnType> {
    const p = normalizeDerivationPath(path)
    return this.device.exclusive(async (s) => {
      const { address } = await s.once('show-address', (eth) => eth.getAddress(p, true, false))
      const checksummed = getAddress(address)
      if (expected !== undefined && !isAddressEqual(checksummed, expected)) throw new SignerAddressMismatchError(getAddress(expected), checksummed)
      return { address: checksummed, shownOnDevice: true }
    }, asAbortSignal(signal))
  }

  describeDisplay(request: Parameters<Signer['describeDisplay']>[0]): DeviceDisplay {
    return describeDeviceDisplay(request)
  }

  signTransaction({ path, request, expectedFrom, signal }: SignTransactionParameters): Promise<SignedTx> {
    const p = normalizeDerivationPath(path)
    const tx = unsignedTxRequestSchema.parse(request)
    return this.device.exclusive(async (s) => {
      const app = await this.appInfo(s)
      // Say so before the device shows anything: the app would refuse a tx with calldata after the user reviews it.
      if (tx.data !== '0x' && !app.blindSigningEnabled) throw new LedgerBlindSigningDisabledError()
      const from = expectedFrom ?? (await this.addressAt(s, p))
      const unsigned = serializeUnsignedTx(tx)
      const { v, r, s: sigS } = await s.once('sign-transaction', (eth) => eth.signTransaction(p, unsigned.slice(2), null))
      // hw-app-eth rebuilds the full v from the device's one byte (utils getV): EIP-155 v for legacy, yParity for typed.
      const vBig = BigInt(`0x${v}`)
      const parity = tx.type === 'legacy' ? vBig - BigInt(tx.chainId) * 2n - 35n : vBig
      if (parity !== 0n && parity !== 1n) throw new SignerAddressMismatchError(from, `an invalid signature (v=${vBig})`)
      return assembleSignedTx({ request: tx, r: `0x${r}`, s: `0x${sigS}`, yParity: Number(parity) as 0 | 1, expectedFrom: from })
    }, asAbortSignal(signal))
  }

  signPersonalMessage({ path, message, signal }: SignPersonalMessageParameters): Promise<SignPersonalMessageReturnType> {
    const p = normalizeDerivationPath(path)
    const bytes = typeof message === 'string' ? stringToBytes(message) : hexBytes(message.raw)
    return this.device.exclusive(async (s) => {
      const address = await this.addressAt(s, p)
      const { v, r, s: sigS } = await s.once('sign-message', (eth) => eth.signPersonalMessage(p, bytesToHex(bytes).slice(2)))
      const signature = `0x${r}${sigS}${v.toString(16).padStart(2, '0')}` as Hex
      const recovered = await recoverMessageAddress({ message: { raw: bytes }, signature })
      if (!isAddressEqual(recovered, address)) throw new SignerAddressMismatchError(address, recovered)
      return { address, signature }
    }, asAbortSignal(signal))
  }

  close(): Promise<void> {
    return this.device.close()
  }

  private async appInfo(s: LedgerSession): Promise<LedgerAppInfo> {
    const config = await s.idempotent('get-configuration', (eth) => eth.getAppConfiguration())
    if (compareVersions(config.version, this.minAppVersion) < 0) throw new LedgerAppOutdatedError(config.version, this.minAppVersion)
    return { version: config.version, blindSigningEnabled: config.arbitraryDataEnabled !== 0 }
  }

  private async addressAt(s: LedgerSession, path: string): Promise<Address> {
    const { address } = await s.idempotent('get-address', (eth) => eth.getAddress(path, false, false))
    return getAddress(address)
  }
}

/** Numeric x.y.z comparison; a malformed version sorts lowest (treated as too old). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => (/^\d+\.\d+\.\d+/.test(v) ? v.split('.').slice(0, 3).map(Number) : [-1, -1, -1])
  const [x, y] = [parse(a), parse(b)]
  for (let i = 0; i < 3; i++) if (x[i]! !== y[i]!) return x[i]! - y[i]!
  return 0
}

function hexBytes(hex: Hex): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) throw new RangeError('Message must be 0x-prefixed hex bytes')
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}

function asAbortSignal(signal: { aborted: boolean } | undefined): AbortSignal | undefined {
  return signal instanceof AbortSignal ? signal : undefined
}
