/**
 * `escape-hatch op derive --rpc URL --config FILE --from N --to M`: the L2 block inputs (payload attributes) derived
 * from L1 blocks N..M, exactly as op-node derives them, with progress on stderr. Derivation starts at the rollup's
 * genesis (N must be the genesis L1 block): a mid-chain start needs a trusted safe head and the SystemConfig at that
 * block, which this version does not read yet. Without execution the result is the honest-sequencer approximation
 * (parent hashes unchecked; every payload assumed valid) and says so.
 */
import { join } from 'node:path'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { hashTx } from '../../../shared/rollups/op-stack/derive/hashTx'
import { deriveL2Blocks, genesisStart } from '../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import { createBeaconBlobSource } from '../../services/blobs/createBeaconBlobSource'
import { loadKzg } from '../../services/kzg'
import { createNodeDecompressor } from '../../services/l1/createNodeDecompressor'
import { createViemL1Source } from '../../services/l1/createViemL1Source'
import { usageError, type Command } from '../command'
import { loadOpConfig } from './op-decode-batcher-tx'

export const opDeriveCommand: Command = {
  path: ['op', 'derive'],
  summary: 'Derive the L2 block inputs of an OP Stack chain from a range of L1 blocks (no sequencer needed).',
  description: [
    'Reads L1 blocks --from..--to (inclusive) through --rpc (give several to cross-check them) and prints every L2',
    'block derived: timestamp, L1 origin, deposits, L1-info tx, sequenced transactions. Blob data needs --beacon',
    '(and --blob-archive for blocks older than ~18 days). Finalized L1 data is cached under the data directory.',
    '--from must be the rollup genesis L1 block (the first block derivation reads); --to may be any later block.',
  ].join('\n'),
  options: {
    rpc: { type: 'string', multiple: true, description: 'L1 JSON-RPC URL (repeat to cross-check endpoints).', valueName: 'URL' },
    config: { type: 'string', description: 'rollup.json of the chain.', valueName: 'FILE' },
    network: { type: 'string', description: 'op-mainnet | base | op-sepolia instead of --config.', valueName: 'NAME' },
    from: { type: 'string', description: 'First L1 block.', valueName: 'N' },
    to: { type: 'string', description: 'Last L1 block (inclusive).', valueName: 'M' },
    beacon: { type: 'string', description: 'Beacon node URL, for blob data.', valueName: 'URL' },
    'blob-archive': { type: 'string', description: 'Beacon-API-compatible blob archive URL.', valueName: 'URL' },
    'include-txs': { type: 'boolean', description: 'Include raw transactions (hex) in --json output.' },
    'no-cache': { type: 'boolean', description: 'Do not use the on-disk L1 cache.' },
  },
  async run(ctx) {
    const rpcs = (ctx.options.rpc as string[] | undefined) ?? []
    if (rpcs.length === 0) usageError('give at least one --rpc URL')
    const config = await loadOpConfig(ctx.options.network as string | undefined, ctx.options.config as string | undefined)
    const from = intOption(ctx.options.from, '--from')
    const to = intOption(ctx.options.to, '--to')
    if (to < from) usageError('--to must be ≥ --from')
    if (from !== config.genesis.l1.number) usageError(`derivation begins at the rollup genesis: --from ${config.genesis.l1.number}`)
    const start = genesisStart(config)
    const l1 = createViemL1Source({ rpcUrls: rpcs, ...(ctx.options['no-cache'] ? {} : { cacheDir: join(ctx.dataDir, 'cache') }) })
    const chainId = await l1.chainId()
    if (chainId !== config.l1ChainId) {
      throw new EscapeError(`The L1 endpoint is on chain ${chainId}, but this rollup settles on chain ${config.l1ChainId}.`, { kind: 'user-action', steps: ['Use an RPC URL of the right L1 network.'] })
    }
    const beacon = ctx.options.beacon as string | undefined
    const archive = ctx.options['blob-archive'] as string | undefined
    const blobs = beacon || archive ? createBeaconBlobSource({ kzg: loadKzg(), ...(beacon ? { beaconUrl: beacon } : {}), ...(archive ? { archiveUrl: archive } : {}) }) : undefined
    let lastReport = 0
    const result = await deriveL2Blocks({
      config,
      l1,
      ...(blobs ? { blobs } : {}),
      decompressor: createNodeDecompressor(),
      start,
      toL1Block: to,
      signal: ctx.signal,
      onProgress: (p) => {
        const now = Date.now()
        if (now - lastReport < 500 && p.l1Block < to) return
        lastReport = now
        ctx.progress(`L1 ${p.l1Block}/${to}: ${p.l1BlocksScanned} blocks scanned, ${p.batcherTransactions} batcher txs, ${p.batchesRead} batches, ${p.l2BlocksDerived} L2 blocks derived`)
      },
    })
    const includeTxs = ctx.options['include-txs'] === true
    const blocks = result.blocks.map((b) => ({
      number: b.ref.number,
      timestamp: b.ref.timestamp,
      l1Origin: b.ref.l1Origin,
      sequenceNumber: b.ref.sequenceNumber,
      derivedFrom: b.derivedFrom.number,
      emptyBatch: b.emptyBatch,
      execution: b.execution,
      depositCount: b.depositCount,
      txCount: b.attributes.transactions.length,
      gasLimit: b.attributes.gasLimit.toString(),
      txHashes: b.attributes.transactions.map(hashTx),
      ...(includeTxs ? { transactions: b.attributes.transactions.map((t) => `0x${Buffer.from(t).toString('hex')}`) } : {}),
    }))
    const json = { l1From: from, l1To: result.l1Reached.number, safeHead: result.safeHead, progress: result.progress, approximation: result.blocks.some((b) => b.execution === 'assumed-valid'), blocks }
    const text = [
      `Derived ${blocks.length} L2 block(s) from L1 ${from}…${result.l1Reached.number} (${result.progress.batcherTransactions} batcher txs, ${result.progress.batchesRead} batches, ${result.progress.emptyBatches} empty).`,
      ...blocks.map((b) => `L2 ${b.number} @${b.timestamp} origin ${b.l1Origin.number} seq ${b.sequenceNumber}: ${b.txCount} tx (${b.depositCount} deposit/system)${b.emptyBatch ? ' [empty batch]' : ''}`),
      json.approximation ? 'Note: not executed — parent hashes unchecked and payloads assumed valid (honest-sequencer approximation).' : '',
    ].filter(Boolean)
    return { json, text: text.join('\n') }
  },
}

function intOption(v: unknown, name: string): number {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) usageError(`${name} must be a block number`)
  return Number(v)
}
