/**
 * `escape-hatch op replay-range (--network N | --config FILE) --l2-rpc URL --from N --to M
 * [--start-output-root 0x…] [--expect-output-root 0x…] [--json]`: re-executes L2 blocks N+1..M with our own executor,
 * on witnesses from an untrusted L2 node (debug_executionWitness), each block hash checked against the re-execution,
 * and prints our output root for block M — to confirm or refute a dispute game's root claim by our own execution.
 * Progress (blocks/s, Mgas/s, tx/s) goes to stderr as it runs.
 */
import { type Hex } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { computeOutputRoot } from '../../../shared/rollups/op-stack/common/computeOutputRoot'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../shared/eth/predeploys'
import { verifyL2Block } from '../../../shared/rollups/op-stack/derive/start/verifyL2Block'
import { needsMessagePasserProof, provenMessagePasserStorageRoot, verifyOutputRoot } from '../../../shared/rollups/op-stack/derive/start/verifyOutputRoot'
import { replayRange, type ReplayProgress } from '../../../shared/rollups/op-stack/replay/replayRange'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { openL2Node } from '../../services/op/openL2Node'
import { createExecutionKzg } from '../../services/state/createExecutionKzg'
import { usageError, type Command } from '../command'
import { networkOption } from '../networkOption'

const ROOT = /^0x[0-9a-fA-F]{64}$/

