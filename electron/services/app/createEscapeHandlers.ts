/**
 * The handlers of the escape, diagnosis and report channels (shared/ipc/escapeSchemas.ts), for Electron main and the
 * loopback bridge alike. Every error leaves scrubbed of URL paths (scrubError): a viem error quotes the full URL.
 */
import type { IpcHandlers } from '../ipc/createIpcRouter'
import type { DiagnosisView } from '../../../shared/ipc/escapeSchemas'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { JournalStore } from '../journal/JournalStore'
import { reportsDir } from '../paths'
import { buildJobReport, renderJobReportHtml } from '../reports/buildJobReport'
import { checkEndpoints } from './checkEndpoints'
import type { EscapeService } from './createEscapeService'
import { listNetworkOptions, resolveNetworkRef } from './networkOptions'
import { renderDiagnosisReportHtml } from './renderDiagnosisReport'
import { runDiagnosis } from './runDiagnosis'
import { withScrubbedErrors } from './scrubError'
import { saveReport } from './writeReportFiles'
import type { FileDialog } from '../files/fileDialog'

type EscapeHandlerNames =
  | 'listNetworks'
  | 'checkEndpoints'
  | 'getEscapeAccount'
  | 'getEscapeToken'
  | 'previewEscape'
  | 'startEscape'
  | 'resumeEscape'
  | 'stopEscape'
  | 'getEscapeRunState'
  | 'proposeFeeBump'
  | 'approveFeeBump'
  | 'saveJobReport'
  | 'diagnose'
  | 'saveDiagnosisReport'

export interface CreateEscapeHandlersParameters {
  dataDir: string
  journal: Pick<JournalStore, 'load'>
  escape: EscapeService
  app: { version: string; platform: string }
  /** The native save dialog (the app); absent behind the loopback bridge, where a report goes to a typed path. */
  fileDialog?: FileDialog
}

/** Diagnoses kept for "save report" (the newest few of this app run). */
const KEPT_DIAGNOSES = 20

export function createEscapeHandlers(p: CreateEscapeHandlersParameters): Pick<IpcHandlers, EscapeHandlerNames> {
  const diagnoses = new Map<string, DiagnosisView>()
  return {
    listNetworks: () => withScrubbedErrors(() => listNetworkOptions(p.dataDir)),
    checkEndpoints: (r) => withScrubbedErrors(async () => checkEndpoints({ network: await resolveNetworkRef(r.network, p.dataDir), l1Urls: r.l1Urls, l2Url: r.l2Url })),
    getEscapeAccount: (r) => withScrubbedErrors(() => p.escape.getAccount(r)),
    getEscapeToken: (r) => withScrubbedErrors(() => p.escape.getToken(r)),
    previewEscape: (r) => withScrubbedErrors(() => p.escape.preview(r)),
    startEscape: (r) => withScrubbedErrors(() => p.escape.start(r)),
    resumeEscape: (r) => withScrubbedErrors(() => p.escape.resume(r)),
    stopEscape: ({ jobId }) => withScrubbedErrors(() => p.escape.stop(jobId)),
    getEscapeRunState: ({ jobId }) => withScrubbedErrors(() => p.escape.runState(jobId)),
    proposeFeeBump: ({ jobId }) => withScrubbedErrors(() => p.escape.proposeFeeBump(jobId)),
    approveFeeBump: (r) => withScrubbedErrors(() => p.escape.approveFeeBump(r)),
    saveJobReport: ({ jobId, to }) =>
      withScrubbedErrors(async () => {
        const loaded = await p.journal.load(jobId)
        const report = buildJobReport({ loaded, app: p.app })
        return saveReport({ to, dir: reportsDir(p.dataDir), baseName: `job-${jobId}`, html: renderJobReportHtml(report), json: report, fileDialog: p.fileDialog, title: 'Save the job report' })
      }),
    diagnose: (r) =>
      withScrubbedErrors(async () => {
        const view = await runDiagnosis({ network: await resolveNetworkRef(r.network, p.dataDir), l1Urls: r.l1Urls, l2Url: r.l2Url, query: r.query })
        diagnoses.set(view.id, view)
        for (const id of [...diagnoses.keys()].slice(0, Math.max(0, diagnoses.size - KEPT_DIAGNOSES))) diagnoses.delete(id)
        return view
      }),
    saveDiagnosisReport: ({ id, to }) =>
      withScrubbedErrors(async () => {
        const view = diagnoses.get(id)
        if (!view) throw new EscapeError('This diagnosis is no longer kept by the app.', { kind: 'user-action', steps: ['Run the diagnosis again, then save its report.'] })
        const json = { schema: 'escape-hatch-diagnosis/v1', ...view }
        return saveReport({ to, dir: reportsDir(p.dataDir), baseName: view.id, html: renderDiagnosisReportHtml(view, p.app), json, fileDialog: p.fileDialog, title: 'Save the diagnosis report' })
      }),
  }
}
