import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, it } from 'vitest'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { DEVNET_ROLES } from '../../devnet/devnet'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'
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
    const ready = JSON.parse(firstLine) as {
      status: string
      rpcUrl: string
      beaconUrl: string
      manifestPath: string
      networkPaths: string[]
      manifest: { l1: { pid: number }; accounts: { role: string; privateKey: `0x${string}` }[]; op?: { contracts: { optimismPortal: `0x${string}` } }; opL2?: { genesisBlockHash: string } }
      opL2: { rpcUrl: string; chainId: number; rollupJson: string; genesisJson: string }
    }
    expect(ready.status).toBe('ready')
    expect(ready.manifest.op?.contracts.optimismPortal).toMatch(/^0x[0-9a-fA-F]{40}$/)

    // The OP L2 runs beside it: its files are written, the network file names them, and an L1 deposit reaches the L2.
    const rollup = JSON.parse(readFileSync(ready.opL2.rollupJson, 'utf8')) as { genesis: { l2: { hash: string } }; l2_chain_id: number }
    expect(rollup.genesis.l2.hash).toBe(ready.manifest.opL2?.genesisBlockHash)
    expect(rollup.l2_chain_id).toBe(ready.opL2.chainId)
    expect(existsSync(ready.opL2.genesisJson)).toBe(true)
    const networkFile = JSON.parse(readFileSync(ready.networkPaths[0]!, 'utf8')) as { id: string; devnet: { opL2: unknown }; rollupConfig: { genesis: { l2: { hash: string } } } }
    expect(networkFile.id).toBe('devnet-op')
    expect(networkFile.devnet.opL2).toEqual({ rpcUrl: ready.opL2.rpcUrl, rollupJson: ready.opL2.rollupJson, genesisJson: ready.opL2.genesisJson })
    expect(networkFile.rollupConfig.genesis.l2.hash).toBe(rollup.genesis.l2.hash)
    const user = privateKeyToAccount(ready.manifest.accounts.find((a) => a.role === 'user1')!.privateKey)
    const wallet = devnetWalletClient(ready.rpcUrl, user)
    await wallet.writeContract({ address: ready.manifest.op!.contracts.optimismPortal, abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [user.address, 0n, 100_000n, false, '0x'], value: 10n ** 17n, chain: null })
    // The devnet L1 mines only on transactions and the L2 builds blocks up to L1's time: keep L1 moving while the
    // deposit is waited for, as the OP e2e does (without it this test hung at L2 block 0 in full runs).
    await devnetPublicClient(ready.rpcUrl).request({ method: 'evm_setIntervalMining' as never, params: [1] as never })
    const l2 = devnetPublicClient(ready.opL2.rpcUrl)
    expect(await l2.getChainId()).toBe(ready.opL2.chainId)
    await expect.poll(() => l2.getBalance({ address: user.address }), { timeout: 90_000, interval: 500 }).toBe(10n ** 17n)

    // `op escape` on the running devnet-op (rebuild source: the devnet's genesis file, found from its network file):
    // the job is created, the forced withdrawal signed and sent, and the run stops at a long wait with the resume
    // command; `jobs resume` opens the OP job's signer again and never re-signs what was journaled.
    const userPath = `44'/60'/0'/0/${DEVNET_ROLES.user1}`
    const escape = await run(['op', 'escape', '--network', 'devnet-op', '--l1-rpc', ready.rpcUrl, '--amount', '0.05', '--signer', 'soft-ledger', '--path', userPath, '--poll-seconds', '0.1', '--json'])
    expect(escape.stderr).not.toMatch(/Error/)
    expect(escape.code).toBe(0)
    const first = JSON.parse(escape.stdout) as { jobId: string; outcome: string; resumeCommand: string; transactions: { hash: string; step: string }[] }
    expect(first.outcome).toBe('paused')
    expect(first.resumeCommand).toContain(`jobs resume ${first.jobId}`)
    expect(first.transactions.filter((t) => t.step.startsWith('send-forced-withdrawal'))).toHaveLength(1)
    const resumed = await run(['jobs', 'resume', first.jobId, '--l1-rpc', ready.rpcUrl, '--signer', 'soft-ledger', '--poll-seconds', '0.1', '--json'])
    expect(resumed.code).toBe(0)
    const afterResume = JSON.parse(resumed.stdout) as { outcome: string; transactions: { hash: string; step: string }[] }
    expect(['paused', 'finished']).toContain(afterResume.outcome)
    for (const t of first.transactions) expect(afterResume.transactions.filter((u) => u.step === t.step).map((u) => u.hash)).toContain(t.hash)
    expect(afterResume.transactions.filter((t) => t.step.startsWith('send-forced-withdrawal'))).toHaveLength(1)
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

  it('says in --help what the Arbitrum L2 emulates and that it is not ArbOS, and what the OP L2 runs', async () => {
    const r = await run(['devnet', 'up', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/is not ArbOS/)
    expect(r.stdout).toMatch(/real EVM/)
    expect(r.stdout).toMatch(/ArbSys/)
    expect(r.stdout).toMatch(/ArbRetryableTx/)
    expect(r.stdout).toMatch(/devnet OP L2/)
    // --censor now applies to the OP L2 too; it still needs an address.
    expect((await run(['devnet', 'up', '--stack', 'op', '--censor', 'nobody'])).code).toBe(2)
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
