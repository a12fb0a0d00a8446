/**
 * The real Arbitrum devnet for e2e tests: `escape-hatch devnet up --stack arbitrum` in the app's data folder (so the
 * app's registry lists devnet-arbitrum), its sequencer censoring one account; and a JSON-RPC call helper.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

export interface ArbitrumDevnet {
  l1Url: string
  l2Url: string
  /** SIGTERM, then wait for it to exit (at most 15 s). */
  stop(): Promise<void>
}

export function startArbitrumDevnet(home: string, censor: string): Promise<ArbitrumDevnet> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin/escape-hatch.mjs'), 'devnet', 'up', '--stack', 'arbitrum', '--censor', censor, '--json'], {
      env: { ...process.env, ESCAPE_HATCH_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))])
    }
    let out = ''
    let err = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{') && l.includes('"status":"ready"'))
      if (line) {
        const ready = JSON.parse(line) as { rpcUrl: string; arbitrumL2: { rpcUrl: string } }
        resolve({ l1Url: ready.rpcUrl, l2Url: ready.arbitrumL2.rpcUrl, stop })
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`devnet up exited with ${code}: ${err.slice(-2000)}`)))
  })
}
