/**
 * Opening the signer that signs for a job, in one place for the CLI and the desktop app, so a signer behaves (and is
 * guarded) the same whoever opens it:
 *
 * - ledger: a Ledger over USB (node-hid), waiting for the device and the Ethereum app;
 * - soft-ledger: the software Ledger (the real LedgerSigner over a software device) — drills and tests;
 * - drill-key: a software key for devnets; it signs only for the chain ids it is given (default 31337) unless
 *   `allowAnyChain`;
 * - file: the air-gapped signer; it belongs to the job (it journals its exports), see FileSigner.
 *
 * The guards of a job's signer (checkSignerForNetwork) run before anything is opened: drill signers are refused on a
 * network settling on Ethereum mainnet, and a drill key must be allowed both chains of the escape (its own guard would
 * otherwise refuse mid-job, after the first steps ran).
 *
 * Callers pass plain values (no command-line options): the CLI turns its flags into DeviceSignerOptions, the app its
 * settings.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'
import { signerCapabilities, type SignerKind } from '../../../shared/signing/capabilities'
import type { Signer, SignTransactionParameters } from '../../../shared/signing/Signer'
import type { BroadcastJournal } from '../journal/journalPort'
import type { JobSignerParams } from './jobSignerParams'
import { DrillKeySigner, DRILL_MNEMONIC } from '../signers/drill-key/DrillKeySigner'
import { FileSigner } from '../signers/file/FileSigner'
import { LedgerDeviceManager } from '../signers/ledger/LedgerDeviceManager'
import type { LedgerDeviceSource } from '../signers/ledger/LedgerDeviceSource'
import { LedgerSigner } from '../signers/ledger/LedgerSigner'
import { nodeHidDeviceSource } from '../signers/ledger/nodeHidDeviceSource'
import { SoftLedgerDevice } from '../signers/soft-ledger/SoftLedgerTransport'
import { SoftLedgerDeviceSource } from '../signers/soft-ledger/softLedgerDeviceSource'

/** Every signer a job can use. */
export const JOB_SIGNERS = ['ledger', 'soft-ledger', 'drill-key', 'file'] as const satisfies readonly SignerKind[]
/** The signers that are a device or a key here (not the air-gapped file round trip). */
export const DEVICE_SIGNERS = ['ledger', 'soft-ledger', 'drill-key'] as const satisfies readonly SignerKind[]
export type DeviceSignerName = (typeof DEVICE_SIGNERS)[number]
export const DEFAULT_DEVNET_CHAIN_ID = 31337

export interface DeviceSignerOptions {
  /** drill-key / soft-ledger: the mnemonic (default: the devnet test mnemonic). Never stored. */
  mnemonic?: string
  /** drill-key: the chain ids it may sign for (default [31337]). */
  devnetChainIds?: readonly number[]
  /** drill-key: also sign for other chains (throwaway test networks only). */
  allowAnyChain?: boolean
  /** Ledger / soft-ledger: the device or the Ethereum app is awaited. */
  onWaiting?: (what: 'device' | 'app') => void
  /**
   * Ledger / soft-ledger: where the device comes from. Default: USB for 'ledger', a new software Ledger for
   * 'soft-ledger'. The app passes its own, so its Ledger screen and its jobs talk to the same device.
   */
  ledgerSource?: LedgerDeviceSource
}

export interface OpenedSigner {
  signer: Signer
  /** Release the device or key material; always call it (finally). */
  release: () => Promise<void>
}

/** A signer that may not sign for this job's network (the drill signers): nothing was opened or signed. */
export class SignerNotAllowedError extends EscapeError {
  override name = 'SignerNotAllowedError'
  /** drill-key only: the chain ids of the escape it was not given (empty for the mainnet refusal). */
  readonly missingChainIds: number[]
  constructor(shortMessage: string, missingChainIds: number[], options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
    this.missingChainIds = missingChainIds
  }
}
registerErrorClass('SignerNotAllowedError', SignerNotAllowedError)

