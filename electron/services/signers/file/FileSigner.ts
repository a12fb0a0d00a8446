/**
 * The air-gapped signer, as a Signer: a job signs through it exactly as through a Ledger, but a signature takes a
 * round trip to an offline machine, so it happens across two runs of the job.
 *
 * 1. Asked to sign with no signed file in hand, it writes the unsigned request file (exportUnsignedTxFile, journaled
 *    `file.exported` with its sha256) and stops the run with a JobPausedError whose steps say exactly what to do: carry
 *    the file to the offline machine, `escape-hatch sign-file FILE --out SIGNED`, bring SIGNED back,
 *    `escape-hatch jobs resume JOB --signed SIGNED`. Asked again before that, it points at the same file (no new one).
 * 2. Resumed with the signed file, it re-reads the exported file from where it was journaled (its sha256 must still be
 *    the journaled one), checks that the job still wants that very transaction (type, chain, nonce, to, value, data),
 *    and accepts the signed file only if it signs exactly the exported request — fees and gas included — by the
 *    expected account (verifySignedTxFile). The gas and fees are the exported ones: the job rebuilt its request from
 *    live L1 fees, but what the user signed is what the app prepared and journaled, not the newer estimate.
 *
 * A refused signed file never ends the job: the refusal is a user-action error (nothing was sent; sign again).
 */
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import * as path from 'node:path'
import { getAddress, type Address } from 'viem'
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../../shared/errors/EscapeError'
import { parseUnsignedTxFile } from '../../../../shared/signing/buildUnsignedTxFile'
import { signerCapabilities } from '../../../../shared/signing/capabilities'
import { normalizeDerivationPath } from '../../../../shared/signing/derivationPaths'
import { describeDeviceDisplay, type DeviceDisplay } from '../../../../shared/signing/describeDeviceDisplay'
import { SignerCapabilityError } from '../../../../shared/signing/errors'
import type {
  ListAccountsParameters,
  ShowAddressParameters,
  ShowAddressReturnType,
  SignedTx,
  Signer,
  SignerAccount,
  SignPersonalMessageReturnType,
  SignTransactionParameters,
} from '../../../../shared/signing/Signer'
import type { TxIntent } from '../../../../shared/signing/txFile'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import type { BroadcastJournal } from '../../journal/journalPort'
import { JobPausedError } from '../../journal/JobPausedError'
import { exportUnsignedTxFile } from './exportUnsignedTxFile'
import { importSignedTxFile } from './importSignedTxFile'
import { readTxFileText } from './txFileIo'

/** A signed file that cannot be used for this job's current transaction. Nothing was sent; the job goes on. */
export class SignedFileRefusedError extends EscapeError {
  override name = 'SignedFileRefusedError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('SignedFileRefusedError', SignedFileRefusedError)

export interface FileSignerOptions {
  store: BroadcastJournal
  jobId: string
  /** Where unsigned files are written (created if missing). */
  exportDir: string
  /** The account that signs on the offline machine (the key is never here). */
  from: Address
  /** The signed file the user brought back (`jobs resume --signed`), used for at most one signature. */
  signedFile?: string
  /** What the transaction does, in words, for the file's intent (shown before signing offline). */
  describe?: (request: UnsignedTxRequest) => TxIntent
  /** The command that continues the job, with `--signed FILE` when a signed file is given. */
  resumeCommand: (signedFile?: string) => string
}

export interface Export {
  path: string
  sha256: string
}

export class FileSigner implements Signer {
  readonly kind = 'file' as const
  readonly capabilities = signerCapabilities.file
  private signedFile: string | undefined

  constructor(private readonly options: FileSignerOptions) {
    this.signedFile = options.signedFile
  }

  /** True while the signed file given at construction has not been used for a signature. */
  get signedFilePending(): boolean {
    return this.signedFile !== undefined
  }

  async listAccounts(_params: ListAccountsParameters): Promise<SignerAccount[]> {
    throw new SignerCapabilityError('derive addresses (the key is on the offline machine; give the address with --from)', 'An air-gapped file signer')
  }

  async showAddress({ expected }: ShowAddressParameters): Promise<ShowAddressReturnType> {
    if (expected !== undefined && getAddress(expected) !== getAddress(this.options.from)) {
      throw new SignerCapabilityError(`sign for ${expected}: it signs for ${this.options.from}`, 'This air-gapped file signer')
    }
    return { address: getAddress(this.options.from), shownOnDevice: false }
  }

  describeDisplay(request: UnsignedTxRequest): DeviceDisplay {
    return describeDeviceDisplay(request)
  }

