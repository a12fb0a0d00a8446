/**
 * A mid-chain derivation start, end to end, for every front end (the `op derive` CLI and the app's rebuild screen):
 * read the output root L1 considers final (readStartAnchor), then fetch from the untrusted L2 node (opened with
 * openL2Node, which checks its chain) and verify the anchored block and the walk-back window (planDerivationStart).
 */
import type { Address } from 'viem'
import type { AbortSignalLike } from '../../../shared/l1/BlobSource'
import type { L1Source } from '../../../shared/l1/L1Source'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { planDerivationStart, type PlanDerivationStartParameters, type PlanDerivationStartReturnType } from '../../../shared/rollups/op-stack/derive/start/planDerivationStart'
import type { L2BlockSource } from '../../../shared/rollups/op-stack/derive/start/L2BlockSource'
import { readStartAnchor, type StartAnchorReading } from './readStartAnchor'

export interface ResolveAnchoredStartParameters {
  config: RollupConfig
  /** Headers agreed by all L1 endpoints (createViemL1Source). */
  l1: Pick<L1Source, 'getHeader'>
  /** The same L1 endpoints, for the pinned contract reads. */
  rpcUrls: readonly string[]
  /** The untrusted L2 node (openL2Node). */
  l2: L2BlockSource
  where: { kind: 'anchor' } | { kind: 'game'; game: Address }
  signal?: AbortSignalLike
  onAnchorRead?(reading: StartAnchorReading): void
  onProgress?: PlanDerivationStartParameters['onProgress']
}

export interface AnchoredStart {
  reading: StartAnchorReading
  planned: PlanDerivationStartReturnType
}

export async function resolveAnchoredStart(p: ResolveAnchoredStartParameters): Promise<AnchoredStart> {
  const { config, l2 } = p
  const reading = await readStartAnchor({ rpcUrls: p.rpcUrls, l1: p.l1, l1ChainId: config.l1ChainId, portal: config.depositContractAddress, start: p.where })
  p.onAnchorRead?.(reading)
  const planned = await planDerivationStart({
    config,
    l1: p.l1,
    l2,
    anchor: { outputRoot: reading.anchor.outputRoot, l2BlockNumber: reading.anchor.l2BlockNumber },
    ...(p.signal ? { signal: p.signal } : {}),
    ...(p.onProgress ? { onProgress: p.onProgress } : {}),
  })
  return { reading, planned }
}
