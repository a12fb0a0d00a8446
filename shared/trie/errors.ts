import { EscapeError, registerErrorClass } from '../errors/EscapeError'

/** What exactly is wrong with a Merkle proof; tests and callers branch on this, never on message text. */
export type TrieProofProblem =
  | 'empty-proof'
  | 'root-mismatch'
  | 'node-hash-mismatch'
  | 'embedded-node-mismatch'
  | 'bad-rlp'
  | 'bad-node-shape'
  | 'bad-path-encoding'
  | 'missing-node'
  | 'unused-nodes'
  | 'empty-value'
  | 'too-large'

/** A Merkle-Patricia proof that does not prove anything: it is malformed or does not lead back to the root. */
export class TrieProofError extends EscapeError {
  override name = 'TrieProofError'
  readonly problem: TrieProofProblem
  /** Index of the offending proof element, when one is to blame. */
  readonly nodeIndex: number | undefined

  constructor(problem: TrieProofProblem, details: string, nodeIndex?: number, cause?: unknown) {
    super('A Merkle proof did not check out.', {
      kind: 'critical',
      steps: [
        'Do not use this proof: the data source that produced it gave inconsistent data.',
        'Fetch the proof again from another source, or rebuild it from L1 data.',
      ],
      details: `${problem}${nodeIndex === undefined ? '' : ` at proof element ${nodeIndex}`}: ${details}`,
      cause,
    })
    this.problem = problem
    this.nodeIndex = nodeIndex
  }
}
registerErrorClass('TrieProofError', TrieProofError)

export type TrieInputProblem = 'duplicate-key' | 'empty-value' | 'unknown-proof-key'

/** The key/value set handed to the trie builder is not a valid trie content (a bug in the caller's data). */
export class TrieInputError extends EscapeError {
  override name = 'TrieInputError'
  readonly problem: TrieInputProblem

  constructor(problem: TrieInputProblem, details: string) {
    super('The data for a Merkle trie is not valid.', {
      kind: 'critical',
      steps: ['This is a bug or corrupted input: report it with the details below.'],
      details: `${problem}: ${details}`,
    })
    this.problem = problem
  }
}
registerErrorClass('TrieInputError', TrieInputError)
