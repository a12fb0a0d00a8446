// `escape-hatch networks` and `--network devnet-*`, against a real `devnet up` served by another process (as a user
// runs it): the devnet's networks are listed and usable by id while it runs, and gone once it stops.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { main, type CliIo } from '../main'

const home = mkdtempSync(join(tmpdir(), 'eh-networks-cli-'))
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

interface Listed { id: string; stack: string; source: string; l1ChainId: number; l2ChainId: number; support: { topic: string; level: string; says: string }[] }
const PUBLIC = ['op-mainnet', 'op-sepolia', 'base', 'arbitrum-one', 'arbitrum-nova', 'arbitrum-sepolia']

describe('escape-hatch networks', () => {
  it('lists the six public networks by id, with stack, chain ids and plain support facts', async () => {
    const r = await run(['networks', '--json'])
    expect(r.code).toBe(0)
    const { networks, notes } = JSON.parse(r.stdout) as { networks: Listed[]; notes: string[] }
    expect(networks.map((n) => n.id)).toEqual(PUBLIC)
    expect(notes).toEqual([])
    expect(networks.find((n) => n.id === 'arbitrum-nova')).toMatchObject({ stack: 'arbitrum-nitro', l1ChainId: 1, l2ChainId: 42170 })
    expect(networks.find((n) => n.id === 'base')!.support.find((f) => f.topic === 'withdrawals')?.level).toBe('unsupported')
    const text = await run(['networks'])
    expect(text.stdout).toMatch(/^op-mainnet — OP Mainnet \(OP Stack, L2 chain 10 on L1 chain 1\)/)
    expect(text.stdout).toMatch(/arbitrum-nova — Arbitrum Nova[\s\S]*batch-data: limited — [^\n]*DAS endpoint/)
  })

  it('the old "Unknown Arbitrum network" for the devnet now says how to start one', async () => {
    const r = await run(['arb', 'status', '--network', 'devnet-arbitrum', '--address', '0x976EA74026E726554dB657fA54763abd0C3a0aa9', '--l1-rpc', 'http://127.0.0.1:1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/"devnet-arbitrum" is not available: no running devnet serves it[\s\S]*escape-hatch devnet up --stack arbitrum/)
  })

  it('while `devnet up` runs: lists devnet-op and devnet-arbitrum, and `arb status` / `status` / `op derive` take them by id', async () => {
    const proc = spawn(process.execPath, ['bin/escape-hatch.mjs', 'devnet', 'up', '--stack', 'both', '--json', '--quiet'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
    up = proc
    let stderr = ''
    proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).once('line', resolve)
      void exited.then((code) => reject(new Error(`devnet up exited (${code}): ${stderr}`)))
    })
    const ready = JSON.parse(firstLine) as { rpcUrl: string; networkPaths: string[]; manifest: { op: { startBlock: number }; arbitrum: { network: { l2ChainId: number } } } }
    expect(ready.networkPaths.map((p) => p.split('/').pop())).toEqual(['devnet-op.json', 'devnet-arbitrum.json'])

    const listed = JSON.parse((await run(['networks', '--json'])).stdout) as { networks: Listed[] }
    expect(listed.networks.map((n) => n.id)).toEqual([...PUBLIC, 'devnet-op', 'devnet-arbitrum'])
    expect(listed.networks.slice(6)).toMatchObject([
      { id: 'devnet-op', stack: 'op-stack', source: 'devnet', l1ChainId: 31337 },
      { id: 'devnet-arbitrum', stack: 'arbitrum-nitro', source: 'devnet', l1ChainId: 31337, l2ChainId: ready.manifest.arbitrum.network.l2ChainId },
    ])

    // arb status by id: contracts checked against the Bridge on the devnet's L1, withdrawals from the devnet L2 the
    // network file names (no --l2-rpc needed).
    const status = await run(['arb', 'status', '--network', 'devnet-arbitrum', '--address', '0x976EA74026E726554dB657fA54763abd0C3a0aa9', '--l1-rpc', ready.rpcUrl, '--json', '--quiet'])
    expect(status.stderr).toBe('')
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ network: { name: 'Devnet Arbitrum', l2ChainId: ready.manifest.arbitrum.network.l2ChainId }, withdrawals: [] })
    // escape-hatch status by id (the RollupAdapter read side), same network, no --l2-rpc.
    const exits = await run(['status', '--network', 'devnet-arbitrum', '--address', '0x976EA74026E726554dB657fA54763abd0C3a0aa9', '--l1-rpc', ready.rpcUrl, '--json', '--quiet'])
    expect(exits.stderr).toBe('')
    expect(JSON.parse(exits.stdout)).toMatchObject({ network: { stack: 'arbitrum-nitro', name: 'Devnet Arbitrum' }, exits: [] })
    // op derive by id: the devnet's rollup config, from its genesis L1 block.
    const start = ready.manifest.op.startBlock
    const derived = await run(['op', 'derive', '--network', 'devnet-op', '--rpc', ready.rpcUrl, '--to', String(start + 2), '--json', '--quiet', '--no-cache'])
    expect(derived.stderr).toBe('')
    expect(derived.code).toBe(0)
    expect(JSON.parse(derived.stdout)).toMatchObject({ start: { kind: 'genesis', l1Start: start } })
    // The wrong stack is refused by name.
    expect((await run(['op', 'derive', '--network', 'devnet-arbitrum', '--rpc', ready.rpcUrl, '--to', '1'])).stderr).toMatch(/is an Arbitrum Nitro chain; this works on OP Stack chains only/)

    expect((await run(['devnet', 'down', '--json'])).code).toBe(0)
    expect(await exited).toBe(0)
    const after = JSON.parse((await run(['networks', '--json'])).stdout) as { networks: Listed[]; notes: string[] }
    expect(after.networks.map((n) => n.id)).toEqual(PUBLIC)
    expect(after.notes).toEqual([])
  })
})
