/**
 * `escape-hatch arb decode-batch FILE`: an Arbitrum sequencer batch (L1 calldata, batch data, or a full sequencer
 * message) → header fields, payload kind, message count, transaction count and hashes. Offline and reading only FILE,
 * except for an AnyTrust batch:
 * - its certificate's aggregated BLS signature is verified against the committee keyset the SequencerInbox holds valid
 *   on L1 (--network, --l1-rpc, --l1-block; readCommittedKeyset + verifyDasSignature), or against a keyset FILE whose
 *   hash must be the one the certificate names (--keyset; offline, not checked against L1). A certificate that does
 *   not verify is refused naming the batch: ArbOS would treat that batch as empty.
 * - given DAS endpoints (--das-url, --das-url-list), its data is fetched from them and used only if it matches the
 *   certificate's data hash. When none serves it, the error says what is missing and what still works.
 */
import { basename } from 'node:path'
import { bytesToHex, hexToBytes, isHex, type Hex } from 'viem'
import { keysetForCertificate, type DasKeyset } from '../../../shared/rollups/arbitrum-nitro/anytrust/dasKeyset'
import { readCommittedKeyset } from '../../../shared/rollups/arbitrum-nitro/anytrust/readCommittedKeyset'
import { verifyDasSignature } from '../../../shared/rollups/arbitrum-nitro/anytrust/verifyDasSignature'
import { ArbBatchFormatError, ArbDasDataUnavailableError } from '../../../shared/rollups/arbitrum-nitro/errors'
import { decodeBatch, type DecodedBatch } from '../../../shared/rollups/arbitrum-nitro/derive/decodeBatch'
import { decodeBatchCalldata, isBatchPostingCalldata, type BatchCalldata } from '../../../shared/rollups/arbitrum-nitro/derive/decodeBatchCalldata'
import { parseSequencerMessage, SEQUENCER_HEADER_LENGTH, type DasCertificate, type SequencerBatchHeader } from '../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'
import { readUserFile } from '../../services/files/readUserFile'
import { fetchDasPayload, readDasUrlList } from '../../services/flows/arbitrum/fetchDasPayload'
import { nodeBrotliDecompressor } from '../../services/flows/arbitrum/nodeBrotliDecompressor'
import { endpointLabel } from '../../services/l1/endpointClients'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { usageError, type Command, type CommandContext } from '../command'
import { blockOption, l1RpcOption } from '../diagnosisOptions'

