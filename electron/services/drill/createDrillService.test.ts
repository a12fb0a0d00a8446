/**
 * The drill service over the real flow: a real devnet (anvil + the Nitro contracts + the devnet L2), the journaled
 * escape with the software Ledger, progress as contract-valid events, one run at a time, cancel, the report kept
 * next to the journal, the drills list and the HTML report. No anvil may outlive a run.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ipcEvents, type EventPayload } from '../../../shared/ipc/contract'
import { DrillAlreadyRunningError, DrillCancelledError, DrillReportNotFoundError } from '../../../shared/ipc/drillErrors'
import { applyDrillProgress, type ArbitrumDrillReportView, type DrillRunView, type SavedDrillReport } from '../../../shared/ipc/drillSchemas'
import { ARBITRUM_ESCAPE_STEPS } from '../flows/arbitrum/arbitrumEscapeJob'
import { OP_ESCAPE_STEPS } from '../flows/op/opEscapeJob'
import { DRILL_CHECKS_STEP, DRILL_SETUP_STEP, createDrillService, type DrillService } from './createDrillService'
import { DRILL_REPORT_FILE } from './drillPaths'
import { findChildAnvils } from './test-support/findChildAnvils'

type Published = { [E in 'drillProgress' | 'drillFinished']: { event: E; payload: EventPayload<E> } }['drillProgress' | 'drillFinished']

let home: string
let published: Published[]
let unexpected: { error: unknown; where: string }[]
let service: DrillService
/** Runs inside publish, as a window's reaction to an event would (synchronously, before the flow goes on). */
let onPublish: (p: Published) => void = () => {}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-drill-service-'))
  published = []
  unexpected = []
  service = createDrillService({
    dataDir: home,
    publish: (event, payload) => {
      // What the router does with every event: refuse anything off-contract.
      ipcEvents[event].payload.parse(payload)
      published.push({ event, payload } as Published)
      onPublish({ event, payload } as Published)
    },
    onUnexpectedError: (error, where) => unexpected.push({ error, where }),
  })
})
afterAll(async () => {
  await service?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

const progressOf = (runId: string) => published.flatMap((p) => (p.event === 'drillProgress' && p.payload.runId === runId ? [p.payload] : []))
const finishedOf = (runId: string) => published.flatMap((p) => (p.event === 'drillFinished' && p.payload.runId === runId ? [p.payload] : []))

/** A report written (not a cancelled dialog). */
async function written(saving: Promise<SavedDrillReport>): Promise<{ path: string; bytes: number }> {
  const saved = await saving
  if (!('path' in saved)) throw new Error('expected a written report')
  return saved
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('drill service', () => {
  it('runs a whole drill: live steps from the journal, one run at a time, PASSED report kept and saved as HTML', async () => {
    const { runId, startedAt } = service.start({ stack: 'arbitrum', batchMode: 'calldata' })
    expect(() => service.start({ stack: 'arbitrum', batchMode: 'blob' })).toThrow(DrillAlreadyRunningError)
    await expect(service.saveReport(runId)).rejects.toThrow('The drill is still running, so it has no report yet.')

    // While it runs, its anvil is a child of this process.
    let sawAnvil = false
    await waitFor(() => (sawAnvil ||= findChildAnvils().length > 0) || service.status().run?.status !== 'running', 'anvil to start')
    expect(sawAnvil).toBe(true)
    await service.idle()
    expect(findChildAnvils()).toEqual([])

    const run = service.status().run!
    expect(run).toMatchObject({ runId, startedAt, status: 'passed', stack: 'arbitrum', batchMode: 'calldata' })
    expect(run.report?.ok).toBe(true)
    expect(run.drillId).toMatch(/^arbitrum-drill-/)
    expect(run.jobId).toBe(run.report?.jobId)

    // The plan, all done, with the journal's times.
    expect(run.steps.map((s) => s.name)).toEqual([DRILL_SETUP_STEP, ...ARBITRUM_ESCAPE_STEPS, DRILL_CHECKS_STEP])
    for (const step of run.steps) {
      expect(step.status, step.name).toBe('completed')
      expect(step.durationMs, step.name).toBe(Date.parse(step.finishedAt!) - Date.parse(step.startedAt!))
    }
    for (const s of run.report!.steps) expect(run.steps.find((k) => k.name === s.name)).toMatchObject({ startedAt: s.startedAt, finishedAt: s.finishedAt })
    expect(run.txs.map((t) => [t.step, t.status])).toEqual([
      ['send-l2-message', 'mined'],
      ['force-inclusion', 'mined'],
      ['execute-withdrawal', 'mined'],
    ])
    expect(run.txs.map((t) => t.hash)).toEqual(run.report!.transactions.map((t) => t.hash))
    expect(run.messages.map((m) => m.text)).toContainEqual(expect.stringMatching(/^Funding 0x[0-9a-fA-F]{40} with 2 ETH on L2/))
    expect(run.messages.map((m) => m.text)).toContainEqual(expect.stringMatching(/^\[execute-withdrawal\] /))

    // The events, folded in order from the first snapshot, give exactly the snapshot: nothing is shown that was not sent.
    const events = progressOf(runId)
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
    const initial: DrillRunView = { ...run, seq: 0, status: 'running', drillId: undefined, jobId: undefined, txs: [], messages: [], report: undefined, finishedAt: undefined, steps: run.steps.map((s) => ({ name: s.name, status: 'pending', attempts: 0 })) }
    const folded = events.reduce((r, e) => applyDrillProgress(r, e), initial)
    expect({ ...folded, report: run.report, finishedAt: run.finishedAt }).toEqual(run)
    // Steps went started → completed, live, in plan order.
    const firstStarted = events.flatMap((e) => (e.update.kind === 'step' && e.update.step.status === 'started' ? [e.update.step.name] : []))
    expect(firstStarted).toEqual([DRILL_SETUP_STEP, ...ARBITRUM_ESCAPE_STEPS, DRILL_CHECKS_STEP])

    const [finished, ...more] = finishedOf(runId)
    expect(more).toEqual([])
    expect(finished).toMatchObject({ runId, drillId: run.drillId, status: 'passed', summary: { stack: 'arbitrum', scenario: 'escape', ok: true, cancelled: false, rootMatched: true } })
    expect(finished!.summary.checks.map((c) => c.name)).toEqual(run.report!.checks.map((c) => c.name))
    expect(finished!.summary.checks.every((c) => c.ok)).toBe(true)

    // Kept next to the journal, listed, and saved as HTML by either id.
    const drillDir = path.join(home, 'drills', run.drillId!)
    expect(JSON.parse(fs.readFileSync(path.join(drillDir, DRILL_REPORT_FILE), 'utf8'))).toEqual({ version: 1, cancelled: false, report: JSON.parse(JSON.stringify(run.report)) })
    const list = await service.list()
    expect(list.drills).toEqual([
      { drillId: run.drillId, startedAt: run.report!.startedAt, stack: 'arbitrum', scenario: 'escape', summary: finished!.summary, job: { jobId: run.jobId, status: 'succeeded', stepsCompleted: ARBITRUM_ESCAPE_STEPS.length } },
    ])
    const saved = await written(service.saveReport(run.drillId!))
    expect(path.dirname(saved.path)).toBe(path.join(home, 'reports'))
    expect(path.basename(saved.path)).toMatch(/^drill-arbitrum-escape-.*-passed\.html$/)
    const html = fs.readFileSync(saved.path, 'utf8')
    expect(fs.statSync(saved.path).size).toBe(saved.bytes)
    expect(html).toContain('PASSED')
    const report = run.report as ArbitrumDrillReportView
    expect(html).toContain(report.roots.confirmedSendRoot)
    // For people: steps in plain words, the amount in ETH, dates in local time with UTC beside.
    expect(html).toContain('<td title="wait-force-inclusion">Wait for the force-inclusion delay</td>')
    expect(html).toContain(`withdrew 1 ETH (${report.amountWei} wei) while censored`)
    expect(html).toMatch(/Started [^<]*\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)
    expect((await written(service.saveReport(runId))).path).toBe(saved.path)
    expect(unexpected).toEqual([])
  }, 180_000)

  it('cancels a drill while its devnet starts: the run ends cancelled, nothing is left running, a new run may start', async () => {
    const { runId } = service.start({ stack: 'arbitrum', batchMode: 'calldata' })
    await waitFor(() => progressOf(runId).some((e) => e.update.kind === 'message'), 'the first progress message')
    expect(service.cancel('drill-run-not-this-one')).toEqual({ status: 'unknown' })
    expect(service.cancel(runId)).toEqual({ status: 'cancelling' })
    expect(service.cancel(runId)).toEqual({ status: 'cancelling' })
    await service.idle()
    expect(findChildAnvils()).toEqual([])

    const run = service.status().run!
    expect(run.status).toBe('cancelled')
    expect(run.steps[0]).toMatchObject({ name: DRILL_SETUP_STEP, status: 'cancelled' })
    expect(run.steps.slice(1).every((s) => s.status === 'pending')).toBe(true)
    expect(run.report?.ok).toBe(false)
    expect(run.report?.error).toMatchObject({ name: 'DrillCancelledError', shortMessage: 'You cancelled the drill.' })
    const [finished] = finishedOf(runId)
    expect(finished).toMatchObject({ status: 'cancelled', summary: { ok: false, cancelled: true } })
    expect(progressOf(runId).map((e) => e.update).filter((u) => u.kind === 'status')).toEqual([
      { kind: 'status', status: 'cancelling' },
      { kind: 'status', status: 'cancelled' },
    ])
    expect(service.cancel(runId)).toEqual({ status: 'cancelled' })
    // Cancelled before the flow opened a journal: no folder, but the report of this run can still be saved.
    expect(run.drillId).toBeUndefined()
    expect(path.basename((await written(service.saveReport(runId))).path)).toMatch(/-cancelled\.html$/)
    expect(new DrillCancelledError().kind).toBe('user-action')
  }, 120_000)

  it('runs the OP drill the request names (its own plan of steps), and cancels it as the others', async () => {
    const { runId } = service.start({ stack: 'op', scenario: 'operator-gone', batchMode: 'calldata' })
    expect(service.status().run).toMatchObject({ runId, stack: 'op', scenario: 'operator-gone' })
    expect(service.status().run!.steps.map((s) => s.name)).toEqual([DRILL_SETUP_STEP, ...OP_ESCAPE_STEPS, DRILL_CHECKS_STEP])
    await waitFor(() => progressOf(runId).some((e) => e.update.kind === 'message'), 'the first progress message')
    expect(service.cancel(runId)).toEqual({ status: 'cancelling' })
    await service.idle()
    expect(findChildAnvils()).toEqual([])
    const run = service.status().run!
    expect(run.status).toBe('cancelled')
    expect(run.report).toMatchObject({ stack: 'op', scenario: 'operator-gone', ok: false, error: { name: 'DrillCancelledError' } })
    expect(finishedOf(runId)[0]).toMatchObject({ status: 'cancelled', summary: { stack: 'op', scenario: 'operator-gone', ok: false, cancelled: true } })
    const saved = await written(service.saveReport(runId))
    expect(path.basename(saved.path)).toMatch(/^drill-op-operator-gone-.*-cancelled\.html$/)
    expect(fs.readFileSync(saved.path, 'utf8')).toContain('Escape Hatch drill — OP Stack, operator gone: <span class="bad">FAILED</span>')
    // Where the user chooses: a typed path (checked), never a folder or a device; no dialog without a window.
    const chosen = path.join(home, 'my-drill.html')
    expect(await service.saveReport(runId, { kind: 'path', path: chosen })).toEqual({ path: chosen, bytes: saved.bytes })
    expect(fs.readFileSync(chosen, 'utf8')).toBe(fs.readFileSync(saved.path, 'utf8'))
    await expect(service.saveReport(runId, { kind: 'path', path: home })).rejects.toThrow('The report cannot be saved there: that is a folder, not a file.')
    await expect(service.saveReport(runId, { kind: 'path', path: '/dev/null' })).rejects.toThrow(/special file/)
    await expect(service.saveReport(runId, { kind: 'choose' })).rejects.toThrow('This window cannot open a file dialog.')
    expect(unexpected).toEqual([])
  }, 120_000)

  it('cancels a drill in the middle of the escape: the journal stops between steps, the report says cancelled', async () => {
    let runId = ''
    onPublish = (p) => {
      if (p.event === 'drillProgress' && p.payload.update.kind === 'step' && p.payload.update.step.name === 'track-message' && p.payload.update.step.status === 'started') {
        expect(service.cancel(runId)).toEqual({ status: 'cancelling' })
      }
    }
    try {
      runId = service.start({ stack: 'arbitrum', batchMode: 'calldata' }).runId
      await service.idle()
    } finally {
      onPublish = () => {}
    }
    expect(findChildAnvils()).toEqual([])
    const run = service.status().run!
    expect(run.status).toBe('cancelled')
    expect(run.report?.error?.name).toBe('DrillCancelledError')
    const byName = Object.fromEntries(run.steps.map((s) => [s.name, s.status]))
    expect(byName).toMatchObject({ [DRILL_SETUP_STEP]: 'completed', prepare: 'completed', 'sign-l2-tx': 'completed', 'execute-withdrawal': 'pending', [DRILL_CHECKS_STEP]: 'pending' })
    expect(run.steps.some((s) => s.status === 'started')).toBe(false)
    // Kept next to its journal, and listed as cancelled with its unfinished job.
    const listed = (await service.list()).drills.find((d) => d.drillId === run.drillId)
    expect(listed?.summary).toMatchObject({ ok: false, cancelled: true })
    expect(listed?.job?.status).toBe('active')
    expect(path.basename((await written(service.saveReport(run.drillId!))).path)).toMatch(/-cancelled\.html$/)
  }, 120_000)

  it('refuses to save a report it does not have, and never reads outside the drills folder', async () => {
    await expect(service.saveReport('arbitrum-drill-2020-01-01T00-00-00-000Z')).rejects.toBeInstanceOf(DrillReportNotFoundError)
    await expect(service.saveReport('../../etc/passwd')).rejects.toBeInstanceOf(DrillReportNotFoundError)
  })

  it('saves a kept report where the user picks in the save dialog, and writes nothing when they cancel', async () => {
    const listed = (await service.list()).drills.find((d) => d.summary)!
    const asked: unknown[] = []
    let answer: string | undefined = path.join(home, 'picked.html')
    const withDialog = createDrillService({
      dataDir: home,
      publish: () => {},
      fileDialog: {
        chooseSavePath: async (options) => (asked.push(options), answer),
        chooseOpenPath: async () => undefined,
      },
    })
    expect(await withDialog.saveReport(listed.drillId, { kind: 'choose' })).toMatchObject({ path: path.join(home, 'picked.html') })
    expect(asked).toEqual([{ title: 'Save the drill report', defaultName: expect.stringMatching(/^drill-(arbitrum|op)-.*\.html$/), filters: [{ name: 'HTML report', extensions: ['html'] }] }])
    expect(fs.readFileSync(path.join(home, 'picked.html'), 'utf8')).toContain('Escape Hatch drill')
    answer = undefined
    expect(await withDialog.saveReport(listed.drillId, { kind: 'choose' })).toEqual({ cancelled: true })
  })
})
