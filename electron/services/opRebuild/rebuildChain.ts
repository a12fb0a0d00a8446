/**
 * A full rebuild of an OP Stack chain from L1 alone: derive every L2 block from L1 (batches, deposits) and execute
 * each with our own executor on a persistent local state (FileStateStore), from genesis. Every `checkpointEvery`
 * blocks the rebuild checkpoints both halves — where derivation stands (derivationCheckpoint) and the state — so a
 * killed rebuild resumes from its last checkpoint and ends with the same output root as an uninterrupted one.
 *
 * The resume point is planned the way op-node plans a reset (planDerivationStart: walk back by channel timeout), over
 * the rebuild's own recent blocks (localL2BlockSource). Right after a resume the window may not yet reach back far
 * enough; a checkpoint is then postponed (never written wrong) until it does.
 *
 * Trust: only L1 (through the caller's verified L1Source) and blobs checked against their versioned hashes. The
 * output root at the end is ours.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { hexToBytes, type Hex } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { decodeHeader, encodeHeader, type BlockHeader } from '../../../shared/eth/header'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../shared/eth/predeploys'
import { toHex } from '../../../shared/eth/bytes'
import type { BlobSource } from '../../../shared/l1/BlobSource'
import type { L1Source } from '../../../shared/l1/L1Source'
import type { Decompressor } from '../../../shared/l1/Decompressor'
import { computeOutputRoot } from '../../../shared/rollups/op-stack/common/computeOutputRoot'
import { type RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { deriveL2Blocks, genesisStart, type DerivationProgress, type DerivationStart, type DeriveL2BlocksParameters } from '../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import type { DerivedL2Block } from '../../../shared/rollups/op-stack/derive/l2Types'
import { planDerivationStart } from '../../../shared/rollups/op-stack/derive/start/planDerivationStart'
import { needsMessagePasserProof, provenMessagePasserStorageRoot } from '../../../shared/rollups/op-stack/derive/start/verifyOutputRoot'
import { createExecutionOracle } from '../../../shared/rollups/op-stack/execute/createExecutionOracle'
import type { ExecuteBlockParameters } from '../../../shared/rollups/op-stack/execute/executeBlock'
import type { Genesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import { releasePidLock, takePidLock } from '../processes/pidLock'
import { FileStateStore } from '../state/FileStateStore'
import { seedGenesis } from '../state/rebuildState'
import { readDerivationCheckpoint, writeDerivationCheckpoint, type DerivationCheckpoint } from './derivationCheckpoint'
import { createLocalL2BlockSource, LocalBlockMissingError } from './localL2BlockSource'

export interface RebuildChainProgress {
  phase: 'starting' | 'rebuilding' | 'done'
  /** The last L2 block executed (and derived). */
  l2Head: number
  l1Block: number
  toL1Block: number
  blocksExecuted: number
  transactions: number
  gasUsed: bigint
  /** The newest checkpoint (L2 block), or null before the first. */
  checkpointedAt: number | null
  /** Where this run resumed from, or null when it started at genesis. */
  resumedFrom: number | null
}

export interface RebuildChainParameters {
  stateDir: string
  config: RollupConfig
  /** Used only when the state folder is new. */
  genesis: Genesis
  l1: L1Source
  blobs?: BlobSource
  decompressor: Decompressor
  toL1Block: number
  upgradeTxSource?: DeriveL2BlocksParameters['upgradeTxSource']
  /** L2 blocks between checkpoints (default 500). */
  checkpointEvery?: number
  kzg?: ExecuteBlockParameters['kzg']
  signal?: AbortSignal
  onProgress?(p: RebuildChainProgress): void
}

export interface RebuildChainResult {
  head: { number: number; hash: Hex; stateRoot: Hex; outputRoot: Hex; l1Origin: { number: number; hash: Hex } }
  l1Reached: number
  resumedFrom: number | null
  blocksExecuted: number
  checkpointedAt: number | null
}

