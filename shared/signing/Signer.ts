/**
 * The Signer port: one adapter per signer family (Ledger over USB, the software Ledger used for drills and tests,
 * the devnet drill key, air-gapped files). Builders produce an UnsignedTxRequest; a Signer turns it into a
 * SignedTx; the broadcaster journals and sends it. Signers never send anything themselves.
 */
import type { Address, Hex } from 'viem'
import type { DerivationPath } from './derivationPaths'
import type { SignerKind, SignerCapabilities } from './capabilities'
import type { DeviceDisplay } from './describeDeviceDisplay'
import type { UnsignedTxRequest } from './unsignedTxRequest'

/** The part of AbortSignal a signer needs (shared/ has no DOM or Node types; a real AbortSignal fits). */
export interface CancelSignal {
  readonly aborted: boolean
  readonly reason?: unknown
}

export interface SignerAccount {
  path: DerivationPath
  address: Address
}

export interface TxSignature {
  r: Hex
  s: Hex
  yParity: 0 | 1
  /** EIP-155 v for legacy (chainId*2+35+yParity), yParity for typed transactions. */
  v: bigint
}

export interface SignedTx {
  /** The signed transaction, ready for eth_sendRawTransaction. */
  raw: Hex
  /** keccak256(raw): the transaction hash on chain. */
  hash: Hex
  /** The address the signature recovers to (checked against the signer's account before returning). */
  from: Address
  signature: TxSignature
}

export interface ListAccountsParameters {
  paths: readonly DerivationPath[]
  signal?: CancelSignal
}

export interface ShowAddressParameters {
  path: DerivationPath
  /** The address the app expects; the signer throws if the device derives another. */
  expected?: Address
  signal?: CancelSignal
}

export interface ShowAddressReturnType {
  address: Address
  /** True when the user confirmed the address on the device's screen (false for signers without a screen). */
  shownOnDevice: boolean
}

export interface SignTransactionParameters {
  path: DerivationPath
  request: UnsignedTxRequest
  /** When given, the signer refuses to return a signature that recovers to another address. */
  expectedFrom?: Address
  signal?: CancelSignal
}

export interface SignPersonalMessageParameters {
  path: DerivationPath
  /** UTF-8 text, or raw bytes as hex. */
  message: string | { raw: Hex }
  signal?: CancelSignal
}

export interface SignPersonalMessageReturnType {
  address: Address
  /** 65 bytes r || s || v (v = 27 | 28), as eth_sign / personal_sign return it. */
  signature: Hex
}

export interface Signer {
  readonly kind: SignerKind
  readonly capabilities: SignerCapabilities
  /** Derive the addresses for these paths (no confirmation on the device). */
  listAccounts(params: ListAccountsParameters): Promise<SignerAccount[]>
  /** Show the address on the device so the user can compare it with the app's (Ledger); derive it otherwise. */
  showAddress(params: ShowAddressParameters): Promise<ShowAddressReturnType>
  /** What the user will see on the device for this request, so the UI can ask them to compare (blind signing). */
  describeDisplay(request: UnsignedTxRequest): DeviceDisplay
  signTransaction(params: SignTransactionParameters): Promise<SignedTx>
  signPersonalMessage(params: SignPersonalMessageParameters): Promise<SignPersonalMessageReturnType>
  /** Release the device or key material. The signer is unusable afterwards. */
  close(): Promise<void>
}
