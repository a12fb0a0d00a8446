/**
 * Test support: a Signer that records every request it is asked to sign (before passing it to the real signer, or
 * refusing it), so a test proves "nothing was signed" — not merely "nothing reached L1" — when a check refuses data.
 */
import { decodeFunctionData, type Abi, type Hex } from 'viem'
import type { Signer, SignTransactionParameters } from '../../../../../shared/signing/Signer'

export interface SignedRequestRecord {
  to: Hex | undefined
  /** The 4-byte selector, or the decoded function name when `abi` knows it. */
  call: string
  nonce: number
}

export interface RecordingSigner {
  signer: Signer
  readonly requests: readonly SignedRequestRecord[]
}

export function recordingSigner(inner: Signer, abi?: Abi): RecordingSigner {
  const requests: SignedRequestRecord[] = []
  const name = (data: Hex | undefined): string => {
    if (!data || data === '0x') return 'transfer'
    if (abi) {
      try {
        return decodeFunctionData({ abi, data }).functionName
      } catch {
        // not in the ABI: the selector says enough
      }
    }
    return data.slice(0, 10)
  }
  const signer: Signer = {
    kind: inner.kind,
    capabilities: inner.capabilities,
    listAccounts: (p) => inner.listAccounts(p),
    showAddress: (p) => inner.showAddress(p),
    describeDisplay: (r) => inner.describeDisplay(r),
    async signTransaction(p: SignTransactionParameters) {
      const r = p.request
      requests.push({ to: r.to ?? undefined, call: name(r.data), nonce: r.nonce })
      return inner.signTransaction(p)
    },
    signPersonalMessage: (p) => inner.signPersonalMessage(p),
    close: () => inner.close(),
  }
  return { signer, requests }
}