/** A batch is at most ~117 KB of calldata or 6 blobs; anything far larger is not a batch. */
const MAX_INPUT_BYTES = 32 * 1024 * 1024
/** A keyset is under 64 KiB (SequencerInbox.setValidKeyset); as hex text, twice that and some. */
const MAX_KEYSET_FILE_BYTES = 160 * 1024
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
    'AnyTrust (DAS) batches: the certificate\'s aggregated BLS signature is verified against the committee keyset the',
    'SequencerInbox holds valid on L1 (--network, --l1-rpc, and --l1-block: the block the batch was posted in, default',
    'the latest), or offline against a keyset FILE (--keyset; its hash must be the one the certificate names). A',
    'certificate that does not verify is refused: ArbOS treats such a batch as empty. The data is reported as "not on',
    'L1" unless DAS endpoints are given (--das-url, --das-url-list): then the data behind the certificate is fetched,',
    'checked against its data hash (an endpoint serving other bytes is refused by name) and decoded. Forcing your own',
    'transaction in and withdrawing through the Outbox never need this data. Blob batches need the blobs (see `arb status`).',
  ].join('\n'),
  options: {
    format: { type: 'string', description: `How to read FILE: ${FORMATS.join(' | ')}.`, default: 'auto', valueName: 'FORMAT' },
    'chain-id': { type: 'string', description: 'L2 chain id, for the Arbitrum transaction types (default Arbitrum One).', default: '42161', valueName: 'ID' },
    'delayed-read': { type: 'string', description: 'Delayed messages read before this batch (numbers delayed messages).', valueName: 'N' },
    'das-url': { type: 'string', multiple: true, description: 'AnyTrust: a DAS REST endpoint to fetch the batch data from (untrusted; repeatable).', valueName: 'URL' },
    'das-url-list': { type: 'string', description: 'AnyTrust: a URL listing DAS REST endpoints, one per line (Nova: https://nova.arbitrum.io/das-servers).', valueName: 'URL' },
    network: { type: 'string', description: 'AnyTrust: the Arbitrum network (arbitrum-nova, or a network FILE) whose SequencerInbox holds the committee keyset.', valueName: 'ID|FILE' },
    'l1-rpc': { type: 'string', multiple: true, description: 'AnyTrust: L1 JSON-RPC URL to read the committed keyset (repeatable: reads are cross-checked).', valueName: 'URL' },
    'l1-block': { type: 'string', description: 'AnyTrust: the L1 block the batch was posted in (the keyset must be valid there; default: the latest).', valueName: 'N' },
    keyset: { type: 'string', description: 'AnyTrust, offline: the committee keyset bytes (hex, JSON {"data": …} or raw), checked against the certificate\'s keyset hash.', valueName: 'FILE' },
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
    const certificate = decoded.dasCertificate
    // The certificate is checked before any DAS endpoint is asked: its signature needs only L1 (or the keyset).
    const signature = certificate ? await checkCertificateSignature(ctx, certificate, calldata ? `batch ${calldata.sequenceNumber} (${basename(file)})` : basename(file)) : undefined
    if (certificate && !decoded.dataOnL1 && dasUrls.length > 0) {
      ctx.progress(`AnyTrust certificate: asking ${dasUrls.length} DAS endpoint(s) for ${certificate.dataHash}…`)
      let got
      try {
        got = await fetchDasPayload({ endpoints: dasUrls, certificate, what: calldata ? `batch ${calldata.sequenceNumber}` : undefined, signal: ctx.signal })
      } catch (error) {
        if (!(error instanceof ArbDasDataUnavailableError)) throw error
        // What still holds without the data: a verified certificate is said with the error; an unchecked one as a later step.
        const checked = signature?.checked === true
        throw new ArbDasDataUnavailableError(checked ? `${error.shortMessage} ${describeSignature(signature)}` : error.shortMessage, {
          steps: checked ? error.steps : [...error.steps, describeSignature(signature)], details: error.details, cause: error,
        })
      }
      decoded = decode({ bytes: got.bytes, source: got.source })
    }
    return { json: { ...toJson(decoded, resolved, bytes.length, calldata), dasSignature: signature ?? null }, text: toText(decoded, resolved, calldata, signature) }
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

/** How the certificate's signature was checked (or that it was not). */
export type DasSignatureCheck =
  | { checked: false }
  | {
      checked: true
      /** 'l1': the keyset the SequencerInbox holds valid at l1Block; 'keyset-file': a keyset the user gave (not checked against L1). */
      against: 'l1' | 'keyset-file'
      keysetHash: Hex
      l1Block: bigint | null
      keysetCreationBlock: bigint | null
      signers: number
      committee: number
      assumedHonest: bigint
    }

/**
 * Verify the certificate's BLS signature against the keyset committed on L1 (--network, --l1-rpc) or a keyset file
 * (--keyset); refused (ArbUntrustedDataError naming `source`) when it does not verify. Neither given: not checked.
 */
async function checkCertificateSignature(ctx: CommandContext, certificate: DasCertificate, source: string): Promise<DasSignatureCheck> {
  const o = ctx.options
  const keysetFile = typeof o.keyset === 'string' ? o.keyset : undefined
  const onL1 = o['l1-rpc'] !== undefined || o.network !== undefined
  if (keysetFile !== undefined && onL1) usageError('give --keyset FILE or --network with --l1-rpc, not both')
  const l1Block = blockOption(o['l1-block'], '--l1-block')
  if (l1Block !== undefined && !onL1) usageError('--l1-block needs --network and --l1-rpc')
  let keyset: DasKeyset
  let where: { l1Block: bigint | null; keysetCreationBlock: bigint | null }
  if (keysetFile !== undefined) {
    const raw = parseInputBytes(await readUserFile(keysetFile, { what: 'keyset file', maxBytes: MAX_KEYSET_FILE_BYTES, signal: ctx.signal }))
    keyset = keysetForCertificate(raw, certificate.keysetHash, basename(keysetFile))
    where = { l1Block: null, keysetCreationBlock: null }
  } else if (onL1) {
    if (typeof o.network !== 'string') usageError('--network is required with --l1-rpc (whose SequencerInbox holds the keyset)')
    const urls = l1RpcOption(o['l1-rpc'])
    const { arbitrum: network } = await resolveNetwork({ network: o.network, dataDir: ctx.dataDir, stack: 'arbitrum-nitro' })
    const l1 = await openL1Gateway({ urls, l1ChainId: network.l1ChainId, label: `${network.name}'s L1` })
    const block = l1Block ?? (await l1.pinBlock()).number
    ctx.progress(`AnyTrust certificate: reading keyset ${certificate.keysetHash} from the ${network.name} SequencerInbox at L1 block ${block}…`)
    const committed = await readCommittedKeyset(l1, network, { keysetHash: certificate.keysetHash, signersMask: certificate.signersMask }, block, source)
    keyset = committed.keyset
    where = { l1Block: block, keysetCreationBlock: committed.creationBlock }
  } else {
    return { checked: false }
  }
  const verified = verifyDasSignature({ certificate, keyset, source })
  return {
    checked: true, against: keysetFile !== undefined ? 'keyset-file' : 'l1', keysetHash: certificate.keysetHash, ...where,
    signers: verified.signers, committee: keyset.publicKeys.length, assumedHonest: keyset.assumedHonest,
  }
}

/** One sentence on the certificate's signature, for the output and for the "data unavailable" error. */
function describeSignature(s: DasSignatureCheck | undefined): string {
  if (!s || !s.checked) {
    return 'The certificate\'s BLS signature was NOT checked: give --network and --l1-rpc (the keyset committed on L1), or --keyset FILE.'
  }
  const against = s.against === 'l1'
    ? `keyset ${s.keysetHash}, which the SequencerInbox holds valid at L1 block ${s.l1Block} (committed in block ${s.keysetCreationBlock})`
    : `keyset ${s.keysetHash} from the keyset file (its hash matches; not checked against L1)`
  return `The certificate is valid: its BLS signature by ${s.signers} of ${s.committee} committee members verifies against ${against}.`
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

function toText(d: DecodedBatch, format: string, calldata: BatchCalldata | undefined, signature: DasSignatureCheck | undefined): string {
  const lines: string[] = []
  lines.push(`Input: ${format}${calldata ? ` (${calldata.functionName}, batch ${calldata.sequenceNumber}, afterDelayedMessagesRead ${calldata.afterDelayedMessagesRead})` : ''}`)
  if (d.header) {
    const h = d.header
    lines.push(`Header: timestamps ${h.minTimestamp}..${h.maxTimestamp}, L1 blocks ${h.minL1Block}..${h.maxL1Block}, afterDelayedMessagesRead ${h.afterDelayedMessagesRead}`)
  } else {
    lines.push('Header: not in the input (timestamps and L1 blocks below are unclamped)')
  }
  lines.push(`Payload: ${d.payloadKind}${d.flag === undefined ? '' : ` (flag 0x${d.flag.toString(16).padStart(2, '0')})`}${d.decompressedLength === undefined ? '' : `, ${d.decompressedLength} bytes decompressed`}`)
  if (signature) lines.push(`${signature.checked ? '' : '! '}${describeSignature(signature)}`)
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
