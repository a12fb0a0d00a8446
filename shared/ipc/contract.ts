/**
 * The IPC contract: every channel between the window and the app service, with a zod schema for each request,
 * response and event. Both transports (Electron IPC via the preload, and the loopback bridge over WebSocket) are
 * built from this one map, and the router in electron/services/ipc validates against it.
 *
 * Adding a channel = one entry here + one handler in electron/services/ipc/handlers (the handler map's type makes
 * the handler mandatory). The window's API (`window.escapeHatch`) gains the method by itself.
 */
import { z } from 'zod'
import type { IpcResult } from './wire'
import { JobDetailSchema, JobIdSchema, JobSummarySchema } from './jobSchemas'
import {
  DrillFinishedEventSchema,
  DrillIdSchema,
  DrillListSchema,
  DrillProgressEventSchema,
  DrillRunStatusSchema,
  DrillStatusSchema,
  SaveDrillReportRequestSchema,
  SavedDrillReportSchema,
  StartDrillRequestSchema,
} from './drillSchemas'
import {
  OpDeriveFinishedEventSchema,
  OpDeriveProgressEventSchema,
  OpDeriveRunIdSchema,
  OpDeriveRunStatusSchema,
  OpDeriveStatusSchema,
  StartOpDeriveRequestSchema,
} from './opDeriveSchemas'
import {
  AccountRequestSchema,
  AccountViewSchema,
  CheckEndpointsRequestSchema,
  DiagnoseRequestSchema,
  DiagnosisSchema,
  EndpointChecksSchema,
  ApproveFeeBumpRequestSchema,
  EscapePreviewSchema,
  OpTokenRequestSchema,
  OpTokenViewSchema,
  ProposeFeeBumpResultSchema,
  EscapeProgressEventSchema,
  EscapeRunChangedEventSchema,
  EscapeRunStateSchema,
  NetworkListSchema,
  PreviewEscapeRequestSchema,
  ResumeEscapeRequestSchema,
  SaveDiagnosisReportRequestSchema,
  SaveJobReportRequestSchema,
  SavedReportSchema,
  StartEscapeRequestSchema,
  StartedEscapeSchema,
} from './escapeSchemas'
import {
  AirGappedRequestQuerySchema,
  AirGappedRequestSchema,
  CheckedSignedFileSchema,
  CheckSignedFileRequestSchema,
  ExportAirGappedRequestSchema,
  ExportedAirGappedRequestSchema,
  LedgerAccountsRequestSchema,
  LedgerAccountsSchema,
  LedgerSigningListSchema,
  LedgerSigningSchema,
  LedgerStatusRequestSchema,
  LedgerStatusSchema,
  ShowLedgerAddressRequestSchema,
  ShownLedgerAddressSchema,
} from './ledgerSchemas'

/** Requests without parameters are still an object, so a later optional field is not a breaking change. */
const NoParameters = z.strictObject({})

export const AppInfoSchema = z.strictObject({
  name: z.string().min(1).max(100),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'expected a semantic version').max(64),
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  /**
   * Where jobs are kept, as a kind rather than a path (the path names the user's account; the window has no use
   * for it): the OS default data folder, or a folder chosen with ESCAPE_HATCH_HOME / --data-dir.
   */
  dataDirKind: z.enum(['os-default', 'custom']),
  /** Main can open the native file dialogs (the app); behind the loopback bridge the window asks for a typed path. */
  fileDialog: z.boolean().optional(),
})

export const JobListSchema = z.strictObject({
  jobs: z.array(JobSummarySchema).max(10_000),
  /** Jobs whose journal has defects (set-aside torn tail, damaged lines, unreadable file), one sentence each. */
  problems: z.array(z.strictObject({ jobId: z.string().max(200), messages: z.array(z.string().max(2000)).max(100) })).max(10_000),
})

export const RendererReadySchema = z.strictObject({
  /** Events that waited for the window and were delivered just now. */
  deliveredEvents: z.number().int().nonnegative(),
  /** Events dropped because too many waited; the window should re-read what it shows (listJobs). */
  droppedEvents: z.number().int().nonnegative(),
})

interface InvokeSpec {
  channel: string
  request: z.ZodType
  response: z.ZodType
}
interface EventSpec {
  channel: string
  payload: z.ZodType
}

