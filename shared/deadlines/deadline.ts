/**
 * The deadline engine's values (DESIGN.md "deadlines/"): a date with what it was computed from, and the one next
 * action with its earliest date. Dates are plain UTC instants; local time and UTC text are formatted at the edge
 * (CLI, app), never here.
 */

export interface Deadline {
  /** The instant (UTC). */
  at: Date
  /** What it was computed from, in plain words (the rule, the on-chain values, the block time used). */
  basis: string
  /** true when it rests on an estimated L1 block time (a block-number rule); false for a timestamp rule. */
  estimate: boolean
}

/** One thing to do next, and from when. `ready` means it can be done now (its earliest date has come on L1). */
export interface NextAction<Kind extends string = string> {
  kind: Kind
  /** Plain words: what to do, or what is being waited for. */
  description: string
  /** Who acts: the user, anyone (a permissionless call), or a third party the user waits for. */
  by: 'you' | 'anyone' | 'sequencer' | 'validator'
  earliest: Deadline
  ready: boolean
}

/** The L1 clock dates are computed from: a head header and the block time measured from L1 headers. */
export interface L1Clock {
  head: { number: bigint; timestamp: bigint }
  /** The measured span: `seconds` of L1 time over `blocks` blocks ((t_b − t_a)/(b − a) = seconds / blocks). */
  span: { blocks: bigint; seconds: bigint }
  /** false when there was nothing to measure and the fallback block time was used (said in `basis`). */
  measured: boolean
  /** e.g. "L1 block time 12.06 s, measured over blocks 21000000..21007200". */
  basis: string
}
