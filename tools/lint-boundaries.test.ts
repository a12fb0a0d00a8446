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
