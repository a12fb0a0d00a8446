/**
 * Setup file for the watchdog (./WatchdogReporter.ts): records, synchronously, which test this worker is running,
 * in `$EH_WATCHDOG_DIR/<pid>`, so a test that blocks its worker before vitest reports it can still be named.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, afterEach, beforeEach, expect } from 'vitest'

const dir = process.env.EH_WATCHDOG_DIR
const record = (text: string) => {
  if (!dir) return
  try {
    fs.writeFileSync(path.join(dir, String(process.pid)), text)
  } catch {
    // the run is ending and removed the folder
  }
}
const file = () => path.relative(process.cwd(), expect.getState().testPath ?? '?')

record(`${file()} (loading, or a beforeAll hook)`)
beforeEach(() => record(`${file()} > ${expect.getState().currentTestName ?? '?'}`))
afterEach(() => record(`${file()} (after "${expect.getState().currentTestName ?? '?'}": afterEach/afterAll hooks or the next test's setup)`))
afterAll(() => {
  if (dir) fs.rmSync(path.join(dir, String(process.pid)), { force: true })
})
