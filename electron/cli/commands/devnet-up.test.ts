import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../main'

const home = mkdtempSync(join(tmpdir(), 'eh-devnet-cli-'))
const env = { ...process.env, ESCAPE_HATCH_HOME: home }
const repoRoot = new URL('../../../', import.meta.url).pathname
let up: ChildProcess | undefined

afterAll(() => {
  // Only if an assertion failed half-way: the CLI process owns its anvil and stops it on SIGTERM.
  if (up && up.exitCode === null) up.kill('SIGTERM')
})

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env }
  const code = await main(argv, io, new AbortController().signal)
  return { code, stdout, stderr }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('escape-hatch devnet up / down', () => {
  it('refuses a bad --stack', async () => {
    const r = await run(['devnet', 'up', '--stack', 'polygon'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--stack must be op, arbitrum or both/)
  })

  it('says when no devnet is running', async () => {
    const r = await run(['devnet', 'down', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'not-running' })
  })

  it('serves a devnet from the real CLI until `devnet down` from another process stops it', async () => {
    up = spawn(process.execPath, ['bin/escape-hatch.mjs', 'devnet', 'up', '--stack', 'op', '--json', '--quiet'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    up.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => up!.once('exit', (code) => resolve(code)))
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: up!.stdout! }).once('line', resolve)
      void exited.then((code) => reject(new Error(`devnet up exited (${code}): ${stderr}`)))
    })
    const ready = JSON.parse(firstLine) as { status: string; rpcUrl: string; beaconUrl: string; manifestPath: string; manifest: { l1: { pid: number }; op?: { contracts: { optimismPortal: string } } } }
    expect(ready.status).toBe('ready')
    expect(ready.manifest.op?.contracts.optimismPortal).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(existsSync(ready.manifestPath)).toBe(true)
    const anvilPid = ready.manifest.l1.pid
    expect(alive(anvilPid)).toBe(true)
    const chainId = await fetch(ready.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' })
    expect(((await chainId.json()) as { result: string }).result).toBe('0x7a69')

    const second = await run(['devnet', 'up', '--stack', 'op'])
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/A devnet is already running/)

    const down = await run(['devnet', 'down', '--json'])
    expect(down.code).toBe(0)
    expect(JSON.parse(down.stdout)).toMatchObject({ status: 'stopped', anvilPid })
    expect(await exited).toBe(0)
    expect(alive(anvilPid)).toBe(false)
    expect(existsSync(ready.manifestPath)).toBe(false)
  })

  it('says in --help what the Arbitrum L2 emulates and that it is not ArbOS', async () => {
    const r = await run(['devnet', 'up', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/is not ArbOS/)
    expect(r.stdout).toMatch(/real EVM/)
    expect(r.stdout).toMatch(/ArbSys/)
    expect(r.stdout).toMatch(/ArbRetryableTx/)
    expect((await run(['devnet', 'up', '--stack', 'op', '--censor', '0x00000000000000000000000000000000000000aa'])).code).toBe(2)
  })

  it('with the Arbitrum stack, also serves the devnet L2 and censors the given address', async () => {
    const censored = '0x976EA74026E726554dB657fA54763abd0C3a0aa9'
    const proc = spawn(process.execPath, ['bin/escape-hatch.mjs', 'devnet', 'up', '--stack', 'arbitrum', '--censor', censored, '--json', '--quiet'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    up = proc
    let stderr = ''
    proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).once('line', resolve)
      void exited.then((code) => reject(new Error(`devnet up exited (${code}): ${stderr}`)))
    })
    const ready = JSON.parse(firstLine) as { manifest: { l1: { pid: number } }; arbitrumL2: { rpcUrl: string; chainId: number; censored: string[] } }
    expect(ready.arbitrumL2.censored).toEqual([censored])
    const res = await fetch(ready.arbitrumL2.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' })
    expect(Number(((await res.json()) as { result: string }).result)).toBe(ready.arbitrumL2.chainId)
    const down = await run(['devnet', 'down', '--json'])
    expect(down.code).toBe(0)
    expect(await exited).toBe(0)
    expect(alive(ready.manifest.l1.pid)).toBe(false)
  })
})
