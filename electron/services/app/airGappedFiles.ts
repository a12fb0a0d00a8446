/**
 * Air-gapped signing from the Ledger screen, on the files the job's FileSigner exported and journaled: show what the
 * latest request does (decoded from its bytes, never from its own description), copy it where the user says (a USB
 * stick), and check a signed file brought back exactly as a resume will (verifySignedTxFile against the exported
 * request, by the job's account) before the user continues the job with it.
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { AirGappedRequestView } from '../../../shared/ipc/ledgerSchemas'
import { arbitrumSigningContext } from '../../../shared/networks/signingContext'
import { describeTxBytes } from '../../../shared/signing/describeTxBytes'
import { signingHashOf } from '../../../shared/signing/unsignedTxRequest'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeParamsSchema } from '../flows/arbitrum/arbitrumEscapeJob'
import type { JournalStore } from '../journal/JournalStore'
import { toCallView } from './callView'
import { readExportedTxFile, signedNameFor } from '../signers/file/FileSigner'
import { importSignedTxFile } from '../signers/file/importSignedTxFile'
import { writeTxFile } from '../signers/file/txFileIo'

type Journal = Pick<JournalStore, 'load'>

async function latestExport(journal: Journal, jobId: string) {
  const { state } = await journal.load(jobId)
  if (state.kind !== ARBITRUM_ESCAPE_JOB_KIND) {
    throw new EscapeError(`Job ${jobId} is not an escape this app runs.`, { kind: 'user-action', steps: ['Choose an escape job signed with air-gapped files.'] })
  }
  const params = arbitrumEscapeParamsSchema.parse(state.params)
  const record = state.files.at(-1)
  if (!record) {
    throw new EscapeError('This job has no request file to sign yet.', {
      kind: 'user-action',
      steps: ['Start or resume the escape with the air-gapped signer: it exports the file to sign and pauses.'],
    })
  }
  const exported = await readExportedTxFile(record)
  return { params, record, exported }
}

export async function describeAirGappedRequest(journal: Journal, jobId: string): Promise<AirGappedRequestView> {
  const { params, record, exported } = await latestExport(journal, jobId)
  return {
    jobId,
    file: record.path,
    purpose: record.purpose.slice(0, 200),
    exportedAt: record.at,
    from: params.account,
    call: toCallView(describeTxBytes(exported.request, arbitrumSigningContext(params.network))),
    signingHash: signingHashOf(exported.request),
    suggestedSignedFile: signedNameFor(record.path),
  }
}

/** Copy the exported file, byte for byte (it was checked against its journaled sha256), to where the user said. */
export async function exportAirGappedRequest(journal: Journal, jobId: string, to: string): Promise<{ path: string; bytes: number }> {
  const { exported } = await latestExport(journal, jobId)
  await writeTxFile(to, exported.text)
  return { path: to, bytes: Buffer.byteLength(exported.text) }
}

/** The same check a resume makes: the signed file must sign exactly the exported request, by the job's account. */
export async function checkSignedFile(journal: Journal, jobId: string, signedFile: string): Promise<{ signedFile: string; hash: `0x${string}`; from: `0x${string}`; signingHash: `0x${string}` }> {
  const { params, exported } = await latestExport(journal, jobId)
  const signed = await importSignedTxFile({ file: signedFile, request: exported.request, from: params.account, unsignedChecksum: exported.checksum })
  return { signedFile, hash: signed.hash, from: signed.from, signingHash: signingHashOf(exported.request) }
}
