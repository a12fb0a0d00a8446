/**
 * `escape-hatch sign-file IN --out OUT`: sign an exported unsigned transaction file on an offline machine, with a
 * Ledger (USB), the software Ledger or the devnet drill key, and write the signed file to carry back. Reads only IN
 * (and --mnemonic-file); makes no network connection.
 */
import { readFileSync } from 'node:fs'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { buildSignedTxFile } from '../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import type { Signer } from '../../../shared/signing/Signer'
import { DrillKeySigner, DRILL_MNEMONIC } from '../../services/signers/drill-key/DrillKeySigner'
import { readTxFileText, writeTxFile } from '../../services/signers/file/txFileIo'
import { LedgerDeviceManager } from '../../services/signers/ledger/LedgerDeviceManager'
import { LedgerSigner } from '../../services/signers/ledger/LedgerSigner'
import { nodeHidDeviceSource } from '../../services/signers/ledger/nodeHidDeviceSource'
import { SoftLedgerDevice } from '../../services/signers/soft-ledger/SoftLedgerTransport'
import { SoftLedgerDeviceSource } from '../../services/signers/soft-ledger/softLedgerDeviceSource'
import { usageError, type Command, type CommandContext } from '../command'

const SIGNERS = ['ledger', 'soft-ledger', 'drill-key'] as const
type SignerName = (typeof SIGNERS)[number]
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
    out: { type: 'string', description: 'Where to write the signed file.', placeholder: 'OUT' },
    signer: { type: 'string', description: `Who signs: ${SIGNERS.join(' | ')}.`, default: 'ledger', placeholder: 'KIND' },
    path: { type: 'string', description: `Derivation path of the account (default: the file's, else ${DEFAULT_PATH}).`, placeholder: 'PATH' },
    'mnemonic-file': { type: 'string', description: 'drill-key/soft-ledger: file holding the mnemonic (default: the devnet test mnemonic).', placeholder: 'FILE' },
    'devnet-chain-id': { type: 'string', description: 'drill-key: the devnet chain id it may sign for.', default: '31337', placeholder: 'ID' },
    'allow-any-chain': { type: 'boolean', description: 'drill-key: also sign for chains other than the devnet (throwaway test networks only).' },
    force: { type: 'boolean', description: 'Replace OUT if it exists.' },
  },
  async run(ctx) {
    const input = ctx.positionals[0]
    if (!input || ctx.positionals.length > 1) usageError('give exactly one unsigned file IN')
    const out = typeof ctx.options.out === 'string' ? ctx.options.out : usageError('--out OUT is required')
    const signerName = String(ctx.options.signer ?? 'ledger') as SignerName
    if (!SIGNERS.includes(signerName)) usageError(`--signer must be one of ${SIGNERS.join(', ')}`)

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

    const { signer, release } = await openSigner(signerName, ctx)
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

async function openSigner(name: SignerName, ctx: CommandContext): Promise<{ signer: Signer; release: () => Promise<void> }> {
  if (name === 'drill-key') {
    const devnetChainId = Number(ctx.options['devnet-chain-id'] ?? '31337')
    if (!Number.isSafeInteger(devnetChainId) || devnetChainId <= 0) usageError('--devnet-chain-id must be a positive integer')
    const signer = new DrillKeySigner({ devnetChainId, mnemonic: readMnemonic(ctx), allowAnyChain: ctx.options['allow-any-chain'] === true })
    return { signer, release: () => signer.close() }
  }
  const source = name === 'ledger' ? nodeHidDeviceSource() : softSource(ctx)
  const manager = new LedgerDeviceManager(source, { onWaiting: (w) => ctx.progress(w === 'device' ? 'Waiting for your Ledger: connect and unlock it…' : 'Waiting for the Ethereum app: open it on your Ledger…') })
  const signer = new LedgerSigner({ device: manager.device(), kind: name })
  return { signer, release: () => manager.stop() }
}

function softSource(ctx: CommandContext): SoftLedgerDeviceSource {
  const source = new SoftLedgerDeviceSource()
  source.plug(new SoftLedgerDevice({ mnemonic: readMnemonic(ctx) }))
  return source
}

function readMnemonic(ctx: CommandContext): string {
  const file = ctx.options['mnemonic-file']
  if (typeof file !== 'string') return DRILL_MNEMONIC
  try {
    return readFileSync(file, 'utf8').trim().split(/\s+/).join(' ')
  } catch (cause) {
    throw new EscapeError(`Cannot read the mnemonic file ${file}.`, { kind: 'user-action', cause, steps: ['Check the path.'] })
  }
}