/** Open a device signer (Ledger, software Ledger, drill key). */
export function openDeviceSigner(name: DeviceSignerName, options: DeviceSignerOptions = {}): OpenedSigner {
  const mnemonic = options.mnemonic ?? DRILL_MNEMONIC
  if (name === 'drill-key') {
    const chainIds = options.devnetChainIds && options.devnetChainIds.length > 0 ? options.devnetChainIds : [DEFAULT_DEVNET_CHAIN_ID]
    const signer = drillKeySigner(chainIds, mnemonic, options.allowAnyChain === true)
    return { signer, release: () => signer.close() }
  }
  let source = options.ledgerSource
  if (source === undefined && name === 'ledger') source = nodeHidDeviceSource()
  else if (source === undefined) {
    const soft = new SoftLedgerDeviceSource()
    soft.plug(new SoftLedgerDevice({ mnemonic }))
    source = soft
  }
  const manager = new LedgerDeviceManager(source, { onWaiting: options.onWaiting })
  return { signer: new LedgerSigner({ device: manager.device(), kind: name }), release: () => manager.stop() }
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

/**
 * Drill signers are for drills: refused on a chain settling on Ethereum mainnet; the drill key must be allowed both
 * chains of the escape. Throws SignerNotAllowedError.
 */
export function checkSignerForNetwork(kind: SignerKind, network: Pick<JobSignerParams['network'], 'l1ChainId' | 'l2ChainId'>, options: Pick<DeviceSignerOptions, 'devnetChainIds' | 'allowAnyChain'>): void {
  if ((kind === 'soft-ledger' || kind === 'drill-key') && network.l1ChainId === 1) {
    throw new SignerNotAllowedError(`The ${signerCapabilities[kind].label} is for drills; it is refused on a network settling on Ethereum mainnet.`, [], {
      steps: ['Use your Ledger or an air-gapped machine (the file signer).'],
    })
  }
  if (kind === 'drill-key' && options.allowAnyChain !== true) {
    const allowed = options.devnetChainIds && options.devnetChainIds.length > 0 ? options.devnetChainIds : [DEFAULT_DEVNET_CHAIN_ID]
    const missing = [network.l1ChainId, network.l2ChainId].filter((id) => !allowed.includes(id))
    if (missing.length > 0) {
      throw new SignerNotAllowedError(`The drill key signs only for the devnet chain ids it is given; this escape signs on chains ${network.l1ChainId} and ${network.l2ChainId}.`, missing, {
        steps: [`Allow the drill key chain ${missing.join(' and ')} too.`],
      })
    }
  }
}

export interface OpenJobSignerParameters {
  kind: SignerKind
  store: BroadcastJournal
  jobId: string
  /** The job's account, chains, saved signer and describer (jobSignerParams: any escape kind). */
  params: JobSignerParams
  /** Device signers: how to open them. A drill key with no chain ids given takes the ones the job saved. */
  device?: DeviceSignerOptions
  /** File signer: where the unsigned files go (default: the job's, else `defaultExportDir`). */
  exportDir?: string
  defaultExportDir: string
  /** File signer: the signed file the user brought back, used for at most one signature. */
  signedFile?: string
  /** File signer: how the user continues the job (with the signed file when one is given). */
  resumeCommand: (signedFile?: string) => string
  onProgress?: (message: string) => void
}

/** The signer for a run of an escape job, after its guards. */
export async function openJobSigner(p: OpenJobSignerParameters): Promise<OpenedSigner> {
  if (p.kind === 'file') {
    const signer = new FileSigner({
      store: p.store,
      jobId: p.jobId,
      exportDir: p.exportDir ?? p.params.signer?.exportDir ?? p.defaultExportDir,
      from: p.params.account,
      signedFile: p.signedFile,
      describe: (request) => p.params.describe(request),
      resumeCommand: p.resumeCommand,
    })
    return { signer, release: () => signer.close() }
  }
  let device = p.device ?? {}
  if (p.kind === 'drill-key' && device.devnetChainIds === undefined && p.params.signer?.devnetChainIds) device = { ...device, devnetChainIds: p.params.signer.devnetChainIds }
  checkSignerForNetwork(p.kind, p.params.network, device)
  p.onProgress?.(`Signer: ${signerCapabilities[p.kind].label}.`)
  return openDeviceSigner(p.kind, device)
}
