/**
 * `escape-hatch accounts`: list the addresses of a signer for the Ledger Live or legacy derivation paths (or one
 * custom path), so the user can find the account that holds the funds; `--show` displays one on the Ledger to
 * compare. Offline: nothing is fetched (no balances).
 */
import { derivationPresets, normalizeDerivationPath, presetPaths, type DerivationPreset } from '../../../shared/signing/derivationPaths'
import { usageError, type Command } from '../command'
import { DEVICE_SIGNERS, type DeviceSignerName } from '../../services/jobs/openJobSigner'
import { mnemonicOption, openSigner, parseSignerName } from '../openSigner'

export const accountsCommand: Command = {
  path: ['accounts'],
  summary: 'List a signer\'s addresses for the Ledger Live or legacy derivation paths, or show one on the Ledger.',
  description: [
    `Presets: ${Object.values(derivationPresets).map((p) => `${p.id} (${p.description})`).join('; ')}.`,
    'With --path, only that path. With --show, the address is displayed on the Ledger so you can compare it.',
  ].join('\n'),
  options: {
    signer: { type: 'string', description: `Which signer: ${DEVICE_SIGNERS.join(' | ')}.`, default: 'ledger', valueName: 'KIND' },
    preset: { type: 'string', description: 'Derivation preset: ledger-live or legacy.', default: 'ledger-live', valueName: 'PRESET' },
    start: { type: 'string', description: 'First account index.', default: '0', valueName: 'N' },
    count: { type: 'string', description: 'How many accounts (at most 50).', default: '5', valueName: 'N' },
    path: { type: 'string', description: 'One custom derivation path instead of a preset.', valueName: 'PATH' },
    show: { type: 'boolean', description: 'Show the address of --path (or the first account) on the Ledger screen.' },
    ...mnemonicOption,
  },
  async run(ctx) {
    const name = parseSignerName(ctx.options.signer) as DeviceSignerName
    const preset = String(ctx.options.preset ?? 'ledger-live') as DerivationPreset
    if (!(preset in derivationPresets)) usageError('--preset must be ledger-live or legacy')
    const start = Number(ctx.options.start ?? '0')
    const count = Number(ctx.options.count ?? '5')
    if (!Number.isSafeInteger(start) || start < 0) usageError('--start must be a non-negative integer')
    if (!Number.isSafeInteger(count) || count < 1 || count > 50) usageError('--count must be between 1 and 50')
    let paths: string[]
    try {
      paths = typeof ctx.options.path === 'string' ? [normalizeDerivationPath(ctx.options.path)] : presetPaths(preset, start, count)
    } catch (e) {
      usageError(`--path: ${(e as Error).message}`)
    }

    const { signer, release } = openSigner(name, ctx)
    try {
      if (ctx.options.show === true) {
        if (!signer.capabilities.displayAddress) usageError(`--show needs a signer with a screen; ${name} has none`)
        ctx.progress('Compare the address on your Ledger with the one printed here, then approve.')
        const shown = await signer.showAddress({ path: paths[0]!, signal: ctx.signal })
        return { json: { path: paths[0], ...shown }, text: `${paths[0]}  ${shown.address}  (confirmed on the device)` }
      }
      const accounts = await signer.listAccounts({ paths, signal: ctx.signal })
      return { json: { signer: name, accounts }, text: accounts.map((a) => `${a.path.padEnd(20)}  ${a.address}`).join('\n') }
    } finally {
      await release()
    }
  },
}