export const ipcInvokes = {
  getAppInfo: { channel: 'app:get-info', request: NoParameters, response: AppInfoSchema },
  listJobs: { channel: 'jobs:list', request: NoParameters, response: JobListSchema },
  getJob: { channel: 'jobs:get', request: z.strictObject({ jobId: JobIdSchema }), response: JobDetailSchema },
  /** Start a drill on the embedded devnet; refused with DrillAlreadyRunningError while one runs. */
  startDrill: {
    channel: 'drill:start',
    request: StartDrillRequestSchema,
    response: z.strictObject({ runId: DrillIdSchema, startedAt: z.iso.datetime() }),
  },
  /** Ask the running drill to stop; it stops its devnet and then sends drillFinished. */
  cancelDrill: {
    channel: 'drill:cancel',
    request: z.strictObject({ runId: DrillIdSchema }),
    response: z.strictObject({ status: z.union([DrillRunStatusSchema, z.literal('unknown')]) }),
  },
  getDrillStatus: { channel: 'drill:get-status', request: NoParameters, response: DrillStatusSchema },
  listDrills: { channel: 'drill:list', request: NoParameters, response: DrillListSchema },
  /** Write a drill's report as HTML into the data folder's reports/ directory. */
  saveDrillReport: { channel: 'drill:save-report', request: SaveDrillReportRequestSchema, response: SavedDrillReportSchema },
  /** The window has subscribed to events; the router now delivers the ones it held back. Handled by the router. */
  rendererReady: { channel: 'renderer:ready', request: NoParameters, response: RendererReadySchema },
  /** Rebuild an OP Stack chain from L1 (read-only); refused with OpDeriveAlreadyRunningError while one runs. */
  startOpDerive: {
    channel: 'opderive:start',
    request: StartOpDeriveRequestSchema,
    response: z.strictObject({ runId: OpDeriveRunIdSchema, startedAt: z.iso.datetime() }),
  },
  /** Ask the running rebuild to stop; opDeriveFinished follows. */
  cancelOpDerive: {
    channel: 'opderive:cancel',
    request: z.strictObject({ runId: OpDeriveRunIdSchema }),
    response: z.strictObject({ status: z.union([OpDeriveRunStatusSchema, z.literal('unknown')]) }),
  },
  getOpDeriveStatus: { channel: 'opderive:get-status', request: NoParameters, response: OpDeriveStatusSchema },
  /** The networks an escape or a diagnosis can name: the registry's, and the running devnet's. */
  listNetworks: { channel: 'networks:list', request: NoParameters, response: NetworkListSchema },
  /** Reach every endpoint, check its chain id, and whether the L1 endpoints agree on the chain. */
  checkEndpoints: { channel: 'escape:check-endpoints', request: CheckEndpointsRequestSchema, response: EndpointChecksSchema },
  /** The signer's account and its balances (L1 agreed; L2 as the L2 node reports it). */
  getEscapeAccount: { channel: 'escape:get-account', request: AccountRequestSchema, response: AccountViewSchema },
  /** OP Stack: a standard-bridge token pair's symbol, decimals and the account's balances (L2 as the node reports it). */
  getEscapeToken: { channel: 'escape:get-token', request: OpTokenRequestSchema, response: OpTokenViewSchema },
  /** Check everything and price every transaction at today's L1 fees; signs and journals nothing. */
  previewEscape: { channel: 'escape:preview', request: PreviewEscapeRequestSchema, response: EscapePreviewSchema },
  /** Create the escape job and run it in the app (progress: escapeProgress, jobChanged, escapeRunChanged). */
  startEscape: { channel: 'escape:start', request: StartEscapeRequestSchema, response: StartedEscapeSchema },
  /** Continue an unfinished escape job from its journal. */
  resumeEscape: { channel: 'escape:resume', request: ResumeEscapeRequestSchema, response: EscapeRunStateSchema },
  /** Stop a run of this job in this app (the journal keeps everything; resume continues). */
  stopEscape: { channel: 'escape:stop', request: z.strictObject({ jobId: JobIdSchema }), response: EscapeRunStateSchema },
  getEscapeRunState: { channel: 'escape:get-run-state', request: z.strictObject({ jobId: JobIdSchema }), response: EscapeRunStateSchema },
  /** Propose higher fees for the job's stuck L1 transaction (journals, signs and sends nothing). */
  proposeFeeBump: { channel: 'escape:propose-fee-bump', request: z.strictObject({ jobId: JobIdSchema }), response: ProposeFeeBumpResultSchema },
  /** With the user's consent to exactly the proposed fees: sign and send the replacement, then continue the job. */
  approveFeeBump: { channel: 'escape:approve-fee-bump', request: ApproveFeeBumpRequestSchema, response: EscapeRunStateSchema },
  /** Write the job's report (HTML + JSON, RPC URLs cut to their host) into the data folder's reports/. */
  saveJobReport: { channel: 'jobs:save-report', request: SaveJobReportRequestSchema, response: SavedReportSchema },
  /** Where an address's (or a transaction's sender's) exits stand: stage, blocker, dates, next action. Read-only. */
  diagnose: { channel: 'diagnosis:run', request: DiagnoseRequestSchema, response: DiagnosisSchema },
  /** Write a diagnosis made in this app run as HTML + JSON (credentials removed) into reports/. */
  saveDiagnosisReport: { channel: 'diagnosis:save-report', request: SaveDiagnosisReportRequestSchema, response: SavedReportSchema },
  /** Ask the Ledger whether it can sign (unlocked, Ethereum app open, blind signing on); a problem comes back as an instruction. */
  getLedgerStatus: { channel: 'ledger:status', request: LedgerStatusRequestSchema, response: LedgerStatusSchema },
  /** Addresses on the Ledger Live, legacy or a custom path, with their L1 balances through the L1 gateway. */
  listLedgerAccounts: { channel: 'ledger:list-accounts', request: LedgerAccountsRequestSchema, response: LedgerAccountsSchema },
  /** Show an account's address on the device so the user can compare it with the screen. */
  showLedgerAddress: { channel: 'ledger:show-address', request: ShowLedgerAddressRequestSchema, response: ShownLedgerAddressSchema },
  /** The signatures jobs asked of the Ledger in this app run (newest last). */
  listLedgerSignings: { channel: 'ledger:list-signings', request: NoParameters, response: LedgerSigningListSchema },
  /** Air-gapped: what the job's latest exported request file does (decoded from its bytes) and where it is. */
  getAirGappedRequest: { channel: 'airgapped:get-request', request: AirGappedRequestQuerySchema, response: AirGappedRequestSchema },
  /** Air-gapped: copy that request file, unchanged, to a path the user chose (never over an existing file). */
  exportAirGappedRequest: { channel: 'airgapped:export-request', request: ExportAirGappedRequestSchema, response: ExportedAirGappedRequestSchema },
  /** Air-gapped: check a signed file exactly as a resume will, before the job continues with it. */
  checkSignedFile: { channel: 'airgapped:check-signed', request: CheckSignedFileRequestSchema, response: CheckedSignedFileSchema },
} as const satisfies Record<string, InvokeSpec>

