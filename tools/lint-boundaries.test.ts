/**
 * The architecture's boundaries are enforced by lint (DESIGN.md §Layout). These fixtures prove the rules bite:
 * if a rule is loosened by accident, this test fails, not a code review months later.
 */
import * as path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..')
const eslint = new ESLint({ cwd: root })

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`)
}

describe('lint boundaries', () => {
  it('shared/ may not import node:fs (or bare fs), electron, react, or touch DOM/Node globals', async () => {
    expect(await ruleIds('shared/fixture.ts', "import * as fs from 'node:fs'\nexport const x = fs\n")).toContain('no-restricted-imports')
    expect(await ruleIds('shared/rollups/fixture.ts', "import { readFileSync } from 'fs'\nexport const x = readFileSync\n")).toContain('no-restricted-imports')
    expect(await ruleIds('shared/fixture.ts', "import { app } from 'electron'\nexport const x = app\n")).toContain('no-restricted-imports')
    expect(await ruleIds('shared/fixture.ts', "import { useState } from 'react'\nexport const x = useState\n")).toContain('no-restricted-imports')
    expect(await ruleIds('shared/fixture.ts', 'export const x = () => window.location.href\n')).toContain('no-restricted-globals')
    expect(await ruleIds('shared/fixture.ts', "export const x = () => Buffer.from('a')\n")).toContain('no-restricted-globals')
  })

  it('shared/ tests may read vector files from disk', async () => {
    expect(await ruleIds('shared/fixture.test.ts', "import * as fs from 'node:fs'\nexport const x = fs\n")).toEqual([])
  })

  it('renderer/ may not import node:* or electron, and only bridge.ts touches window.escapeHatch', async () => {
    expect(await ruleIds('renderer/src/fixture.ts', "import * as path from 'node:path'\nexport const x = path\n")).toContain('no-restricted-imports')
    expect(await ruleIds('renderer/src/fixture.ts', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n")).toContain('no-restricted-imports')
    expect(await ruleIds('renderer/src/fixture.ts', 'export const x = () => window.escapeHatch\n')).toContain('no-restricted-properties')
  })

  it('only electron/main and electron/preload import electron', async () => {
    expect(await ruleIds('electron/services/fixture.ts', "import { app } from 'electron'\nexport const x = app\n")).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/fixture.ts', "import { app } from 'electron'\nexport const x = app\n")).toContain('no-restricted-imports')
    expect(await ruleIds('electron/main/fixture.ts', "import { app } from 'electron'\nexport const x = app\n")).toEqual([])
  })

  it('pure code that follows the rules passes', async () => {
    expect(await ruleIds('shared/fixture.ts', "import { keccak256 } from 'viem'\nexport const x = keccak256\n")).toEqual([])
  })
})

// ── Layer direction inside shared/ (eslint.config.js sharedLayerBlocks). Each fixture is the import the rule forbids,
// written from a file in the folder it guards; the neighbours show what stays allowed, and that the folder's own block
// did not drop the purity restrictions of shared/ (flat config keeps only the last matching block's options).
describe('lint boundaries: layers inside shared/', () => {
  const restricted = async (file: string, from: string): Promise<string[]> => ruleIds(file, `import { x } from '${from}'\nexport const y = x\n`)

  it('shared/eth is the bottom layer: it imports nothing else from shared/', async () => {
    expect(await restricted('shared/eth/fixture.ts', '../l1/L1Source')).toContain('no-restricted-imports')
    expect(await restricted('shared/eth/fixture.ts', '../rollups/op-stack/execute/executeBlock')).toContain('no-restricted-imports')
    expect(await restricted('shared/eth/fixture.ts', '../journal/records')).toContain('no-restricted-imports')
    expect(await restricted('shared/eth/fixture.ts', '../networks/registry')).toContain('no-restricted-imports')
    expect(await restricted('shared/eth/fixture.ts', '../deadlines/deadlines')).toContain('no-restricted-imports')
    expect(await restricted('shared/eth/fixture.ts', '../errors/EscapeError')).toContain('no-restricted-imports')
    expect(await restricted('shared/eth/fixture.ts', './bytes')).toEqual([])
    expect(await restricted('shared/eth/fixture.ts', 'viem')).toEqual([])
  })

  it('shared/l1 must not import shared/rollups', async () => {
    expect(await restricted('shared/l1/fixture.ts', '../rollups/op-stack/execute/encodeReceipt')).toContain('no-restricted-imports')
    expect(await restricted('shared/l1/fixture.ts', '../rollups/arbitrum-nitro/network')).toContain('no-restricted-imports')
    expect(await restricted('shared/l1/fixture.ts', '../eth/encodeReceipt')).toEqual([])
    expect(await restricted('shared/l1/fixture.ts', '../trie/buildTrie')).toEqual([])
  })

  it('arbitrum-nitro must not import op-stack, nor the reverse', async () => {
    expect(await restricted('shared/rollups/arbitrum-nitro/status/fixture.ts', '../../op-stack/execute/header')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/arbitrum-nitro/fixture.ts', '../op-stack/config/rollupConfig')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/op-stack/execute/fixture.ts', '../../arbitrum-nitro/network')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/op-stack/derive/start/fixture.ts', '../../../arbitrum-nitro/network')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/arbitrum-nitro/status/fixture.ts', '../../../eth/header')).toEqual([])
    expect(await restricted('shared/rollups/arbitrum-nitro/status/fixture.ts', '../proof/buildSendTree')).toEqual([])
  })

  it('op-stack derive/ must not import execute/ or proof/', async () => {
    expect(await restricted('shared/rollups/op-stack/derive/fixture.ts', '../execute/executeBlock')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/op-stack/derive/start/fixture.ts', '../../execute/header')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/op-stack/derive/start/fixture.ts', '../../proof/withdrawalProof')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/op-stack/derive/upgrades/fixture.ts', '../../proof/withdrawalProof')).toContain('no-restricted-imports')
    expect(await restricted('shared/rollups/op-stack/derive/start/fixture.ts', '../../common/computeOutputRoot')).toEqual([])
    expect(await restricted('shared/rollups/op-stack/derive/start/fixture.ts', '../../config/rollupConfig')).toEqual([])
    expect(await restricted('shared/rollups/op-stack/derive/start/fixture.ts', '../../../../eth/TxDeposit')).toEqual([])
    // execute/ may still use proof/ and derive/ types; the rule is about derive only.
    expect(await restricted('shared/rollups/op-stack/execute/fixture.ts', '../proof/withdrawalProof')).toEqual([])
  })

  it('tests may wire stages together across these layers', async () => {
    expect(await restricted('shared/rollups/op-stack/derive/fixture.test.ts', '../execute/executeBlock')).toEqual([])
    expect(await restricted('shared/l1/fixture.test.ts', '../rollups/op-stack/execute/executeBlock')).toEqual([])
  })

  it('each layer folder keeps the purity rules of shared/ (node built-ins, electron, react)', async () => {
    for (const dir of ['shared/eth', 'shared/l1', 'shared/rollups/arbitrum-nitro', 'shared/rollups/op-stack/execute', 'shared/rollups/op-stack/derive', 'shared/rollups/op-stack/derive/start']) {
      expect(await restricted(`${dir}/fixture.ts`, 'node:fs'), dir).toContain('no-restricted-imports')
      expect(await restricted(`${dir}/fixture.ts`, 'fs'), dir).toContain('no-restricted-imports')
      expect(await restricted(`${dir}/fixture.ts`, 'electron'), dir).toContain('no-restricted-imports')
      expect(await restricted(`${dir}/fixture.ts`, 'react'), dir).toContain('no-restricted-imports')
      expect(await restricted(`${dir}/fixture.ts`, 'ws'), dir).toContain('no-restricted-imports')
      expect(await ruleIds(`${dir}/fixture.ts`, "export const x = () => Buffer.from('a')\n"), dir).toContain('no-restricted-globals')
    }
  })
})
// ── end of the shared/ layer fixtures ─────────────────────────────────────────────────────────────────────────────
