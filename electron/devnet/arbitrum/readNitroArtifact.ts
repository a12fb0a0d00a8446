import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isHex, type Abi, type Hex } from 'viem'
import { z } from 'zod'
import { ArbitrumDeployError } from './errors'

/**
 * Reads a compiled contract (ABI + creation bytecode) from the `@arbitrum/nitro-contracts` npm package
 * (notes/arbitrum-nitro.md §4): Hardhat artifacts under build/contracts/, and the forge-built Yul Reader4844 under out/.
 * The artifacts we deploy have no link references; a non-empty one is refused rather than deployed half-linked.
 */
export const NITRO_CONTRACTS_PACKAGE = '@arbitrum/nitro-contracts'
export const NITRO_CONTRACTS_VERSION = '3.2.0'

export interface NitroArtifact {
  /** Path inside the package, e.g. build/contracts/src/bridge/Bridge.sol/Bridge.json. */
  path: string
  contractName: string
  abi: Abi
  bytecode: Hex
}

const hex = z.string().refine((value) => isHex(value), { message: 'expected 0x-prefixed hex' })
const hardhatArtifact = z.object({
  contractName: z.string(),
  abi: z.array(z.record(z.string(), z.unknown())),
  bytecode: hex,
  linkReferences: z.record(z.string(), z.unknown()).optional(),
})
const forgeArtifact = z.object({
  abi: z.array(z.record(z.string(), z.unknown())).nullable(),
  bytecode: z.object({ object: hex }),
})

let packageRoot: string | undefined
const cache = new Map<string, NitroArtifact>()

function nitroPackageRoot(): string {
  if (packageRoot) return packageRoot
  const require = createRequire(import.meta.url)
  const manifestPath = require.resolve(`${NITRO_CONTRACTS_PACKAGE}/package.json`)
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown }
  if (manifest.version !== NITRO_CONTRACTS_VERSION) {
    throw new ArbitrumDeployError(`The installed ${NITRO_CONTRACTS_PACKAGE} is version ${String(manifest.version)}, not ${NITRO_CONTRACTS_VERSION}.`, {
      steps: [`Reinstall dependencies so ${NITRO_CONTRACTS_PACKAGE}@${NITRO_CONTRACTS_VERSION} is used (npm install).`],
    })
  }
  packageRoot = dirname(manifestPath)
  return packageRoot
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(join(nitroPackageRoot(), path), 'utf8'))
  } catch (cause) {
    if (cause instanceof ArbitrumDeployError) throw cause
    throw new ArbitrumDeployError(`Cannot read the contract artifact ${path} from ${NITRO_CONTRACTS_PACKAGE}.`, {
      steps: [`Reinstall dependencies (npm install) so ${NITRO_CONTRACTS_PACKAGE}@${NITRO_CONTRACTS_VERSION} is complete.`],
      cause,
    })
  }
}

/** A Hardhat artifact by its source path and contract name, e.g. ('bridge/Bridge.sol', 'Bridge'). */
export function readNitroArtifact(source: string, contractName: string): NitroArtifact {
  const path = `build/contracts/src/${source}/${contractName}.json`
  const cached = cache.get(path)
  if (cached) return cached
  const artifact = parseHardhatArtifact(path, contractName, readJson(path))
  cache.set(path, artifact)
  return artifact
}

/** Checks a Hardhat artifact read from a package (any package: token-bridge-contracts too) and keeps what is deployed. */
export function parseHardhatArtifact(path: string, contractName: string, json: unknown): NitroArtifact {
  const parsed = hardhatArtifact.safeParse(json)
  if (!parsed.success) {
    throw new ArbitrumDeployError(`The contract artifact ${path} is not a Hardhat artifact.`, { details: parsed.error.message })
  }
  if (parsed.data.linkReferences && Object.keys(parsed.data.linkReferences).length > 0) {
    throw new ArbitrumDeployError(`The contract artifact ${path} needs library linking, which this devnet does not do.`, {
      details: Object.keys(parsed.data.linkReferences).join(', '),
    })
  }
  return { path, contractName, abi: parsed.data.abi as unknown as Abi, bytecode: parsed.data.bytecode as Hex }
}

/** The Yul `Reader4844` (BLOBHASH / BLOBBASEFEE reader the SequencerInbox calls on the blob path). */
export function readReader4844Artifact(): NitroArtifact {
  const path = 'out/yul/Reader4844.yul/Reader4844.json'
  const cached = cache.get(path)
  if (cached) return cached
  const parsed = forgeArtifact.safeParse(readJson(path))
  if (!parsed.success) throw new ArbitrumDeployError(`The contract artifact ${path} is not a forge artifact.`, { details: parsed.error.message })
  const artifact: NitroArtifact = { path, contractName: 'Reader4844', abi: [], bytecode: parsed.data.bytecode.object as Hex }
  cache.set(path, artifact)
  return artifact
}
