/**
 * Outbox.executeTransaction: pay out an L2→L1 send on L1 with its Merkle proof (notes §3.3). The proof must already
 * have been verified locally against a confirmed send root (verifySendProof); this builder re-checks it so an
 * unverified proof can never become a request.
 */
import { encodeFunctionData, type Hex } from 'viem'
import { outboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Outbox'
import type { ArbitrumNetwork } from '../network'
import { calculateSendHash, type L2ToL1Send } from '../proof/calculateSendHash'
import { verifySendProof } from '../proof/calculateMerkleRoot'
import type { L1Call } from './l1Call'

export interface BuildExecuteTransactionTxParameters {
  network: ArbitrumNetwork
  send: L2ToL1Send
  /** The send's position (L2ToL1Tx `position`). */
  index: bigint
  proof: readonly Hex[]
  /** The confirmed send root the proof leads to (from AssertionConfirmed on L1). */
  confirmedSendRoot: Hex
}

export function buildExecuteTransactionTx(params: BuildExecuteTransactionTxParameters): L1Call {
  const { send, index, proof } = params
  verifySendProof({ proof, index, sendHash: calculateSendHash(send), expectedRoot: params.confirmedSendRoot })
  return {
    chainId: params.network.l1ChainId,
    to: params.network.contracts.outbox,
    data: encodeFunctionData({
      abi: outboxAbi,
      functionName: 'executeTransaction',
      args: [[...proof], index, send.l2Sender, send.to, send.l2Block, send.l1Block, send.l2Timestamp, send.value, send.data],
    }),
    value: 0n,
    description: `Execute withdrawal #${index} of ${send.value} wei to ${send.to} on the ${params.network.name} Outbox.`,
  }
}
