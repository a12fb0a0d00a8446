/**
 * Generate contracts-abi/<stack>/<Contract>.ts (`as const` ABIs) and contracts-abi/PROVENANCE.md from the npm
 * artifacts of @eth-optimism/contracts-bedrock and @arbitrum/nitro-contracts, plus the hand-copied mainnet additions
 * in tools/gen-abi.additions.ts. Run: `npx tsx tools/gen-abi.ts`. tools/gen-abi.test.ts checks the committed files
 * are what this script writes.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseAbi, type Abi, type AbiParameter } from 'viem'
import { abiAdditions } from './gen-abi.additions'

export type Stack = 'op-stack' | 'arbitrum-nitro'

export interface AbiSpec {
  stack: Stack
  contract: string
  packageName: '@eth-optimism/contracts-bedrock' | '@arbitrum/nitro-contracts'
  /** Path inside the package. */
  artifact: string
  note?: string
}

const OP = '@eth-optimism/contracts-bedrock' as const
const ARB = '@arbitrum/nitro-contracts' as const

function op(contract: string, note?: string): AbiSpec {
  return { stack: 'op-stack', contract, packageName: OP, artifact: `forge-artifacts/${contract}.sol/${contract}.json`, ...(note ? { note } : {}) }
}
function arb(dir: string, contract: string, note?: string): AbiSpec {
  return { stack: 'arbitrum-nitro', contract, packageName: ARB, artifact: `build/contracts/src/${dir}/${contract}.sol/${contract}.json`, ...(note ? { note } : {}) }
}

export const abiSpecs: readonly AbiSpec[] = [
  // OP Stack, L1
  op('OptimismPortal2'),
  op('SystemConfig'),
  op('SuperchainConfig'),
  op('DisputeGameFactory'),
  op('FaultDisputeGame'),
  op('PermissionedDisputeGame'),
  op('AnchorStateRegistry'),
  op('DelayedWETH'),
  op('MIPS', 'the VM of the FaultDisputeGame (devnet deployment)'),
  op('PreimageOracle', 'the MIPS preimage oracle (devnet deployment)'),
  op('L1StandardBridge'),
  op('L1CrossDomainMessenger'),
  op('L2OutputOracle', 'legacy (pre-fault-proof chains)'),
  op('ProxyAdmin', 'devnet deployment'),
  op('Proxy', 'devnet deployment'),
  op('AddressManager', 'legacy; backs the L1CrossDomainMessenger ResolvedDelegateProxy'),
  op('ResolvedDelegateProxy', 'legacy; the L1CrossDomainMessenger proxy'),
  op('L1ChugSplashProxy', 'legacy; the L1StandardBridge proxy'),
  // OP Stack, L2 predeploys
  op('L2ToL1MessagePasser'),
  op('L2StandardBridge'),
  op('L2CrossDomainMessenger'),
  op('L1Block'),
  op('GasPriceOracle'),
  op('OptimismMintableERC20Factory', 'L2 predeploy; creates bridgeable ERC-20s (devnet genesis)'),
  op('OptimismMintableERC20', 'the standard bridge\'s L2 token (devnet genesis)'),
  op('WETH98', 'devnet L1 token bridged to the devnet L2'),
  // Arbitrum Nitro
  arb('bridge', 'Bridge'),
  arb('bridge', 'Inbox'),
  arb('bridge', 'SequencerInbox'),
  arb('bridge', 'Outbox'),
  arb('rollup', 'RollupCore', 'abstract; ABI only (assertion events and getters)'),
  arb('rollup', 'RollupUserLogic'),
  arb('rollup', 'RollupAdminLogic'),
  arb('rollup', 'RollupCreator'),
  arb('rollup', 'BridgeCreator'),
  arb('rollup', 'RollupEventInbox'),
  arb('challengeV2', 'EdgeChallengeManager'),
  arb('precompiles', 'ArbSys', 'precompile interface at 0x64'),
  arb('precompiles', 'ArbRetryableTx', 'precompile interface at 0x6e'),
  arb('node-interface', 'NodeInterface', 'virtual contract at 0xc8 (eth_call only)'),
]

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function packageRoot(packageName: string): string {
  return dirname(require.resolve(`${packageName}/package.json`))
}

function packageVersion(packageName: string): string {
  return (JSON.parse(readFileSync(join(packageRoot(packageName), 'package.json'), 'utf8')) as { version: string }).version
}

interface Artifact {
  abi: Abi
  metadata?: { settings?: { compilationTarget?: Record<string, string> } }
  sourceName?: string
}

function readArtifact(spec: AbiSpec): Artifact {
  const path = join(packageRoot(spec.packageName), spec.artifact)
  const artifact = JSON.parse(readFileSync(path, 'utf8')) as Artifact
  if (!Array.isArray(artifact.abi)) throw new Error(`${spec.packageName}/${spec.artifact} has no abi`)
  return artifact
}

