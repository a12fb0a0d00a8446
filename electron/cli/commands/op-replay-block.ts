/**
 * `escape-hatch op replay-block FILE [--json]`: re-executes one OP Stack L2 block statelessly from an
 * `op-executor-vector/v1` file (parent header, payload attributes, witness, rollup config) and prints the computed
 * block hash and state root, and whether they match the file's expected values. Exit code 0 only on a match.
 */
import { executeBlock } from '../../../shared/rollups/op-stack/execute/executeBlock'
import { parseExecutorVector } from '../../../shared/rollups/op-stack/execute/parseExecutorVector'
import { loadFastKeccak256 } from '../../../shared/trie/keccak'
import { createWitnessStore } from '../../../shared/rollups/op-stack/state/createWitnessStore'
import { createExecutionKzg } from '../../services/state/createExecutionKzg'
import { usageError, type Command } from '../command'
import { readJsonFile } from '../readJsonFile'

export const opReplayBlockCommand: Command = {
  path: ['op', 'replay-block'],
  summary: 'Re-execute one OP Stack L2 block from a witness file and check its block hash and state root.',
  args: 'FILE',
  description: [
    'FILE is an op-executor-vector/v1 JSON file: parent header, payload attributes, witness preimages and the rollup',
    'config (see the shared vectors README). Every witness entry is checked against its hash before use; a missing',
    'or forged node stops the replay with an error naming the block and the node. Exit code 0 only when the file',
    'has an expected block hash (and state root, when given) and the computed values match.',
  ].join('\n'),
  async run(ctx) {
    const file = ctx.positionals[0]
    if (!file) usageError('give the op-executor-vector/v1 FILE')
    const vector = parseExecutorVector(await readJsonFile(file, 'block'))
    const store = createWitnessStore({ blockNumber: vector.blockNumber, witness: vector.witness, keccak: await loadFastKeccak256() })
    ctx.progress(`replaying L2 block ${vector.blockNumber} (${vector.attributes.transactions.length} txs, ${store.size} witness entries)`)
    const started = Date.now()
    const result = await executeBlock({ config: vector.config, parent: vector.parent, attributes: vector.attributes, store, kzg: createExecutionKzg() })
    const blockHashMatches = vector.expectedBlockHash === undefined ? null : vector.expectedBlockHash === result.blockHash
    const stateRootMatches = vector.expectedStateRoot === undefined ? null : vector.expectedStateRoot === result.stateRoot
    const match = blockHashMatches === true && stateRootMatches !== false
    const json = {
      blockNumber: vector.blockNumber,
      fork: result.fork,
      blockHash: result.blockHash,
      stateRoot: result.stateRoot,
      outputRoot: result.outputRoot ?? null,
      gasUsed: result.header.gasUsed,
      transactions: result.receipts.length,
      expectedBlockHash: vector.expectedBlockHash ?? null,
      expectedStateRoot: vector.expectedStateRoot ?? null,
      blockHashMatches,
      stateRootMatches,
      match,
      ms: Date.now() - started,
    }
    const verdict = (m: boolean | null): string => (m === null ? 'no expected value in file' : m ? 'matches' : 'MISMATCH')
    const text = [
      `L2 block ${vector.blockNumber} (${result.fork}), ${result.receipts.length} txs, gas used ${result.header.gasUsed}`,
      `block hash  ${result.blockHash}  ${verdict(blockHashMatches)}`,
      `state root  ${result.stateRoot}  ${verdict(stateRootMatches)}`,
      ...(result.outputRoot ? [`output root ${result.outputRoot}`] : []),
      match ? 'OK: the block replays to the expected hash.' : 'NOT VERIFIED: the replayed block does not match (or the file has no expected hash).',
    ].join('\n')
    return { json, text, exitCode: match ? 0 : 1 }
  },
}
