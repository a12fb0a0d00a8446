/**
 * Flow glue for air-gapped signing: write the unsigned file (atomically) and journal `file.exported` with the
 * file's sha256 — the journal records what left the app before the user carries it away.
 */
import { createHash } from 'node:crypto'
import type { Address, Hex } from 'viem'
import { buildUnsignedTxFile } from '../../../../shared/signing/buildUnsignedTxFile'
import type { TxIntent } from '../../../../shared/signing/txFile'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import type { BroadcastJournal } from '../../journal/journalPort'
import { writeTxFile } from './txFileIo'

export interface ExportUnsignedTxFileParameters {
  file: string
  request: UnsignedTxRequest
  from: Address
  path?: string
  intent: TxIntent
  /** When given, `file.exported` is journaled for this job. */
  journal?: { store: BroadcastJournal; jobId: string; purpose: string }
  overwrite?: boolean
}

export interface ExportUnsignedTxFileReturnType {
  file: string
  /** The file's own checksum: the signed file must name it (verifySignedTxFile's unsignedChecksum). */
  checksum: Hex
  /** sha256 of the bytes written. */
  sha256: Hex
}

export async function exportUnsignedTxFile(params: ExportUnsignedTxFileParameters): Promise<ExportUnsignedTxFileReturnType> {
  const { json, text } = buildUnsignedTxFile({ request: params.request, from: params.from, intent: params.intent, createdAt: new Date().toISOString(), ...(params.path ? { path: params.path } : {}) })
  await writeTxFile(params.file, text, { overwrite: params.overwrite ?? false })
  const sha256 = `0x${createHash('sha256').update(text, 'utf8').digest('hex')}` as Hex
  if (params.journal) await params.journal.store.append(params.journal.jobId, { type: 'file.exported', path: params.file, sha256, purpose: params.journal.purpose })
  return { file: params.file, checksum: json.checksum as Hex, sha256 }
}