/** The contract's semver as declared in its source (`@custom:semver` / `version = "…"`), when the package ships it. */
function sourceVersion(spec: AbiSpec, artifact: Artifact): string | undefined {
  const source = Object.keys(artifact.metadata?.settings?.compilationTarget ?? {})[0] ?? artifact.sourceName
  if (!source) return undefined
  const path = join(packageRoot(spec.packageName), source)
  if (!existsSync(path)) return undefined
  const text = readFileSync(path, 'utf8')
  return (/@custom:semver\s+(\S+)/.exec(text) ?? /string public constant version = "([^"]+)"/.exec(text))?.[1]
}

function canonicalType(param: AbiParameter): string {
  if (!param.type.startsWith('tuple')) return param.type
  const components = 'components' in param ? (param.components as readonly AbiParameter[]) : []
  return `(${components.map(canonicalType).join(',')})${param.type.slice('tuple'.length)}`
}

/** The identity of an ABI item for merging: kind, name and input types (outputs do not make an overload). */
export function abiItemKey(item: Abi[number]): string {
  if (item.type === 'constructor' || item.type === 'fallback' || item.type === 'receive') return item.type
  return `${item.type} ${item.name}(${item.inputs.map(canonicalType).join(',')})`
}

/** camelCase + Abi, with a leading acronym lowered whole: MIPS → mipsAbi, L1StandardBridge → l1StandardBridgeAbi. */
export function exportName(contract: string): string {
  const lead = /^[A-Z0-9]+/.exec(contract)?.[0] ?? ''
  const cut = lead.length === contract.length ? lead.length : Math.max(1, lead.length - 1)
  return `${contract.slice(0, cut).toLowerCase()}${contract.slice(cut)}Abi`
}

export interface GeneratedAbi {
  spec: AbiSpec
  packageVersion: string
  contractVersion: string | undefined
  exportName: string
  path: string
  abi: Abi
  added: string[]
  additionSource: string | undefined
  additionWhy: string | undefined
}

export function buildAbis(): GeneratedAbi[] {
  return abiSpecs.map((spec) => {
    const artifact = readArtifact(spec)
    const abi: Abi[number][] = [...artifact.abi]
    const keys = new Set(abi.map(abiItemKey))
    const added: string[] = []
    const additions = abiAdditions.filter((a) => a.contract === spec.contract)
    for (const addition of additions) {
      for (const item of parseAbi(addition.signatures)) {
        const key = abiItemKey(item)
        if (keys.has(key)) continue
        keys.add(key)
        abi.push(item)
        added.push(key)
      }
    }
    return {
      spec,
      packageVersion: packageVersion(spec.packageName),
      contractVersion: sourceVersion(spec, artifact),
      exportName: exportName(spec.contract),
      path: `contracts-abi/${spec.stack}/${spec.contract}.ts`,
      abi,
      added,
      additionSource: additions.map((a) => a.source).join('; ') || undefined,
      additionWhy: additions.map((a) => a.why).join(' ') || undefined,
    }
  })
}

function renderAbiFile(g: GeneratedAbi): string {
  const lines = [
    '// Generated by tools/gen-abi.ts; do not edit. Regenerate with `npx tsx tools/gen-abi.ts`.',
    `// Source: ${g.spec.packageName}@${g.packageVersion} ${g.spec.artifact}${g.contractVersion ? ` (${g.spec.contract} ${g.contractVersion})` : ''}.`,
  ]
  if (g.added.length > 0) lines.push(`// Plus ${g.added.length} item(s) from newer mainnet contracts, listed in contracts-abi/PROVENANCE.md.`)
  lines.push(`export const ${g.exportName} = ${JSON.stringify(g.abi, null, 2)} as const`, '')
  return lines.join('\n')
}

