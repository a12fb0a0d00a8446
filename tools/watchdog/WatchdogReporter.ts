/**
 * A vitest reporter that bounds a test run from the outside. vitest's own testTimeout is a timer inside the worker,
 * so a worker whose event loop is blocked (a synchronous loop, a hook that never settles while a child keeps the
 * worker alive) never times out, and the run gives no answer. This reporter runs in the main vitest process and
 * watches what the workers report: when one test or hook has been running longer than `perTestMs`, or the whole
 * run longer than `overallMs`, it prints what was running (file > test, or the hook) and kills every process the
 * run started (by PID), then exits 1. So a hang fails fast with the name of the test that hung.
 *
 * Workers batch their reports, so a test that blocks its worker at once may never be reported as started; the
 * setup file ./recordRunningTest.ts therefore writes each worker's current test, synchronously, to a file in
 * EH_WATCHDOG_DIR, and the watchdog names those too.
 *
 * Use by path (so the config itself imports nothing local): reporters: [['./tools/watchdog/WatchdogReporter.ts',
 * { perTestMs, overallMs }]] and setupFiles: ['./tools/watchdog/recordRunningTest.ts'].
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { listDescendantPids } from '../../electron/services/test-support/processTable'

export interface WatchdogOptions {
  /** One test (or hook, or a test file's loading) running longer than this is a hang. */
  perTestMs: number
  /** The whole run. */
  overallMs: number
  /** How often to look (default 1 s). */
  tickMs?: number
}

type Hook = Parameters<NonNullable<Reporter['onHookStart']>>[0]

export default class WatchdogReporter implements Reporter {
  private readonly running = new Map<string, { label: string; since: number }>()
  private readonly started = Date.now()
  private timer: NodeJS.Timeout | undefined
  private root = process.cwd()

  private readonly dir: string

  constructor(private readonly options: WatchdogOptions) {
    // Set before the workers start, so they inherit it.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-watchdog-'))
    process.env.EH_WATCHDOG_DIR = this.dir
  }

  onInit(vitest: { config: { root: string } }): void {
    this.root = vitest.config.root
    this.timer = setInterval(() => this.check(), this.options.tickMs ?? 1_000)
    // unref: while workers run their pipes keep this process alive; a finished run must not wait for the watchdog.
    this.timer.unref()
  }

  onTestModuleStart(module: TestModule): void {
    this.running.set(`module:${module.moduleId}`, { label: `${this.file(module.moduleId)} (loading or between tests)`, since: Date.now() })
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(`module:${module.moduleId}`)
  }

  onTestCaseReady(test: TestCase): void {
    this.touch(test.module.moduleId)
    this.running.set(`test:${test.id}`, { label: `${this.file(test.module.moduleId)} > ${test.fullName}`, since: Date.now() })
  }

  onTestCaseResult(test: TestCase): void {
    this.touch(test.module.moduleId)
    this.running.delete(`test:${test.id}`)
  }

  onHookStart(hook: Hook): void {
    this.running.set(`hook:${hook.name}:${hook.entity.id}`, { label: `${hook.name} hook of ${this.describe(hook.entity)}`, since: Date.now() })
  }

  onHookEnd(hook: Hook): void {
    this.running.delete(`hook:${hook.name}:${hook.entity.id}`)
  }

  /** A file's own entry measures the time since it last reported anything (loading, or stuck between tests). */
  private touch(moduleId: string): void {
    const entry = this.running.get(`module:${moduleId}`)
    if (entry) entry.since = Date.now()
  }

  onTestRunEnd(): void {
    if (this.timer) clearInterval(this.timer)
    fs.rmSync(this.dir, { recursive: true, force: true })
  }

  private check(): void {
    const now = Date.now()
    // A module entry only stands for "something in this file", so name the test or hook when there is one.
    const entries = [...this.running.entries()].sort(([a], [b]) => Number(a.startsWith('module:')) - Number(b.startsWith('module:')))
    const hung = entries.find(([, r]) => now - r.since > this.options.perTestMs)
    if (hung) return this.fire(`${hung[1].label} has run for ${Math.round((now - hung[1].since) / 1000)} s (limit ${this.options.perTestMs / 1000} s)`)
    if (now - this.started > this.options.overallMs) {
      const what = entries.map(([, r]) => r.label)
      this.fire(`the test run has taken more than ${this.options.overallMs / 1000} s; still running: ${what.length > 0 ? what.join('; ') : '(nothing reported)'}`)
    }
  }

  private fire(reason: string): void {
    if (this.timer) clearInterval(this.timer)
    const pids = listDescendantPids(process.pid)
    const inWorkers = this.workerTests().map((t) => `\n  running in worker ${t.pid}: ${t.test}`).join('')
    process.stderr.write(`\n[watchdog] HUNG: ${reason}.${inWorkers}\n[watchdog] Killing ${pids.length} process(es) this run started (${pids.join(', ') || 'none'}) and failing the run.\n`)
    // Deepest first does not matter for SIGKILL; every one is ours (found under this process).
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    process.exit(1)
  }

  /** What each worker said it was running (./recordRunningTest.ts), for workers that are still alive. */
  private workerTests(): { pid: number; test: string }[] {
    const out: { pid: number; test: string }[] = []
    for (const name of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      try {
        out.push({ pid: Number(name), test: fs.readFileSync(path.join(this.dir, name), 'utf8') })
      } catch {
        // the worker finished while we looked
      }
    }
    return out
  }

  private file(moduleId: string): string {
    return moduleId.startsWith(this.root) ? moduleId.slice(this.root.length + 1) : moduleId
  }

  private describe(entity: Hook['entity']): string {
    if (entity.type === 'module') return this.file(entity.moduleId)
    return `${this.file(entity.module.moduleId)} > ${entity.fullName}`
  }
}
