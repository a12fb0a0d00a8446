/**
 * Export: an unsigned request → the self-describing file to carry to the offline machine.
 */
import { getAddress, type Address } from 'viem'
import { describeDeviceDisplay } from './describeDeviceDisplay'
import { normalizeDerivationPath } from './derivationPaths'
import { parseTxFileText, serializeTxFile, TX_FILE_VERSION, txFileChecksum, UNSIGNED_TX_FILE_SCHEMA, unsignedTxFileSchema, type TxIntent, type UnsignedTxFile, type UnsignedTxFileJson } from './txFile'
import { TxFileInvalidError } from './txFileErrors'
import { unsignedTxRequestSchema, unsignedTxRequestToJson, type UnsignedTxRequest } from './unsignedTxRequest'

export interface BuildUnsignedTxFileParameters {
  request: UnsignedTxRequest
  /** The account that must sign. */
  from: Address
  path?: string
  intent: TxIntent
  /** ISO time; passed in because shared/ has no clock. */
  createdAt: string
}

export interface BuildUnsignedTxFileReturnType {
  json: UnsignedTxFileJson
  /** The file's bytes, as written to disk. */
  text: string
}

export function buildUnsignedTxFile({ request, from, path, intent, createdAt }: BuildUnsignedTxFileParameters): BuildUnsignedTxFileReturnType {
  const tx = unsignedTxRequestSchema.parse(request)
  const display = describeDeviceDisplay(tx)
  const content: Omit<UnsignedTxFileJson, 'checksum'> = {
    schema: UNSIGNED_TX_FILE_SCHEMA,
    version: TX_FILE_VERSION,
    createdAt,
    from: getAddress(from),
    ...(path !== undefined ? { path: normalizeDerivationPath(path) } : {}),
    tx: unsignedTxRequestToJson(tx),
    intent: { summary: intent.summary, ...(intent.action !== undefined ? { action: intent.action } : {}), details: intent.details ?? [] },
    deviceDisplay: { mode: display.mode, signingHash: display.signingHash, fields: display.fields },
  }
  const json = { ...content, checksum: txFileChecksum(content) } as UnsignedTxFileJson
  const text = serializeTxFile(json)
  // What we write must read back: validate the result with the same parser the importer uses.
  parseUnsignedTxFile(text)
  return { json, text }
}

export interface ParsedUnsignedTxFile {
  file: UnsignedTxFile
  request: UnsignedTxRequest
}

/** Read an unsigned file; its checksum and its "device will show" hash are checked against its own content. */
export function parseUnsignedTxFile(text: string): ParsedUnsignedTxFile {
  const { file } = parseTxFileText(text, unsignedTxFileSchema, 'an unsigned transaction file')
  const request = file.tx as UnsignedTxRequest
  const display = describeDeviceDisplay(request)
  if (display.signingHash !== file.deviceDisplay.signingHash) {
    // Checksum fine but inconsistent: written by something other than Escape Hatch. Refuse rather than mislead.
    throw new TxFileInvalidError('the hash it says the device will show does not belong to its transaction', {
      details: `file says ${file.deviceDisplay.signingHash}, transaction hashes to ${display.signingHash}`,
    })
  }
  return { file, request }
}
