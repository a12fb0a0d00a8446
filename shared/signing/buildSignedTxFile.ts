/**
 * On the offline machine: the signed result of an unsigned file, written next to it and carried back.
 */
import { normalizeDerivationPath } from './derivationPaths'
import type { SignedTx } from './Signer'
import { parseTxFileText, serializeTxFile, SIGNED_TX_FILE_SCHEMA, signedTxFileSchema, TX_FILE_VERSION, txFileChecksum, type SignedTxFile, type SignedTxFileJson, type UnsignedTxFile } from './txFile'
import { unsignedTxRequestToJson, type UnsignedTxRequest } from './unsignedTxRequest'

export interface BuildSignedTxFileParameters {
  unsigned: UnsignedTxFile
  signed: SignedTx
  signer: { kind: 'ledger' | 'soft-ledger' | 'drill-key'; path: string }
  signedAt: string
}

export function buildSignedTxFile({ unsigned, signed, signer, signedAt }: BuildSignedTxFileParameters): { json: SignedTxFileJson; text: string } {
  const content: Omit<SignedTxFileJson, 'checksum'> = {
    schema: SIGNED_TX_FILE_SCHEMA,
    version: TX_FILE_VERSION,
    signedAt,
    unsignedChecksum: unsigned.checksum,
    tx: unsignedTxRequestToJson(unsigned.tx as UnsignedTxRequest),
    signer: { kind: signer.kind, path: normalizeDerivationPath(signer.path) },
    from: signed.from,
    hash: signed.hash,
    raw: signed.raw,
  }
  const json = { ...content, checksum: txFileChecksum(content) } as SignedTxFileJson
  const text = serializeTxFile(json)
  parseSignedTxFile(text)
  return { json, text }
}

export function parseSignedTxFile(text: string): SignedTxFile {
  return parseTxFileText(text, signedTxFileSchema, 'a signed transaction file').file
}
