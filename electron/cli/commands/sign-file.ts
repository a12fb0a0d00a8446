/**
 * `escape-hatch sign-file IN --out OUT`: sign an exported unsigned transaction file on an offline machine, with a
 * Ledger (USB), the software Ledger or the devnet drill key, and write the signed file to carry back. Reads only IN
 * (and --mnemonic-file); makes no network connection.
 */
import { signingContextOf } from '../../../shared/networks/signingContext'
import { buildSignedTxFile } from '../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { checkTxFileDescription } from '../../../shared/signing/checkTxFileDescription'
import { describeDeviceDisplay } from '../../../shared/signing/describeDeviceDisplay'
import { describeTxBytes } from '../../../shared/signing/describeTxBytes'
import { TxFileBlindSigningError } from '../../../shared/signing/txFileErrors'
import { listNetworks } from '../../services/networks/listNetworks'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
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
    'checked; what it does is decoded from the transaction bytes themselves (chain, contract, function, amounts,',
    'destination, nonce, fees; for Inbox.sendL2Message also the signed L2 transaction it carries) and printed, with',
    'what the device will show. A file whose own description contradicts its bytes is refused. A transaction to a',
    'contract or function Escape Hatch does not know is signed only with --blind. It is signed by the account the file',
    'names (`from`); a signature from any other account is refused. The signed file (escape-hatch/signed-tx) is written',
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
    network: { type: 'string', description: 'A network id or network FILE whose contracts to recognise (the built-ins and a running devnet\'s are always known).', valueName: 'ID|FILE' },
    blind: { type: 'boolean', description: 'Sign even though Escape Hatch cannot decode what the transaction does (unknown chain, contract or function).' },
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
    // Everything shown is decoded from the bytes that will be signed; the file's own description is only checked.
    const { networks } = await listNetworks(ctx.dataDir)
    const named = typeof ctx.options.network === 'string' ? [await resolveNetwork({ network: ctx.options.network, dataDir: ctx.dataDir })] : []
    const description = describeTxBytes(request, signingContextOf([...named, ...networks]))
    ctx.progress(`Signing (decoded from the transaction bytes): ${description.summary}`)
    for (const f of description.fields) ctx.progress(`  ${f.label}: ${f.value}`)
    ctx.progress(`  Signer account: ${file.from} (${path})`)
    checkTxFileDescription({ intent: file.intent, from: file.from, description })
    if (!description.recognised) {
      if (ctx.options.blind !== true) throw new TxFileBlindSigningError(description.problems)
      ctx.progress(`BLIND SIGNING (--blind): ${description.problems.join(' ')}`)
    }
    ctx.progress('The device will show:')
    for (const f of describeDeviceDisplay(request).fields) ctx.progress(`  ${f.label}: ${f.value}`)

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
