/**
 * A bridge withdrawal (ERC-20, or ETH through the messenger) is an L2 message: the withdrawal's target is the
 * L1CrossDomainMessenger and its data is relayMessage(nonce, sender, target, value, minGasLimit, message), where
 * `target` is the L1StandardBridge and `message` its finalizeBridgeERC20/finalizeBridgeETH call. Finalizing on the
 * portal relays it; if that relay fails (e.g. out of gas), the messenger keeps it as failed and anyone can replay it
 * with the same relayMessage call sent to the messenger directly (value 0: the ETH is already held there).
 */
import { decodeFunctionData, encodeFunctionData, getAddress, type Address, type Hex } from 'viem'
import { l1CrossDomainMessengerAbi } from '../../../../contracts-abi/op-stack/L1CrossDomainMessenger'
import type { L1Call } from '../../../signing/l1Call'
import type { WithdrawalTransaction } from '../proof/withdrawalProof'

export interface RelayedMessage {
  nonce: bigint
  sender: Address
  target: Address
  value: bigint
  minGasLimit: bigint
  message: Hex
}

/** The messenger message inside a withdrawal to `l1CrossDomainMessenger`, or undefined when it is a plain withdrawal. */
export function decodeRelayedMessage(w: WithdrawalTransaction, l1CrossDomainMessenger: Address): RelayedMessage | undefined {
  if (getAddress(w.target) !== getAddress(l1CrossDomainMessenger)) return undefined
  try {
    const d = decodeFunctionData({ abi: l1CrossDomainMessengerAbi, data: w.data })
    if (d.functionName !== 'relayMessage') return undefined
    const [nonce, sender, target, value, minGasLimit, message] = d.args
    return { nonce, sender: getAddress(sender), target: getAddress(target), value, minGasLimit, message }
  } catch {
    return undefined
  }
}

export function buildReplayMessageTx(p: { l1ChainId: number; l1CrossDomainMessenger: Address; message: RelayedMessage }): L1Call {
  const m = p.message
  return {
    chainId: p.l1ChainId,
    to: getAddress(p.l1CrossDomainMessenger),
    data: encodeFunctionData({ abi: l1CrossDomainMessengerAbi, functionName: 'relayMessage', args: [m.nonce, m.sender, m.target, m.value, m.minGasLimit, m.message] }),
    value: 0n,
    description: `Replay the bridge message from ${m.sender} to ${m.target} on the L1CrossDomainMessenger (its first relay failed).`,
  }
}
