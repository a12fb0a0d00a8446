/**
 * Turn an L1Call into an UnsignedTxRequest from live L1 data: the sender's pending nonce, a gas limit from
 * eth_estimateGas with 30% headroom, and EIP-1559 fees of 2× the latest base fee plus a 1 gwei tip (the broadcaster
 * proposes a consented bump if that is not enough). eth_estimateGas also surfaces a revert before anything is signed.
 */
import type { Address, PublicClient } from 'viem'
import { toUnsignedL1Request, type L1Call } from '../../../shared/signing/l1Call'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'

export const L1_PRIORITY_FEE = 1_000_000_000n

export async function prepareL1Request(client: Pick<PublicClient, 'getTransactionCount' | 'estimateGas' | 'getBlock'>, call: L1Call, from: Address): Promise<UnsignedTxRequest> {
  const [nonce, estimate, block] = await Promise.all([
    client.getTransactionCount({ address: from, blockTag: 'pending' }),
    client.estimateGas({ account: from, to: call.to, data: call.data, value: call.value }),
    client.getBlock({ blockTag: 'latest' }),
  ])
  const baseFee = block.baseFeePerGas ?? 1_000_000_000n
  return toUnsignedL1Request(call, {
    nonce,
    gas: (estimate * 13n) / 10n,
    maxFeePerGas: baseFee * 2n + L1_PRIORITY_FEE,
    maxPriorityFeePerGas: L1_PRIORITY_FEE,
  })
}
