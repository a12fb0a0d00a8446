import { createRequire } from 'node:module'
import type { Command } from '../command'

const require = createRequire(import.meta.url)

/** Versions that support staff need to reproduce a user's problem: the app, the runtime and the protocol packages. */
export const versionCommand: Command = {
  path: ['version'],
  summary: 'Print the app version and the versions of the protocol packages it was built with.',
  async run() {
    const pkg = require('../../../package.json') as { name: string; version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> }
    const info = {
      name: pkg.name,
      version: pkg.version,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      electron: pkg.devDependencies.electron ?? null,
      packages: Object.fromEntries(
        ['viem', '@eth-optimism/contracts-bedrock', '@arbitrum/nitro-contracts', '@ledgerhq/hw-app-eth', '@ethereumjs/evm'].map((name) => [name, pkg.dependencies[name] ?? null]),
      ),
    }
    const text = [
      `escape-hatch ${info.version}`,
      `node ${info.node} (${info.platform}/${info.arch}), electron ${info.electron ?? 'not bundled'}`,
      ...Object.entries(info.packages).map(([n, v]) => `${n} ${v ?? '-'}`),
    ].join('\n')
    return { json: info, text }
  },
}
