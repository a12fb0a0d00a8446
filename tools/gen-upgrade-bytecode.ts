/**
 * Generate shared/rollups/op-stack/derive/upgrades/<fork>Bytecode.ts (the creation bytecode that a fork's
 * network-upgrade transactions deploy) and upgrades/PROVENANCE.md from published npm versions of
 * @eth-optimism/contracts-bedrock. Run: `npx tsx tools/gen-upgrade-bytecode.ts`.
 *
 * Why npm and not the spec/op-node hex: the project takes contract artifacts only from npm packages (see
 * contracts-abi/PROVENANCE.md). Each artifact is accepted only when keccak256(deployedBytecode) equals the code hash
 * the fork's spec says the deployment MUST produce, and when its creation code is exactly the solc constructor
 * preamble followed by that runtime code (no constructor arguments, no immutables), so the creation bytes are fixed
 * by the spec's code hash. The packages are too large for package.json, so each version is `npm pack`ed into a temp
 * dir; the tarball's sha512 (npm's `integrity`) and sha256 are recorded.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem'
import { runtimeOfCreationCode } from '../shared/rollups/op-stack/derive/upgrades/runtimeOfCreationCode'

const PACKAGE = '@eth-optimism/contracts-bedrock'

export interface BytecodeSpec {
  fork: 'ecotone' | 'fjord'
  /** Exported constant name. */
  name: string
  version: string
  contract: string
  /** keccak256 of the runtime code the spec requires, with where it is published. */
  codeHash: Hex
  codeHashSource: string
}

export const bytecodeSpecs: readonly BytecodeSpec[] = [
  {
    fork: 'ecotone',
    name: 'ECOTONE_L1_BLOCK_CREATION_CODE',
    version: '0.17.2',
    contract: 'L1Block',
    codeHash: '0xc88a313aa75dc4fbf0b6850d9f9ae41e04243b7008cf3eadb29256d4a71c1dfd',
    codeHashSource: 'specs/protocol/ecotone/derivation.md §"L1Block Deployment"',
  },
  {
    fork: 'ecotone',
    name: 'ECOTONE_GAS_PRICE_ORACLE_CREATION_CODE',
    version: '0.17.2',
    contract: 'GasPriceOracle',
    codeHash: '0x8b71360ea773b4cfaf1ae6d2bd15464a4e1e2e360f786e475f63aeaed8da0ae5',
    codeHashSource: 'specs/protocol/ecotone/derivation.md §"GasPriceOracle Deployment"',
  },
  {
    fork: 'fjord',
    name: 'FJORD_GAS_PRICE_ORACLE_CREATION_CODE',
    version: '0.17.3',
    contract: 'GasPriceOracle',
    codeHash: '0xa88fa50a2745b15e6794247614b5298483070661adacb8d32d716434ed24c6b2',
    codeHashSource: 'specs/protocol/fjord/derivation.md §"GasPriceOracle Deployment"; kona hardforks fjord.rs GAS_PRICE_ORACLE_CODE_HASH',
  },
]

export interface Tarball {
  version: string
  file: string
  sha256: string
  sha512: string
}

export interface Extracted {
  spec: BytecodeSpec
  artifact: string
  creationCode: Hex
  tarball: Tarball
}

function pack(version: string, dir: string): Tarball {
  const out = execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--pack-destination', dir, '--json', '--silent'], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const info = JSON.parse(out) as Array<{ filename: string; integrity: string }>
  const name = info[0]?.filename
  if (!name) throw new Error(`npm pack ${PACKAGE}@${version} gave no file`)
  const file = join(dir, name.replace(/^@/, '').replace('/', '-'))
  const bytes = readFileSync(file)
  const sha512 = `sha512-${createHash('sha512').update(bytes).digest('base64')}`
  if (sha512 !== info[0]?.integrity) throw new Error(`tarball of ${version} does not match npm's integrity ${info[0]?.integrity}`)
  return { version, file, sha256: createHash('sha256').update(bytes).digest('hex'), sha512 }
}

function readArtifact(tarball: Tarball, artifact: string, dir: string): { bytecode: Hex; deployed: Hex } {
  const dest = join(dir, `x-${tarball.version}`)
  execFileSync('mkdir', ['-p', dest])
  execFileSync('tar', ['-xzf', tarball.file, '-C', dest, `package/${artifact}`])
  const json = JSON.parse(readFileSync(join(dest, 'package', artifact), 'utf8')) as {
    bytecode: { object: string }
    deployedBytecode: { object: string; immutableReferences?: Record<string, unknown> }
  }
  if (json.deployedBytecode.immutableReferences && Object.keys(json.deployedBytecode.immutableReferences).length > 0) {
    throw new Error(`${artifact}@${tarball.version} has immutables; its runtime code depends on constructor input`)
  }
  const hex = (s: string): Hex => (s.startsWith('0x') ? s : `0x${s}`).toLowerCase() as Hex
  return { bytecode: hex(json.bytecode.object), deployed: hex(json.deployedBytecode.object) }
}

