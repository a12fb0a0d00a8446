/**
 * The devnet's networks as network files, so `--network devnet-op` / `devnet-arbitrum` and the app pick them like any
 * other network: one escape-hatch network file per running stack, with the serving process's pid (the registry lists
 * a file only while that process runs). Each file is validated by the same parser that reads it, then written
 * atomically.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { arbitrumNetworkEntry, opNetworkEntry } from '../../shared/networks/buildNetworkEntry'
import { DEVNET_NETWORK_IDS, type NetworkEntry, type OpStackNetworkEntry } from '../../shared/networks/networkEntry'
import { parseNetworkFile, toNetworkFile, type DevnetMarker } from '../../shared/networks/networkFile'
import { ARBITRUM_DEVNET_SUPPORT, OP_DEVNET_SUPPORT } from '../../shared/networks/supportFacts'
import type { ArbitrumNetwork } from '../../shared/rollups/arbitrum-nitro/network'
import type { RollupConfig } from '../../shared/rollups/op-stack/config/rollupConfig'
import type { DevnetManifest, OpStackDevnetManifest } from './manifest'
import { readDevnetRollupConfig } from './op/readDevnetRollupConfig'

export interface WriteDevnetNetworksParameters {
  /** `<data dir>/devnet/networks` (electron/services/networks/devnetNetworks.ts). */
  networksDir: string
  manifest: DevnetManifest
  /**
   * The devnet OP L2, when it runs: its rollup config (with the real L2 genesis hash; without it the network file
   * carries a labelled placeholder genesis, good for derivation only), its RPC and the rollup.json/genesis.json paths.
   */
  opL2?: { rollupConfig: RollupConfig; rpcUrl: string; rollupJson: string; genesisJson: string }
  /** The Arbitrum devnet's network with its L2 RPC URL, when the Arbitrum L2 runs. */
  arbitrum?: ArbitrumNetwork
  servedBy: DevnetMarker
}

/** The devnet-op network entry (what `--network devnet-op` resolves to; the OP drill saves it with its job). */
export function devnetOpNetworkEntry(rollupConfig: RollupConfig, op: Pick<OpStackDevnetManifest, 'contracts'>): OpStackNetworkEntry {
  return opNetworkEntry({
    id: DEVNET_NETWORK_IDS.op,
    name: 'Devnet OP Stack',
    source: 'devnet',
    rollupConfig,
    extraL1Addresses: { disputeGameFactory: op.contracts.disputeGameFactory, anchorStateRegistry: op.contracts.anchorStateRegistry },
    support: OP_DEVNET_SUPPORT,
  })
}

/** Returns the paths written. */
export async function writeDevnetNetworks(p: WriteDevnetNetworksParameters): Promise<string[]> {
  const entries: NetworkEntry[] = []
  const { op } = p.manifest
  if (op) {
    const rollupConfig = p.opL2?.rollupConfig ?? (await readDevnetRollupConfig(p.manifest.l1.rpcUrl, op))
    entries.push(devnetOpNetworkEntry(rollupConfig, op))
  }
  if (p.arbitrum) entries.push(arbitrumNetworkEntry({ id: DEVNET_NETWORK_IDS.arbitrum, name: 'Devnet Arbitrum', source: 'devnet', arbitrum: p.arbitrum, support: ARBITRUM_DEVNET_SUPPORT }))
  mkdirSync(p.networksDir, { recursive: true })
  return entries.map((entry) => {
    const path = join(p.networksDir, `${entry.id}.json`)
    const opL2 = entry.stack === 'op-stack' && p.opL2 ? { opL2: { rpcUrl: p.opL2.rpcUrl, rollupJson: p.opL2.rollupJson, genesisJson: p.opL2.genesisJson } } : {}
    const text = `${JSON.stringify(toNetworkFile(entry, { ...p.servedBy, ...opL2 }), null, 2)}\n`
    parseNetworkFile(text, path)
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, text, { mode: 0o600 })
    renameSync(tmp, path)
    return path
  })
}
