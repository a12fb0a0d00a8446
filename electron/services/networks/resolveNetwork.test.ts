import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { builtInNetwork } from '../../../shared/networks/builtInNetworks'
import { NetworkConfigError } from '../../../shared/networks/errors'
import { toNetworkFile } from '../../../shared/networks/networkFile'
import { ARBITRUM_ONE } from '../../../shared/rollups/arbitrum-nitro/networks'
import { OP_SEPOLIA_ROLLUP_JSON } from '../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import { devnetNetworkFile, devnetNetworksDir } from './devnetNetworks'
import { listNetworks } from './listNetworks'
import { resolveNetwork } from './resolveNetwork'

const dataDir = mkdtempSync(join(tmpdir(), 'eh-networks-'))
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
})

/** A real process whose command line says escape-hatch, as `devnet up`'s does. */
function fakeDevnetServer(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'escape-hatch-devnet-test'], { stdio: 'ignore' })
  children.push(child)
  return child
}

function writeDevnetFile(id: 'devnet-op' | 'devnet-arbitrum', pid: number): void {
  mkdirSync(devnetNetworksDir(dataDir), { recursive: true })
  const entry = id === 'devnet-op' ? { ...builtInNetwork('op-sepolia')!, id } : { ...builtInNetwork('arbitrum-sepolia')!, id, name: 'Devnet Arbitrum' }
  writeFileSync(devnetNetworkFile(dataDir, id), JSON.stringify(toNetworkFile(entry, { pid, startedAt: new Date().toISOString() })))
}

describe('resolveNetwork', () => {
  it('resolves the built-in ids, and refuses a network of the other stack naming the right ones', async () => {
    expect((await resolveNetwork({ network: 'arbitrum-nova', dataDir, stack: 'arbitrum-nitro' })).arbitrum.l2ChainId).toBe(42170)
    expect((await resolveNetwork({ network: 'base', dataDir, stack: 'op-stack' })).rollupConfig.l2ChainId).toBe(8453)
    await expect(resolveNetwork({ network: 'base', dataDir, stack: 'arbitrum-nitro' })).rejects.toThrow(
      /Base \(base\) is an OP Stack chain; this works on Arbitrum Nitro chains only[\s\S]*arbitrum-one, arbitrum-nova, arbitrum-sepolia, devnet-arbitrum \(while a devnet runs\)/,
    )
  })

  it('says an unknown id is unknown, and a devnet id needs a running devnet (the old "Unknown Arbitrum network")', async () => {
    await expect(resolveNetwork({ network: 'polygon', dataDir })).rejects.toThrow(/Unknown network "polygon"[\s\S]*escape-hatch networks/)
    const error = await resolveNetwork({ network: 'devnet-arbitrum', dataDir, stack: 'arbitrum-nitro' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkConfigError)
    expect((error as Error).message).toMatch(/"devnet-arbitrum" is not available: no running devnet serves it[\s\S]*escape-hatch devnet up --stack arbitrum/)
  })

  it('reads a network file by path: rollup.json, Orbit JSON; paths are anything that is not an id', async () => {
    const rollupJson = join(dataDir, 'rollup.json')
    writeFileSync(rollupJson, JSON.stringify(OP_SEPOLIA_ROLLUP_JSON))
    expect(await resolveNetwork({ network: rollupJson, dataDir, stack: 'op-stack' })).toMatchObject({ id: 'op-chain-11155420', source: 'file' })
    const orbit = join(dataDir, 'orbit.json')
    writeFileSync(orbit, JSON.stringify({ chainId: 777, parentChainId: 1, ethBridge: ARBITRUM_ONE.contracts }))
    expect(await resolveNetwork({ network: orbit, dataDir })).toMatchObject({ id: 'arbitrum-chain-777', stack: 'arbitrum-nitro' })
    await expect(resolveNetwork({ network: join(dataDir, 'missing.json'), dataDir })).rejects.toThrow(/Cannot read the network file .*missing\.json: there is no such file/)
    await expect(resolveNetwork({ network: '/dev/zero', dataDir })).rejects.toThrow(/\/dev\/zero is larger than .*, more than a network file can be/)
  })

  it('lists the devnet networks only while the process that wrote them runs; stale ones are ignored with a note', async () => {
    const live = fakeDevnetServer()
    writeDevnetFile('devnet-arbitrum', live.pid!)
    const dead = fakeDevnetServer()
    writeDevnetFile('devnet-op', dead.pid!)
    dead.kill('SIGKILL')
    await new Promise((resolve) => dead.once('exit', resolve))

    const { networks, notes } = await listNetworks(dataDir)
    expect(networks.map((n) => n.id)).toEqual(['op-mainnet', 'op-sepolia', 'base', 'arbitrum-one', 'arbitrum-nova', 'arbitrum-sepolia', 'devnet-arbitrum'])
    expect(notes).toEqual([expect.stringMatching(new RegExp(`devnet-op was ignored: the devnet that wrote it \\(pid ${dead.pid}.*no longer running`))])
    expect(await resolveNetwork({ network: 'devnet-arbitrum', dataDir, stack: 'arbitrum-nitro' })).toMatchObject({ source: 'devnet', name: 'Devnet Arbitrum' })
    await expect(resolveNetwork({ network: 'devnet-op', dataDir })).rejects.toThrow(/not available[\s\S]*no longer running/)

    // A file that is not the devnet's own (no marker, or another id) is ignored too.
    writeFileSync(devnetNetworkFile(dataDir, 'devnet-op'), JSON.stringify(OP_SEPOLIA_ROLLUP_JSON))
    expect((await listNetworks(dataDir)).notes).toEqual([expect.stringMatching(/was ignored: it is not the devnet's own devnet-op network file/)])
    live.kill('SIGTERM')
    await new Promise((resolve) => live.once('exit', resolve))
    expect((await listNetworks(dataDir)).networks).toHaveLength(6)
  })
})
