/**
 * The Ledger screen's side in main: one device source per Ledger kind for the whole app run (USB for 'ledger', one
 * software Ledger for 'soft-ledger'), shared by the screen and by the jobs' signers, so the screen and a running escape
 * talk to the same device. The screen asks for the device's status (as an instruction), accounts on the usual paths
 * with their L1 balances through the L1 gateway, and sees every signature a job asks of the Ledger: the call decoded
 * from its bytes by the one describer and the hash the device shows for blind signing, before the device is asked.
 *
 * The software Ledger's faults (locked, app closed, blind signing off, user rejects) are switched only by the process
 * that owns the device object it passes here (the e2e suite); no IPC channel reaches them.
 */
import { formatEther } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { EventName, EventPayload } from '../../../shared/ipc/contract'
import type { LedgerAccountsRequest, LedgerAccountsView, LedgerSignerKind, LedgerSigningView, LedgerStatusView } from '../../../shared/ipc/ledgerSchemas'
import { checkCustomDerivationPath, normalizeDerivationPath, presetPaths } from '../../../shared/signing/derivationPaths'
import { describeDeviceDisplay } from '../../../shared/signing/describeDeviceDisplay'
import { describeTxBytes, type SigningContext } from '../../../shared/signing/describeTxBytes'
import { ledgerInstruction, ledgerInstructionForError } from '../../../shared/signing/ledgerInstructions'
import type { Signer } from '../../../shared/signing/Signer'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import type { DeviceSignerName, DeviceSignerOptions, OpenedSigner } from '../jobs/openJobSigner'
import { endpointLabel } from '../l1/endpointClients'
import { openL1Gateway } from '../l1/openL1Gateway'
import { DRILL_MNEMONIC } from '../signers/drill-key/DrillKeySigner'
import { LedgerDeviceManager } from '../signers/ledger/LedgerDeviceManager'
import type { LedgerDeviceSource } from '../signers/ledger/LedgerDeviceSource'
import { LedgerSigner } from '../signers/ledger/LedgerSigner'
import { nodeHidDeviceSource } from '../signers/ledger/nodeHidDeviceSource'
import { SoftLedgerDevice } from '../signers/soft-ledger/SoftLedgerTransport'
import { SoftLedgerDeviceSource } from '../signers/soft-ledger/softLedgerDeviceSource'
import { l1ChainName, resolveNetworkRef } from './networkOptions'
import { scrubError } from './scrubError'
import { cut, toCallView } from './callView'

/** How long a screen action waits for a device to appear (a signature in a job waits longer: LedgerDeviceManager). */
const SCREEN_DEVICE_GRACE_MS = 3_000
/** Signatures kept for the screen (this app run). */
const KEPT_SIGNINGS = 50

export interface LedgerServiceParameters {
  dataDir: string
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void
  /**
   * The software Ledger behind the 'soft-ledger' signer. Only tests pass one (to switch its faults from outside);
   * the app makes its own with the public test mnemonic.
   */
  softLedger?: SoftLedgerDevice
  now?: () => Date
}

export interface LedgerService {
  status(signer: LedgerSignerKind): Promise<LedgerStatusView>
  listAccounts(request: LedgerAccountsRequest): Promise<LedgerAccountsView>
  showAddress(signer: LedgerSignerKind, path: string): Promise<{ path: string; address: `0x${string}` }>
  signings(): LedgerSigningView[]
  /** How the jobs open this kind of signer (the app's device source). */
  deviceOptions(kind: DeviceSignerName): DeviceSignerOptions
  /** The job's signer, reporting each signature to the screen (Ledger kinds only; others are returned as they are). */
  watchJobSigner(jobId: string, context: SigningContext, opened: OpenedSigner): OpenedSigner
}

const isLedgerKind = (kind: string): kind is LedgerSignerKind => kind === 'ledger' || kind === 'soft-ledger'

