/**
 * The drill key: a software key from a mnemonic, for devnet drills only. It refuses every chain id except the
 * devnet's unless the caller passes `allowAnyChain` (the CLI's --allow-any-chain), so a drill key can never
 * silently sign for a network where money is real.
 */
import { parseSignature, type Address } from 'viem'
import { mnemonicToAccount, type HDAccount } from 'viem/accounts'
import { assembleSignedTx } from '../../../../shared/signing/assembleSignedTx'
import { signerCapabilities } from '../../../../shared/signing/capabilities'
import { normalizeDerivationPath } from '../../../../shared/signing/derivationPaths'
import { describeDeviceDisplay, type DeviceDisplay } from '../../../../shared/signing/describeDeviceDisplay'
import { DrillKeyChainRefusedError, SignerAddressMismatchError } from '../../../../shared/signing/errors'
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
import { signingHashOf, unsignedTxRequestSchema, type UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'

/** anvil's and hardhat's well-known mnemonic: the devnet funds its accounts. */
export const DRILL_MNEMONIC = 'test test test test test test test test test test test junk'

export interface DrillKeySignerOptions {
  /** The devnet's chain id: the only one signed for without `allowAnyChain`. */
  devnetChainId: number
  mnemonic?: string
  /** Explicit override for throwaway test networks. Never set by default anywhere. */
  allowAnyChain?: boolean
}

export class DrillKeySigner implements Signer {
  readonly kind = 'drill-key' as const
  readonly capabilities = signerCapabilities['drill-key']
  private readonly mnemonic: string
  private readonly accounts = new Map<string, HDAccount>()
  private closed = false

  constructor(private readonly options: DrillKeySignerOptions) {
    if (!Number.isSafeInteger(options.devnetChainId) || options.devnetChainId <= 0) throw new RangeError(`Bad devnet chain id ${options.devnetChainId}`)
    this.mnemonic = options.mnemonic ?? DRILL_MNEMONIC
  }

  async listAccounts({ paths }: ListAccountsParameters): Promise<SignerAccount[]> {
    return paths.map((p) => {
      const path = normalizeDerivationPath(p)
      return { path, address: this.account(path).address }
    })
  }

  async showAddress({ path, expected }: ShowAddressParameters): Promise<ShowAddressReturnType> {
    const address = this.account(normalizeDerivationPath(path)).address
    if (expected !== undefined && expected.toLowerCase() !== address.toLowerCase()) throw new SignerAddressMismatchError(expected, address)
    return { address, shownOnDevice: false }
  }

  describeDisplay(request: UnsignedTxRequest): DeviceDisplay {
    return describeDeviceDisplay(request)
  }

  async signTransaction({ path, request, expectedFrom }: SignTransactionParameters): Promise<SignedTx> {
    const tx = unsignedTxRequestSchema.parse(request)
    if (tx.chainId !== this.options.devnetChainId && !this.options.allowAnyChain) throw new DrillKeyChainRefusedError(tx.chainId, this.options.devnetChainId)
    const account = this.account(normalizeDerivationPath(path))
    const { r, s, yParity } = parseSignature(await account.sign({ hash: signingHashOf(tx) }))
    return assembleSignedTx({ request: tx, r, s, yParity: (yParity ?? 0) as 0 | 1, expectedFrom: expectedFrom ?? account.address })
  }

  async signPersonalMessage({ path, message }: SignPersonalMessageParameters): Promise<SignPersonalMessageReturnType> {
    const account = this.account(normalizeDerivationPath(path))
    return { address: account.address, signature: await account.signMessage({ message }) }
  }

  async close(): Promise<void> {
    this.closed = true
    this.accounts.clear()
  }

  /** The address at a path, without signing anything. */
  addressAt(path: string): Address {
    return this.account(normalizeDerivationPath(path)).address
  }

  private account(path: string): HDAccount {
    if (this.closed) throw new Error('DrillKeySigner is closed')
    let account = this.accounts.get(path)
    if (!account) {
      account = mnemonicToAccount(this.mnemonic, { path: `m/${path}` as `m/44'/60'/${string}` })
      this.accounts.set(path, account)
    }
    return account
  }
}
