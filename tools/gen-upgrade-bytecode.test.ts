/**
 * Offline check of the generated upgrade bytecode: for every constant taken from the npm version installed in
 * node_modules (@eth-optimism/contracts-bedrock 0.17.3), the committed file is exactly what the generator writes from
 * that artifact. Versions not installed (0.17.2) are checked by the code-hash and execution tests in
 * shared/rollups/op-stack/derive/networkUpgradeTxs*.test.ts.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { bytecodeSpecs, checkCreationCode, renderFork, type Extracted } from './gen-upgrade-bytecode'

const require = createRequire(import.meta.url)
const ROOT = join(import.meta.dirname, '..')
const installed = (require('@eth-optimism/contracts-bedrock/package.json') as { version: string }).version

describe('generated network-upgrade bytecode', () => {
  const fromInstalled = bytecodeSpecs.filter((s) => s.version === installed)

  it('has at least one constant from the installed package version', () => {
    expect(fromInstalled.length).toBeGreaterThan(0)
  })

  it('matches the installed npm artifacts and the spec code hashes', () => {
    const items: Extracted[] = fromInstalled.map((spec) => {
      const artifact = `forge-artifacts/${spec.contract}.sol/${spec.contract}.json`
      const json = require(`@eth-optimism/contracts-bedrock/${artifact}`) as { bytecode: { object: Hex }; deployedBytecode: { object: Hex } }
      expect(keccak256(json.deployedBytecode.object)).toBe(spec.codeHash)
      checkCreationCode(json.bytecode.object, json.deployedBytecode.object, artifact)
      return { spec, artifact, creationCode: json.bytecode.object, tarball: { version: installed, file: '', sha256: '', sha512: '' } }
    })
    for (const fork of new Set(fromInstalled.map((s) => s.fork))) {
      if (bytecodeSpecs.some((s) => s.fork === fork && s.version !== installed)) continue
      const path = join(ROOT, `shared/rollups/op-stack/derive/upgrades/${fork}Bytecode.ts`)
      expect(readFileSync(path, 'utf8'), `${path} is stale; run npx tsx tools/gen-upgrade-bytecode.ts`).toBe(renderFork(fork, items))
    }
  })
})
