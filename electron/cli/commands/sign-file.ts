/**
 * `escape-hatch sign-file IN --out OUT`: sign an exported unsigned transaction file on an offline machine, with a
 * Ledger (USB), the software Ledger or the devnet drill key, and write the signed file to carry back. Reads only IN
 * (and --mnemonic-file); makes no network connection.
 */
import { buildSignedTxFile } from '../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import { readTxFileText, writeTxFile } from '../../services/signers/file/txFileIo'
import { usageError, type Command } from '../command'
import { DEVICE_SIGNERS, type DeviceSignerName } from '../../services/jobs/openJobSigner'
import { drillKeyOptions, mnemonicOption, openSigner, parseSignerName } from '../openSigner'

const DEFAULT_PATH = "44'/60'/0'/0/0"

export const signFileCommand: Command = {
  path: ['sign-file'],
  args: 'IN',
  summary: 'Sign an exported unsigned transaction file offline (Ledger or drill key) and write the signed file.',
  description: [
    'IN is an unsigned transaction file exported by Escape Hatch (schema escape-hatch/unsigned-tx). Its checksum is',
    'checked, what it does and what the device will show are printed, then it is signed by the account it names',
    '(`from`); a signature from any other account is refused. The signed file (escape-hatch/signed-tx) is written',
    'atomically to OUT. Bring OUT back and import it: Escape Hatch checks it matches the request exactly before sending.',
    'Signers: ledger (USB, the Ethereum app open), soft-ledger (software device, drills only), drill-key (devnet only;',
    'refuses other chains unless --allow-any-chain).',
  ].join('\n'),
  options: {
    out: { type: 'string', description: 'Where to write the signed file.', valueName: 'OUT' },
    signer: { type: 'string', description: `Who signs: ${DEVICE_SIGNERS.join(' | ')}.`, default: 'ledger', valueName: 'KIND' },
    path: { type: 'string', description: `Derivation path of the account (default: the file's, else ${DEFAULT_PATH}).`, valueName: 'PATH' },
    ...mnemonicOption,
    ...drillKeyOptions,
    force: { type: 'boolean', description: 'Replace OUT if it exists.' },
  },
  async run(ctx) {
    const input = ctx.positionals[0]
    if (!input || ctx.positionals.length > 1) usageError('give exactly one unsigned file IN')
    const out = typeof ctx.options.out === 'string' ? ctx.options.out : usageError('--out OUT is required')
    const signerName = parseSignerName(ctx.options.signer) as DeviceSignerName

    const { file, request } = parseUnsignedTxFile(await readTxFileText(input))
    let path: string
    try {
      path = normalizeDerivationPath(typeof ctx.options.path === 'string' ? ctx.options.path : (file.path ?? DEFAULT_PATH))
    } catch (e) {
      usageError(`--path: ${(e as Error).message}`)
    }
    ctx.progress(`Signing: ${file.intent.summary}`)
    for (const f of file.deviceDisplay.fields) ctx.progress(`  ${f.label}: ${f.value}`)
    ctx.progress(`  Signer account: ${file.from} (${path})`)

    const { signer, release } = openSigner(signerName, ctx)
    try {
      if (signer.kind === 'ledger' || signer.kind === 'soft-ledger') ctx.progress(signer.describeDisplay(request).instruction)
      const signed = await signer.signTransaction({ path, request, expectedFrom: file.from, signal: ctx.signal })
      const { text } = buildSignedTxFile({ unsigned: file, signed, signer: { kind: signerName, path }, signedAt: new Date().toISOString() })
      await writeTxFile(out, text, { overwrite: ctx.options.force === true })
      return {
        json: { out, hash: signed.hash, from: signed.from, chainId: request.chainId, nonce: request.nonce, unsignedChecksum: file.checksum },
        text: `Signed by ${signed.from}. Transaction hash ${signed.hash}.\nWrote ${out}: import it in Escape Hatch to send it.`,
      }
    } finally {
      await release()
    }
  },
}