export const opReplayRangeCommand: Command = {
  path: ['op', 'replay-range'],
  summary: 'Re-execute a run of OP Stack L2 blocks with witnesses from an untrusted node and compute the output root.',
  description: [
    'Starts from L2 block --from (its header is read from --l2-rpc and, with --start-output-root, checked against',
    'that output root: give the one L1 holds, e.g. the AnchorStateRegistry anchor) and re-executes every block up to',
    '--to with the node\'s transactions and debug_executionWitness state. Every witness entry is checked by its hash',
    'and every block must re-execute to the hash the node claims, or the replay stops naming the node. The output',
    'root printed for --to is computed here; --expect-output-root compares it (e.g. with a dispute game\'s root',
    'claim): exit 0 on a match, 1 on a mismatch. The node chooses which transactions it serves: a match confirms the',
    'claim for the chain the node served; derivation from L1 (op derive) pins the transactions themselves.',
  ].join('\n'),
  options: {
    network: { type: 'string', description: 'An OP Stack network id (see `escape-hatch networks`) or a network FILE.', valueName: 'ID|FILE' },
    config: { type: 'string', description: 'rollup.json of the chain (instead of --network).', valueName: 'FILE' },
    'l2-rpc': { type: 'string', description: 'L2 JSON-RPC URL with the debug API (op-geth, op-reth, reth). Not trusted: every byte is checked.', valueName: 'URL' },
    from: { type: 'string', description: 'The start block (not re-executed; the replay begins at the next one).', valueName: 'N' },
    to: { type: 'string', description: 'The last block to re-execute.', valueName: 'M' },
    'start-output-root': { type: 'string', description: 'The output root L1 holds for --from: the start is checked against it.', valueName: 'ROOT' },
    'expect-output-root': { type: 'string', description: 'The output root claimed for --to (e.g. a dispute game\'s root claim).', valueName: 'ROOT' },
  },
  async run(ctx) {
    const url = ctx.options['l2-rpc'] as string | undefined
    if (!url) usageError('give --l2-rpc URL (an L2 node with the debug API; it is not trusted)')
    const from = blockOption(ctx.options.from, '--from')
    const to = blockOption(ctx.options.to, '--to')
    if (to <= from) usageError('--to must be after --from (the replay re-executes --from+1 … --to)')
    const startRoot = rootOption(ctx.options['start-output-root'], '--start-output-root')
    const expectRoot = rootOption(ctx.options['expect-output-root'], '--expect-output-root')
    const { rollupConfig: config } = await resolveNetwork({ network: networkOption(ctx.options, 'config'), dataDir: ctx.dataDir, stack: 'op-stack' })
    const l2 = await openL2Node(url, config, ctx.signal)

    // The start block's header is what matters (its state root and hash); its transactions are not re-executed.
    const anchor = verifyL2Block({ config, block: await l2.blockByNumber(Number(from), ctx.signal), node: l2.label, headerOnly: true })
    if (startRoot) {
      const proof = needsMessagePasserProof(config, anchor) ? await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, anchor.hash, ctx.signal) : undefined
      verifyOutputRoot({ config, block: anchor, outputRoot: startRoot, ...(proof ? { messagePasserProof: proof } : {}), node: l2.label })
    }
    ctx.progress(`Re-executing L2 blocks ${from + 1n}…${to} from ${l2.label} (start ${startRoot ? 'checked against the output root given' : 'NOT checked against L1: give --start-output-root'})`)
    let lastPrint = 0
    const rate = (p: ReplayProgress): string => {
      const s = Math.max(p.elapsedMs, 1) / 1000
      return `${(p.blocks / s).toFixed(2)} blocks/s, ${(Number(p.gasUsed) / 1e6 / s).toFixed(2)} Mgas/s, ${(p.transactions / s).toFixed(1)} tx/s`
    }
    const result = await replayRange({
      config,
      anchor,
      toBlock: to,
      source: l2,
      kzg: createExecutionKzg(),
      signal: ctx.signal,
      onProgress: (p) => {
        if (p.remaining > 0 && p.elapsedMs - lastPrint < 1000) return
        lastPrint = p.elapsedMs
        ctx.progress(`L2 ${p.head}/${to}: ${p.blocks} block(s), ${p.transactions} txs, ${rate(p)}`)
      },
    })

    // Before Isthmus the output root needs the message passer's storage root: from our execution when the witness
    // held it, else from the node's account proof checked against OUR state root.
    let outputRoot: Hex | null = result.outputRoot ?? null
    let outputRootNote = 'computed from the re-executed state'
    if (outputRoot === null) {
      try {
        const proof = await l2.accountProof(L2_TO_L1_MESSAGE_PASSER, result.head.hash, ctx.signal)
        const head = { hash: result.head.hash, header: result.head.header, transactions: [] }
        const messagePasserStorageRoot = provenMessagePasserStorageRoot({ config, block: head, messagePasserProof: proof, node: l2.label })
        outputRoot = computeOutputRoot({ stateRoot: result.head.stateRoot, messagePasserStorageRoot, latestBlockhash: result.head.hash })
        outputRootNote = 'computed from the re-executed state and the node\'s message-passer proof (checked against it)'
      } catch (e) {
        if (!(e instanceof EscapeError)) throw e
        outputRootNote = `not computed: before Isthmus it needs the message passer's account, which the witness did not hold, and the node's eth_getProof failed (${e.shortMessage})`
      }
    }
    const matches = expectRoot === undefined ? null : outputRoot !== null && outputRoot.toLowerCase() === expectRoot.toLowerCase()
    const seconds = Math.max(result.elapsedMs, 1) / 1000
    const json = {
      from: from.toString(),
      to: to.toString(),
      node: l2.label,
      startChecked: startRoot !== undefined,
      blocks: result.blocks,
      transactions: result.transactions,
      gasUsed: result.gasUsed.toString(),
      seconds,
      blocksPerSecond: result.blocks / seconds,
      mgasPerSecond: Number(result.gasUsed) / 1e6 / seconds,
      head: { number: result.head.number.toString(), hash: result.head.hash, stateRoot: result.head.stateRoot },
      outputRoot,
      expectedOutputRoot: expectRoot ?? null,
      outputRootMatches: matches,
    }
    const text = [
      `Re-executed ${result.blocks} L2 block(s) ${from + 1n}…${to} (${result.transactions} txs, ${result.gasUsed} gas) in ${seconds.toFixed(1)} s: ${json.blocksPerSecond.toFixed(2)} blocks/s, ${json.mgasPerSecond.toFixed(2)} Mgas/s.`,
      `Every block matched the hash ${l2.label} claims; the start was ${startRoot ? 'checked against the output root given' : 'NOT checked against L1 (give --start-output-root)'}.`,
      `block ${to}  ${result.head.hash}`,
      `state root   ${result.head.stateRoot}`,
      `output root  ${outputRoot ?? '—'}  (${outputRootNote})`,
      ...(matches === null ? [] : [matches ? 'OK: the output root matches the one expected.' : outputRoot === null ? `NOT CHECKED: the output root could not be computed, so ${expectRoot} is neither confirmed nor refuted.` : `MISMATCH: expected ${expectRoot} — the claimed root is not what this chain executes to.`]),
    ].join('\n')
    return { json, text, exitCode: matches === false ? 1 : 0 }
  },
}

function blockOption(v: unknown, name: string): bigint {
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) usageError(`${name} must be a block number`)
  return BigInt(v as string)
}

function rootOption(v: unknown, name: string): Hex | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !ROOT.test(v)) usageError(`${name} must be a 32-byte hex output root (0x + 64 hex digits)`)
  return v as Hex
}
