/**
 * Flow glue for air-gapped signing: read a signed file (bounded) and accept it only if it signs exactly the request
 * this app prepared, by the expected account (shared/signing/verifySignedTxFile). The result goes to sendJournaled.
 */
import type { Address } from 'viem'
import type { SignedTx } from '../../../../shared/signing/Signer'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import { verifySignedTxFile } from '../../../../shared/signing/verifySignedTxFile'
import { readTxFileText } from './txFileIo'

export interface ImportSignedTxFileParameters {
  file: string
  request: UnsignedTxRequest
  from: Address
  /** The checksum returned by exportUnsignedTxFile for this step. */
  unsignedChecksum: string
}

export async function importSignedTxFile({ file, request, from, unsignedChecksum }: ImportSignedTxFileParameters): Promise<SignedTx> {
  return verifySignedTxFile({ text: await readTxFileText(file), request, from, unsignedChecksum })
}
