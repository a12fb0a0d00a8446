/**
 * Which assertion posted on L1 (after the latest confirmed one) covers an L2 block, to date a withdrawal's
 * confirmation (notes §3.4): AssertionCreated logs are L1 facts; the L2 block number of each assertion's block hash
 * is asked of the L2 node. That answer is untrusted and used only for the date: the withdrawal's stage still comes
 * from its proof against the confirmed send root.
 */
import { BaseError, BlockNotFoundError, type Hex } from 'viem'
import { rollupUserLogicAbi } from '../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { getLogsChunked, type ArbL1Client, type ArbL2Client } from './l1Client'
import type { ArbitrumNetwork } from './network'

const assertionCreatedEvent = rollupUserLogicAbi.find((i) => i.type === 'event' && i.name === 'AssertionCreated') as Extract<
  (typeof rollupUserLogicAbi)[number],
  { type: 'event'; name: 'AssertionCreated' }
>

/** At most this many pending assertions are looked up on the L2 node (one header each). */
const MAX_PENDING_ASSERTIONS = 64

export async function findCoveringAssertion(p: {
  l1: ArbL1Client
  l2: Pick<ArbL2Client, 'getBlock'>
  network: ArbitrumNetwork
  l2Block: bigint
  /** The latest confirmed assertion: pending ones are created after it. */
  confirmed: Hex
  head: bigint
}): Promise<{ assertionHash: Hex; createdAtBlock: bigint } | undefined> {
  const node = await p.l1.readContract({ address: p.network.contracts.rollup, abi: rollupUserLogicAbi, functionName: 'getAssertion', args: [p.confirmed], blockNumber: p.head })
  const logs = await getLogsChunked(
    (f, t) => p.l1.getLogs({ address: p.network.contracts.rollup, event: assertionCreatedEvent, fromBlock: f, toBlock: t }),
    node.createdAtBlock,
    p.head,
  )
  const pending = logs
    .filter((l) => l.args.assertionHash && l.args.assertionHash.toLowerCase() !== p.confirmed.toLowerCase() && l.blockNumber !== null)
    .sort((a, b) => (a.blockNumber! < b.blockNumber! ? -1 : a.blockNumber! > b.blockNumber! ? 1 : 0))
    .slice(0, MAX_PENDING_ASSERTIONS)
  for (const log of pending) {
    const blockHash = log.args.assertion?.afterState.globalState.bytes32Vals[0]
    if (!blockHash) continue
    let number: bigint
    try {
      number = (await p.l2.getBlock({ blockHash })).number
    } catch (error) {
      if (error instanceof BaseError && error.walk((e) => e instanceof BlockNotFoundError)) continue
      throw error
    }
    if (number >= p.l2Block) return { assertionHash: log.args.assertionHash as Hex, createdAtBlock: log.blockNumber as bigint }
  }
  return undefined
}
