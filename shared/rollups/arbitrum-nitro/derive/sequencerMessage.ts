/**
 * The sequencer message as Nitro rebuilds it from L1: a 40-byte header (SequencerInbox.packHeader) followed by the
 * batch data, whose first byte says where and how the data is stored (notes §2.1, §2.2;
 * nitro arbstate/inbox.go parseSequencerMessage, daprovider/util.go).
 */
import { bytesToHex, type Hex } from 'viem'
import { ArbBatchFormatError } from '../errors'

export interface SequencerBatchHeader {
  minTimestamp: bigint
  maxTimestamp: bigint
  minL1Block: bigint
  maxL1Block: bigint
  /** Delayed messages read after this batch (cumulative count, not an index). */
  afterDelayedMessagesRead: bigint
}

export const SEQUENCER_HEADER_LENGTH = 40

/** Header flag bits (nitro daprovider/util.go). */
export const BatchFlag = {
  brotli: 0x00,
  dasCertificate: 0x80,
  treeDas: 0x08,
  l1Authenticated: 0x40,
  zeroheavy: 0x20,
  blobHashes: 0x50,
  customDaCertificate: 0x01,
  celestia: 0x63,
} as const

const KNOWN_HEADER_BITS = 0x80 | 0x63 | 0x08 | 0x40 | 0x20 | 0x50 | 0x01

export type BatchPayload =
  | { kind: 'brotli'; flag: 0; compressed: Uint8Array }
  | { kind: 'zeroheavy'; flag: number; encoded: Uint8Array }
  | { kind: 'blob-hashes'; flag: number; versionedHashes: Hex[] }
  | { kind: 'das'; flag: number; certificate: DasCertificate | undefined }
  | { kind: 'custom-da'; flag: number }
  | { kind: 'empty' }
  /** The flag has the L1-authenticated bit and bits this version does not know: Nitro stops ("node out of date"). */
  | { kind: 'unsupported-authenticated'; flag: number }
  /** Unknown flag without the authenticated bit: Nitro treats the batch as having no segments. */
  | { kind: 'unknown'; flag: number }

export interface DasCertificate {
  keysetHash: Hex
  dataHash: Hex
  /** Unix seconds until which the committee promised to keep the data. */
  timeout: bigint
  version: number
  signersMask: bigint
  /** The committee's aggregated BLS signature (G1, 96 bytes uncompressed); checked by anytrust/verifyDasSignature. */
  signature: Hex
}

export function readUint64BE(bytes: Uint8Array, offset: number): bigint {
  let value = 0n
  for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(bytes[offset + i] ?? 0)
  return value
}

/** Split `header40 ‖ data` (the form Nitro hashes into the sequencer accumulator). */
export function parseSequencerMessage(message: Uint8Array): { header: SequencerBatchHeader; payload: BatchPayload } {
  if (message.length < SEQUENCER_HEADER_LENGTH) {
    throw new ArbBatchFormatError('This sequencer message is shorter than its 40-byte header.', {
      details: `length ${message.length}`,
    })
  }
  return { header: parseBatchHeader(message), payload: classifyBatchData(message.subarray(SEQUENCER_HEADER_LENGTH)) }
}

export function parseBatchHeader(message: Uint8Array): SequencerBatchHeader {
  return {
    minTimestamp: readUint64BE(message, 0),
    maxTimestamp: readUint64BE(message, 8),
    minL1Block: readUint64BE(message, 16),
    maxL1Block: readUint64BE(message, 24),
    afterDelayedMessagesRead: readUint64BE(message, 32),
  }
}

export function encodeBatchHeader(header: SequencerBatchHeader): Uint8Array {
  const out = new Uint8Array(SEQUENCER_HEADER_LENGTH)
  const fields = [header.minTimestamp, header.maxTimestamp, header.minL1Block, header.maxL1Block, header.afterDelayedMessagesRead]
  fields.forEach((value, field) => {
    let v = value
    for (let i = 7; i >= 0; i--) {
      out[field * 8 + i] = Number(v & 0xffn)
      v >>= 8n
    }
  })
  return out
}

/** Classify the batch data by its first byte, in the order Nitro applies its checks (arbstate/inbox.go stages 0–3). */
export function classifyBatchData(data: Uint8Array): BatchPayload {
  if (data.length === 0) return { kind: 'empty' }
  const flag = data[0] as number
  const has = (bits: number): boolean => (flag & bits) === bits
  if (has(BatchFlag.l1Authenticated) && (flag & ~KNOWN_HEADER_BITS & 0xff) !== 0) return { kind: 'unsupported-authenticated', flag }
  if (has(BatchFlag.blobHashes)) {
    const hashes = data.subarray(1)
    if (hashes.length % 32 !== 0) {
      throw new ArbBatchFormatError('This blob batch does not hold a whole number of 32-byte versioned hashes.', {
        details: `${hashes.length} bytes after the 0x50 flag`,
      })
    }
    const versionedHashes: Hex[] = []
    for (let i = 0; i < hashes.length; i += 32) versionedHashes.push(bytesToHex(hashes.subarray(i, i + 32)))
    return { kind: 'blob-hashes', flag, versionedHashes }
  }
  if (has(BatchFlag.dasCertificate)) return { kind: 'das', flag, certificate: parseDasCertificate(data) }
  if (flag === BatchFlag.customDaCertificate) return { kind: 'custom-da', flag }
  if (has(BatchFlag.zeroheavy)) return { kind: 'zeroheavy', flag, encoded: data.subarray(1) }
  if (flag === BatchFlag.brotli) return { kind: 'brotli', flag: 0, compressed: data.subarray(1) }
  return { kind: 'unknown', flag }
}

/** daprovider/util.go DeserializeDASCertFrom; undefined when truncated (Nitro then treats the batch as empty). */
function parseDasCertificate(data: Uint8Array): DasCertificate | undefined {
  const flag = data[0] as number
  const tree = (flag & BatchFlag.treeDas) !== 0
  const needed = 1 + 32 + 32 + 8 + (tree ? 1 : 0) + 8 + 96
  if (data.length < needed) return undefined
  let offset = 1
  const keysetHash = bytesToHex(data.subarray(offset, offset + 32))
  offset += 32
  const dataHash = bytesToHex(data.subarray(offset, offset + 32))
  offset += 32
  const timeout = readUint64BE(data, offset)
  offset += 8
  const version = tree ? (data[offset++] as number) : 0
  const signersMask = readUint64BE(data, offset)
  offset += 8
  const signature = bytesToHex(data.subarray(offset, offset + 96))
  return { keysetHash, dataHash, timeout, version, signersMask, signature }
}
