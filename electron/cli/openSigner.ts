/**
 * The one place the CLI turns `--signer` and its companion options into a Signer: `sign-file`, `accounts`,
 * `arb escape` and `jobs resume` all use it, so a signer behaves (and is guarded) the same in every command.
 *
 * - ledger: a Ledger over USB (node-hid), waiting for the device and the Ethereum app;
 * - soft-ledger: the software Ledger (the real LedgerSigner over a software device) — drills and tests;
 * - drill-key: a software key for devnets; it signs only for the chain ids in --devnet-chain-id (repeatable, default
 *   31337) unless --allow-any-chain.
 * The air-gapped file signer is not here: it belongs to a job (it journals its exports), see FileSigner.
 */
import type { Signer, SignTransactionParameters } from '../../shared/signing/Signer'
import { DrillKeySigner, DRILL_MNEMONIC } from '../services/signers/drill-key/DrillKeySigner'
import { LedgerDeviceManager } from '../services/signers/ledger/LedgerDeviceManager'
import { LedgerSigner } from '../services/signers/ledger/LedgerSigner'
import { nodeHidDeviceSource } from '../services/signers/ledger/nodeHidDeviceSource'
import { SoftLedgerDevice } from '../services/signers/soft-ledger/SoftLedgerTransport'
import { readUserTextFileSync } from '../services/files/readUserFile'
import { SoftLedgerDeviceSource } from '../services/signers/soft-ledger/softLedgerDeviceSource'
import { usageError, type CommandContext, type OptionSpec } from './command'

export const DEVICE_SIGNERS = ['ledger', 'soft-ledger', 'drill-key'] as const
export type DeviceSignerName = (typeof DEVICE_SIGNERS)[number]
export const DEFAULT_DEVNET_CHAIN_ID = 31337

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

export interface OpenedSigner {
  signer: Signer
  /** Release the device or key material; always call it (finally). */
  release: () => Promise<void>
}

/** Open a device signer from the command's options (--mnemonic-file, --devnet-chain-id, --allow-any-chain). */
export function openSigner(name: DeviceSignerName, ctx: Pick<CommandContext, 'options' | 'progress'>): OpenedSigner {
  if (name === 'drill-key') {
    const signer = drillKeySigner(devnetChainIds(ctx.options['devnet-chain-id']), readMnemonic(ctx.options['mnemonic-file']), ctx.options['allow-any-chain'] === true)
    return { signer, release: () => signer.close() }
  }
  let source
  if (name === 'ledger') source = nodeHidDeviceSource()
  else {
    const soft = new SoftLedgerDeviceSource()
    soft.plug(new SoftLedgerDevice({ mnemonic: readMnemonic(ctx.options['mnemonic-file']) }))
    source = soft
  }
  const manager = new LedgerDeviceManager(source, {
    onWaiting: (w) => ctx.progress(w === 'device' ? 'Waiting for your Ledger: connect and unlock it…' : 'Waiting for the Ethereum app: open it on your Ledger…'),
  })
  return { signer: new LedgerSigner({ device: manager.device(), kind: name }), release: () => manager.stop() }
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

/**
 * A drill key for one or more devnet chains (an Arbitrum escape signs on the devnet L1 and on its L2). Each chain id
 * gets its own DrillKeySigner, so the devnet-only guard is DrillKeySigner's own; any other chain is refused by it.
 */
function drillKeySigner(chainIds: readonly number[], mnemonic: string, allowAnyChain: boolean): Signer {
  const [first, ...rest] = chainIds.map((devnetChainId) => new DrillKeySigner({ devnetChainId, mnemonic, allowAnyChain }))
  if (!first) throw new RangeError('no devnet chain id')
  if (rest.length === 0) return first
  const all = [first, ...rest]
  const pick = (chainId: number) => all[chainIds.indexOf(chainId)] ?? first
  return {
    kind: first.kind,
    capabilities: first.capabilities,
    listAccounts: (p) => first.listAccounts(p),
    showAddress: (p) => first.showAddress(p),
    describeDisplay: (r) => first.describeDisplay(r),
    // A chain that is none of the devnets goes to the first key, whose own guard refuses it (or allowAnyChain).
    signTransaction: (p: SignTransactionParameters) => pick(p.request.chainId).signTransaction(p),
    signPersonalMessage: (p) => first.signPersonalMessage(p),
    close: async () => {
      await Promise.all(all.map((s) => s.close()))
    },
  }
}

/** 24 words are under 250 bytes; a mnemonic file many times that is not one. */
const MAX_MNEMONIC_FILE_BYTES = 4096

export function readMnemonic(file: unknown): string {
  if (typeof file !== 'string') return DRILL_MNEMONIC
  return readUserTextFileSync(file, { what: 'mnemonic file', maxBytes: MAX_MNEMONIC_FILE_BYTES }).trim().split(/\s+/).join(' ')
}
