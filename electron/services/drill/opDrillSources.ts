/**
 * The two sources of L2 facts the OP escape job takes (flows/op/opEscapeDeps.ts), built from what the services
 * already offer: the untrusted L2 node (services/op openL2Node: chain id checked, every answer checked by the job
 * against L1) and our own rebuild from L1 alone (services/opRebuild on a worker thread, its FileStateStore read after).
 */
import type { Hex } from 'viem'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import type { OpL2NodeSource, OpRebuildSource } from '../flows/op/opEscapeDeps'
import { openL2Node } from '../op/openL2Node'
import { startChainRebuildInWorker } from '../opRebuild/rebuildChainWorker'
import { FileStateStore } from '../state/FileStateStore'
import { devnetPublicClient } from '../../devnet/devnetClients'

export async function openDrillL2NodeSource(url: string, config: RollupConfig): Promise<OpL2NodeSource> {
  const node = await openL2Node(url, config)
  const client = devnetPublicClient(url, { retryCount: 0 })
  return Object.assign(node, {
    async receipt(hash: Hex) {
      const r = await client.getTransactionReceipt({ hash }).catch(() => undefined)
      if (!r) return undefined
      return { blockNumber: r.blockNumber, status: r.status, logs: r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data, logIndex: l.logIndex })) }
    },
  })
}

export function openDrillRebuildSource(p: { stateDir: string; config: RollupConfig; genesisPath: string; l1RpcUrl: string; beaconUrl: string }): { source: OpRebuildSource; close(): void } {
  const open = new Set<FileStateStore>()
  // FileStateStore.close is not idempotent (it closes a file descriptor): each store is closed once, here.
  const closeStore = (store: FileStateStore) => {
    if (open.delete(store)) store.close()
  }
  const source: OpRebuildSource = {
    async rebuildTo(toL1Block) {
      const r = await startChainRebuildInWorker({ stateDir: p.stateDir, config: p.config, genesisPath: p.genesisPath, l1RpcUrls: [p.l1RpcUrl], beaconUrl: p.beaconUrl, toL1Block, checkpointEvery: 100 }).result
      return { number: r.head.number, hash: r.head.hash, stateRoot: r.head.stateRoot, outputRoot: r.head.outputRoot }
    },
    openState() {
      const store = FileStateStore.open(p.stateDir)
      open.add(store)
      return { getNode: (h: Uint8Array) => store.get(h), close: () => closeStore(store) }
    },
  }
  return { source, close: () => [...open].forEach(closeStore) }
}
