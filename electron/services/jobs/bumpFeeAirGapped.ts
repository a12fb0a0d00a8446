/**
 * The air-gapped fee bump, across two calls of bumpFee: approve and export the replacement (first call), then import
 * the signed file (second call). The approval covers exactly the exported fees; the signed file must sign exactly the
 * exported request (importSignedTxFile), and the exported file must still be the journaled bytes (its sha256).
 */
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { readTxFileText } from '../signers/file/txFileIo'
import * as path from 'node:path'
import { formatGwei, getAddress } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JobState, TxState } from '../../../shared/journal/reduce'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import type { SignedTx } from '../../../shared/signing/Signer'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { feeBumpPromptId } from '../journal/journalPort'
import type { JobSignerParams } from './jobSignerParams'
import type { JournalStore } from '../journal/JournalStore'
import { SignedFileRefusedError, signedNameFor } from '../signers/file/FileSigner'
import { exportUnsignedTxFile } from '../signers/file/exportUnsignedTxFile'
import { importSignedTxFile } from '../signers/file/importSignedTxFile'
import type { BumpFeeHints } from './bumpFee'
import { feeCapOf, requestOf, type FeeBumpProposal } from './bumpFeeProposal'

/** The journal's prompt purpose for the exported file of a fee bump (one per replaced transaction). */
function exportPurpose(replaces: string): string {
  return `sign offline: fee bump of ${replaces}`
}

/** Write the approved replacement to a file to sign offline (journaled `file.exported` with its sha256). */
export async function exportFeeBump(a: { store: JournalStore; jobId: string; job: JobState; signerPath: string; describe: JobSignerParams['describe']; proposal: FeeBumpProposal; exportDir: string }): Promise<{ file: string; signedFile: string }> {
  const { tx, old, next } = a.proposal
  const purpose = exportPurpose(tx.hash)
  const count = a.job.files.filter((f) => f.purpose === purpose).length
  const file = path.join(a.exportDir, `${a.jobId}-${tx.step}-fee-bump-${count + 1}.unsigned.json`)
  await mkdir(a.exportDir, { recursive: true })
  const described = a.describe(next)
  const summary = `FEE BUMP of ${tx.hash} (same nonce ${tx.nonce}, max fee per gas ${formatGwei(feeCapOf(old))} → ${formatGwei(feeCapOf(next))} gwei). ${described.summary}`
  await exportUnsignedTxFile({
    file,
    request: next,
    from: getAddress(tx.from),
    path: a.signerPath,
    intent: { ...described, summary: summary.length > 500 ? `${summary.slice(0, 499)}…` : summary, details: [{ label: 'Replaces', value: tx.hash }, ...(described.details ?? [])].slice(0, 50) },
    journal: { store: a.store, jobId: a.jobId, purpose },
  })
  return { file, signedFile: signedNameFor(file) }
}

/**
 * The signed file for the exported replacement of `tx`: accepted only if the bump was approved in the journal, the
 * exported file is unchanged and is a fee bump of `tx`, and the signed file signs exactly that request.
 */
export async function importSignedFeeBump(a: { store: JournalStore; jobId: string; tx: TxState; signedFile: string; hints: BumpFeeHints }): Promise<{ proposal: FeeBumpProposal; signed: SignedTx }> {
  const { tx } = a
  const { state } = await a.store.load(a.jobId)
  const exported = state.files.filter((f) => f.purpose === exportPurpose(tx.hash)).at(-1)
  if (!exported) {
    throw new SignedFileRefusedError(`No replacement of ${tx.hash} was exported for signing yet, so ${a.signedFile} cannot be checked.`, {
      steps: [`Run ${a.hints.bumpFee(tx.hash)} first: it shows the new fees, asks your approval and exports the file to sign.`],
    })
  }
  if (state.prompts[feeBumpPromptId(tx.hash)] !== 'approve') {
    throw new SignedFileRefusedError(`The fee bump of ${tx.hash} is not approved in the journal; the signed file is not used.`, {
      steps: [`Run ${a.hints.bumpFee(tx.hash)} to review and approve new fees.`],
    })
  }
  const { request, checksum } = await readExport(exported, a.hints.bumpFee(tx.hash))
  const before = requestOf(tx)
  const same = request.type === before.type && request.chainId === before.chainId && request.nonce === before.nonce && request.to?.toLowerCase() === before.to?.toLowerCase() && request.value === before.value && request.data.toLowerCase() === before.data.toLowerCase()
  if (!same) throw new SignedFileRefusedError(`The exported file ${exported.path} is not a fee bump of ${tx.hash}.`, { steps: [`Export a new file to sign: ${a.hints.bumpFee(tx.hash)}`] })
  let signed: SignedTx
  try {
    signed = await importSignedTxFile({ file: a.signedFile, request, from: getAddress(tx.from), unsignedChecksum: checksum })
  } catch (error) {
    const e = error instanceof EscapeError ? error : undefined
    throw new SignedFileRefusedError(`The signed file ${a.signedFile} was refused: ${e?.shortMessage ?? String(error)}`, {
      cause: error,
      details: e?.details,
      steps: [...(e?.steps ?? []), `Nothing was sent. Sign ${exported.path} on the offline machine and run this again with the new signed file.`],
    })
  }
  return { proposal: { tx, old: before, next: request, warnings: [] }, signed }
}

/** The exported file, re-read from where the journal says it was written; it must be byte for byte what was journaled. */
async function readExport(record: { path: string; sha256: string }, bumpAgain: string): Promise<{ request: UnsignedTxRequest; checksum: string }> {
  let text: string
  try {
    text = await readTxFileText(record.path)
  } catch (cause) {
    // Only a file that is gone is "missing"; one that became a folder, a device or too large says so itself.
    if ((cause as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT') throw cause
    throw new SignedFileRefusedError(`The unsigned replacement exported for this fee bump is missing: ${record.path}.`, {
      cause,
      steps: ['Put the file back where it was exported (the signed file is checked against it), then run this again.', `Or export a new one: ${bumpAgain}`],
    })
  }
  const sha256 = `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`
  if (sha256 !== record.sha256.toLowerCase()) {
    throw new SignedFileRefusedError(`The unsigned file ${record.path} was changed after it was exported.`, {
      steps: [`Do not sign or use it. Export a new file to sign: ${bumpAgain}`, 'If nobody changed it on purpose, treat this machine as suspect.'],
      details: `journaled sha256 ${record.sha256}, now ${sha256}`,
    })
  }
  const { file, request } = parseUnsignedTxFile(text)
  return { request, checksum: file.checksum }
}
