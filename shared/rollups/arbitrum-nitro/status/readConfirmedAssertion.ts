/**
 * The latest confirmed BoLD assertion and the state it commits to (notes §3.4): AssertionConfirmed(assertionHash,
 * blockHash, sendRoot). Only a confirmed sendRoot is written to the Outbox, so it is the root withdrawals are proven
 * against.
 */
import type { Hex } from 'viem'
import { rollupUserLogicAbi } from '../../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { getLogsChunked, type ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'

export interface ConfirmedAssertion {
  assertionHash: Hex
  l2BlockHash: Hex
  sendRoot: Hex
  /** L1 block of the AssertionConfirmed log; undefined for the genesis assertion (confirmed at initialisation). */
  confirmedAtL1Block: bigint | undefined
}

const assertionConfirmedEvent = rollupUserLogicAbi.find((i) => i.type === 'event' && i.name === 'AssertionConfirmed') as Extract<
  (typeof rollupUserLogicAbi)[number],
  { type: 'event'; name: 'AssertionConfirmed' }
>

export const ZERO_ROOT: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000'

export async function readLatestConfirmedAssertion(client: ArbL1Client, network: ArbitrumNetwork, atBlock?: bigint): Promise<ConfirmedAssertion> {
  const head = atBlock ?? (await client.getBlockNumber())
  const assertionHash = await client.readContract({ address: network.contracts.rollup, abi: rollupUserLogicAbi, functionName: 'latestConfirmed', blockNumber: head })
  const node = await client.readContract({ address: network.contracts.rollup, abi: rollupUserLogicAbi, functionName: 'getAssertion', args: [assertionHash], blockNumber: head })
  const logs = await getLogsChunked(
    (f, t) => client.getLogs({ address: network.contracts.rollup, event: assertionConfirmedEvent, args: { assertionHash }, fromBlock: f, toBlock: t }),
    node.createdAtBlock,
    head,
  )
  const log = logs[0]
  if (!log) return { assertionHash, l2BlockHash: ZERO_ROOT, sendRoot: ZERO_ROOT, confirmedAtL1Block: undefined }
  return { assertionHash, l2BlockHash: log.args.blockHash as Hex, sendRoot: log.args.sendRoot as Hex, confirmedAtL1Block: log.blockNumber as bigint }
}
