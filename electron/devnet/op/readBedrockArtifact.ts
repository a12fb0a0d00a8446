import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isHex, type Hex } from 'viem'
import { z } from 'zod'
import { OpDeployError } from './errors'

/**
 * Creation bytecode of an OP Stack contract from the `@eth-optimism/contracts-bedrock` npm package (forge artifacts,
 * notes/op-stack.md §5). ABIs come from contracts-abi/op-stack (generated from the same artifacts). An artifact with
 * link references is refused rather than deployed half-linked.
 */
export const BEDROCK_PACKAGE = '@eth-optimism/contracts-bedrock'
export const BEDROCK_VERSION = '0.17.3'

export interface BedrockArtifact {
  /** Path inside the package, e.g. forge-artifacts/OptimismPortal2.sol/OptimismPortal2.json. */
  path: string
  bytecode: Hex
}

const hex = z.string().refine((value) => isHex(value) && value.length > 2, { message: 'expected non-empty 0x-prefixed hex' })
const forgeArtifact = z.object({
  bytecode: z.object({ object: hex, linkReferences: z.record(z.string(), z.unknown()).optional() }),
})

let packageRoot: string | undefined
const cache = new Map<string, BedrockArtifact>()

function bedrockRoot(): string {
  if (packageRoot) return packageRoot
  const require = createRequire(import.meta.url)
  let manifestPath: string
  try {
    manifestPath = require.resolve(`${BEDROCK_PACKAGE}/package.json`)
  } catch (cause) {
    throw new OpDeployError(`The OP Stack devnet needs the npm package ${BEDROCK_PACKAGE}, which is not installed.`, {
      steps: ['Install the dependencies: npm install'],
      cause,
    })
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown }
  if (manifest.version !== BEDROCK_VERSION) {
    throw new OpDeployError(`The installed ${BEDROCK_PACKAGE} is version ${String(manifest.version)}, not ${BEDROCK_VERSION}.`, {
      steps: [`Reinstall dependencies so ${BEDROCK_PACKAGE}@${BEDROCK_VERSION} is used (npm install).`],
    })
  }
  packageRoot = dirname(manifestPath)
  return packageRoot
}

/** The forge artifact forge-artifacts/<contract>.sol/<contract>.json. */
export function readBedrockArtifact(contract: string): BedrockArtifact {
  const path = `forge-artifacts/${contract}.sol/${contract}.json`
  const cached = cache.get(path)
  if (cached) return cached
  let json: unknown
  try {
    json = JSON.parse(readFileSync(join(bedrockRoot(), path), 'utf8'))
  } catch (cause) {
    if (cause instanceof OpDeployError) throw cause
    throw new OpDeployError(`Cannot read the contract artifact ${path} from ${BEDROCK_PACKAGE}.`, {
      steps: [`Reinstall dependencies (npm install) so ${BEDROCK_PACKAGE}@${BEDROCK_VERSION} is complete.`],
      cause,
    })
  }
  const parsed = forgeArtifact.safeParse(json)
  if (!parsed.success) throw new OpDeployError(`The contract artifact ${path} is not a forge artifact with bytecode.`, { details: parsed.error.message })
  const links = parsed.data.bytecode.linkReferences
  if (links && Object.keys(links).length > 0) {
    throw new OpDeployError(`The contract artifact ${path} needs library linking, which this devnet does not do.`, { details: Object.keys(links).join(', ') })
  }
  const artifact: BedrockArtifact = { path, bytecode: parsed.data.bytecode.object as Hex }
  cache.set(path, artifact)
  return artifact
}