export const ipcEvents = {
  jobChanged: { channel: 'jobs:changed', payload: z.strictObject({ job: JobSummarySchema }) },
  drillProgress: { channel: 'drill:progress', payload: DrillProgressEventSchema },
  drillFinished: { channel: 'drill:finished', payload: DrillFinishedEventSchema },
  opDeriveProgress: { channel: 'opderive:progress', payload: OpDeriveProgressEventSchema },
  opDeriveFinished: { channel: 'opderive:finished', payload: OpDeriveFinishedEventSchema },
  escapeProgress: { channel: 'escape:progress', payload: EscapeProgressEventSchema },
  escapeRunChanged: { channel: 'escape:run-changed', payload: EscapeRunChangedEventSchema },
  /** A job asks the Ledger to sign, or the device answered (signed, refused). */
  ledgerSigning: { channel: 'ledger:signing', payload: LedgerSigningSchema },
} as const satisfies Record<string, EventSpec>

export type InvokeName = keyof typeof ipcInvokes
export type EventName = keyof typeof ipcEvents
export type InvokeRequest<K extends InvokeName> = z.input<(typeof ipcInvokes)[K]['request']>
export type InvokeResponse<K extends InvokeName> = z.output<(typeof ipcInvokes)[K]['response']>
export type EventPayload<E extends EventName> = z.output<(typeof ipcEvents)[E]['payload']>
export type AppInfo = z.output<typeof AppInfoSchema>
export type JobList = z.output<typeof JobListSchema>

/** A request with no required field may be omitted. */
type RequestArgs<T> = Record<never, never> extends T ? [request?: T] : [request: T]

/**
 * `window.escapeHatch`: one method per invoke channel, and `on` for events. Results and event payloads are data
 * (`IpcResult`), already checked against the contract; `unwrapIpcResult` turns an error back into its class.
 */
export type EscapeHatchApi = {
  readonly [K in InvokeName]: (...args: RequestArgs<InvokeRequest<K>>) => Promise<IpcResult<InvokeResponse<K>>>
} & {
  /** Subscribe to an event; returns the unsubscribe function. */
  readonly on: <E extends EventName>(event: E, listener: (payload: IpcResult<EventPayload<E>>) => void) => () => void
}

export const invokeNames = Object.keys(ipcInvokes) as InvokeName[]
export const eventNames = Object.keys(ipcEvents) as EventName[]

const invokeByChannel = new Map<string, InvokeName>(invokeNames.map((name) => [ipcInvokes[name].channel, name]))

/** The invoke a channel string names, or undefined for anything not in the contract. */
export function invokeNameOfChannel(channel: string): InvokeName | undefined {
  return invokeByChannel.get(channel)
}
