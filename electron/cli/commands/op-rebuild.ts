/**
 * `escape-hatch op rebuild (--network N | --config FILE) --genesis FILE --l1-rpc URL… [--beacon URL] --to L1BLOCK
 * [--state-dir DIR] [--json]`: rebuild an OP Stack chain from L1 alone — every batch and deposit derived, every block
 * executed by our own executor from the genesis state — and print the head and OUR output root. For a chain whose
 * operator vanished (no L2 node anywhere) this is what the escape stands on. Runs on a worker thread, checkpoints as
 * it goes; run it again after a crash or Ctrl-C and it continues from the last checkpoint.
 */
import { resolve } from 'node:path'
import { defaultRebuildStateDir } from '../../services/opRebuild/defaultRebuildStateDir'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { startChainRebuildInWorker } from '../../services/opRebuild/rebuildChainWorker'
import { usageError, type Command } from '../command'
import { l1RpcOption } from '../diagnosisOptions'
import { networkOption } from '../networkOption'

export const opRebuildCommand: Command = {
  path: ['op', 'rebuild'],
  summary: 'Rebuild an OP Stack chain from L1 alone (derive + execute from genesis) and print its output root.',
  description: [
    'Reads every L1 block from the rollup genesis to --to through --l1-rpc (several are cross-checked), derives the L2',
    'blocks exactly as op-node does, and executes each with Escape Hatch\'s own executor from the --genesis state. No',
    'L2 node and no sequencer are asked anything. Blob batches need --beacon. The state is kept under --state-dir',
    '(default: the data directory, one folder per chain) and checkpointed: a rebuild stopped by Ctrl-C, a crash or a',
    'reboot continues from its last checkpoint when run again, and ends with the same output root.',
  ].join('\n'),
  options: {
    network: { type: 'string', description: 'An OP Stack network id (see `escape-hatch networks`) or a network FILE.', valueName: 'ID|FILE' },
    config: { type: 'string', description: 'rollup.json of the chain (instead of --network).', valueName: 'FILE' },
    genesis: { type: 'string', description: 'The chain\'s L2 genesis file (genesis.json with the alloc).', valueName: 'FILE' },
    'l1-rpc': { type: 'string', multiple: true, description: 'L1 JSON-RPC URL; repeat it for several endpoints.', valueName: 'URL' },
    beacon: { type: 'string', description: 'Beacon node (or blob archive) URL, for blob batches.', valueName: 'URL' },
    to: { type: 'string', description: 'Last L1 block to read (inclusive).', valueName: 'L1BLOCK' },
    'state-dir': { type: 'string', description: 'Folder for the rebuilt state and its checkpoints.', valueName: 'DIR' },
    'checkpoint-every': { type: 'string', description: 'L2 blocks between checkpoints (default 500).', valueName: 'N' },
  },
  async run(ctx) {
    const genesisPath = ctx.options.genesis as string | undefined
    if (!genesisPath) usageError('give --genesis FILE (the chain\'s L2 genesis with its alloc)')
    const l1RpcUrls = l1RpcOption(ctx.options['l1-rpc'])
    const to = numberOption(ctx.options.to, '--to')
    const every = ctx.options['checkpoint-every'] === undefined ? undefined : numberOption(ctx.options['checkpoint-every'], '--checkpoint-every')
    const { rollupConfig: config } = await resolveNetwork({ network: networkOption(ctx.options, 'config'), dataDir: ctx.dataDir, stack: 'op-stack' })
    const stateDir = resolve((ctx.options['state-dir'] as string | undefined) ?? defaultRebuildStateDir(ctx.dataDir, config))
    ctx.progress(`Rebuilding L2 chain ${config.l2ChainId} from L1 up to block ${to}; state in ${stateDir}`)
    const started = performance.now()
    let lastPrint = 0
    const handle = startChainRebuildInWorker(
      { stateDir, config, genesisPath: resolve(genesisPath as string), l1RpcUrls, ...(ctx.options.beacon ? { beaconUrl: ctx.options.beacon as string } : {}), toL1Block: to, ...(every ? { checkpointEvery: every } : {}) },
      (p) => {
        const now = performance.now()
        if (p.phase === 'rebuilding' && now - lastPrint < 1000) return
        lastPrint = now
        const s = (now - started) / 1000
        ctx.progress(`L1 ${p.l1Block}/${p.toL1Block} · L2 ${p.l2Head} · ${p.blocksExecuted} blocks executed (${(p.blocksExecuted / Math.max(s, 0.001)).toFixed(1)}/s)${p.resumedFrom !== null ? ` · resumed at ${p.resumedFrom}` : ''}${p.checkpointedAt !== null ? ` · checkpoint ${p.checkpointedAt}` : ''}`)
      },
    )
    // Ctrl-C: the worker stops at its next block; the checkpoint on disk stays valid for the next run.
    const onAbort = (): void => handle.stop()
    ctx.signal.addEventListener('abort', onAbort)
    try {
      const r = await handle.result
      const seconds = (performance.now() - started) / 1000
      const json = { stateDir, l1Reached: r.l1Reached, resumedFrom: r.resumedFrom, blocksExecuted: r.blocksExecuted, seconds, head: r.head, checkpointedAt: r.checkpointedAt }
      const text = [
        `Rebuilt from L1 alone up to L1 block ${r.l1Reached}: L2 head ${r.head.number}${r.resumedFrom !== null ? ` (continued from checkpoint ${r.resumedFrom})` : ''}, ${r.blocksExecuted} blocks executed in ${seconds.toFixed(1)} s.`,
        `block hash   ${r.head.hash}`,
        `state root   ${r.head.stateRoot}`,
        `output root  ${r.head.outputRoot}  (computed here; compare it with a dispute game's root claim)`,
      ].join('\n')
      return { json, text }
    } finally {
      ctx.signal.removeEventListener('abort', onAbort)
    }
  },
}

function numberOption(v: unknown, name: string): number {
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) usageError(`${name} must be a whole number`)
  return Number(v)
}
