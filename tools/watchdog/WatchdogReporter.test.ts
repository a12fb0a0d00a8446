import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '../..')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe.runIf(process.platform === 'linux')('WatchdogReporter', () => {
  it('fails a hung run fast, names the test that hung, and kills what it started', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eh-watchdog-')), 'pid')
    const started = Date.now()
    const child = spawn(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tools/watchdog/fixtures/vitest.hang.config.ts'], {
      cwd: root,
      env: { ...process.env, EH_WATCHDOG_PIDFILE: pidFile, FORCE_COLOR: '0', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    // Our own bound on the child: if the watchdog fails, this test fails instead of hanging the suite.
    const bound = setTimeout(() => child.kill('SIGKILL'), 90_000)
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    clearTimeout(bound)
    const ms = Date.now() - started
    expect(output).toMatch(/\[watchdog\] HUNG: .*has run for \d+ s \(limit 4 s\)\.\n  running in worker \d+: tools\/watchdog\/fixtures\/hangs\.fixture\.ts > a test that never ends\n/)
    expect(code).toBe(1)
    expect(ms).toBeLessThan(60_000)
    const sleeper = Number(fs.readFileSync(pidFile, 'utf8'))
    expect(sleeper).toBeGreaterThan(0)
    await expect.poll(() => alive(sleeper), { timeout: 5_000 }).toBe(false)
    fs.rmSync(path.dirname(pidFile), { recursive: true, force: true })
  }, 120_000)
})
