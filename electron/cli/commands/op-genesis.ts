/**
 * `escape-hatch op genesis FILE --config FILE [--json]`: builds the L2 genesis state and block from a genesis alloc
 * (registry / op-node genesis JSON) and the rollup config, and prints the genesis block hash and state root, and
 * whether the hash equals the config's genesis.l2.hash.
 */
import { parseRollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { buildGenesis } from '../../../shared/rollups/op-stack/genesis/buildGenesis'
import { parseGenesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import { usageError, type Command } from '../command'
import { readJsonFile } from '../readJsonFile'

export const opGenesisCommand: Command = {
  path: ['op', 'genesis'],
  summary: 'Build an OP Stack L2 genesis block from its genesis alloc and print the block hash.',
  args: 'FILE',
  description: 'FILE is the decompressed genesis JSON (superchain registry or op-node output); --config is the rollup.json.',
  options: {
    config: { type: 'string', description: 'rollup.json of the chain (or an op-chain-config/v1 file).', valueName: 'FILE' },
  },
  async run(ctx) {
    const file = ctx.positionals[0]
    if (!file) usageError('give the genesis FILE')
    const configFile = ctx.options.config as string | undefined
    if (!configFile) usageError('give --config FILE (the rollup.json)')
    const config = parseRollupConfig(await readJsonFile(configFile, 'rollup config'))
    const genesis = parseGenesis(await readJsonFile(file, 'genesis'))
    ctx.progress(`building genesis state: ${genesis.accounts.length} accounts`)
    const result = buildGenesis({ genesis, config })
    const expected = config.genesis.l2.number === Number(genesis.number) ? config.genesis.l2.hash : undefined
    const matches = expected === undefined ? null : expected === result.blockHash
    return {
      json: { blockHash: result.blockHash, stateRoot: result.stateRoot, messagePasserStorageRoot: result.messagePasserStorageRoot, expectedBlockHash: expected ?? null, matches },
      text: [
        `genesis block hash ${result.blockHash}${matches === null ? '' : matches ? '  matches the rollup config' : '  DOES NOT MATCH the rollup config'}`,
        `state root         ${result.stateRoot}`,
      ].join('\n'),
      exitCode: matches === false ? 1 : 0,
    }
  },
}