export function createLedgerService(p: LedgerServiceParameters): LedgerService {
  const now = p.now ?? (() => new Date())
  const sources = new Map<LedgerSignerKind, LedgerDeviceSource>()
  const signings: LedgerSigningView[] = []
  const jobSignersOpen = new Map<LedgerSignerKind, number>()
  let counter = 0

  function sourceFor(kind: LedgerSignerKind): LedgerDeviceSource {
    let source = sources.get(kind)
    if (!source) {
      if (kind === 'ledger') source = nodeHidDeviceSource()
      else {
        const soft = new SoftLedgerDeviceSource()
        soft.plug(p.softLedger ?? new SoftLedgerDevice({ mnemonic: DRILL_MNEMONIC }))
        source = soft
      }
      sources.set(kind, source)
    }
    return source
  }

  /** A short-lived connection for one screen action; released at once so a job can have the device. */
  async function withDevice<T>(kind: LedgerSignerKind, work: (signer: LedgerSigner, manager: LedgerDeviceManager) => Promise<T>): Promise<T> {
    if ((jobSignersOpen.get(kind) ?? 0) > 0) {
      throw new EscapeError('Your Ledger is in use by a running escape.', {
        kind: 'user-action',
        steps: ['Follow the request on the device and on this screen; the account list and status can be read again once the escape pauses.'],
      })
    }
    const manager = new LedgerDeviceManager(sourceFor(kind), { reconnectGraceMs: SCREEN_DEVICE_GRACE_MS, appSwitchGraceMs: 0 })
    try {
      return await work(new LedgerSigner({ device: manager.device(), kind }), manager)
    } finally {
      await manager.stop()
    }
  }

  function record(view: LedgerSigningView): void {
    const at = signings.findIndex((s) => s.id === view.id)
    if (at >= 0) signings[at] = view
    else signings.push(view)
    signings.splice(0, Math.max(0, signings.length - KEPT_SIGNINGS))
    p.publish('ledgerSigning', view)
  }

  function signingView(jobId: string, kind: LedgerSignerKind, path: string, request: UnsignedTxRequest, context: SigningContext): LedgerSigningView {
    const described = describeTxBytes(request, context)
    const display = describeDeviceDisplay(request)
    return {
      id: `sig-${++counter}-${now().getTime().toString(36)}`,
      jobId,
      signer: kind,
      path: normalizeDerivationPath(path),
      state: 'waiting-for-device',
      at: now().toISOString(),
      call: toCallView(described),
      device: {
        mode: display.mode,
        signingHash: display.signingHash,
        fields: display.fields.map((f) => ({ label: f.label, value: cut(f.value) })),
        explanation:
          display.mode === 'blind'
            ? `Your Ledger cannot decode this contract call, so it asks for blind signing and shows a hash instead: keccak-256 of the unsigned ${request.type === 'legacy' ? 'EIP-155' : 'EIP-1559'} transaction it signs (chain ID ${request.chainId}, nonce ${request.nonce}, ${formatEther(request.value)} ETH). Approve only if the hash on the device is exactly this one.`
            : 'Your Ledger shows the amount, the address and the network itself: check them against this screen before you approve.',
      },
    }
  }

  return {
    async status(kind) {
      const checkedAt = () => now().toISOString()
      try {
        return await withDevice(kind, async (signer, manager) => {
          const app = await signer.getAppInfo()
          const model = manager.devices()[0]?.model
          return {
            signer: kind,
            ready: app.blindSigningEnabled,
            ...(model ? { model: model.slice(0, 100) } : {}),
            app: { version: app.version.slice(0, 40), blindSigningEnabled: app.blindSigningEnabled },
            ...(app.blindSigningEnabled ? {} : { instruction: ledgerInstruction('blind-signing-off') }),
            checkedAt: checkedAt(),
          }
        })
      } catch (error) {
        const instruction = ledgerInstructionForError(error) ?? ((jobSignersOpen.get(kind) ?? 0) > 0 ? ledgerInstruction('busy') : undefined)
        if (!instruction) throw error
        return { signer: kind, ready: false, instruction, checkedAt: checkedAt() }
      }
    },

    async listAccounts(request) {
      const notes: string[] = []
      let paths: string[]
      if (request.scheme === 'custom') {
        const check = checkCustomDerivationPath(request.customPath ?? '')
        if (!check.ok) throw new EscapeError(check.problem, { kind: 'user-action' })
        if (check.warning) notes.push(check.warning)
        paths = [check.path]
      } else {
        paths = presetPaths(request.scheme, request.start ?? 0, request.count ?? 5)
      }
      const accounts = await withDevice(request.signer, (signer) => signer.listAccounts({ paths }))
      if (!request.network || !request.l1Urls?.length) {
        notes.push('Choose the network and add an L1 endpoint in the escape wizard to see each account’s ETH on L1.')
        return { signer: request.signer, accounts: accounts.map((a) => ({ path: a.path, address: a.address })), notes }
      }
      const entry = await resolveNetworkRef(request.network, p.dataDir)
      const l1 = await openL1Gateway({ urls: request.l1Urls, l1ChainId: entry.l1ChainId, label: `${entry.name}'s L1` })
      const pinned = await l1.pinBlock()
      const balances = await Promise.all(accounts.map((a) => l1.getBalance({ address: a.address, blockNumber: pinned.number })))
      return {
        signer: request.signer,
        accounts: accounts.map((a, i) => ({ path: a.path, address: a.address, l1BalanceWei: balances[i]!.toString() })),
        balances: { l1Name: l1ChainName(entry.l1ChainId), l1Block: pinned.number.toString(), endpoints: request.l1Urls.map(endpointLabel) },
        notes,
      }
    },

    async showAddress(kind, path) {
      const check = checkCustomDerivationPath(path)
      if (!check.ok) throw new EscapeError(check.problem, { kind: 'user-action' })
      const { address } = await withDevice(kind, (signer) => signer.showAddress({ path: check.path }))
      return { path: check.path, address }
    },

    signings: () => [...signings],

    deviceOptions(kind) {
      return isLedgerKind(kind) ? { ledgerSource: sourceFor(kind) } : {}
    },

    watchJobSigner(jobId, context, opened) {
      const kind = opened.signer.kind
      if (!isLedgerKind(kind)) return opened
      const inner = opened.signer
      jobSignersOpen.set(kind, (jobSignersOpen.get(kind) ?? 0) + 1)
      let released = false
      const signer: Signer = {
        kind: inner.kind,
        capabilities: inner.capabilities,
        listAccounts: (x) => inner.listAccounts(x),
        showAddress: (x) => inner.showAddress(x),
        describeDisplay: (r) => inner.describeDisplay(r),
        signPersonalMessage: (x) => inner.signPersonalMessage(x),
        close: () => inner.close(),
        async signTransaction(params) {
          const view = signingView(jobId, kind, params.path, params.request, context)
          record(view)
          try {
            const signed = await inner.signTransaction(params)
            record({ ...view, state: 'signed', at: now().toISOString() })
            return signed
          } catch (error) {
            const instruction = ledgerInstructionForError(error)
            record({ ...view, state: 'failed', at: now().toISOString(), ...(instruction ? { instruction } : { problem: scrubError(error).shortMessage.slice(0, 2000) }) })
            throw error
          }
        },
      }
      return {
        signer,
        release: async () => {
          if (!released) {
            released = true
            jobSignersOpen.set(kind, Math.max(0, (jobSignersOpen.get(kind) ?? 1) - 1))
          }
          await opened.release()
        },
      }
    },
  }
}
