// The built CLI (out/cli) is a cache of the sources: a start never runs it once a source it was built from changed.
// Each test works on a copy of the sources (with the real node_modules linked in), so editing a file there cannot
// disturb the worktree or other tests; the launcher and the build are the real ones, run as real processes.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../electron/cli/main'

const repoRoot = path.resolve(__dirname, '..')
const COPIED = ['electron', 'shared', 'contracts-abi', 'bin', 'tools/buildCli.mjs', 'package.json', 'package-lock.json']
const BUILD_TIMEOUT = 300_000

let copy: string
beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-cli-build-'))
  for (const item of COPIED) fs.cpSync(path.join(repoRoot, item), path.join(copy, item), { recursive: true, filter: (src) => !src.endsWith('.test.ts') })
  fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(copy, 'node_modules'), 'dir')
})
afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true })
})

function cli(...args: string[]) {
  const child = spawnSync(process.execPath, [path.join(copy, 'bin/escape-hatch.mjs'), ...args], { cwd: copy, encoding: 'utf8', timeout: BUILD_TIMEOUT, env: { ...process.env, ESCAPE_HATCH_HOME: path.join(copy, 'home') } })
  return { status: child.status, stdout: child.stdout, stderr: child.stderr }
}

function stamp(): { entry: string; builtAt: string; inputs: Record<string, [number, number]> } {
  return JSON.parse(fs.readFileSync(path.join(copy, 'out/cli/stamp.json'), 'utf8'))
}

async function inProcess(...argv: string[]): Promise<string> {
  let out = ''
  await main(argv, { stdout: (t) => (out += t), stderr: () => {}, env: process.env })
  return out
}

describe('the built CLI and its stamp', () => {
  it('a fresh clone builds on the first start, then runs the build without rebuilding; the build lists the same commands as the sources', async () => {
    expect(fs.existsSync(path.join(copy, 'out'))).toBe(false)
    const first = cli('--help')
    expect(first.status).toBe(0)
    expect(first.stderr).toBe('')
    const built = stamp()
    expect(Object.keys(built.inputs)).toEqual(expect.arrayContaining(['electron/cli/main.ts', 'electron/cli/commands/drill.ts', 'shared/errors/EscapeError.ts', 'package.json', 'tools/buildCli.mjs']))
    expect(first.stdout).toBe(await inProcess('--help'))

    const second = cli('--json', '--help')
    expect(second.status).toBe(0)
    expect(stamp().builtAt).toBe(built.builtAt)
    expect(JSON.parse(second.stdout)).toEqual(JSON.parse(await inProcess('--json', '--help')))
    // A command's own help comes from the build's table (options, defaults), the same as from the sources.
    expect(cli('drill', '--help').stdout).toBe(await inProcess('drill', '--help'))
    // A command's code is loaded on first use from its own chunk.
    expect(cli('version').stdout).toContain('escape-hatch 0.1.0')
  }, BUILD_TIMEOUT)

  it('the build runs the OP executor on a real block (its WebAssembly keccak comes from a UMD package: a dynamic import of it differs once bundled)', () => {
    const vector = path.join(repoRoot, 'fixtures/vectors/op/executor/op-sepolia-block-26207960.json')
    const run = cli('op', 'replay-block', vector)
    expect(run.stderr).not.toContain('unexpected error')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/block hash\s+0xdb32d9ddfa5fd26c9fb0260bbfa53da88326aa2a465e34d75180564aa31b851e\s+matches/)
  }, BUILD_TIMEOUT)

  it('an edited source is never run from the stale build: the start rebuilds and the edit shows', () => {
    const before = stamp()
    const mainTs = path.join(copy, 'electron/cli/main.ts')
    const source = fs.readFileSync(mainTs, 'utf8')
    expect(source).toContain("'Usage: escape-hatch <command> [options]'")
    fs.writeFileSync(mainTs, source.replace("'Usage: escape-hatch <command> [options]'", "'Usage (edited): escape-hatch <command> [options]'"))
    const run = cli('--help')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Usage (edited): escape-hatch')
    expect(stamp().builtAt).not.toBe(before.builtAt)
  }, BUILD_TIMEOUT)

  it('a touched file deep in the graph (mtime only) or a dependency install also makes the build stale', () => {
    for (const file of ['shared/errors/EscapeError.ts', 'node_modules/.package-lock.json']) {
      const before = stamp()
      const recorded = before.inputs[file]
      expect(recorded, file).toBeDefined()
      // Not the real file's mtime (node_modules is shared): a copy of the stamp says it was built from another version.
      if (file.startsWith('node_modules')) {
        before.inputs[file] = [recorded![0], recorded![1] - 1000]
        fs.writeFileSync(path.join(copy, 'out/cli/stamp.json'), JSON.stringify(before))
      } else {
        const later = new Date(recorded![1] + 5000)
        fs.utimesSync(path.join(copy, file), later, later)
      }
      const run = cli('--help')
      expect(run.status).toBe(0)
      expect(stamp().builtAt, file).not.toBe(before.builtAt)
    }
  }, BUILD_TIMEOUT)

  it('when the build cannot be written, the sources run through tsx and stderr says so', () => {
    fs.rmSync(path.join(copy, 'out/cli'), { recursive: true })
    fs.writeFileSync(path.join(copy, 'out/cli'), 'not a folder')
    try {
      const run = cli('--help')
      expect(run.status).toBe(0)
      expect(run.stdout).toContain('Usage (edited): escape-hatch')
      expect(run.stderr).toMatch(/^escape-hatch: could not rebuild the CLI \(no build stamp.*running from the sources/)
    } finally {
      fs.rmSync(path.join(copy, 'out/cli'))
    }
  }, BUILD_TIMEOUT)
})
