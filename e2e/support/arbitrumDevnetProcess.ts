/**
 * The real devnet for the app's escape e2e tests: `escape-hatch devnet up --stack arbitrum` as its own process, in the
 * app's data folder (so the app's network list shows devnet-arbitrum), its sequencer censoring the test user.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** anvil account 6 of the test mnemonic: the devnet's user1, censored by the devnet sequencer. */
export const DEVNET_USER = '0x976EA74026E726554dB657fA54763abd0C3a0aa9'
export const DEVNET_USER_PATH = "44'/60'/0'/0/6"

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

export interface ArbitrumDevnetProcess {
  child: ChildProcess
  l1Url: string
  l2Url: string
  /** SIGTERM, then wait (bounded) for it to exit. */
  stop(): Promise<void>
}

export function startArbitrumDevnetProcess(home: string, censor: string = DEVNET_USER): Promise<ArbitrumDevnetProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/escape-hatch.mjs'), 'devnet', 'up', '--stack', 'arbitrum', '--censor', censor, '--json'], {
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
        resolve({ child, l1Url: ready.rpcUrl, l2Url: ready.arbitrumL2.rpcUrl, stop })
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`devnet up exited with ${code}: ${err.slice(-2000)}`)))
  })
}
