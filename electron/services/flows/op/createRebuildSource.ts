/**
 * The 'rebuild' source of the OP escape: our own rebuild of the chain from L1 alone (services/opRebuild), continued
 * from its checkpoint on every call, and the rebuilt state read from its FileStateStore. In-process (tests, drill) or
 * on a worker thread (the CLI and the app: a long rebuild must not block the event loop).
 */
import type { BlobSource } from '../../../../shared/l1/BlobSource'
import type { Decompressor } from '../../../../shared/l1/Decompressor'
import type { L1Source } from '../../../../shared/l1/L1Source'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import type { Genesis } from '../../../../shared/rollups/op-stack/genesis/parseGenesis'
import { rebuildChain, type RebuildChainProgress, type RebuildChainResult } from '../../opRebuild/rebuildChain'
import { startChainRebuildInWorker } from '../../opRebuild/rebuildChainWorker'
import { FileStateStore } from '../../state/FileStateStore'
import type { OpRebuildSource } from './opEscapeDeps'

function describe(p: RebuildChainProgress): string {
  return `Rebuild: L1 ${p.l1Block}/${p.toL1Block}, L2 head ${p.l2Head}, ${p.blocksExecuted} blocks executed${p.resumedFrom !== null ? ` (continued from checkpoint ${p.resumedFrom})` : ''}.`
}

function toHead(r: RebuildChainResult) {
  return { number: r.head.number, hash: r.head.hash, stateRoot: r.head.stateRoot, outputRoot: r.head.outputRoot }
}

function stateReader(stateDir: string): OpRebuildSource['openState'] {
  return () => {
    const store = FileStateStore.open(stateDir)
    return { getNode: (h: Uint8Array) => store.get(h), close: () => store.close() }
  }
}

export function createInProcessRebuildSource(p: { stateDir: string; config: RollupConfig; genesis: Genesis; l1: L1Source; blobs?: BlobSource; decompressor: Decompressor; checkpointEvery?: number; signal?: AbortSignal }): OpRebuildSource {
  return {
    async rebuildTo(toL1Block, onProgress) {
      let last = 0
      const r = await rebuildChain({
        stateDir: p.stateDir, config: p.config, genesis: p.genesis, l1: p.l1, decompressor: p.decompressor, toL1Block,
        ...(p.blobs ? { blobs: p.blobs } : {}), ...(p.checkpointEvery ? { checkpointEvery: p.checkpointEvery } : {}), ...(p.signal ? { signal: p.signal } : {}),
        onProgress: (x) => {
          if (x.phase === 'rebuilding' && Date.now() - last < 2000) return
          last = Date.now()
          onProgress?.(describe(x))
        },
      })
      return toHead(r)
    },
    openState: stateReader(p.stateDir),
  }
}

export function createWorkerRebuildSource(p: { stateDir: string; config: RollupConfig; genesisPath: string; l1RpcUrls: string[]; beaconUrl?: string; signal?: AbortSignal }): OpRebuildSource {
  return {
    async rebuildTo(toL1Block, onProgress) {
      let last = 0
      const handle = startChainRebuildInWorker(
        { stateDir: p.stateDir, config: p.config, genesisPath: p.genesisPath, l1RpcUrls: p.l1RpcUrls, ...(p.beaconUrl ? { beaconUrl: p.beaconUrl } : {}), toL1Block },
        (x) => {
          if (x.phase === 'rebuilding' && Date.now() - last < 2000) return
          last = Date.now()
          onProgress?.(describe(x))
        },
      )
      const onAbort = (): void => handle.stop()
      p.signal?.addEventListener('abort', onAbort)
      try {
        return toHead(await handle.result)
      } finally {
        p.signal?.removeEventListener('abort', onAbort)
      }
    },
    openState: stateReader(p.stateDir),
  }
}
