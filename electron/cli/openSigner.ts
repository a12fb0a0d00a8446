/**
 * The CLI's side of choosing a signer: `--signer` and its companion options (--mnemonic-file, --devnet-chain-id,
 * --allow-any-chain) turned into the engine's DeviceSignerOptions. `sign-file`, `accounts`, `arb escape`,
 * `jobs resume` and `jobs bump-fee` all use it; the opening itself (and the guards) is the engine's
 * (electron/services/jobs/openJobSigner.ts), which the desktop app uses too.
 */
import { DEFAULT_DEVNET_CHAIN_ID, DEVICE_SIGNERS, openDeviceSigner, type DeviceSignerName, type DeviceSignerOptions, type OpenedSigner } from '../services/jobs/openJobSigner'
import { DRILL_MNEMONIC } from '../services/signers/drill-key/DrillKeySigner'
import { readUserTextFileSync } from '../services/files/readUserFile'
import { getAddress, type Address } from 'viem'
import { EscapeError } from '../../shared/errors/EscapeError'
import { usageError, type CommandContext, type OptionSpec } from './command'

/** The options every signing command shares (spread into a command's `options`). */
export const mnemonicOption: Record<string, OptionSpec> = {
  'mnemonic-file': { type: 'string', description: 'drill-key/soft-ledger: file holding the mnemonic (default: the devnet test mnemonic).', valueName: 'FILE' },
}

export const drillKeyOptions: Record<string, OptionSpec> = {
  'devnet-chain-id': { type: 'string', multiple: true, description: `drill-key: a devnet chain id it may sign for (default ${DEFAULT_DEVNET_CHAIN_ID}).`, valueName: 'ID' },
  'allow-any-chain': { type: 'boolean', description: 'drill-key: also sign for chains other than the devnet (throwaway test networks only).' },
}

export function parseSignerName(value: unknown, allowed: readonly string[] = DEVICE_SIGNERS): string {
  const name = String(value ?? 'ledger')
  if (!allowed.includes(name)) usageError(`--signer must be one of ${allowed.join(', ')}`)
  return name
}

/**
 * The engine's device-signer options from this command's flags. Only the flags given are set: a drill key with no
 * --devnet-chain-id takes the job's saved chain ids (openJobSigner), else the default devnet.
 */
export function deviceSignerOptions(ctx: Pick<CommandContext, 'options' | 'progress'>): DeviceSignerOptions {
  const o = ctx.options
  return {
    ...(o['mnemonic-file'] === undefined ? {} : { mnemonic: readMnemonic(o['mnemonic-file']) }),
    ...(o['devnet-chain-id'] === undefined ? {} : { devnetChainIds: devnetChainIds(o['devnet-chain-id']) }),
    allowAnyChain: o['allow-any-chain'] === true,
    onWaiting: (w) => ctx.progress(w === 'device' ? 'Waiting for your Ledger: connect and unlock it…' : 'Waiting for the Ethereum app: open it on your Ledger…'),
  }
}

/** Open a device signer from the command's options (--mnemonic-file, --devnet-chain-id, --allow-any-chain). */
export function openSigner(name: DeviceSignerName, ctx: Pick<CommandContext, 'options' | 'progress'>): OpenedSigner {
  return openDeviceSigner(name, deviceSignerOptions(ctx))
}

export function devnetChainIds(value: unknown): number[] {
  const given = value === undefined ? [] : Array.isArray(value) ? value : [value]
  if (given.length === 0) return [DEFAULT_DEVNET_CHAIN_ID]
  return given.map((v) => {
    const id = Number(v)
    if (!Number.isSafeInteger(id) || id <= 0) usageError('--devnet-chain-id must be a positive integer')
    return id
  })
}

/** 24 words are under 250 bytes; a mnemonic file many times that is not one. */
const MAX_MNEMONIC_FILE_BYTES = 4096

export function readMnemonic(file: unknown): string {
  if (typeof file !== 'string') return DRILL_MNEMONIC
  return readUserTextFileSync(file, { what: 'mnemonic file', maxBytes: MAX_MNEMONIC_FILE_BYTES }).trim().split(/\s+/).join(' ')
}

/**
 * The account a job signs with: --from for the air-gapped file signer (the key is offline), otherwise the device's
 * account at --path, checked against --from when given.
 */
export async function signerAccount(ctx: Pick<CommandContext, 'options' | 'progress' | 'signal'>, kind: string, signerPath: string, fromText: string | undefined): Promise<Address> {
  if (kind === 'file') {
    if (fromText === undefined) usageError('--signer file needs --from ADDRESS (the key is on the offline machine)')
    return getAddress(fromText)
  }
  const { signer, release } = openSigner(kind as DeviceSignerName, ctx)
  let account: Address
  try {
    const [first] = await signer.listAccounts({ paths: [signerPath], signal: ctx.signal })
    if (!first) throw new EscapeError('The signer returned no account.')
    account = first.address
  } finally {
    await release()
  }
  if (fromText !== undefined && getAddress(fromText) !== account) {
    throw new EscapeError(`The signer's account at ${signerPath} is ${account}, not ${getAddress(fromText)}.`, { kind: 'user-action', steps: ['Check --path (see `escape-hatch accounts`), or drop --from.'] })
  }
  return account
}
