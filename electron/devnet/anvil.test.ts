import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, fromBlobs, http, parseGwei, stringToHex, toBlobs, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil, devnetAccounts, type AnvilHandle } from './anvil'
import { AnvilCrashedError, AnvilMissingError, AnvilPortInUseError, AnvilStartError, DevnetRpcError } from './anvilErrors'
import { resolveAnvilBinary } from './resolveAnvilBinary'
import { loadViemKzg } from '../services/kzg'
import { increaseTime, mine, revert, setNextBlockTimestamp, snapshot } from './timeTravel'

const started: AnvilHandle[] = []
afterEach(async () => {
  // Runs when a test fails too: no anvil survives a test.
  await Promise.all(started.splice(0).map((h) => h.stop()))
})

async function start(options: Parameters<typeof startAnvil>[0] = {}): Promise<AnvilHandle> {
  const handle = await startAnvil(options)
  started.push(handle)
  return handle
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

describe('startAnvil', () => {
  it('derives the standard development accounts', () => {
    const accounts = devnetAccounts()
    expect(accounts).toHaveLength(10)
    expect(accounts[0]).toEqual({
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    })
    expect(accounts[1]?.address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')
  })

  it('starts prague anvil, carries a blob tx, serves the blob on the beacon endpoint, and stops without a trace', async () => {
    const anvil = await start({ chainId: 900 })
    expect(anvil.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(anvil.chainId).toBe(900)
    expect(pidAlive(anvil.pid)).toBe(true)

    const publicClient = createPublicClient({ transport: http(anvil.rpcUrl) })
    expect(await publicClient.getChainId()).toBe(900)
    // Prague: EIP-7685 requestsHash exists in headers; Osaka's CLZ would not be active, which we do not rely on.
    const genesis = await publicClient.request({ method: 'eth_getBlockByNumber', params: ['0x0', false] })
    expect(genesis).toHaveProperty('requestsHash')

    const account = privateKeyToAccount(anvil.accounts[3]!.privateKey)
    const wallet = createWalletClient({ account, transport: http(anvil.rpcUrl) })
    const payload = stringToHex('escape hatch devnet blob '.repeat(200))
    const blobs = toBlobs({ data: payload })
    const hash = await wallet.sendTransaction({
      blobs,
      kzg: loadViemKzg(),
      maxFeePerBlobGas: parseGwei('30'),
      to: '0x000000000000000000000000000000000000dEaD',
      chain: null,
    })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(receipt.blobGasUsed).toBe(131072n)

    const response = await fetch(`${anvil.beaconUrl}/eth/v1/beacon/blobs/${receipt.blockNumber}`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { data: `0x${string}`[] }
    expect(body.data).toHaveLength(1)
    expect(body.data[0]).toBe(blobs[0])
    expect(fromBlobs({ blobs: body.data })).toBe(payload)

    const pid = anvil.pid
    await anvil.stop()
    expect(anvil.isRunning()).toBe(false)
    expect(pidAlive(pid)).toBe(false)
    await anvil.stop() // idempotent
  })

  it('stop() leaves nothing that keeps the process alive (every CLI run that used a devnet waited 5 s to exit)', async () => {
    // In a process of its own: what is still pending once start + stop are done is what would delay its exit.
    const dir = mkdtempSync(join(tmpdir(), 'anvil-stop-'))
    const script = join(dir, 'stop.mts')
    writeFileSync(script, `import { startAnvil } from ${JSON.stringify(new URL('./anvil.ts', import.meta.url).pathname)}
const a = await startAnvil()
await a.stop()
console.log(JSON.stringify(process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'ProcessWrap')))
`)
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 })
    expect(child.status, child.stderr).toBe(0)
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual([])
  })

  it('names the port when a fixed port is taken', async () => {
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
    const port = (server.address() as { port: number }).port
    try {
      const error = await startAnvil({ port }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AnvilPortInUseError)
      expect((error as AnvilPortInUseError).shortMessage).toBe(`Cannot start the devnet: port ${port} on 127.0.0.1 is already in use.`)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('names the missing npm package when a platform has no anvil installed', () => {
    // Only linux-amd64 is on the registry; elsewhere the user points ESCAPE_HATCH_ANVIL at a foundryup anvil.
    expect(() => resolveAnvilBinary({ platform: 'darwin', arch: 'arm64', env: {} })).toThrow(AnvilMissingError)
    expect(() => resolveAnvilBinary({ platform: 'freebsd', arch: 'x64', env: {} })).toThrow(/no anvil npm package for freebsd\/x64/)
    const real = resolveAnvilBinary().path
    expect(resolveAnvilBinary({ platform: 'darwin', arch: 'arm64', env: { ESCAPE_HATCH_ANVIL: real } })).toEqual({ packageName: 'ESCAPE_HATCH_ANVIL', path: real })
    expect(() => resolveAnvilBinary({ env: { ESCAPE_HATCH_ANVIL: '/nonexistent/anvil' } })).toThrow(/not an executable file/)
    expect(resolveAnvilBinary().packageName).toMatch(/^@foundry-rs\/anvil-/)
  })

  it('fails to start with a clear error when the binary does not exist', async () => {
    const error = await startAnvil({ binary: '/nonexistent/anvil' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AnvilStartError)
    expect((error as AnvilStartError).details).toMatch(/ENOENT/)
  })

  it('reports anvil output when it refuses its arguments', async () => {
    const error = await startAnvil({ hardfork: 'not-a-fork' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AnvilStartError)
    expect((error as AnvilStartError).details).toMatch(/Unknown hardfork/)
  })

  it('detects a crash mid-run and names the step that found it', async () => {
    const anvil = await start()
    process.kill(anvil.pid, 'SIGKILL')
    const exit = await anvil.exited
    expect(exit).toMatchObject({ signal: 'SIGKILL', expected: false })
    expect(anvil.isRunning()).toBe(false)
    expect(() => anvil.assertRunning('deploy OptimismPortal2')).toThrow(AnvilCrashedError)
    expect(() => anvil.assertRunning('deploy OptimismPortal2')).toThrow(/stopped unexpectedly \(killed by SIGKILL\); failed step: deploy OptimismPortal2/)
    await expect(mine(anvil.rpcUrl, 1)).rejects.toThrow(DevnetRpcError)
    await expect(mine(anvil.rpcUrl, 1)).rejects.toThrow(/did not do "mine 1 block\(s\)"/)
  })

  it('leaves no anvil behind when the process that started it is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anvil-orphan-'))
    const script = join(dir, 'start.mts')
    writeFileSync(script, `import { startAnvil } from ${JSON.stringify(new URL('./anvil.ts', import.meta.url).pathname)}
const a = await startAnvil()
console.log(a.pid)
setInterval(() => {}, 1000)
`)
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
      parent.once('exit', (code) => reject(new Error(`child exited early: ${code}`)))
    })
    expect(pidAlive(pid)).toBe(true)
    parent.kill('SIGKILL')
    // The watchdog notices the closed pipe and kills anvil's process group.
    for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50))
    expect(pidAlive(pid)).toBe(false)
  })

  it('stops when aborted during start', async () => {
    const controller = new AbortController()
    controller.abort(new Error('user pressed stop'))
    await expect(startAnvil({ signal: controller.signal })).rejects.toThrow('user pressed stop')
  })
})

describe('timeTravel', () => {
  it('moves time, mines, and reverts snapshots', async () => {
    const anvil = await start()
    const client = createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 })
    const before = await client.getBlock()
    const after = await increaseTime(anvil.rpcUrl, 3600)
    expect(after - before.timestamp).toBeGreaterThanOrEqual(3600n)
    expect(await client.getBlockNumber()).toBe(before.number + 1n)

    const id = await snapshot(client)
    await mine(client, 10, 12)
    expect(await client.getBlockNumber()).toBe(before.number + 11n)
    await setNextBlockTimestamp(anvil.rpcUrl, after + 100_000n)
    const t = await mine(anvil.rpcUrl)
    expect(t).toBe(after + 100_000n)
    await revert(anvil.rpcUrl, id)
    expect(await client.getBlockNumber()).toBe(before.number + 1n)
    await expect(revert(anvil.rpcUrl, id)).rejects.toThrow(/unknown or already used snapshot/)
    await expect(increaseTime(anvil.rpcUrl, -1)).rejects.toThrow(/time only moves forward/)
    expect(toHex(anvil.chainId)).toBe('0x7a69')
  })
})
