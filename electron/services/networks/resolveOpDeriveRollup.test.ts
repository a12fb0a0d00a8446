import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtInNetwork } from '../../../shared/networks/builtInNetworks'
import { toNetworkFile } from '../../../shared/networks/networkFile'
import { OpDeriveRollupSchema } from '../../../shared/ipc/opDeriveSchemas'
import { ARBITRUM_ONE } from '../../../shared/rollups/arbitrum-nitro/networks'
import { OP_SEPOLIA_ROLLUP_JSON } from '../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import { devnetNetworkFile, devnetNetworksDir } from './devnetNetworks'
import { resolveOpDeriveRollup } from './resolveOpDeriveRollup'

const dataDir = mkdtempSync(join(tmpdir(), 'eh-op-derive-rollup-'))

describe('resolveOpDeriveRollup (the app’s rebuild screen)', () => {
  it('picks built-in OP networks and, while a devnet runs, devnet-op — through the same registry as the CLI', async () => {
    expect(await resolveOpDeriveRollup({ kind: 'network', network: 'op-sepolia' }, dataDir)).toMatchObject({ label: 'OP Sepolia', config: { l2ChainId: 11155420 } })
    await expect(resolveOpDeriveRollup({ kind: 'network', network: 'devnet-op' }, dataDir)).rejects.toThrow(/devnet-op" is not available/)

    const server = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'escape-hatch-devnet-test'], { stdio: 'ignore' })
    try {
      mkdirSync(devnetNetworksDir(dataDir), { recursive: true })
      const entry = { ...builtInNetwork('op-sepolia')!, id: 'devnet-op', name: 'Devnet OP Stack' }
      writeFileSync(devnetNetworkFile(dataDir, 'devnet-op'), JSON.stringify(toNetworkFile(entry, { pid: server.pid!, startedAt: new Date().toISOString() })))
      expect(await resolveOpDeriveRollup({ kind: 'network', network: 'devnet-op' }, dataDir)).toMatchObject({ label: 'Devnet OP Stack' })
    } finally {
      server.kill('SIGTERM')
    }
  })

  it('reads a picked rollup.json, refuses an Arbitrum file and anything oversized; the IPC schema takes registry ids only', async () => {
    expect(await resolveOpDeriveRollup({ kind: 'rollup-json', fileName: 'r.json', text: JSON.stringify(OP_SEPOLIA_ROLLUP_JSON) }, dataDir)).toMatchObject({ label: 'r.json (L2 chain 11155420)' })
    await expect(resolveOpDeriveRollup({ kind: 'rollup-json', fileName: 'a.json', text: JSON.stringify(ARBITRUM_ONE) }, dataDir)).rejects.toThrow(/“a\.json” describes an Arbitrum chain/)
    await expect(resolveOpDeriveRollup({ kind: 'rollup-json', text: ' '.repeat(300_000) }, dataDir)).rejects.toThrow(/larger than a rollup\.json can be/)
    expect(OpDeriveRollupSchema.safeParse({ kind: 'network', network: 'devnet-op' }).success).toBe(true)
    expect(OpDeriveRollupSchema.safeParse({ kind: 'network', network: 'arbitrum-one' }).success).toBe(false)
    expect(OpDeriveRollupSchema.safeParse({ kind: 'network', network: '/etc/passwd' }).success).toBe(false)
  })
})
