// A static JSON import (not a runtime read relative to this file) so the built CLI bundle (out/cli) carries it too.
import packageJson from '../../../package.json' with { type: 'json' }
import type { Command } from '../command'

/** Versions that support staff need to reproduce a user's problem: the app, the runtime and the protocol packages. */
export const versionCommand: Command = {
  path: ['version'],
  summary: 'Print the app version and the versions of the protocol packages it was built with.',
  async run() {
    const pkg: { name: string; version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> } = packageJson
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
