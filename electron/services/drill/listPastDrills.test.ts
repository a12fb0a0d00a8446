import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DrillReportUnreadableError } from '../../../shared/ipc/drillErrors'
import type { DrillReportView } from '../../../shared/ipc/drillSchemas'
import { JournalStore } from '../journal/JournalStore'
import { DRILL_REPORT_FILE } from './drillPaths'
import { listPastDrills } from './listPastDrills'
import { MAX_DRILL_REPORT_BYTES, readDrillReportFile } from './readDrillReportFile'
import { writeDrillReportFile } from './writeDrillReportFile'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-drills-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const ROOT = `0x${'74'.repeat(32)}` as const
const report: DrillReportView = {
  stack: 'arbitrum',
  ok: true,
  startedAt: '2026-11-21T20:44:58.971Z',
  finishedAt: '2026-11-21T20:45:00.571Z',
  wallTimeMs: 1600,
  peakRssBytes: 200_000_000,
  devnet: { l1RpcUrl: 'http://127.0.0.1:40001', l2RpcUrl: 'http://127.0.0.1:40002', l1ChainId: 31337, l2ChainId: 412346, note: 'devnet', batchMode: 'calldata' },
  user: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  amountWei: '1000000000000000000',
  setup: { fundL2TxHash: `0x${'11'.repeat(32)}`, censorship: 'refused', devnetStartMs: 900 },
  jobId: 'arb-escape-20261121-27c22c',
  steps: [{ name: 'prepare', status: 'completed', attempts: 1, startedAt: '2026-11-21T20:44:59.000Z', finishedAt: '2026-11-21T20:44:59.030Z', durationMs: 30 }],
  transactions: [],
  roots: { confirmedSendRoot: ROOT, recomputedFromL2SendList: ROOT, matched: true },
  checks: [{ name: 'replay of the withdrawal is rejected', ok: true, detail: 'AlreadySpent(0)' }],
  restarts: 0,
}
const opReport: DrillReportView = {
  stack: 'op',
  scenario: 'censored',
  ok: false,
  startedAt: '2026-11-20T09:00:00.000Z',
  finishedAt: '2026-11-20T09:00:02.000Z',
  wallTimeMs: 2000,
  peakRssBytes: 200_000_000,
  devnet: { l1RpcUrl: 'http://127.0.0.1:40001', l2RpcUrl: 'http://127.0.0.1:40003', l1ChainId: 31337, l2ChainId: 901, note: 'devnet', dataAvailability: 'calldata' },
  user: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  assets: [{ kind: 'eth', symbol: 'ETH', amountWei: '1000000000000000000' }],
  setup: { fundTxs: [], censorship: 'dropped', devnetStartMs: 900 },
  steps: [],
  transactions: [],
  roots: { matched: false },
  checks: [{ name: 'user L1 WETH rose by the amount', ok: false, detail: 'before 0, after 0' }],
}

/** A drill folder as the flow leaves it: one escape job journal, written through the real store. */
async function drillFolder(name: string, finished: boolean): Promise<string> {
  const folder = path.join(dir, name)
  const store = await JournalStore.open(folder)
  try {
    const job = await store.createJob({ kind: 'arb-escape', title: 'Get 1 ETH out of Arbitrum devnet', params: null })
    await store.append(job.id, { type: 'step.started', step: 'prepare' })
    await store.append(job.id, { type: 'step.completed', step: 'prepare', result: null })
    if (finished) await store.append(job.id, { type: 'job.finished', outcome: 'succeeded' })
    return job.id
  } finally {
    store.close()
  }
}

