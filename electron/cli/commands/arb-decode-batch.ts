/**
 * `escape-hatch arb decode-batch FILE`: an Arbitrum sequencer batch (L1 calldata, batch data, or a full sequencer
 * message) → header fields, payload kind, message count, transaction count and hashes. Offline and reading only FILE,
 * except for an AnyTrust batch given DAS endpoints (--das-url, --das-url-list): its data is fetched from them and used
 * only if it matches the certificate's data hash.
 */
import { bytesToHex, hexToBytes, isHex, type Hex } from 'viem'
import { ArbBatchFormatError } from '../../../shared/rollups/arbitrum-nitro/errors'
import { decodeBatch, type DecodedBatch } from '../../../shared/rollups/arbitrum-nitro/derive/decodeBatch'
import { decodeBatchCalldata, isBatchPostingCalldata, type BatchCalldata } from '../../../shared/rollups/arbitrum-nitro/derive/decodeBatchCalldata'
import { parseSequencerMessage, SEQUENCER_HEADER_LENGTH, type SequencerBatchHeader } from '../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'
import { readUserFile } from '../../services/files/readUserFile'
import { fetchDasPayload, readDasUrlList } from '../../services/flows/arbitrum/fetchDasPayload'
import { nodeBrotliDecompressor } from '../../services/flows/arbitrum/nodeBrotliDecompressor'
import { endpointLabel } from '../../services/l1/endpointClients'
import { usageError, type Command } from '../command'

/** A batch is at most ~117 KB of calldata or 6 blobs; anything far larger is not a batch. */
const MAX_INPUT_BYTES = 32 * 1024 * 1024
const FORMATS = ['auto', 'calldata', 'data', 'sequencer-message'] as const
type Format = (typeof FORMATS)[number]

const SEGMENT_KIND_NAMES: Record<number, string> = { 0: 'L2Message', 1: 'L2MessageBrotli', 2: 'DelayedMessages', 3: 'AdvanceTimestamp', 4: 'AdvanceL1BlockNumber' }
const L2_KIND_NAMES: Record<number, string> = { 0: 'UnsignedUserTx', 1: 'ContractTx', 3: 'Batch', 4: 'SignedTx', 6: 'Heartbeat' }

