/**
 * `escape-hatch op decode-batcher-tx FILE`: an OP Stack batcher transaction (signed EIP-2718 bytes) or its calldata
 * (version byte + frames), hex or binary → frames, channels, batches with block counts, timestamps, tx counts and tx
 * hashes. Offline: nothing is fetched. Span batches are expanded with the chain's genesis time, block time and chain id.
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import { MalformedBatcherDataError } from '../../../shared/rollups/op-stack/derive/errors'
import { inspectBatcherData } from '../../../shared/rollups/op-stack/derive/inspectBatcherData'
import { readUserFile } from '../../services/files/readUserFile'
import { createNodeDecompressor } from '../../services/l1/createNodeDecompressor'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { usageError, type Command } from '../command'
import { networkOption } from '../networkOption'

/** A batcher tx is at most ~128 KB of calldata; a file far larger is not one. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024

export const opDecodeBatcherTxCommand: Command = {
  path: ['op', 'decode-batcher-tx'],
  args: 'FILE',
  summary: 'Decode an OP Stack batcher transaction: frames, channels, batches, L2 blocks and their transaction hashes.',
  description: [
    'FILE holds a signed batcher transaction (EIP-2718 bytes) or its calldata (starting with the 0x00 version byte),',
    'as hex (with or without 0x) or raw bytes. Offline: nothing is fetched. Blob transactions carry their data in blobs;',
    'for those, only the transaction is shown. Span batches are expanded with the network parameters (--network, or',
    '--config for a rollup.json).',
  ].join('\n'),
  options: {
    network: { type: 'string', description: 'An OP Stack network id (op-mainnet, op-sepolia, base, devnet-op while a devnet runs; default op-mainnet) or a network FILE.', valueName: 'ID|FILE' },
    config: { type: 'string', description: 'A rollup.json (or other network file) for another chain.', valueName: 'FILE' },
  },
  async run(ctx) {
    const file = ctx.positionals[0]
    if (!file || ctx.positionals.length > 1) usageError('give exactly one FILE')
    const ref = networkOption(ctx.options, 'config', 'op-mainnet')
    const { rollupConfig: config } = await resolveNetwork({ network: ref, dataDir: ctx.dataDir, stack: 'op-stack' })
    const bytes = parseInput(await readUserFile(file, { what: 'batcher transaction', maxBytes: MAX_INPUT_BYTES, signal: ctx.signal }))
    let result
    try {
      result = await inspectBatcherData(bytes, {
        decompressor: createNodeDecompressor(),
        // Long decodes pause every 50 ms so SIGINT/SIGTERM are handled while they run.
        yieldNow: () => new Promise((resolve) => setImmediate(resolve)),
        chain: { genesisL2Time: config.genesis.l2Time, blockTime: config.blockTime, l2ChainId: config.l2ChainId },
      })
    } catch (e) {
      if (e instanceof MalformedBatcherDataError) {
        throw new EscapeError('The file is not an OP batcher transaction or batcher calldata.', { kind: 'user-action', details: e.reason, cause: e, steps: ['Give the raw signed transaction or its input data.'] })
      }
      throw e
    }
    const lines: string[] = []
    if (result.transaction) {
      const t = result.transaction
      lines.push(`transaction ${t.hash} (${t.type}, nonce ${t.nonce}${t.chainId !== undefined ? `, chain ${t.chainId}` : ''}) to ${t.to ?? '(create)'}`)
      if (t.to && t.to !== config.batchInboxAddress) lines.push(`  note: not sent to this network's batch inbox ${config.batchInboxAddress}`)
      if (t.blobVersionedHashes.length) lines.push(`  blobs: ${t.blobVersionedHashes.join(', ')}`)
    }
    if (result.framesError) lines.push(`frames: none (${result.framesError})`)
    else lines.push(`derivation version ${result.derivationVersion}, ${result.frames.length} frame(s)`)
    for (const f of result.frames) lines.push(`  frame ${f.frameNumber} of channel ${f.channelId}: ${f.dataLength} bytes${f.isLast ? ', last' : ''}`)
    for (const ch of result.channels) {
      if (!ch.complete) {
        lines.push(`channel ${ch.id}: incomplete here (${ch.frames} frame(s)); the rest is in other transactions`)
        continue
      }
      lines.push(`channel ${ch.id}: ${ch.compression}, ${ch.compressedBytes} → ${ch.decompressedBytes} bytes, ${ch.batches.length} batch(es)${ch.stopReason ? ` (stopped: ${ch.stopReason})` : ''}`)
      for (const b of ch.batches) {
        lines.push(`  ${b.type} batch: ${b.blockCount} block(s), ${b.txCount} tx(s), timestamps ${b.firstTimestamp}…${b.lastTimestamp}, L1 origins ${b.firstL1Origin}…${b.lastL1Origin}, parent ${b.parent}`)
        for (const blk of b.blocks) {
          lines.push(`    block @${blk.timestamp} origin ${blk.l1Origin}: ${blk.txCount} tx(s)`)
          for (const h of blk.txHashes) lines.push(`      ${h}`)
        }
      }
    }
    return { json: result, text: lines.join('\n') }
  },
}

/** Hex text (with or without 0x, whitespace ignored) or raw bytes. */
function parseInput(raw: Uint8Array): Uint8Array {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, Math.min(raw.length, 64))).trim()
  if (/^(0x)?[0-9a-fA-F\s]*$/.test(text) && raw.length > 0) {
    const all = new TextDecoder().decode(raw).replace(/\s+/g, '').replace(/^0x/, '')
    if (/^[0-9a-fA-F]*$/.test(all)) {
      if (all.length % 2) throw new EscapeError('The hex input has an odd number of digits.', { kind: 'user-action' })
      return new Uint8Array(Buffer.from(all, 'hex'))
    }
  }
  return raw
}
