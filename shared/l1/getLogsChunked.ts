/**
 * Scan logs in chunks (both stacks use it) (public RPCs cap eth_getLogs ranges); halves the chunk when an endpoint refuses a range.
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
