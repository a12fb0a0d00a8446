/**
 * The real devnet with the OP L2 for the app's OP escape e2e: `escape-hatch devnet up --stack op` as its own process,
 * in the app's data folder (so the wizard lists devnet-op, and its genesis file is found), its sequencer censoring the
 * test user. The OP L2 follows L1: time travel on anvil moves the chain, its batcher and its proposer along.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Address } from 'viem'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface OpDevnetProcess {
  child: ChildProcess
  l1Url: string
  l2Url: string
  l1Token: Address
  l2Token: Address
  contracts: { optimismPortal: Address; l1StandardBridge: Address }
  /** What the devnet wrote on stderr (its progress and the OP L2 roles' errors), for a failing test's message. */
  log(): string
  /** SIGTERM, then wait (bounded) for it to exit. */
  stop(): Promise<void>
}

interface Ready {
  rpcUrl: string
  opL2: { rpcUrl: string; l1Token: Address; l2Token: Address }
  manifest: { op: { contracts: { optimismPortal: Address; l1StandardBridge: Address } } }
}

export function startOpDevnetProcess(home: string, censor: string): Promise<OpDevnetProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/escape-hatch.mjs'), 'devnet', 'up', '--stack', 'op', '--censor', censor, '--json'], {
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
        const ready = JSON.parse(line) as Ready
        resolve({ child, l1Url: ready.rpcUrl, l2Url: ready.opL2.rpcUrl, l1Token: ready.opL2.l1Token, l2Token: ready.opL2.l2Token, contracts: ready.manifest.op.contracts, log: () => err, stop })
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`devnet up exited with ${code}: ${err.slice(-2000)}`)))
  })
}
