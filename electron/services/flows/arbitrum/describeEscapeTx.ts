/**
 * What a transaction of the Arbitrum escape does, in words, for the air-gapped file (its `intent`) and for the plan.
 * Decoded from the request's bytes by the one describer (shared/signing/describeTxBytes), which the offline signer
 * runs again on the same bytes and compares with this intent before signing.
 */
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { arbitrumSigningContext } from '../../../../shared/networks/signingContext'
import { describeTxBytes, txIntentOf } from '../../../../shared/signing/describeTxBytes'
import type { TxIntent } from '../../../../shared/signing/txFile'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'

export function describeEscapeTx(request: UnsignedTxRequest, network: ArbitrumNetwork): TxIntent {
  const description = describeTxBytes(request, arbitrumSigningContext(network))
  const note = description.action === 'ArbSys.withdrawEth' && request.chainId === network.l2ChainId ? '(Signed for L2, NOT broadcast on L2: it travels through the L1 delayed inbox.)' : undefined
  return txIntentOf(description, note)
}