describe('listPastDrills', () => {
  it('lists drill folders newest first: the saved report for app runs, the journal for CLI runs, problems as sentences', async () => {
    const cliJob = await drillFolder('arbitrum-drill-2026-11-20T08-00-00-000Z', false)
    const appJob = await drillFolder('arbitrum-drill-2026-11-21T20-44-58-971Z', true)
    writeDrillReportFile(path.join(dir, 'arbitrum-drill-2026-11-21T20-44-58-971Z'), { cancelled: false, report })
    await drillFolder('arbitrum-drill-2026-11-19T08-00-00-000Z', true)
    fs.writeFileSync(path.join(dir, 'arbitrum-drill-2026-11-19T08-00-00-000Z', DRILL_REPORT_FILE), '{"version":1,"cancelled":false,"report":{"ok":true}}')
    fs.mkdirSync(path.join(dir, 'not-a-drill'))
    fs.writeFileSync(path.join(dir, 'arbitrum-drill-2026-11-22T08-00-00-000Z'), 'a file, not a folder')
    // The OP drill and the retryable drill name their folders after their scenario; they sort by time with the rest.
    const opJob = await drillFolder('op-drill-censored-2026-11-20T09-00-00-000Z', true)
    writeDrillReportFile(path.join(dir, 'op-drill-censored-2026-11-20T09-00-00-000Z'), { cancelled: false, report: opReport })
    await drillFolder('arbitrum-retryable-drill-2026-11-19T09-00-00-000Z', false)

    const { drills, truncated } = await listPastDrills({ dir })
    expect(truncated).toBe(false)
    expect(drills.map((d) => d.drillId)).toEqual([
      'arbitrum-drill-2026-11-21T20-44-58-971Z',
      'op-drill-censored-2026-11-20T09-00-00-000Z',
      'arbitrum-drill-2026-11-20T08-00-00-000Z',
      'arbitrum-retryable-drill-2026-11-19T09-00-00-000Z',
      'arbitrum-drill-2026-11-19T08-00-00-000Z',
    ])
    expect(drills[0]).toEqual({
      drillId: 'arbitrum-drill-2026-11-21T20-44-58-971Z',
      startedAt: report.startedAt,
      stack: 'arbitrum',
      scenario: 'escape',
      summary: { stack: 'arbitrum', scenario: 'escape', ok: true, cancelled: false, wallTimeMs: 1600, checks: [{ name: 'replay of the withdrawal is rejected', ok: true }], rootMatched: true, error: undefined },
      job: { jobId: appJob, status: 'succeeded', stepsCompleted: 1 },
    })
    expect(drills[1]).toEqual({
      drillId: 'op-drill-censored-2026-11-20T09-00-00-000Z',
      startedAt: opReport.startedAt,
      stack: 'op',
      scenario: 'censored',
      summary: { stack: 'op', scenario: 'censored', ok: false, cancelled: false, wallTimeMs: 2000, checks: [{ name: 'user L1 WETH rose by the amount', ok: false }], rootMatched: false, error: undefined },
      job: { jobId: opJob, status: 'succeeded', stepsCompleted: 1 },
    })
    expect(drills[2]).toEqual({ drillId: 'arbitrum-drill-2026-11-20T08-00-00-000Z', startedAt: '2026-11-20T08:00:00.000Z', stack: 'arbitrum', scenario: 'escape', job: { jobId: cliJob, status: 'active', stepsCompleted: 1 } })
    expect(drills[3]).toMatchObject({ stack: 'arbitrum', scenario: 'retryable', startedAt: '2026-11-19T09:00:00.000Z', job: { status: 'active' } })
    expect(drills[4]?.summary).toBeUndefined()
    expect(drills[4]?.job?.status).toBe('succeeded')
    expect(drills[4]?.problem).toMatch(/^This drill’s saved report cannot be read\. Drill arbitrum-drill-2026-11-19T08-00-00-000Z: report/)
  })

  it('is empty without a drills folder, and lists only the newest when there are many', async () => {
    expect(await listPastDrills({ dir: path.join(dir, 'missing') })).toEqual({ drills: [], truncated: false })
    for (const minute of ['01', '02', '03']) fs.mkdirSync(path.join(dir, `arbitrum-drill-2026-11-21T20-${minute}-00-000Z`))
    const { drills, truncated } = await listPastDrills({ dir, limit: 2 })
    expect(truncated).toBe(true)
    expect(drills.map((d) => d.drillId)).toEqual(['arbitrum-drill-2026-11-21T20-03-00-000Z', 'arbitrum-drill-2026-11-21T20-02-00-000Z'])
    expect(drills[0]?.job).toBeUndefined()
  })
})

describe('readDrillReportFile', () => {
  it('reads what writeDrillReportFile wrote, and refuses oversized or non-JSON files without reading them whole', () => {
    expect(readDrillReportFile(dir, 'x-drill')).toBeUndefined()
    writeDrillReportFile(dir, { cancelled: true, report })
    expect(readDrillReportFile(dir, 'x-drill')).toEqual({ version: 1, cancelled: true, report })
    fs.writeFileSync(path.join(dir, DRILL_REPORT_FILE), 'not json')
    expect(() => readDrillReportFile(dir, 'x-drill')).toThrow(DrillReportUnreadableError)
    fs.writeFileSync(path.join(dir, DRILL_REPORT_FILE), Buffer.alloc(MAX_DRILL_REPORT_BYTES + 1, 0x20))
    expect(() => readDrillReportFile(dir, 'x-drill')).toThrow(/more than a report can be/)
  })
})
