import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AnvilMissingError } from './anvilErrors'

/** Platforms for which foundry publishes an `@foundry-rs/anvil-<platform>` npm package (package.json optionalDependencies). */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
}

export interface ResolveAnvilBinaryParameters {
  platform?: NodeJS.Platform
  arch?: string
}

export interface ResolvedAnvilBinary {
  packageName: string
  path: string
}

/** The npm package that carries anvil for a platform, or undefined when foundry publishes none. */
export function anvilPackageFor(platform: string, arch: string): string | undefined {
  return PLATFORM_PACKAGES[`${platform}-${arch}`]
}

/**
 * Find the anvil binary shipped in the platform's npm package. Throws AnvilMissingError naming the package (and the
 * command that installs it) when the platform has no package or it was not installed.
 */
export function resolveAnvilBinary(params: ResolveAnvilBinaryParameters = {}): ResolvedAnvilBinary {
  const platform = params.platform ?? process.platform
  const arch = params.arch ?? process.arch
  const packageName = anvilPackageFor(platform, arch)
  if (!packageName) {
    throw new AnvilMissingError(`The devnet needs anvil, and there is no anvil npm package for ${platform}/${arch}.`, {
      steps: [
        `Supported platforms: ${Object.keys(PLATFORM_PACKAGES).join(', ')}.`,
        'Run Escape Hatch on one of those, or install foundry (https://getfoundry.sh) and put anvil on a supported machine.',
      ],
    })
  }
  const require = createRequire(import.meta.url)
  let packageJsonPath: string
  try {
    packageJsonPath = require.resolve(`${packageName}/package.json`)
  } catch (cause) {
    throw new AnvilMissingError(`The devnet needs anvil, and the npm package ${packageName} is not installed.`, {
      steps: [
        `Install it: npm install -E --no-audit --no-fund ${packageName}@1.7.1`,
        'It is an optional dependency: an install with --omit=optional or --no-optional leaves it out.',
      ],
      details: `platform ${platform}/${arch}`,
      cause,
    })
  }
  const path = join(dirname(packageJsonPath), 'bin', platform === 'win32' ? 'anvil.exe' : 'anvil')
  try {
    accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK)
  } catch (cause) {
    throw new AnvilMissingError(`The npm package ${packageName} is installed but its anvil binary is missing or not executable.`, {
      steps: [`Reinstall it: npm install -E --no-audit --no-fund ${packageName}@1.7.1`, `Or make it executable: chmod +x ${path}`],
      details: path,
      cause,
    })
  }
  return { packageName, path }
}
