/**
 * Live parameters of an Arbitrum chain, read from L1 — never from a config file — and the wiring check: every
 * contract address of the network description must be the one the Bridge itself points to (a wrong or malicious
 * config file must not send the user's transaction to a look-alike contract).
 */
import { getAddress, type Address, type Hex } from 'viem'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { rollupUserLogicAbi } from '../../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { EscapeError } from '../../../errors/EscapeError'
import { ArbNetworkConfigError } from '../errors'
import type { ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'

export interface DelayBuffer {
  bufferBlocks: bigint
  max: bigint
  threshold: bigint
  prevBlockNumber: bigint
  replenishRateInBasis: bigint
  prevSequencedBlockNumber: bigint
}

export interface ArbitrumParameters {
  /** L1 block at which these were read. */
  l1BlockNumber: bigint
  delayBlocks: bigint
  futureBlocks: bigint
  delaySeconds: bigint
  futureSeconds: bigint
  isDelayBufferable: boolean
  buffer: DelayBuffer | undefined
  totalDelayedMessagesRead: bigint
  delayedMessageCount: bigint
  batchCount: bigint
  confirmPeriodBlocks: bigint
  challengeGracePeriodBlocks: bigint
  validatorWhitelistDisabled: boolean
  latestConfirmedAssertion: Hex
  maxDataSize: bigint
}

export async function checkArbitrumWiring(client: ArbL1Client, network: ArbitrumNetwork): Promise<void> {
  const c = network.contracts
  const chainId = await client.getChainId()
  if (chainId !== network.l1ChainId) {
    throw new ArbNetworkConfigError(`The L1 RPC is on chain ${chainId}, but ${network.name} settles on chain ${network.l1ChainId}.`, {
      steps: ['Use an L1 RPC endpoint for the right chain.'],
    })
  }
  const read = <T>(address: Address, abi: typeof bridgeAbi | typeof sequencerInboxAbi | typeof inboxAbi | typeof rollupUserLogicAbi, functionName: string, args: unknown[] = []) =>
    client.readContract({ address, abi, functionName, args } as never) as Promise<T>
  let answers: [Address, Address, boolean, boolean, Address, Address, Address]
  try {
    answers = await Promise.all([
      read<Address>(c.bridge, bridgeAbi, 'rollup'),
      read<Address>(c.bridge, bridgeAbi, 'sequencerInbox'),
      read<boolean>(c.bridge, bridgeAbi, 'allowedDelayedInboxes', [c.inbox]),
      read<boolean>(c.bridge, bridgeAbi, 'allowedOutboxes', [c.outbox]),
      read<Address>(c.sequencerInbox, sequencerInboxAbi, 'bridge'),
      read<Address>(c.inbox, inboxAbi, 'bridge'),
      read<Address>(c.rollup, rollupUserLogicAbi, 'outbox'),
    ])
  } catch (error) {
    // The L1 gateway's own verdicts (endpoints disagree, an endpoint is down or lying) are not a config problem.
    if (error instanceof EscapeError) throw error
    throw new ArbNetworkConfigError(`The ${network.name} contracts do not answer as Arbitrum contracts on this L1.`, {
      cause: error,
      steps: ['Check the network config (addresses) and that the L1 RPC is on the right chain and synced.'],
    })
  }
  const [rollup, sequencerInbox, inboxAllowed, outboxAllowed, seqInboxBridge, inboxBridge, rollupOutbox] = answers
  const problems: string[] = []
  const same = (a: Address, b: Address) => getAddress(a) === getAddress(b)
  if (!same(rollup, c.rollup)) problems.push(`Bridge.rollup() is ${rollup}, config says ${c.rollup}`)
  if (!same(sequencerInbox, c.sequencerInbox)) problems.push(`Bridge.sequencerInbox() is ${sequencerInbox}, config says ${c.sequencerInbox}`)
  if (!inboxAllowed) problems.push(`${c.inbox} is not an allowed delayed inbox of the Bridge`)
  if (!outboxAllowed) problems.push(`${c.outbox} is not an allowed outbox of the Bridge`)
  if (!same(seqInboxBridge, c.bridge)) problems.push(`SequencerInbox.bridge() is ${seqInboxBridge}`)
  if (!same(inboxBridge, c.bridge)) problems.push(`Inbox.bridge() is ${inboxBridge}`)
  if (!same(rollupOutbox, c.outbox)) problems.push(`Rollup.outbox() is ${rollupOutbox}, config says ${c.outbox}`)
  if (problems.length > 0) {
    throw new ArbNetworkConfigError(`The ${network.name} contract addresses do not match what the Bridge on L1 says.`, {
      details: problems.join('; '),
      steps: ['Do not use this network description. Check the addresses against the chain’s official documentation.'],
    })
  }
}

export async function readArbitrumParameters(client: ArbL1Client, network: ArbitrumNetwork): Promise<ArbitrumParameters> {
  const c = network.contracts
  const l1BlockNumber = await client.getBlockNumber()
  const at = { blockNumber: l1BlockNumber }
  const seq = <T>(functionName: string) => client.readContract({ address: c.sequencerInbox, abi: sequencerInboxAbi, functionName, ...at } as never) as Promise<T>
  const rollup = <T>(functionName: string) => client.readContract({ address: c.rollup, abi: rollupUserLogicAbi, functionName, ...at } as never) as Promise<T>
  const [mtv, isDelayBufferable, total, delayedCount, batchCount, confirmPeriodBlocks, grace, whitelistDisabled, latestConfirmed, maxDataSize] = await Promise.all([
    seq<readonly [bigint, bigint, bigint, bigint]>('maxTimeVariation'),
    seq<boolean>('isDelayBufferable'),
    seq<bigint>('totalDelayedMessagesRead'),
    client.readContract({ address: c.bridge, abi: bridgeAbi, functionName: 'delayedMessageCount', ...at }),
    seq<bigint>('batchCount'),
    rollup<bigint>('confirmPeriodBlocks'),
    rollup<bigint>('challengeGracePeriodBlocks'),
    rollup<boolean>('validatorWhitelistDisabled'),
    rollup<Hex>('latestConfirmed'),
    client.readContract({ address: c.inbox, abi: inboxAbi, functionName: 'maxDataSize', ...at }),
  ])
  let buffer: DelayBuffer | undefined
  if (isDelayBufferable) {
    const b = await seq<readonly [bigint, bigint, bigint, bigint, bigint, bigint]>('buffer')
    buffer = { bufferBlocks: b[0], max: b[1], threshold: b[2], prevBlockNumber: b[3], replenishRateInBasis: b[4], prevSequencedBlockNumber: b[5] }
  }
  return {
    l1BlockNumber,
    delayBlocks: mtv[0],
    futureBlocks: mtv[1],
    delaySeconds: mtv[2],
    futureSeconds: mtv[3],
    isDelayBufferable,
    buffer,
    totalDelayedMessagesRead: total,
    delayedMessageCount: delayedCount,
    batchCount,
    confirmPeriodBlocks,
    challengeGracePeriodBlocks: grace,
    validatorWhitelistDisabled: whitelistDisabled,
    latestConfirmedAssertion: latestConfirmed,
    maxDataSize,
  }
}