/** The creation code must be exactly solc's constructor preamble + the runtime code (shared check, runtimeOfCreationCode.ts). */
export function checkCreationCode(bytecode: Hex, deployed: Hex, what: string): void {
  const runtime = runtimeOfCreationCode(hexToBytes(bytecode))
  if (!runtime || bytesToHex(runtime) !== deployed) throw new Error(`${what}: creation code is not the plain preamble + runtime code`)
}

export function extract(specs: readonly BytecodeSpec[], dir: string): Extracted[] {
  const tarballs = new Map<string, Tarball>()
  const out: Extracted[] = []
  for (const spec of specs) {
    let tarball = tarballs.get(spec.version)
    if (!tarball) {
      tarball = pack(spec.version, dir)
      tarballs.set(spec.version, tarball)
    }
    const artifact = `forge-artifacts/${spec.contract}.sol/${spec.contract}.json`
    const { bytecode, deployed } = readArtifact(tarball, artifact, dir)
    const what = `${PACKAGE}@${spec.version} ${artifact}`
    const hash = keccak256(deployed)
    if (hash !== spec.codeHash) throw new Error(`${what}: code hash ${hash} is not the spec's ${spec.codeHash}`)
    checkCreationCode(bytecode, deployed, what)
    out.push({ spec, artifact, creationCode: bytecode, tarball })
  }
  return out
}

const HEADER = '// GENERATED by tools/gen-upgrade-bytecode.ts from npm @eth-optimism/contracts-bedrock artifacts; do not edit.\n'

export function renderFork(fork: BytecodeSpec['fork'], items: readonly Extracted[]): string {
  const lines = [HEADER.trimEnd()]
  for (const e of items.filter((x) => x.spec.fork === fork)) {
    lines.push(
      '',
      `/** ${e.spec.contract} creation code: ${PACKAGE}@${e.spec.version} package/${e.artifact} \`bytecode.object\`; runtime keccak256 ${e.spec.codeHash}. */`,
      `export const ${e.spec.name} = '${e.creationCode}' as const`,
    )
  }
  return `${lines.join('\n')}\n`
}

