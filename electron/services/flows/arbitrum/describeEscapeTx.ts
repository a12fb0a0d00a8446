/**
 * What a transaction of the Arbitrum escape does, in words, for the air-gapped file (its `intent`, shown on the
 * offline machine before signing) and for the plan. Decoded from the request itself with the ABIs, so the
 * description can only be of the bytes that will be signed.
 */
import { decodeFunctionData, formatEther, getAddress, type Address } from 'viem'
import { arbSysAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbSys'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { outboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Outbox'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { ARB_SYS_ADDRESS } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import type { TxIntent } from '../../../../shared/signing/txFile'
import { maxFeeOf, type UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'

export function describeEscapeTx(request: UnsignedTxRequest, network: ArbitrumNetwork): TxIntent {
  const to = request.to ? getAddress(request.to) : undefined
  const chain = request.chainId === network.l2ChainId ? `${network.name} (L2, chain ${request.chainId})` : `L1 (chain ${request.chainId})`
  const common = [
    { label: 'Network', value: chain },
    { label: 'Nonce', value: String(request.nonce) },
    { label: 'Max fee', value: `${formatEther(maxFeeOf(request))} ETH` },
  ]
  const is = (a: Address) => to !== undefined && a.toLowerCase() === to.toLowerCase()
  try {
    if (request.chainId === network.l2ChainId && is(ARB_SYS_ADDRESS)) {
      const { args } = decodeFunctionData({ abi: arbSysAbi, data: request.data })
      return {
        summary: `Withdraw ${formatEther(request.value)} ETH from ${network.name} to ${String(args?.[0])} on L1 (signed for L2, NOT broadcast on L2: it travels through the L1 delayed inbox).`,
        action: 'ArbSys.withdrawEth',
        details: [{ label: 'Amount', value: `${formatEther(request.value)} ETH` }, { label: 'L1 destination', value: String(args?.[0]) }, ...common],
      }
    }
    if (request.chainId === network.l1ChainId && is(network.contracts.inbox)) {
      decodeFunctionData({ abi: inboxAbi, data: request.data })
      return {
        summary: `Put your signed ${network.name} withdrawal into the L1 delayed inbox (Inbox.sendL2Message); it moves no ETH on L1.`,
        action: 'Inbox.sendL2Message',
        details: [{ label: 'Inbox', value: network.contracts.inbox }, ...common],
      }
    }
    if (request.chainId === network.l1ChainId && is(network.contracts.sequencerInbox)) {
      const { args } = decodeFunctionData({ abi: sequencerInboxAbi, data: request.data })
      const upTo = typeof args?.[0] === 'bigint' ? args[0] - 1n : undefined
      return {
        summary: `Force ${network.name} to include delayed messages up to #${String(upTo)} (SequencerInbox.forceInclusion); it moves no ETH.`,
        action: 'SequencerInbox.forceInclusion',
        details: [{ label: 'SequencerInbox', value: network.contracts.sequencerInbox }, ...common],
      }
    }
    if (request.chainId === network.l1ChainId && is(network.contracts.outbox)) {
      const { args } = decodeFunctionData({ abi: outboxAbi, data: request.data })
      return {
        summary: `Execute your ${network.name} withdrawal #${String(args?.[1])}: ${formatEther(typeof args?.[7] === 'bigint' ? args[7] : 0n)} ETH to ${String(args?.[3])} on L1 (Outbox.executeTransaction).`,
        action: 'Outbox.executeTransaction',
        details: [{ label: 'Outbox', value: network.contracts.outbox }, { label: 'Recipient', value: String(args?.[3]) }, ...common],
      }
    }
  } catch {
    // Not decodable with the expected ABI: described generically below, so nothing misleading is shown.
  }
  return { summary: `A transaction to ${to ?? '(contract creation)'} on ${chain} with ${formatEther(request.value)} ETH.`, details: common }
}
