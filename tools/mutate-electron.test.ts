import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ELECTRON_MUTATIONS, formatTable, runElectronMutations } from './mutate-electron'

const root = path.resolve(__dirname, '..')

describe('tools/mutate-electron', () => {
  it('has ten mutations, each matching exactly one place in today\'s electron/main', () => {
    expect(ELECTRON_MUTATIONS).toHaveLength(10)
    for (const m of ELECTRON_MUTATIONS) {
      for (const edit of m.edits) {
        const text = fs.readFileSync(path.join(root, edit.file), 'utf8')
        expect(text.split(edit.from).length - 1, `${m.name} in ${edit.file}`).toBe(1)
      }
    }
  })

  // Each mutation costs one run of the electron/main tests (20-60 s here), so CI runs one per file by default (in
  // ELECTRON_MUTATIONS order);
  // EH_MUTATE_ALL=1 (or `npm run mutate:electron`) runs all ten.
  const subset = process.env.EH_MUTATE_ALL === '1' ? undefined : ['ipc-sender-frame-check-removed', 'window-open-allowed', 'device-permission-granted']
  it('every mutation makes the electron/main tests fail', async () => {
    const { baselineOk, results } = await runElectronMutations(subset ? { only: subset } : {})
    expect(baselineOk).toBe(true)
    expect(results.map((r) => r.name)).toEqual(subset ?? ELECTRON_MUTATIONS.map((m) => m.name))
    expect(results.filter((r) => r.outcome !== 'killed'), formatTable(results)).toEqual([])
  }, 480_000)
})