export function renderProvenance(items: readonly Extracted[]): string {
  const rows = items.map(
    (e) =>
      `| ${e.spec.fork} | \`${e.spec.name}\` | ${e.spec.version} | \`package/${e.artifact}\` | \`${e.spec.codeHash}\` (${e.spec.codeHashSource}) | \`${keccak256(e.creationCode)}\` |`,
  )
  const tarballs = [...new Map(items.map((e) => [e.tarball.version, e.tarball])).values()].map(
    (t) => `| ${t.version} | \`${t.sha256}\` | \`${t.sha512}\` |`,
  )
  return `# Network-upgrade bytecode provenance

Generated by \`tools/gen-upgrade-bytecode.ts\` (\`npx tsx tools/gen-upgrade-bytecode.ts\`; it needs the npm registry).
The \`*Bytecode.ts\` files here are its output: do not edit them by hand.

Every constant is the \`bytecode.object\` (creation code) of a \`forge-artifacts\` JSON in a published npm version of
\`${PACKAGE}\`. The generator accepts an artifact only when keccak256 of its \`deployedBytecode\` equals the code hash
the fork's spec says the deployment MUST produce, and when the creation code is exactly solc's 32-byte constructor
preamble followed by that runtime code (no constructor arguments, no immutables). The execution test
(\`networkUpgradeTxs.execute.test.ts\`) deploys each one through the app's executor and checks the code hash again.

| Fork | Constant | npm version | Artifact | Runtime code hash (spec) | keccak256(creation code) |
|---|---|---|---|---|---|
${rows.join('\n')}

| npm version | tarball sha256 | tarball integrity (sha512) |
|---|---|---|
${tarballs.join('\n')}

## The upgrade transactions (in op-node's order, after the L1-info deposit and the user deposits)

Sources: specs/protocol/<fork>/derivation.md and op-node rollup/derive/<fork>_upgrade_transactions.go (+ tests).
All have mint 0, value 0, isSystemTx false; source hash = keccak256(u256(2) ++ keccak256(intent)).

| Fork | # | From | To | Gas | Intent | Source hash | Data | Deploys to / code hash |
|---|---|---|---|---|---|---|---|---|
| ecotone | 0 | 0x4210…0000 | create | 375,000 | Ecotone: L1 Block Deployment | 0x877a6077…346f8 | L1Block (npm 0.17.2) | 0x07dbe850…97ff / 0xc88a313a…1dfd |
| ecotone | 1 | 0x4210…0001 | create | 1,000,000 | Ecotone: Gas Price Oracle Deployment | 0xa312b451…cf42 | GasPriceOracle (npm 0.17.2) | 0xb528d11c…da7a / 0x8b71360e…0ae5 |
| ecotone | 2 | 0x0000…0000 | 0x4200…0015 | 50,000 | Ecotone: L1 Block Proxy Update | 0x18acb38c…7dbc | upgradeTo(0x07dbe850…) | |
| ecotone | 3 | 0x0000…0000 | 0x4200…000F | 50,000 | Ecotone: Gas Price Oracle Proxy Update | 0xee4f9385…230a | upgradeTo(0xb528d11c…) | |
| ecotone | 4 | 0xDeaD…0001 | 0x4200…000F | 80,000 | Ecotone: Gas Price Oracle Set Ecotone | 0x0c1cb38e…5f93 | setEcotone() 0x22b90ab3 | |
| ecotone | 5 | 0x0B79…C875 | create | 250,000 | Ecotone: beacon block roots contract deployment | 0x69b763c4…c00c | EIP-4788 init code | 0x000F3df6…Beac02 / 0xf57acd40…b02c |
| fjord | 0 | 0x4210…0002 | create | 1,450,000 | Fjord: Gas Price Oracle Deployment | 0x86122c53…8ea3 | GasPriceOracle (npm 0.17.3) | 0xa9198948…Fac7 / 0xa88fa50a…c6b2 |
| fjord | 1 | 0x0000…0000 | 0x4200…000F | 50,000 | Fjord: Gas Price Oracle Proxy Update | 0x1e6bb0c2…58c6 | upgradeTo(0xa9198948…) | |
| fjord | 2 | 0xDeaD…0001 | 0x4200…000F | 90,000 | Fjord: Gas Price Oracle Set Fjord | 0xbac7bb0d…9b6b | setFjord() 0x8e98b106 | |

Not built (reference only, from the final op-node files): **Isthmus** 8 txs — L1Block (0x4210…0003, 425,000),
GasPriceOracle (0x4210…0004, 1,625,000), OperatorFeeVault (0x4210…0005, 500,000) deployments, three proxy
updates (50,000 each), setIsthmus() (90,000) and the EIP-2935 contract (0xE9f0…DE10, 250,000, code hash
0x6e49e667…0a5d). **Jovian** 5 txs — L1Block deployment (0x4210…0006, 447,315), L1Block proxy update,
GasPriceOracle deployment (0x4210…0007, 1,750,714), GasPriceOracle proxy update, setJovian() (90,000); op-node
spells the intents "Jovian: L1 Block Deployment" etc. while the current spec writes "Jovian: L1Block Deployment" —
to be settled against the OP Mainnet activation block before building it.

## Not built (no npm artifact)

The last published version of \`${PACKAGE}\` is 0.17.3 (op-contracts v1.4.0 era). No published version contains:

- the **Isthmus** L1Block (1.6.x), GasPriceOracle (1.4.x) or any \`OperatorFeeVault\` artifact at all;
- the **Jovian** L1Block (1.7.0) or GasPriceOracle (1.6.0);
- the **Karst** NUT bundle (\`karst_nut_bundle.json\`, shipped only in the Optimism monorepo).

So the activation blocks of Isthmus, Jovian and Karst are not built: deriving them fails with
\`UnsupportedChainFeatureError\` naming the missing contract (see \`networkUpgradeTxs.ts\`).
`
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const outDir = join(root, 'shared/rollups/op-stack/derive/upgrades')
  const dir = mkdtempSync(join(tmpdir(), 'gen-upgrade-bytecode-'))
  try {
    const items = extract(bytecodeSpecs, dir)
    writeFileSync(join(outDir, 'ecotoneBytecode.ts'), renderFork('ecotone', items))
    writeFileSync(join(outDir, 'fjordBytecode.ts'), renderFork('fjord', items))
    writeFileSync(join(outDir, 'PROVENANCE.md'), renderProvenance(items))
    for (const e of items) console.log(`${e.spec.name}: ${PACKAGE}@${e.spec.version} ${e.artifact} ok (${e.spec.codeHash})`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
