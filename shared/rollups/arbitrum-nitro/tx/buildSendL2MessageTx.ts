/**
 * Inbox.sendL2Message(0x04 ‖ signedTx): put the user's own signed L2 transaction into the delayed inbox (notes §1.1).
 * The L2 sender comes from the signature, so no aliasing applies. AbsInbox caps the message at maxDataSize.
 */
import { concatHex, encodeFunctionData, size, type Hex } from 'viem'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { ArbBatchFormatError } from '../errors'
import type { ArbitrumNetwork } from '../network'
import { L2MessageKind } from '../derive/parseL2Message'
import type { L1Call } from './l1Call'

/** AbsInbox maxDataSize on Ethereum (notes §1.1); the live value is read when known. */
export const DEFAULT_MAX_DATA_SIZE = 117_964

export function encodeSignedTxL2Message(signedL2Tx: Hex): Hex {
  return concatHex([`0x0${L2MessageKind.SignedTx}`, signedL2Tx])
}

export function buildSendL2MessageTx(params: { network: ArbitrumNetwork; signedL2Tx: Hex; maxDataSize?: number }): L1Call {
  const message = encodeSignedTxL2Message(params.signedL2Tx)
  const limit = params.maxDataSize ?? DEFAULT_MAX_DATA_SIZE
  if (size(message) > limit) {
    throw new ArbBatchFormatError(`The signed L2 transaction is too large for the delayed inbox (${size(message)} > ${limit} bytes).`, { kind: 'critical', steps: [] })
  }
  return {
    chainId: params.network.l1ChainId,
    to: params.network.contracts.inbox,
    data: encodeFunctionData({ abi: inboxAbi, functionName: 'sendL2Message', args: [message] }),
    value: 0n,
    description: `Put your signed ${params.network.name} transaction into the L1 delayed inbox (Inbox.sendL2Message).`,
  }
}
