/**
 * `escape-hatch op derive --rpc URL... (--config FILE | --network N) [--start genesis|anchor|game:0xADDR]
 * [--l2-rpc URL] [--from N] --to M`: the L2 block inputs (payload attributes) derived from L1, exactly as op-node
 * derives them, with progress on stderr.
 * - `--start genesis` (default): from the rollup genesis; --from must be the genesis L1 block. Trusts only L1.
 * - `--start anchor` / `game:0xADDR`: from an output root L1 considers final (the AnchorStateRegistry anchor, or a
 *   dispute game that resolved DEFENDER_WINS and is past the airgap), read at the finalized L1 head. The blocks around
 *   it come from an untrusted --l2-rpc and are verified against that root (start/planDerivationStart.ts); L1 reading
 *   starts where op-node's reset would (walk back by channel timeout).
 * Without execution the result is the honest-sequencer approximation (payloads assumed valid) and says so.
 */
import { join } from 'node:path'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { hashTx } from '../../../shared/rollups/op-stack/derive/hashTx'
import { deriveL2Blocks, genesisStart, type DerivationStart } from '../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import { createNodeUpgradeTxSource } from '../../../shared/rollups/op-stack/derive/upgrades/fetchNodeUpgradeTxs'
import { createBeaconBlobSource } from '../../services/blobs/createBeaconBlobSource'
import { loadKzg } from '../../services/kzg'
import { createNodeDecompressor } from '../../services/l1/createNodeDecompressor'
import { createViemL1Source } from '../../services/l1/createViemL1Source'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { openL2Node } from '../../services/op/openL2Node'
import { resolveAnchoredStart } from '../../services/op/resolveAnchoredStart'
import { usageError, type Command } from '../command'
import { networkOption } from '../networkOption'