function renderProvenance(all: GeneratedAbi[]): string {
  const versions = [...new Set(all.map((g) => `\`${g.spec.packageName}\` ${g.packageVersion}`))].join(', ')
  const out: string[] = [
    '# contracts-abi provenance',
    '',
    'Generated by `tools/gen-abi.ts` (run `npx tsx tools/gen-abi.ts`; `tools/gen-abi.test.ts` fails when a file here',
    `differs from what the script writes). Packages: ${versions}.`,
    '',
    'Each file exports one `as const` ABI: the artifact\'s ABI unchanged, then, where mainnet runs newer contracts than',
    'the npm package, the extra items listed under "Newer than npm" (copied by hand from the cited interface files;',
    'their source is `tools/gen-abi.additions.ts`). Nothing from the artifact is removed, so calls that newer contracts',
    'dropped still exist here for the devnet and older chains; the app must pick the variant by the contract\'s `version()`.',
    '',
    '## Version gap',
    '',
    '- **OP Stack**: the npm package `@eth-optimism/contracts-bedrock` 0.17.3 is op-contracts **v1.4.0** (OptimismPortal2',
    '  3.10.0, AnchorStateRegistry 1.0.0, FaultDisputeGame 1.2.0, DisputeGameFactory 1.0.0, SystemConfig 2.3.0-beta.2).',
    '  OP Mainnet and Base run op-contracts **v7.0.0-rc.4** (OptimismPortal2 5.6.1, AnchorStateRegistry 3.9.0,',
    '  FaultDisputeGame 2.4.2, DisputeGameFactory 1.6.1; notes/op-stack.md §3). The main differences for an exit:',
    '  - Portal ≥4: game validity moved to the AnchorStateRegistry (`anchorStateRegistry()`; `respectedGameType()`,',
    '    blacklist, retirement and `disputeGameFinalityDelaySeconds()` are read from it). The portal keeps',
    '    `respectedGameType()`, `proofMaturityDelaySeconds()`, `checkWithdrawal`, `numProofSubmitters`, `proofSubmitters`,',
    '    `provenWithdrawals(hash, submitter)` and both finalize variants, with the same selectors as 3.10.',
    '  - Portal ≥4: `require` strings became custom errors (`OptimismPortal_ProofNotOldEnough`, …), added here for decoding.',
    '  - Portal 5: a second `proveWithdrawalTransaction` overload for super-root games (`superRootsActive()`), and ETH',
    '    held by an `ethLockbox()`.',
    '  - Portal ≥4 `initialize` takes (systemConfig, anchorStateRegistry, ethLockbox) and the constructor only the proof',
    '    maturity delay; the npm 3.10 `initialize(disputeGameFactory, systemConfig, superchainConfig, respectedGameType)`',
    '    and constructor (proofMaturityDelaySeconds, disputeGameFinalityDelaySeconds) are what the devnet deploys.',
    '    The new `initialize` is not added (an app never calls it).',
    '  - FDG ≥1.4/2.x: bond distribution modes (`closeGame()` before `claimCredit`), `wasRespectedGameTypeWhenCreated()`.',
    '  - The exact 5.6.1 / 3.9.0 / 2.4.2 / 1.6.1 source files were not available offline; the additions come from',
    '    interface files of the same major lines (commits cited below). **Unverified**: that every added signature is',
    '    byte-identical in those exact releases; calls against mainnet should check `version()` first.',
    '- **Arbitrum Nitro**: `@arbitrum/nitro-contracts` 3.2.0 is BoLD (RollupUserLogic/RollupAdminLogic with assertions,',
    '  EdgeChallengeManager). Arbitrum One and Nova run BoLD contracts since 2025-02; no items are added. **Unverified**:',
    '  that the deployed One/Nova logic contracts equal 3.2.0 byte for byte. The nitro contracts expose no `version()`.',
    '',
    '## Files',
    '',
    '| file | export | package@version | artifact | contract version (source) | added | note |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const g of all) {
    out.push(
      `| \`${g.path.replace('contracts-abi/', '')}\` | \`${g.exportName}\` | ${g.spec.packageName}@${g.packageVersion} | \`${g.spec.artifact}\` | ${g.contractVersion ?? '—'} | ${g.added.length || '—'} | ${g.spec.note ?? ''} |`,
    )
  }
  out.push('', '## Newer than npm', '')
  for (const g of all.filter((x) => x.added.length > 0)) {
    out.push(`### ${g.spec.contract}`, '', `Source: ${g.additionSource}.`, '', `Why: ${g.additionWhy}`, '')
    for (const key of g.added) out.push(`- \`${key}\``)
    out.push('')
  }
  return out.join('\n')
}

/** Every file the generator owns, by path relative to the repository root, with its content. */
export function generateAbiFiles(): Map<string, string> {
  const all = buildAbis()
  const files = new Map<string, string>()
  for (const g of all) files.set(g.path, renderAbiFile(g))
  files.set('contracts-abi/PROVENANCE.md', renderProvenance(all))
  return files
}

export const GENERATED_DIRS = ['contracts-abi/op-stack', 'contracts-abi/arbitrum-nitro'] as const

function main(): void {
  const files = generateAbiFiles()
  for (const dir of GENERATED_DIRS) {
    const abs = join(ROOT, dir)
    if (!existsSync(abs)) continue
    // Remove ABIs no longer generated (a contract dropped from the list), keep tests.
    for (const name of readdirSync(abs)) {
      const path = `${dir}/${name}`
      if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !files.has(path)) rmSync(join(abs, name))
    }
  }
  for (const [path, content] of files) {
    const abs = join(ROOT, path)
    mkdirSync(dirname(abs), { recursive: true })
    writeFileSync(abs, content)
  }
  console.log(`wrote ${files.size} files under ${relative(process.cwd(), join(ROOT, 'contracts-abi')) || 'contracts-abi'}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
