/**
 * The state file of a running `escape-hatch devnet up` (`<dataDir>/devnet/process.json`): which process serves the
 * devnet and which anvil it runs, so `escape-hatch devnet down` (another process) can stop it, and a second `up`
 * refuses to start beside it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { DEVNET_NETWORKS_FOLDER } from '../services/networks/devnetNetworks'
import { DEVNET_MANIFEST_FILE } from './manifest'

// Liveness checks live with the network registry, which also needs them (services never import the devnet).
export { isProcessAlive } from '../services/processes/pidLock'
export { processLooksLike } from '../services/networks/processLiveness'

export const DEVNET_PROCESS_FILE = 'process.json'

export const devnetProcessStateSchema = z.object({
  /** The `devnet up` process: SIGTERM makes it stop anvil cleanly and exit. */
  pid: z.number().int().positive(),
  anvilPid: z.number().int().positive(),
  rpcUrl: z.string().url(),
  beaconUrl: z.string().url(),
  stacks: z.array(z.enum(['op', 'arbitrum'])),
  startedAt: z.string().datetime(),
})
export type DevnetProcessState = z.infer<typeof devnetProcessStateSchema>

export function devnetStateDir(dataDir: string): string {
  return join(dataDir, 'devnet')
}

/** Where `devnet up` writes the OP L2's rollup.json and genesis.json. */
export function devnetOpL2Dir(stateDir: string): string {
  return join(stateDir, 'op-l2')
}

/** The state file, or undefined when there is none or it is unreadable (a crashed writer; treated as stale). */
export function readDevnetProcessState(stateDir: string): DevnetProcessState | undefined {
  const path = join(stateDir, DEVNET_PROCESS_FILE)
  if (!existsSync(path)) return undefined
  try {
    const text = readFileSync(path, 'utf8')
    if (text.length > 64_000) return undefined
    const parsed = devnetProcessStateSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

export function writeDevnetProcessState(stateDir: string, state: DevnetProcessState): void {
  mkdirSync(stateDir, { recursive: true })
  const path = join(stateDir, DEVNET_PROCESS_FILE)
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(devnetProcessStateSchema.parse(state), null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, path)
}

/** Remove the state file, the manifest and the network files: a stopped devnet must not look like a network one can use. */
export function clearDevnetState(stateDir: string): void {
  rmSync(join(stateDir, DEVNET_PROCESS_FILE), { force: true })
  rmSync(join(stateDir, DEVNET_MANIFEST_FILE), { force: true })
  rmSync(join(stateDir, DEVNET_NETWORKS_FOLDER), { recursive: true, force: true })
  rmSync(devnetOpL2Dir(stateDir), { recursive: true, force: true })
}