/** Recent blocks kept for planning a checkpoint (bounded; a walk back beyond it postpones the checkpoint). */
const LOCAL_WINDOW = 4096

export async function rebuildChain(p: RebuildChainParameters): Promise<RebuildChainResult> {
  const { config, stateDir } = p
  mkdirSync(stateDir, { recursive: true })
  const lockFile = join(stateDir, 'rebuild.lock')
  const lock = takePidLock(lockFile)
  if (!lock.taken) {
    throw new EscapeError('Another rebuild is already using this folder.', {
      kind: 'user-action',
      steps: [`Wait for it to finish (process ${lock.holder}), or stop it; then run this again to continue from its checkpoint.`],
      details: stateDir,
    })
  }
  let store: FileStateStore
  try {
    store = FileStateStore.open(stateDir)
  } catch (e) {
    releasePidLock(lockFile)
    throw e
  }
  try {
    const { start, resumedFrom, window } = await startingPoint(store, p)
    const local = createLocalL2BlockSource(store, LOCAL_WINDOW)
    // The genesis block ends every walk back near the start of the chain; a resume refills the walked-back window.
    if (resumedFrom === null) local.add({ number: config.genesis.l2.number, hash: config.genesis.l2.hash, transactions: [] })
    for (const b of window) local.add(b)
    const oracle = createExecutionOracle({ config, store, ...(p.kzg ? { kzg: p.kzg } : {}) })
    const every = Math.max(1, p.checkpointEvery ?? 500)
    const progress: RebuildChainProgress = {
      phase: 'starting', l2Head: start.safeHead.number, l1Block: start.l1Start, toL1Block: p.toL1Block, blocksExecuted: 0, transactions: 0, gasUsed: 0n,
      checkpointedAt: resumedFrom, resumedFrom,
    }
    p.onProgress?.({ ...progress })
    let last: DerivedL2Block | undefined
    let sinceCheckpoint = 0

    const checkpoint = async (b: DerivedL2Block): Promise<boolean> => {
      const hash = b.ref.hash as Hex
      const raw = store.get(hexToBytes(hash))
      if (!raw) throw new EscapeError('An executed block is missing from the local state.', { kind: 'critical', details: hash })
      const header = { ...decodeHeader(raw), hash }
      const outputRoot = await ownOutputRoot(config, header, local)
      let plannedStart: DerivationStart
      try {
        plannedStart = (await planDerivationStart({ config, l1: p.l1, l2: local, anchor: { outputRoot, l2BlockNumber: b.ref.number }, ...(p.signal ? { signal: p.signal } : {}) })).start
      } catch (e) {
        if (e instanceof LocalBlockMissingError) return false // the window does not reach back far enough yet
        throw e
      }
      const window = await Promise.all((plannedStart.safeChain ?? []).map(async (e) => {
        const blk = await local.blockByHash(e.ref.hash as Hex)
        return { number: e.ref.number, hash: e.ref.hash as Hex, transactions: blk.transactions }
      }))
      writeDerivationCheckpoint(stateDir, { l2Block: b.ref.number, outputRoot, start: plannedStart, window })
      store.checkpoint({ blockNumber: header.number, blockHash: hash, stateRoot: header.stateRoot, headerRlp: toHex(encodeHeader({ ...header, hash: undefined })) })
      progress.checkpointedAt = b.ref.number
      return true
    }

    const result = await deriveL2Blocks({
      config,
      l1: p.l1,
      ...(p.blobs ? { blobs: p.blobs } : {}),
      decompressor: p.decompressor,
      oracle,
      start,
      toL1Block: p.toL1Block,
      ...(p.upgradeTxSource ? { upgradeTxSource: p.upgradeTxSource } : {}),
      ...(p.signal ? { signal: p.signal } : {}),
      onProgress: (d: Readonly<DerivationProgress>) => {
        progress.l1Block = d.l1Block
        p.onProgress?.({ ...progress, phase: 'rebuilding' })
      },
      onBlock: async (b) => {
        if (b.ref.hash === undefined) throw new EscapeError('A derived block was not executed.', { kind: 'critical', details: `L2 block ${b.ref.number}` })
        local.add({ number: b.ref.number, hash: b.ref.hash, transactions: b.attributes.transactions })
        last = b
        progress.l2Head = b.ref.number
        progress.blocksExecuted++
        progress.transactions += b.attributes.transactions.length
        sinceCheckpoint++
        if (sinceCheckpoint >= every && (await checkpoint(b))) sinceCheckpoint = 0
        p.onProgress?.({ ...progress, phase: 'rebuilding' })
      },
    })
    if (last && sinceCheckpoint > 0) await checkpoint(last)

    const cp = store.checkpointed!
    const headHash = (last?.ref.hash ?? result.safeHead.hash ?? cp.blockHash) as Hex
    const headRaw = store.get(hexToBytes(headHash))
    if (!headRaw) throw new EscapeError('The rebuilt head is missing from the local state.', { kind: 'critical', details: headHash })
    const head = { ...decodeHeader(headRaw), hash: headHash }
    const outputRoot = await ownOutputRoot(config, head, local)
    progress.phase = 'done'
    p.onProgress?.({ ...progress })
    return {
      head: { number: Number(head.number), hash: headHash, stateRoot: head.stateRoot, outputRoot, l1Origin: result.safeHead.l1Origin },
      l1Reached: result.l1Reached.number,
      resumedFrom,
      blocksExecuted: progress.blocksExecuted,
      checkpointedAt: progress.checkpointedAt,
    }
  } finally {
    store.close()
    releasePidLock(lockFile)
  }
}

