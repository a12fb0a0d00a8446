/**
 * Each drill flow's report → the window's view of it (shared/ipc/drillSchemas.ts), which is also what the report file
 * next to the journal keeps and what the HTML report is rendered from. Spelled out field by field on purpose: a field
 * a flow adds later stays out of the window (and out of the report file) until the schema has it, and a field it
 * changes or removes stops this file from compiling. Folder paths (journalDir, rollup.json…) never reach the view.
 */
import type { ArbitrumDrillReportView, OpDrillReportView, RetryableDrillReportView } from '../../../shared/ipc/drillSchemas'
import type { ArbitrumDrillReport } from './runArbitrumDrill'
import type { DrillStepReport, DrillTxReport } from './drillJobReport'
import type { OpDrillReport } from './runOpDrill'
import type { RetryableDrillReport } from './runRetryableDrill'

const stepsView = (steps: DrillStepReport[]) =>
  steps.map((s) => ({ name: s.name, status: s.status, attempts: s.attempts, startedAt: s.startedAt, finishedAt: s.finishedAt, durationMs: s.durationMs }))
const txsView = (txs: DrillTxReport[]) => txs.map((t) => ({ step: t.step, chainId: t.chainId, hash: t.hash, status: t.status, blockNumber: t.blockNumber }))
const checksView = (checks: { name: string; ok: boolean; detail: string }[]) => checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.detail }))

export function toDrillReportView(report: ArbitrumDrillReport): ArbitrumDrillReportView {
  const r = report.result
  return {
    stack: report.stack,
    scenario: 'escape',
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
    steps: stepsView(report.steps),
    transactions: txsView(report.transactions),
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
      proofMethod: r.proofMethod,
    },
    ...(report.l2Rpc ? { l2Rpc: { total: report.l2Rpc.total, byMethod: { ...report.l2Rpc.byMethod } } } : {}),
    roots: { confirmedSendRoot: report.roots.confirmedSendRoot, recomputedFromL2SendList: report.roots.recomputedFromL2SendList, matched: report.roots.matched },
    checks: checksView(report.checks),
    restarts: report.restarts,
    error: report.error,
  }
}

export function toOpDrillReportView(report: OpDrillReport): OpDrillReportView {
  const r = report.result
  const d = report.devnet
  return {
    stack: 'op',
    scenario: report.scenario,
    ok: report.ok,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    wallTimeMs: report.wallTimeMs,
    peakRssBytes: report.peakRssBytes,
    devnet: { l1RpcUrl: d.l1RpcUrl, l2RpcUrl: d.l2RpcUrl, l1ChainId: d.l1ChainId, l2ChainId: d.l2ChainId, note: d.note, dataAvailability: d.dataAvailability },
    user: report.user,
    assets: report.assets.map((a) => ({ kind: a.kind, symbol: a.symbol, l1Token: a.l1Token, l2Token: a.l2Token, amountWei: a.amountWei })),
    setup: { fundTxs: report.setup.fundTxs.map((t) => ({ what: t.what, hash: t.hash })), censorship: report.setup.censorship, devnetStartMs: report.setup.devnetStartMs },
    jobId: report.jobId,
    steps: stepsView(report.steps),
    transactions: txsView(report.transactions),
    result: r && {
      withdrawals: r.withdrawals.map((w) => ({ asset: w.asset, l2TxHash: w.l2TxHash, withdrawalHash: w.withdrawalHash })),
      game: { address: r.game.address, index: r.game.index, l2Block: r.game.l2Block, rootClaim: r.game.rootClaim, createdByUs: r.game.createdByUs },
      rounds: r.rounds,
      rootSource: r.rootSource,
    },
    roots: {
      gameRootClaim: report.roots.gameRootClaim,
      gameL2Block: report.roots.gameL2Block,
      devnetChainOutputRoot: report.roots.devnetChainOutputRoot,
      source: report.roots.source,
      matched: report.roots.matched,
    },
    checks: checksView(report.checks),
    error: report.error,
  }
}

export function toRetryableDrillReportView(report: RetryableDrillReport): RetryableDrillReportView {
  const r = report.result
  return {
    stack: 'arbitrum',
    scenario: 'retryable',
    ok: report.ok,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    wallTimeMs: report.wallTimeMs,
    user: report.user,
    beneficiary: report.beneficiary,
    callValueWei: report.callValueWei,
    ticketId: report.ticketId,
    createTicketL1Tx: report.createTicketL1Tx,
    jobId: report.jobId,
    steps: stepsView(report.steps),
    transactions: txsView(report.transactions),
    result: r && { redeemL2TxHash: r.redeemL2TxHash, forceInclusionTx: r.forceInclusionTx, sequencedInBatch: r.sequencedInBatch, forced: r.forced, redeemedBy: r.redeemedBy },
    checks: checksView(report.checks),
    error: report.error,
  }
}