  async signTransaction({ path: derivationPath, request, expectedFrom }: SignTransactionParameters): Promise<SignedTx> {
    const from = getAddress(expectedFrom ?? this.options.from)
    if (from !== getAddress(this.options.from)) throw new SignerCapabilityError(`sign for ${from}: it signs for ${this.options.from}`, 'This air-gapped file signer')
    const { state } = await this.options.store.load(this.options.jobId)
    const step = [...state.steps].reverse().find((s) => s.status === 'started')?.name ?? 'sign'
    const purpose = purposeOf(step)
    const exports = state.files.filter((f) => f.purpose === purpose)
    const latest = exports.at(-1)

    if (this.signedFile !== undefined) {
      const signedFile = this.signedFile
      if (!latest) {
        throw new SignedFileRefusedError(`The signed file ${signedFile} cannot be for the current step (${step}): no unsigned file was exported for it yet.`, {
          steps: [`Run \`${this.options.resumeCommand()}\` (without --signed): it exports the file to sign for this step.`],
        })
      }
      const exported = await readExportedTxFile(latest)
      const drift = semanticDifference(exported.request, request)
      if (drift) {
        // The job now wants another transaction (e.g. the nonce moved): the signature cannot be used. Export anew.
        this.signedFile = undefined
        return this.exportAndPause(request, from, derivationPath, step, exports.length, `The signed file ${signedFile} is for a transaction the job would no longer send (${drift}). Nothing was sent; a new file to sign was exported.`)
      }
      let signed: SignedTx
      try {
        signed = await importSignedTxFile({ file: signedFile, request: exported.request, from, unsignedChecksum: exported.checksum })
      } catch (error) {
        const e = error instanceof EscapeError ? error : undefined
        throw new SignedFileRefusedError(`The signed file ${signedFile} was refused: ${e?.shortMessage ?? String(error)}`, {
          cause: error,
          details: e?.details,
          steps: [...(e?.steps ?? []), `Nothing was sent. Sign ${latest.path} (the file exported for step ${step}) on the offline machine and resume with the new signed file.`],
        })
      }
      this.signedFile = undefined
      return signed
    }

    if (latest) {
      const exported = await readExportedTxFile(latest).catch(() => undefined)
      if (exported && !semanticDifference(exported.request, request)) return this.pause(latest.path, step, 'This transaction is waiting for your offline signature.')
    }
    return this.exportAndPause(request, from, derivationPath, step, exports.length, undefined)
  }

  async signPersonalMessage(): Promise<SignPersonalMessageReturnType> {
    throw new SignerCapabilityError('sign messages', 'An air-gapped file signer')
  }

  async close(): Promise<void> {}

  private async exportAndPause(request: UnsignedTxRequest, from: Address, derivationPath: string, step: string, count: number, why: string | undefined): Promise<never> {
    const file = path.join(this.options.exportDir, `${this.options.jobId}-${step}-${count + 1}.unsigned.json`)
    await mkdir(this.options.exportDir, { recursive: true })
    await exportUnsignedTxFile({
      file,
      request,
      from,
      path: normalizeDerivationPath(derivationPath),
      intent: this.options.describe?.(request) ?? { summary: `Transaction for step ${step} of job ${this.options.jobId}` },
      journal: { store: this.options.store, jobId: this.options.jobId, purpose: purposeOf(step) },
    })
    return this.pause(file, step, why ?? `Sign the transaction of step ${step} offline.`)
  }

  private pause(file: string, step: string, message: string): never {
    const signed = signedNameFor(file)
    throw new JobPausedError(`${message} Unsigned file: ${file}`, {
      reason: 'signature',
      files: [file],
      steps: [
        `Copy ${file} to your offline signing machine (keep this copy: it is used to check the signed file).`,
        `There, check what it does and sign it: escape-hatch sign-file ${path.basename(file)} --out ${path.basename(signed)} (for a devnet or custom chain, also give --network with its network file, so its contracts are recognised)`,
        `Bring ${path.basename(signed)} back to this computer, e.g. to ${signed}.`,
        `Then run: ${this.options.resumeCommand(signed)}`,
      ],
      details: `job ${this.options.jobId}, step ${step}`,
    })
  }
}

/**
 * An exported unsigned file, re-read from where the journal says it was written; it must be byte for byte what was
 * journaled (FileSigner on resume, the Ledger screen's air-gapped export and signed-file check).
 */
export async function readExportedTxFile(record: Export): Promise<{ request: UnsignedTxRequest; checksum: string; text: string }> {
  let text: string
  try {
    text = await readTxFileText(record.path)
  } catch (cause) {
    throw new SignedFileRefusedError(`The unsigned file exported for this step is missing: ${record.path}.`, {
      cause,
      steps: ['Put the file back where it was exported (the signed file is checked against it), then resume again.', 'Or resume without --signed to export a new file to sign.'],
    })
  }
  const sha256 = `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`
  if (sha256 !== record.sha256.toLowerCase()) {
    throw new SignedFileRefusedError(`The unsigned file ${record.path} was changed after it was exported.`, {
      steps: ['Do not sign or use it. Resume without --signed to export a new file to sign.', 'If nobody changed it on purpose, treat this machine as suspect.'],
      details: `journaled sha256 ${record.sha256}, now ${sha256}`,
    })
  }
  const { file, request } = parseUnsignedTxFile(text)
  return { request, checksum: file.checksum, text }
}

function purposeOf(step: string): string {
  return `sign offline: ${step}`
}

export function signedNameFor(unsignedFile: string): string {
  return unsignedFile.endsWith('.unsigned.json') ? `${unsignedFile.slice(0, -'.unsigned.json'.length)}.signed.json` : `${unsignedFile}.signed.json`
}

/** The fields that decide what a transaction does. Gas and fees may differ (the exported ones are used). */
function semanticDifference(exported: UnsignedTxRequest, wanted: UnsignedTxRequest): string | undefined {
  const checks: [string, unknown, unknown][] = [
    ['type', exported.type, wanted.type],
    ['chain id', exported.chainId, wanted.chainId],
    ['nonce', exported.nonce, wanted.nonce],
    ['recipient', exported.to?.toLowerCase() ?? null, wanted.to?.toLowerCase() ?? null],
    ['value', exported.value, wanted.value],
    ['data', exported.data.toLowerCase(), wanted.data.toLowerCase()],
  ]
  for (const [field, a, b] of checks) if (a !== b) return field === 'data' ? 'its call data changed' : `its ${field} was ${String(a)}, now ${String(b)}`
  return undefined
}