interface StartingPoint {
  start: DerivationStart
  resumedFrom: number | null
  window: DerivationCheckpoint['window']
}

async function startingPoint(store: FileStateStore, p: RebuildChainParameters): Promise<StartingPoint> {
  const { config } = p
  if (!store.checkpointed) {
    seedGenesis(store, config, p.genesis)
    return { start: genesisStart(config), resumedFrom: null, window: [] }
  }
  const cp = store.checkpointed
  if (cp.blockNumber === BigInt(config.genesis.l2.number)) {
    if (cp.blockHash !== config.genesis.l2.hash) throw foreignState(p.stateDir, `genesis ${cp.blockHash}, the rollup config says ${config.genesis.l2.hash}`)
    return { start: genesisStart(config), resumedFrom: null, window: [] }
  }
  const d = await readDerivationCheckpoint(p.stateDir, Number(cp.blockNumber))
  if (!d) throw foreignState(p.stateDir, `no derivation checkpoint for L2 block ${cp.blockNumber}`)
  if (d.start.safeHead.hash?.toLowerCase() !== cp.blockHash.toLowerCase()) throw foreignState(p.stateDir, `derivation checkpoint block ${d.start.safeHead.hash}, state ${cp.blockHash}`)
  return { start: d.start, resumedFrom: Number(cp.blockNumber), window: d.window }
}

function foreignState(dir: string, details: string): EscapeError {
  return new EscapeError('The rebuild folder holds a state this rebuild cannot continue.', {
    kind: 'user-action',
    steps: ['Use an empty folder for a new rebuild, or delete this one to start over from genesis.'],
    details: `${dir}: ${details}`,
  })
}

/** Our output root for a block we executed: Isthmus+ from the header; before, the message passer in our state. */
async function ownOutputRoot(config: RollupConfig, header: BlockHeader & { hash: Hex }, local: ReturnType<typeof createLocalL2BlockSource>): Promise<Hex> {
  const block = { hash: header.hash, header, transactions: [] }
  const proof = needsMessagePasserProof(config, block) ? await local.accountProof(L2_TO_L1_MESSAGE_PASSER, header.hash) : undefined
  const messagePasserStorageRoot = provenMessagePasserStorageRoot({ config, block, ...(proof ? { messagePasserProof: proof } : {}) })
  return computeOutputRoot({ stateRoot: header.stateRoot, messagePasserStorageRoot, latestBlockhash: header.hash })
}

