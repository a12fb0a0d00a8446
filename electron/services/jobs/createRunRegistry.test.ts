import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRunRegistry, type StartRunParameters } from './createRunRegistry'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-runs-'))
  dirs.push(d)
  return d
}

class Busy extends Error {
  constructor(readonly other: { startedAt?: string; pid?: number }) {
    super('busy')
  }
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

const params = (work: StartRunParameters['work']): StartRunParameters => ({ key: 'drill', idPrefix: 'drill-run', alreadyRunning: (o) => new Busy(o), work })

describe('createRunRegistry', () => {
  it('one run per key; cancel reaches the run; the key and its lock are free once the run ends', async () => {
    const lockDir = tempDir()
    const runs = createRunRegistry({ lockDir })
    const gate = deferred()
    let seen: AbortSignal | undefined
    const run = runs.start(params(async ({ signal }) => ((seen = signal), await gate.promise)))
    expect(run.runId).toMatch(/^drill-run-\d{4}-\d\d-\d\dT/)
    expect(fs.readFileSync(path.join(lockDir, 'drill.lock'), 'utf8')).toBe(String(process.pid))
    expect(() => runs.start(params(async () => undefined))).toThrow(Busy)
    expect(runs.list().map((r) => r.runId)).toEqual([run.runId])

    const reason = new Error('cancelled by the user')
    expect(runs.cancel(run.runId, reason)).toBe(true)
    expect(seen?.reason).toBe(reason)
    expect(runs.get(run.runId)?.status).toBe('cancelling')
    gate.resolve()
    await runs.idle()
    expect(runs.get(run.runId)).toBeUndefined()
    expect(fs.existsSync(path.join(lockDir, 'drill.lock'))).toBe(false)
    runs.start(params(async () => undefined))
    await runs.idle('drill')
  })

  it('a run that throws past its own handler is reported and never leaves the key taken', async () => {
    const lockDir = tempDir()
    const reported: string[] = []
    const runs = createRunRegistry({ lockDir, onUnexpectedError: (_e, where) => reported.push(where) })
    runs.start(params(async () => Promise.reject(new Error('bug'))))
    await runs.idle()
    expect(reported).toEqual(['run drill'])
    expect(fs.existsSync(path.join(lockDir, 'drill.lock'))).toBe(false)
    expect(() => runs.start(params(async () => undefined))).not.toThrow()
    await runs.idle()
  })

  it('a lock left by a killed process is detected by its PID, cleared, and reported to the new run', async () => {
    const lockDir = tempDir()
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    fs.writeFileSync(path.join(lockDir, 'drill.lock'), dead)
    const runs = createRunRegistry({ lockDir })
    const run = runs.start(params(async () => undefined))
    expect(run.interrupted).toEqual({ pid: Number(dead) })
    await runs.idle()
    expect(fs.existsSync(path.join(lockDir, 'drill.lock'))).toBe(false)
  })

  it('a run of the same key in another live process is refused', async () => {
    const lockDir = tempDir()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      fs.writeFileSync(path.join(lockDir, 'drill.lock'), String(other.pid))
      const runs = createRunRegistry({ lockDir })
      let error: unknown
      try {
        runs.start(params(async () => undefined))
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(Busy)
      expect((error as Busy).other).toEqual({ pid: other.pid })
      expect(fs.readFileSync(path.join(lockDir, 'drill.lock'), 'utf8')).toBe(String(other.pid))
    } finally {
      other.kill('SIGKILL')
    }
  })

  it('progress reaches every subscriber; a subscriber that throws does not stop the others', async () => {
    const reported: string[] = []
    const runs = createRunRegistry({ onUnexpectedError: (_e, where) => reported.push(where) })
    const got: unknown[] = []
    runs.subscribe(() => {
      throw new Error('listener bug')
    })
    const unsubscribe = runs.subscribe((p) => got.push(p.update))
    const gate = deferred()
    const run = runs.start(params(async () => gate.promise))
    runs.publish(run.runId, { step: 'one' })
    unsubscribe()
    runs.publish(run.runId, { step: 'two' })
    gate.resolve()
    await runs.idle()
    expect(got).toEqual([{ step: 'one' }])
    expect(reported).toEqual(['run drill progress', 'run drill progress'])
  })
})
