/**
 * `escape-hatch verify-file SIGNED --unsigned UNSIGNED`: check that a signed file signs exactly the exported request
 * (type, chain, nonce, gas, fees, to, value, data) and was signed by the expected account. Offline.
 */
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { verifySignedTxFile } from '../../../shared/signing/verifySignedTxFile'
import { readTxFileText } from '../../services/signers/file/txFileIo'
import { usageError, type Command } from '../command'

export const verifyFileCommand: Command = {
  path: ['verify-file'],
  args: 'SIGNED',
  summary: 'Check a signed transaction file against the unsigned file it should sign (fields, signer, checksum).',
  options: {
    unsigned: { type: 'string', description: 'The unsigned file that was exported for signing.', valueName: 'UNSIGNED' },
  },
  async run(ctx) {
    const signedPath = ctx.positionals[0]
    if (!signedPath || ctx.positionals.length > 1) usageError('give exactly one signed file')
    const unsignedPath = typeof ctx.options.unsigned === 'string' ? ctx.options.unsigned : usageError('--unsigned UNSIGNED is required')
    const { file, request } = parseUnsignedTxFile(await readTxFileText(unsignedPath))
    const signed = await verifySignedTxFile({ text: await readTxFileText(signedPath), request, from: file.from, unsignedChecksum: file.checksum })
    return {
      json: { ok: true, hash: signed.hash, from: signed.from, raw: signed.raw, intent: file.intent.summary },
      text: `OK: signed by ${signed.from}, exactly the exported transaction (${file.intent.summary}).\nTransaction hash ${signed.hash}.`,
    }
  },
}