export const opDeriveCommand: Command = {
  path: ['op', 'derive'],
  summary: 'Derive the L2 block inputs of an OP Stack chain from a range of L1 blocks (no sequencer needed).',
  description: [
    'Reads L1 blocks --from..--to (inclusive) through --rpc (give several to cross-check them) and prints every L2',
    'block derived: timestamp, L1 origin, deposits, L1-info tx, sequenced transactions. Blob data needs --beacon',
    '(and --blob-archive for blocks older than ~18 days). Finalized L1 data is cached under the data directory.',
    '',
    'Where derivation starts (--start), and what each start trusts:',
    '  genesis       (default) the rollup genesis; --from must be the genesis L1 block. Trusts only your L1 endpoints.',
    '  anchor        the AnchorStateRegistry anchor root, read at the finalized L1 head. Trusts L1 (the contracts',
    '                consider that root final); needs --l2-rpc for the blocks around it, which is NOT trusted: every',
    '                block it serves is re-hashed and checked against the root on L1, and any mismatch stops.',
    '  game:0xADDR   a dispute game that resolved DEFENDER_WINS and is past the finality delay (else refused). Same',
    '                trust as anchor. A mid-chain start reads L1 from the L1 block op-node would (derivation says which).',
    '--to may be any L1 block at or after the start.',
    'Isthmus and Jovian activation blocks need --l2-rpc (any --start): their upgrade transactions are taken from that',
    'untrusted node only if every byte matches the protocol constants and the published contract code hashes.',
  ].join('\n'),
  options: {
    rpc: { type: 'string', multiple: true, description: 'L1 JSON-RPC URL (repeat to cross-check endpoints).', valueName: 'URL' },
    config: { type: 'string', description: 'rollup.json (or other network file) of the chain.', valueName: 'FILE' },
    network: { type: 'string', description: 'An OP Stack network id instead of --config: op-mainnet (default), op-sepolia, base, devnet-op while a devnet runs (see `escape-hatch networks`), or a network FILE.', valueName: 'ID|FILE' },
    start: { type: 'string', description: 'genesis | anchor | game:0xADDR (see above).', valueName: 'WHERE' },
    'l2-rpc': { type: 'string', description: 'L2 JSON-RPC URL (untrusted; verified): blocks around a mid-chain start, and the Isthmus/Jovian upgrade transactions at their activation blocks (any --start).', valueName: 'URL' },
    from: { type: 'string', description: 'First L1 block (--start genesis only: the genesis L1 block).', valueName: 'N' },
    to: { type: 'string', description: 'Last L1 block (inclusive).', valueName: 'M' },
    beacon: { type: 'string', description: 'Beacon node URL, for blob data.', valueName: 'URL' },
    'blob-archive': { type: 'string', description: 'Beacon-API-compatible blob archive URL.', valueName: 'URL' },
    'include-txs': { type: 'boolean', description: 'Include raw transactions (hex) in --json output.' },
    'no-cache': { type: 'boolean', description: 'Do not use the on-disk L1 cache.' },
  },
  async run(ctx) {
    const rpcs = (ctx.options.rpc as string[] | undefined) ?? []
    if (rpcs.length === 0) usageError('give at least one --rpc URL')
    const ref = networkOption(ctx.options, 'config', 'op-mainnet')
    const { rollupConfig: config } = await resolveNetwork({ network: ref, dataDir: ctx.dataDir, stack: 'op-stack' })
    const where = parseStart(ctx.options.start)
    const to = intOption(ctx.options.to, '--to')
    const l2Url = ctx.options['l2-rpc'] as string | undefined
    let from: number | undefined
    if (where.kind === 'genesis') {
      from = ctx.options.from === undefined ? config.genesis.l1.number : intOption(ctx.options.from, '--from')
      if (from !== config.genesis.l1.number) usageError(`derivation from genesis begins at the rollup genesis: --from ${config.genesis.l1.number}`)
      if (to < from) usageError('--to must be ≥ --from')
    } else {
      if (ctx.options.from !== undefined) usageError('--from is only for --start genesis: a mid-chain start reads L1 from the block its anchor determines')
      if (!l2Url) usageError('--start anchor|game needs --l2-rpc URL (an L2 node; it is not trusted)')
    }
    const l1 = createViemL1Source({ rpcUrls: rpcs, ...(ctx.options['no-cache'] ? {} : { cacheDir: join(ctx.dataDir, 'cache') }) })
    const chainId = await l1.chainId()
    if (chainId !== config.l1ChainId) {
      throw new EscapeError(`The L1 endpoint is on chain ${chainId}, but this rollup settles on chain ${config.l1ChainId}.`, { kind: 'user-action', steps: ['Use an RPC URL of the right L1 network.'] })
    }
    // The untrusted L2 node (--l2-rpc): the blocks around a mid-chain anchor, and the Isthmus/Jovian upgrade
    // transactions at their activation blocks (every byte checked: upgrades/verifyNodeUpgradeTxs.ts), for any --start.
    const l2Node = l2Url ? await openL2Node(l2Url, config, ctx.signal) : undefined
    let start: DerivationStart = genesisStart(config)
    let startJson: Record<string, unknown> = { kind: 'genesis', l2Block: config.genesis.l2.number, l1Start: config.genesis.l1.number }
    if (where.kind !== 'genesis') {
      ctx.progress(where.kind === 'anchor' ? 'Reading the anchor root from L1 (finalized head)…' : `Checking dispute game ${where.game} on L1 (finalized head)…`)
      if (!l2Node) return usageError('--start anchor|game needs --l2-rpc URL')
      const { reading, planned } = await resolveAnchoredStart({
        config,
        l1,
        rpcUrls: rpcs,
        l2: l2Node,
        where,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(`Walking back from the anchor: ${p.l2BlocksFetched} L2 block(s) fetched and verified (L2 ${p.l2Block}, L1 origin ${p.l1Origin})`),
      })
      start = planned.start
      startJson = {
        kind: reading.anchor.kind,
        anchor: { outputRoot: reading.anchor.outputRoot, l2Block: reading.anchor.l2BlockNumber, source: reading.anchor.source, gameType: reading.anchor.gameType, method: reading.anchor.method },
        readAtL1Block: reading.l1Block,
        safeHead: planned.safeHead,
        walkBackTo: planned.walkBackTo,
        l1Start: start.l1Start,
        l2BlocksFetched: planned.l2BlocksFetched,
      }
      if (to < start.l1Start) usageError(`--to must be ≥ ${start.l1Start} (the L1 block this start reads from)`)
    }
    const beacon = ctx.options.beacon as string | undefined
    const archive = ctx.options['blob-archive'] as string | undefined
    const blobs = beacon || archive ? createBeaconBlobSource({ kzg: loadKzg(), ...(beacon ? { beaconUrl: beacon } : {}), ...(archive ? { archiveUrl: archive } : {}) }) : undefined
    let lastReport = 0
    const result = await deriveL2Blocks({
      config,
      l1,
      ...(l2Node ? { upgradeTxSource: createNodeUpgradeTxSource(l2Node) } : {}),
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
    const l1From = from ?? start.l1Start
    const json = { start: startJson, l1From, l1To: result.l1Reached.number, safeHead: result.safeHead, progress: result.progress, approximation: result.blocks.some((b) => b.execution === 'assumed-valid'), blocks }
    const text = [
      ...(where.kind === 'genesis' ? [] : [`Start: ${String(startJson.kind)} output root ${(startJson.anchor as { outputRoot: string }).outputRoot} for L2 block ${start.safeHead.number}, read at L1 block ${(startJson.readAtL1Block as { number: number }).number}; L1 reading begins at ${start.l1Start}.`]),
      `Derived ${blocks.length} L2 block(s) from L1 ${l1From}…${result.l1Reached.number} (${result.progress.batcherTransactions} batcher txs, ${result.progress.batchesRead} batches, ${result.progress.emptyBatches} empty).`,
      ...blocks.map((b) => `L2 ${b.number} @${b.timestamp} origin ${b.l1Origin.number} seq ${b.sequenceNumber}: ${b.txCount} tx (${b.depositCount} deposit/system)${b.emptyBatch ? ' [empty batch]' : ''}`),
      json.approximation ? 'Note: not executed — parent hashes unchecked and payloads assumed valid (honest-sequencer approximation).' : '',
    ].filter(Boolean)
    return { json, text: text.join('\n') }
  },
}

function parseStart(v: unknown): { kind: 'genesis' } | { kind: 'anchor' } | { kind: 'game'; game: `0x${string}` } {
  if (v === undefined || v === 'genesis') return { kind: 'genesis' }
  if (v === 'anchor') return { kind: 'anchor' }
  if (typeof v === 'string' && /^game:0x[0-9a-fA-F]{40}$/.test(v)) return { kind: 'game', game: v.slice(5) as `0x${string}` }
  return usageError('--start must be genesis, anchor or game:0x<dispute game address>')
}

function intOption(v: unknown, name: string): number {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) usageError(`${name} must be a block number`)
  return Number(v)
}
