/**
 * The app's backend (services + loopback bridge, electron/bridge/main.ts) as a process of its own, so a test can kill
 * it with SIGKILL by PID as a crash or a power cut would, and start it again on the same data folder and port.
 * It runs the sources through tsx's loader in one node process (`node --import tsx`), so the PID is the backend
 * itself, not a launcher that would leave it orphaned.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface BackendProcess {
  child: ChildProcess
  pid: number
  /** The page URL with this run's token. */
  url: string
  port: number
  /** Its output so far (for a failure message). */
  output(): string
  /** SIGKILL by PID, and wait for the exit. */
  kill9(): Promise<void>
  /** SIGTERM (a clean stop), bounded; SIGKILL after 15 s. */
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 90_000

export function startBackendProcess(p: { dataDir: string; port?: number }): Promise<BackendProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/bridge/main.ts'), '--data-dir', p.dataDir, '--port', String(p.port ?? 0)], {
    cwd: repoRoot,
    env: { ...process.env, ESCAPE_HATCH_HOME: p.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const gone = () => child.exitCode !== null || child.signalCode !== null
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the backend did not start within ${START_TIMEOUT_MS / 1000} s: ${out.slice(-2000)}`))
    }, START_TIMEOUT_MS)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = /(http:\/\/127\.0\.0\.1:(\d+)\/\S*token=\S+)/.exec(out)
      if (!match) return
      clearTimeout(timer)
      const kill9 = async () => {
        if (!gone()) process.kill(child.pid!, 'SIGKILL')
        await exited
      }
      resolve({
        child,
        pid: child.pid!,
        url: match[1]!,
        port: Number(match[2]),
        output: () => out,
        kill9,
        async stop() {
          if (gone()) return
          child.kill('SIGTERM')
          const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 15_000))
          if ((await Promise.race([exited.then(() => 'exited' as const), timeout])) === 'timeout') await kill9()
        },
      })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the backend exited (${code ?? signal}) before it was ready: ${out.slice(-2000)}`))
    })
  })
}
