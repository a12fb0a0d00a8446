/**
 * The flow's drill report ⇄ the window's view of it (shared/ipc/drillSchemas.ts). Both directions are spelled out
 * field by field on purpose: a field the flow adds later stays out of the window (and out of the report file) until
 * the schema has it, and a field it changes or removes stops this file from compiling.
 */
import type { DrillReportView } from '../../../shared/ipc/drillSchemas'
import type { ArbitrumDrillReport } from './runArbitrumDrill'

export function toDrillReportView(report: ArbitrumDrillReport): DrillReportView {
  const r = report.result
  return {
    stack: report.stack,
    ok: report.ok,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    wallTimeMs: report.wallTimeMs,
    peakRssBytes: report.peakRssBytes,
    devnet: { ...report.devnet },
    user: report.user,
    amountWei: report.amountWei,
    setup: { ...report.setup },
    jobId: report.jobId,
    steps: report.steps.map((s) => ({ name: s.name, status: s.status, attempts: s.attempts, startedAt: s.startedAt, finishedAt: s.finishedAt, durationMs: s.durationMs })),
    transactions: report.transactions.map((t) => ({ step: t.step, chainId: t.chainId, hash: t.hash, status: t.status, blockNumber: t.blockNumber })),
    result: r && {
      jobId: r.jobId,
      l2TxHash: r.l2TxHash,
      sendL2MessageTx: r.sendL2MessageTx,
      forceInclusionTx: r.forceInclusionTx,
      messageIndex: r.messageIndex,
      sequencedInBatch: r.sequencedInBatch,
      forced: r.forced,
      l2Block: r.l2Block,
      sendPosition: r.sendPosition,
      confirmedSendRoot: r.confirmedSendRoot,
      executeTx: r.executeTx,
      alreadySpent: r.alreadySpent,
    },
    roots: { confirmedSendRoot: report.roots.confirmedSendRoot, recomputedFromL2SendList: report.roots.recomputedFromL2SendList, matched: report.roots.matched },
    checks: report.checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })),
    restarts: report.restarts,
    error: report.error,
  }
}

/** Back to the flow's type, for its HTML renderer (renderDrillReport.ts). */
export function fromDrillReportView(view: DrillReportView): ArbitrumDrillReport {
  const r = view.result
  return {
    ...view,
    jobId: view.jobId,
    // Folder paths stay out of the window's view; the HTML report does not show them.
    journalDir: undefined,
    steps: view.steps.map((s) => ({ ...s, finishedAt: s.finishedAt, durationMs: s.durationMs })),
    transactions: view.transactions.map((t) => ({ ...t, blockNumber: t.blockNumber })),
    result: r && { ...r, forceInclusionTx: r.forceInclusionTx, executeTx: r.executeTx },
    roots: { confirmedSendRoot: view.roots.confirmedSendRoot, recomputedFromL2SendList: view.roots.recomputedFromL2SendList, matched: view.roots.matched },
    error: view.error,
  }
}
