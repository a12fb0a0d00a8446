/**
 * One row of `npm run bench`. Each area has a file bench/<area>.bench.ts whose default export returns rows;
 * bench/run.ts discovers the files, prints one table and writes bench/results/latest.json.
 */
export interface BenchRow {
  /** e.g. 'span-batch channel decode (real OP Mainnet channel)'. */
  name: string
  value: number
  /** e.g. 'ms', 'x', 'MB', 'ops/s'. */
  unit: string
  /** The target from the issue, as text, e.g. '≤ 2× bare brotli'. */
  goal?: string
  /** Whether the goal is met, when it is measurable. */
  met?: boolean
  note?: string
}

export type BenchFn = () => Promise<BenchRow[]>