export const arbDecodeBatchCommand: Command = {
  path: ['arb', 'decode-batch'],
  args: 'FILE',
  summary: 'Decode an Arbitrum sequencer batch: header, payload kind, L2 messages, transactions and their hashes.',
  description: [
    'FILE holds one of: the input of a SequencerInbox batch-posting transaction (addSequencerL2BatchFromOrigin …),',
    'the batch data itself (flag byte + payload, e.g. {"data": "0x00…"}), or a full sequencer message (40-byte header +',
    'data). Hex (with or without 0x), JSON {"data": "0x…"} or raw bytes. Offline: nothing is fetched.',
    'Without the 40-byte header, timestamps and L1 block numbers are shown unclamped.',
    'AnyTrust (DAS) batches are reported as "data not on L1" unless DAS endpoints are given (--das-url, --das-url-list):',
    'then the data behind the certificate is fetched, checked against its data hash (an endpoint serving other bytes is',
    'refused by name) and decoded. Blob batches need the blobs (see `arb status`).',
  ].join('\n'),
  options: {
    format: { type: 'string', description: `How to read FILE: ${FORMATS.join(' | ')}.`, default: 'auto', valueName: 'FORMAT' },
    'chain-id': { type: 'string', description: 'L2 chain id, for the Arbitrum transaction types (default Arbitrum One).', default: '42161', valueName: 'ID' },
    'delayed-read': { type: 'string', description: 'Delayed messages read before this batch (numbers delayed messages).', valueName: 'N' },
    'das-url': { type: 'string', multiple: true, description: 'AnyTrust: a DAS REST endpoint to fetch the batch data from (untrusted; repeatable).', valueName: 'URL' },
    'das-url-list': { type: 'string', description: 'AnyTrust: a URL listing DAS REST endpoints, one per line (Nova: https://nova.arbitrum.io/das-servers).', valueName: 'URL' },
  },
  async run(ctx) {
    const file = ctx.positionals[0]
    if (!file || ctx.positionals.length > 1) usageError('give exactly one FILE')
    const format = String(ctx.options.format ?? 'auto') as Format
    if (!FORMATS.includes(format)) usageError(`--format must be one of ${FORMATS.join(', ')}`)
    const chainId = parseBigInt(String(ctx.options['chain-id'] ?? '42161'), '--chain-id')
    const delayedRead = ctx.options['delayed-read'] === undefined ? undefined : parseBigInt(String(ctx.options['delayed-read']), '--delayed-read')

    const bytes = parseInputBytes(await readUserFile(file, { what: 'batch file', maxBytes: MAX_INPUT_BYTES, signal: ctx.signal }))
    let header: SequencerBatchHeader | undefined
    let calldata: BatchCalldata | undefined
    let data: Uint8Array
    let resolved: Exclude<Format, 'auto'>
    if (format === 'calldata' || (format === 'auto' && isBatchPostingCalldata(bytes))) {
      calldata = decodeBatchCalldata(bytesToHex(bytes))
      if (calldata.dataInBlobs) {
        throw new ArbBatchFormatError('This batch was posted in EIP-4844 blobs: the calldata holds no batch data.', {
          steps: ['Get the blobs of that L1 transaction from a beacon node or blob archive; they are checked against the versioned hashes before decoding.'],
        })
      }
      data = calldata.data
      resolved = 'calldata'
    } else if (format === 'sequencer-message') {
      const message = parseSequencerMessage(bytes)
      header = message.header
      data = bytes.subarray(SEQUENCER_HEADER_LENGTH)
      resolved = 'sequencer-message'
    } else {
      data = bytes
      resolved = 'data'
    }
    ctx.progress(`Decoding ${data.length} bytes of batch data (${resolved})…`)
    const decode = (dasPayload?: { bytes: Uint8Array; source: string }) =>
      decodeBatch({ data, header, delayedMessagesReadBefore: delayedRead, chainId, decompressor: nodeBrotliDecompressor, dasPayload })
    let decoded = decode()
    const dasUrls = await dasEndpoints(ctx.options, ctx.signal)
    if (decoded.dasCertificate && !decoded.dataOnL1 && dasUrls.length > 0) {
      ctx.progress(`AnyTrust certificate: asking ${dasUrls.length} DAS endpoint(s) for ${decoded.dasCertificate.dataHash}…`)
      const got = await fetchDasPayload({ endpoints: dasUrls, certificate: decoded.dasCertificate, what: calldata ? `batch ${calldata.sequenceNumber}` : undefined, signal: ctx.signal })
      decoded = decode({ bytes: got.bytes, source: got.source })
    }
    return { json: toJson(decoded, resolved, bytes.length, calldata), text: toText(decoded, resolved, calldata) }
  },
}

/** JSON {"data": "0x…"} (or {"input": …}), hex text, or raw bytes. */
export function parseInputBytes(raw: Uint8Array): Uint8Array {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(raw).trim()
  if (text.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new ArbBatchFormatError('The file looks like JSON but does not parse.', { cause: error })
    }
    const value = (parsed as Record<string, unknown>)?.data ?? (parsed as Record<string, unknown>)?.input
    if (typeof value !== 'string') throw new ArbBatchFormatError('The JSON file has no "data" (or "input") hex string.')
    return hexText(value)
  }
  if (/^(0x)?[0-9a-fA-F\s]+$/.test(text) && text.length > 0) return hexText(text)
  return raw
}

function hexText(value: string): Uint8Array {
  const clean = value.replace(/\s+/g, '')
  const hex = (clean.startsWith('0x') ? clean : `0x${clean}`) as Hex
  if (!isHex(hex) || hex.length % 2 !== 0) throw new ArbBatchFormatError('The hex input is malformed (odd length or non-hex characters).')
  return hexToBytes(hex)
}

