import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AnvilMissingError } from './anvilErrors'

/**
 * Platforms with an `@foundry-rs/anvil-<platform>` package on the npm registry (package.json optionalDependencies).
 * The @foundry-rs/anvil wrapper names darwin, linux-arm64 and win32 packages too, but at 1.7.1 the registry serves
 * only linux-amd64 (the others answer 404, and listing them breaks `npm ci`); elsewhere anvil comes from foundryup.
 */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
}

/** Environment variable naming an anvil binary to use instead of the npm package (any platform). */
export const ANVIL_BINARY_ENV = 'ESCAPE_HATCH_ANVIL'

export interface ResolveAnvilBinaryParameters {
  platform?: NodeJS.Platform
  arch?: string
  env?: NodeJS.ProcessEnv
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
  const override = (params.env ?? process.env)[ANVIL_BINARY_ENV]?.trim()
  if (override) return { packageName: ANVIL_BINARY_ENV, path: checkExecutable(override, platform, `${ANVIL_BINARY_ENV} names ${override}, which is not an executable file.`, [`Point ${ANVIL_BINARY_ENV} at the anvil binary (foundryup installs it in ~/.foundry/bin/anvil), or unset it to use the npm package.`]) }
  const packageName = anvilPackageFor(platform, arch)
  if (!packageName) {
    throw new AnvilMissingError(`The devnet needs anvil, and there is no anvil npm package for ${platform}/${arch}.`, {
      steps: [
        'Install foundry (foundryup, from getfoundry.sh), then set ESCAPE_HATCH_ANVIL to its anvil binary (e.g. ~/.foundry/bin/anvil).',
        `The npm package exists for: ${Object.keys(PLATFORM_PACKAGES).join(', ')}.`,
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
  return {
    packageName,
    path: checkExecutable(path, platform, `The npm package ${packageName} is installed but its anvil binary is missing or not executable.`, [
      `Reinstall it: npm install -E --no-audit --no-fund ${packageName}@1.7.1`,
      `Or make it executable: chmod +x ${path}`,
    ]),
  }
}

function checkExecutable(path: string, platform: string, message: string, steps: string[]): string {
  try {
    accessSync(path, platform === 'win32' ? constants.F_OK : constants.X_OK)
  } catch (cause) {
    throw new AnvilMissingError(message, { steps, details: path, cause })
  }
  return path
}
