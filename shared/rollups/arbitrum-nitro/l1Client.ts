/**
 * The L1 and L2 read ports: the part of a viem PublicClient this module uses. The Node side passes a real client
 * (electron/services, with the user's endpoints); tests pass a client on the devnet's anvil. L1 answers are trusted
 * only as far as the user's L1 endpoints are (DESIGN.md); L2 answers are never trusted on their own.
 */
import type { PublicClient } from 'viem'

export type ArbL1Client = Pick<
  PublicClient,
  'readContract' | 'getLogs' | 'getBlockNumber' | 'getBlock' | 'getTransaction' | 'getTransactionReceipt' | 'getChainId'
>

/** `call` is only for NodeInterface (0xc8) reads, whose answers are verified against L1 (readNodeInterfaceProof). */
export type ArbL2Client = Pick<PublicClient, 'getLogs' | 'getBlockNumber' | 'getChainId' | 'getTransactionCount' | 'getBalance' | 'getTransactionReceipt' | 'getBlock' | 'call'>

/**
 * Scan logs in chunks (public RPCs cap eth_getLogs ranges); halves the chunk when an endpoint refuses a range.
 * `onChunk` is told after each chunk how far the scan got and how many logs it has (for a progress message).
 */
export async function getLogsChunked<T>(
  fetch: (fromBlock: bigint, toBlock: bigint) => Promise<T[]>,
  fromBlock: bigint,
  toBlock: bigint,
  initialChunk = 10_000n,
  onChunk?: (progress: { throughBlock: bigint; found: number }) => void,
): Promise<T[]> {
  const out: T[] = []
  let chunk = initialChunk
  for (let start = fromBlock; start <= toBlock; ) {
    const end = start + chunk - 1n < toBlock ? start + chunk - 1n : toBlock
    let logs: T[]
    try {
      logs = await fetch(start, end)
    } catch (error) {
      if (chunk <= 1n) throw error
      chunk /= 2n
      continue
    }
    out.push(...logs)
    start = end + 1n
    onChunk?.({ throughBlock: end, found: out.length })
  }
  return out
}
