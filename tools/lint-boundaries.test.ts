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

  // --- Electron-side layer rules (issue 11) ----------------------------------------------------------------------
  const imports = (from: string, names = 'x') => `import { ${names} } from '${from}'\nexport const y = ${names.split(',')[0]!.trim()}\n`

  it('signers may not import the broadcaster or the flows; the general electron rules still hold there', async () => {
    expect(await ruleIds('electron/services/signers/file/fixture.ts', imports('../../broadcast/sendJournaled', 'sendJournaled'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/signers/file/fixture.ts', imports('../../flows/resumeJob', 'resumeJob'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/signers/ledger/fixture.ts', imports('../../flows/arbitrum/runArbitrumEscape', 'runArbitrumEscape'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/signers/fixture.ts', imports('../../devnet/devnet', 'startDevnet'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/signers/file/fixture.ts', imports('electron', 'app'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/signers/file/fixture.ts', imports('react', 'useState'))).toContain('no-restricted-imports')
    // What they may use: the journal port below both, shared/, their own folder.
    expect(await ruleIds('electron/services/signers/file/fixture.ts', imports('../../journal/journalPort', 'feeBumpPromptId'))).toEqual([])
    expect(await ruleIds('electron/services/signers/file/fixture.ts', imports('./FileSigner', 'FileSigner'))).toEqual([])
  })

  it('one CLI command may not import another (the registry index.ts and tests may)', async () => {
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./jobs-resume', 'jobsResumeCommand'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('../commands/jobs-resume', 'jobsResumeCommand'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./index', 'COMMANDS'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', "export { jobsResumeCommand } from './jobs-resume'\n")).toContain('no-restricted-imports')
    // No exception by symbol either (the network resolvers now live in electron/services/networks).
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./arb-status', 'arbStatusCommand'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./op-decode-batcher-tx', 'opDecodeBatcherTxCommand'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./arb-status', 'loadOpConfig'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./arb-status', 'resolveNetwork'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('./op-decode-batcher-tx', 'loadOpConfig'))).toContain('no-restricted-imports')
    // The general electron rules still hold there.
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('electron', 'app'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('react', 'useState'))).toContain('no-restricted-imports')
    // Shared pieces: electron/cli/ and the engine.
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('../jobOptions', 'stringList'))).toEqual([])
    expect(await ruleIds('electron/cli/commands/fixture.ts', imports('../../services/jobs/bumpFee', 'bumpFee'))).toEqual([])
    expect(await ruleIds('electron/cli/commands/index.ts', imports('./jobs-resume', 'jobsResumeCommand'))).toEqual([])
    expect(await ruleIds('electron/cli/commands/fixture.test.ts', imports('./op-genesis', 'opGenesisCommand'))).toEqual([])
  })

  it('services may not import the devnet, except the drill wiring, tests and test-support', async () => {
    expect(await ruleIds('electron/services/flows/arbitrum/fixture.ts', imports('../../../devnet/devnet', 'startDevnet'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/fixture.ts', imports('../devnet/timeTravel', 'mine'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/jobs/fixture.ts', imports('../../devnet/arbitrum/startArbitrumDevnet', 'startArbitrumDevnet'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/drill/fixture.ts', imports('../../devnet/devnet', 'startDevnet'))).toEqual([])
    expect(await ruleIds('electron/services/flows/arbitrum/fixture.test.ts', imports('../../../devnet/devnet', 'startDevnet'))).toEqual([])
    expect(await ruleIds('electron/services/flows/arbitrum/test-support/fixture.ts', imports('../../../../devnet/devnet', 'startDevnet'))).toEqual([])
    // The general electron rules still hold in services, the drill wiring included.
    expect(await ruleIds('electron/services/jobs/fixture.ts', imports('electron', 'app'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/drill/fixture.ts', imports('electron', 'app'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/flows/fixture.ts', imports('react', 'useState'))).toContain('no-restricted-imports')
    expect(await ruleIds('electron/services/flows/fixture.ts', imports('../journal/JournalStore', 'JournalStore'))).toEqual([])
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
