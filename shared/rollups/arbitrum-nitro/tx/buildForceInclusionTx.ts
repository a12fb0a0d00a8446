/**
 * SequencerInbox.forceInclusion for the last eligible delayed message (notes §1.3). The caller passes the fields of
 * the message at index `_totalDelayedMessagesRead - 1`; every earlier unread message is included with it. Anyone may
 * call it once `message.l1BlockNumber + delay < block.number` (the contract's off-by-one: at block = deadline it still
 * reverts with ForceIncludeBlockTooSoon).
 */
import { encodeFunctionData } from 'viem'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import type { DelayedInboxMessage } from '../derive/delayedMessage'
import type { ArbitrumNetwork } from '../network'
import type { L1Call } from './l1Call'

export function buildForceInclusionTx(params: { network: ArbitrumNetwork; message: Omit<DelayedInboxMessage, 'data'> }): L1Call {
  const m = params.message
  return {
    chainId: params.network.l1ChainId,
    to: params.network.contracts.sequencerInbox,
    data: encodeFunctionData({
      abi: sequencerInboxAbi,
      functionName: 'forceInclusion',
      args: [m.index + 1n, m.kind, [m.l1BlockNumber, m.timestamp], m.baseFeeL1, m.sender, m.messageDataHash],
    }),
    value: 0n,
    description: `Force the ${params.network.name} sequencer to include delayed messages up to #${m.index} (SequencerInbox.forceInclusion).`,
  }
}