/** --das-url (repeatable) and the endpoints listed at --das-url-list; each must be http(s). */
async function dasEndpoints(options: Record<string, unknown>, signal: AbortSignal): Promise<string[]> {
  const raw = options['das-url']
  const urls = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String)
  for (const u of urls) if (!/^https?:\/\//.test(u) || !URL.canParse(u)) usageError(`--das-url ${endpointLabel(u)} is not an http(s) URL`)
  const list = options['das-url-list']
  if (list === undefined) return urls
  if (typeof list !== 'string' || !/^https?:\/\//.test(list) || !URL.canParse(list)) usageError('--das-url-list must be an http(s) URL')
  return [...urls, ...(await readDasUrlList(list, signal))]
}

function parseBigInt(value: string, name: string): bigint {
  if (!/^\d+$/.test(value)) usageError(`${name} must be a non-negative integer`)
  return BigInt(value)
}

function toJson(d: DecodedBatch, format: string, inputBytes: number, calldata: BatchCalldata | undefined) {
  return {
    input: { format, bytes: inputBytes },
    calldata: calldata && {
      function: calldata.functionName,
      sequenceNumber: calldata.sequenceNumber,
      afterDelayedMessagesRead: calldata.afterDelayedMessagesRead,
      prevMessageCount: calldata.prevMessageCount,
      newMessageCount: calldata.newMessageCount,
    },
    header: d.header ?? null,
    payloadKind: d.payloadKind,
    flag: d.flag === undefined ? null : `0x${d.flag.toString(16).padStart(2, '0')}`,
    dataOnL1: d.dataOnL1,
    dasCertificate: d.dasCertificate,
    dasDataSource: d.dasDataSource ?? null,
    decompressedLength: d.decompressedLength ?? null,
    segmentCount: d.segmentCount,
    segmentKindCounts: Object.fromEntries(Object.entries(d.segmentKindCounts).map(([k, v]) => [SEGMENT_KIND_NAMES[Number(k)] ?? `kind${k}`, v])),
    messageCount: d.messages.length,
    l2MessageKindCounts: Object.fromEntries(Object.entries(d.l2MessageKindCounts).map(([k, v]) => [L2_KIND_NAMES[Number(k)] ?? `kind${k}`, v])),
    transactionCount: d.transactionCount,
    messages: d.messages.map((m) => ({
      index: m.index,
      source: m.source,
      l2Kind: m.l2Kind,
      timestamp: m.timestamp,
      l1BlockNumber: m.l1BlockNumber,
      delayedIndex: m.delayedIndex,
      txHashes: m.transactions.map((t) => t.hash),
      error: m.error,
      note: m.note,
    })),
    txHashes: d.messages.flatMap((m) => m.transactions.map((t) => t.hash)),
    warnings: d.warnings,
  }
}

function toText(d: DecodedBatch, format: string, calldata: BatchCalldata | undefined): string {
  const lines: string[] = []
  lines.push(`Input: ${format}${calldata ? ` (${calldata.functionName}, batch ${calldata.sequenceNumber}, afterDelayedMessagesRead ${calldata.afterDelayedMessagesRead})` : ''}`)
  if (d.header) {
    const h = d.header
    lines.push(`Header: timestamps ${h.minTimestamp}..${h.maxTimestamp}, L1 blocks ${h.minL1Block}..${h.maxL1Block}, afterDelayedMessagesRead ${h.afterDelayedMessagesRead}`)
  } else {
    lines.push('Header: not in the input (timestamps and L1 blocks below are unclamped)')
  }
  lines.push(`Payload: ${d.payloadKind}${d.flag === undefined ? '' : ` (flag 0x${d.flag.toString(16).padStart(2, '0')})`}${d.decompressedLength === undefined ? '' : `, ${d.decompressedLength} bytes decompressed`}`)
  if (!d.dataOnL1) lines.push('Data NOT on L1.')
  if (d.dasDataSource) lines.push(`AnyTrust data from ${d.dasDataSource}, checked against the certificate's data hash.`)
  lines.push(`Segments: ${d.segmentCount} (${Object.entries(d.segmentKindCounts).map(([k, v]) => `${SEGMENT_KIND_NAMES[Number(k)] ?? `kind ${k}`} ${v}`).join(', ') || 'none'})`)
  lines.push(`L2 messages: ${d.messages.length} (one L2 block each)`)
  lines.push(`Transactions: ${d.transactionCount}`)
  for (const w of d.warnings) lines.push(`! ${w}`)
  lines.push('')
  for (const m of d.messages) {
    const what = m.source === 'sequencer' ? `L2 kind ${L2_KIND_NAMES[m.l2Kind ?? -1] ?? m.l2Kind}` : m.source === 'delayed' ? `delayed #${m.delayedIndex}` : 'invalid'
    lines.push(`#${m.index} ${what}${m.timestamp !== undefined ? ` t=${m.timestamp} l1=${m.l1BlockNumber}` : ''}${m.error ? ` — not run: ${m.error}` : ''}${m.delayedDataMissing ? ' (data not supplied)' : ''}`)
    for (const t of m.transactions) lines.push(`    ${t.hash} ${t.type}${t.chainId === undefined ? ' (no chain id)' : ''}`)
  }
  return lines.join('\n')
}
