/**
 * Run an 'op-escape' job on a real network from where its journal stands, until it finishes or has to stop: a long
 * wait without `wait` (sequencing window, game clock, proof maturity, airgap), or an offline signature. The deps the
 * drill wires for the devnet (time travel) are wired here for real L1: stopping waiters, or polling ones with `wait`.
 * The L1 gateway over the user's endpoints; the output root from our own rebuild (on a worker thread) or from the
 * untrusted L2 node the user gives for this run.
 */
import { resolve } from 'node:path'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import type { Signer } from '../../../../shared/signing/Signer'
import type { BroadcastJournal } from '../../journal/journalPort'
import { JobPausedError } from '../../journal/JobPausedError'
import { openL1Gateway } from '../../l1/openL1Gateway'
import { defaultRebuildStateDir } from '../../opRebuild/defaultRebuildStateDir'
import { createOpL2NodeSource } from './createOpL2NodeSource'
import { createWorkerRebuildSource } from './createRebuildSource'
import type { OpEscapeResult } from './opEscapeDeps'
import { opEscapeNetworkEntry, opEscapeParamsSchema } from './opEscapeJob'
import { createOpPollingWaiters, createOpStoppingWaiters } from './opWaiters'
import { runOpEscape } from './runOpEscape'

export interface ContinueOpEscapeParameters {
  store: BroadcastJournal
  jobId: string
  /** The data folder (default place of the rebuild's state). */
  dataDir: string
  l1Urls?: readonly string[]
  l2Url?: string
  beaconUrl?: string
  signer: Signer
  wait: boolean
  pollMs?: number
  resumeCommand: string
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

export type ContinueOpEscapeReturnType = { outcome: 'finished'; result: OpEscapeResult } | { outcome: 'paused'; pause: JobPausedError }

export async function continueOpEscape(p: ContinueOpEscapeParameters): Promise<ContinueOpEscapeReturnType> {
  const { state } = await p.store.load(p.jobId)
  const params = opEscapeParamsSchema.parse(state.params)
  const network = opEscapeNetworkEntry(params.network)
  const l1Urls = p.l1Urls && p.l1Urls.length > 0 ? p.l1Urls : params.l1Endpoints
  const l2Url = p.l2Url ?? params.l2RpcUrl
  const beaconUrl = p.beaconUrl ?? params.beaconUrl
  if (!l1Urls || l1Urls.length === 0) {
    throw new EscapeError('This job did not save its RPC URLs (they may contain API keys), so they are needed again.', {
      kind: 'user-action',
      steps: [`Add --l1-rpc URL${params.rpcLabels ? ` (you used ${params.rpcLabels.l1.join(', ')})` : ''} to the command.`],
    })
  }
  if (params.source.kind === 'l2-node' && !l2Url) {
    throw new EscapeError('This job reads an L2 node whose URL it did not save.', { kind: 'user-action', steps: [`Add --l2-rpc URL${params.rpcLabels?.l2 ? ` (you used ${params.rpcLabels.l2})` : ''} to the command.`] })
  }
  const l1 = await openL1Gateway({ urls: l1Urls, l1ChainId: network.l1ChainId, label: `${network.name}'s L1` })
  const pollMs = p.pollMs ?? 12_000
  const waiters = p.wait ? createOpPollingWaiters({ l1, pollMs, signal: p.signal }) : createOpStoppingWaiters({ l1, resumeCommand: p.resumeCommand, pollMs, signal: p.signal })
  const source = params.source
  const progress = p.onProgress ?? (() => undefined)
  try {
    const result = await runOpEscape(p.jobId, {
      store: p.store,
      signer: p.signer,
      l1,
      l1Endpoints: l1Urls,
      ...waiters,
      ...(source.kind === 'rebuild'
        ? {
            rebuild: createWorkerRebuildSource({
              stateDir: resolve(source.stateDir ?? defaultRebuildStateDir(p.dataDir, network.rollupConfig)),
              config: network.rollupConfig, genesisPath: resolve(source.genesisPath), l1RpcUrls: [...l1Urls], ...(beaconUrl ? { beaconUrl } : {}), ...(p.signal ? { signal: p.signal } : {}),
            }),
          }
        : { l2: await createOpL2NodeSource({ url: l2Url as string, config: network.rollupConfig }) }),
      onProgress: ({ step, message }) => progress(`[${step}] ${message}`),
      broadcast: { pollIntervalMs: Math.max(Math.floor(pollMs / 3), 50) },
      signal: p.signal,
    })
    return { outcome: 'finished', result }
  } catch (error) {
    if (error instanceof JobPausedError) return { outcome: 'paused', pause: error }
    if (p.signal?.aborted) {
      throw new EscapeError('Interrupted. The job is saved as it was; nothing signed is lost.', { kind: 'user-action', steps: [`Continue with: ${p.resumeCommand}`], cause: error })
    }
    throw error
  }
}
