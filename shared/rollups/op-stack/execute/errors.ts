import { EscapeError, registerErrorClass } from '../../../errors/EscapeError'

/** What went wrong while building an L2 block; callers branch on this, never on message text. */
export type BlockExecutionProblem =
  | 'missing-witness-node'
  | 'invalid-witness-node'
  | 'invalid-transaction'
  | 'unsupported-transaction'
  | 'unsupported-fork'
  | 'invalid-block'
  | 'invalid-input'
  /** The EVM or trie failed in a way no block rule explains (a bug, or a missing capability such as KZG). */
  | 'execution-failed'

const STEPS: Record<BlockExecutionProblem, string[]> = {
  'missing-witness-node': [
    'The witness (state data) for this block is incomplete: fetch it again, or from another L2 node.',
    'Or rebuild the state from L1 instead of replaying from a witness.',
  ],
  'invalid-witness-node': ['The witness for this block is corrupted or forged: do not use this source; fetch it from another L2 node.'],
  'invalid-transaction': [
    'The block contains a transaction that cannot be valid at this point of the chain.',
    'Check that the block inputs come from L1 derivation and that the parent state is the right one.',
  ],
  'unsupported-transaction': ['This transaction type is not supported by the re-executor yet; use an L2 node checked against the output root.'],
  'unsupported-fork': ['This chain uses a fork the re-executor does not implement; update Escape Hatch or check the rollup config.'],
  'invalid-block': ['The block inputs break a block rule; check the rollup config and the parent header.'],
  'invalid-input': ['Check the file or data source that supplied the block inputs.'],
  'execution-failed': ['This is a bug or a missing capability of the re-executor: report it with the details; use an L2 node checked against the output root meanwhile.'],
}

/** A block that could not be executed, naming the block and the missing or invalid item. */
export class BlockExecutionError extends EscapeError {
  override name = 'BlockExecutionError'
  readonly problem: BlockExecutionProblem
  readonly blockNumber: bigint | undefined
  /** The offending item: a node hash, "tx 3 (0xabc…)", a fork name, a field name. */
  readonly item: string

  constructor(problem: BlockExecutionProblem, blockNumber: bigint | undefined, item: string, details: string, cause?: unknown) {
    const where = blockNumber === undefined ? 'an L2 block' : `L2 block ${blockNumber}`
    super(`Could not execute ${where}: ${describe(problem)} (${item}).`, {
      kind: 'critical',
      steps: STEPS[problem],
      details,
      cause,
    })
    this.problem = problem
    this.blockNumber = blockNumber
    this.item = item
  }
}
registerErrorClass('BlockExecutionError', BlockExecutionError)

function describe(problem: BlockExecutionProblem): string {
  switch (problem) {
    case 'missing-witness-node':
      return 'a state node is missing from the witness'
    case 'invalid-witness-node':
      return 'a witness entry does not hash to its key'
    case 'invalid-transaction':
      return 'a transaction is invalid'
    case 'unsupported-transaction':
      return 'a transaction type is not supported'
    case 'unsupported-fork':
      return 'the active fork is not supported'
    case 'invalid-block':
      return 'the block breaks a block rule'
    case 'invalid-input':
      return 'the block inputs are malformed'
    case 'execution-failed':
      return 'execution failed unexpectedly'
  }
}
