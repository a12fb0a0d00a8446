// Crash safety with real processes: a broadcaster process signs with the software Ledger and sends to anvil; it is
// SIGKILLed between the journal write and the send, or right after the send; a new process resumes from the journal.
// The transaction must land exactly once, with the hash that was journaled, and is never signed a second time.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEther, type Hex, type PublicClient } from 'viem'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { JournalStore } from '../journal/JournalStore'
import { devnetPublicClient } from '../../devnet/devnetClients'

const here = dirname(fileURLToPath(import.meta.url))
const script = join(here, 'test-support', 'crashingSender.ts')
const SENDER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' // 44'/60'/0'/0/0 of the test mnemonic

let anvil: AnvilHandle
let client: PublicClient
let dir: string
const children = new Set<ChildProcess>()

beforeAll(async () => {
  anvil = await startAnvil()
  client = devnetPublicClient(anvil.rpcUrl)
  dir = mkdtempSync(join(tmpdir(), 'eh-crash-'))
})

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL')
  await anvil?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

interface RunResult {
  lines: string[]
  exit: { code: number | null; signal: NodeJS.Signals | null }
}

/** Run the broadcaster; if `killAt` is given, SIGKILL it as soon as it reports reaching that point. */
function runSender(jobId: string, to: string, crash: 'after-journal' | 'after-send' | 'none'): Promise<RunResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--journal', dir, '--job', jobId, '--rpc', anvil.rpcUrl, '--to', to, '--crash', crash], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const lines: string[] = []
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout!.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n').filter(Boolean)) {
      lines.push(line)
      if (line.startsWith('CRASH-POINT')) child.kill('SIGKILL')
    }
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      children.delete(child)
      if (crash === 'none' && code !== 0) reject(new Error(`sender exited ${code}: ${stderr}`))
      else resolve({ lines, exit: { code, signal } })
    })
  })
}

async function createJob(title: string): Promise<string> {
  const store = await JournalStore.open(dir)
  const job = await store.createJob({ kind: 'crash-test', title, params: {} })
  store.close() // release the writer lock: the child processes write this journal
  return job.id
}

async function journal(jobId: string) {
  const store = await JournalStore.open(dir)
  try {
    return await store.load(jobId)
  } finally {
    store.close()
  }
}

function resultOf(run: RunResult): { resumed: boolean; signatures: number; hash: Hex; status: string } {
  const line = run.lines.find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`no result in ${run.lines.join('\n')}`)
  return JSON.parse(line.slice('RESULT '.length)) as never
}

describe('crash and resume across processes', () => {
  it('killed between the journal write and the send: the restart sends the journaled bytes; the tx lands once', async () => {
    const jobId = await createJob('crash after journal')
    const to = '0x00000000000000000000000000000000000C0001'
    const nonceBefore = await client.getTransactionCount({ address: SENDER })

    const crashed = await runSender(jobId, to, 'after-journal')
    expect(crashed.exit.signal).toBe('SIGKILL')
    expect(crashed.lines).toContain('CRASH-POINT after-journal')
    const afterCrash = await journal(jobId)
    expect(afterCrash.records.map((r) => r.type)).toEqual(['job.created', 'tx.signed'])
    const journaled = afterCrash.state.txs[0]!
    // Journaled, but nothing left the machine.
    expect(await client.getTransaction({ hash: journaled.hash }).catch(() => null)).toBeNull()
    expect(await client.getTransactionCount({ address: SENDER })).toBe(nonceBefore)

    const resumed = resultOf(await runSender(jobId, to, 'none'))
    expect(resumed).toEqual({ resumed: true, signatures: 0, hash: journaled.hash, status: 'success' })
    expect(await client.getTransactionCount({ address: SENDER })).toBe(nonceBefore + 1)
    expect(await client.getBalance({ address: to })).toBe(parseEther('1'))
    expect((await client.getTransaction({ hash: journaled.hash })).input).toBe('0x')
    const done = await journal(jobId)
    expect(done.records.map((r) => r.type)).toEqual(['job.created', 'tx.signed', 'tx.sent', 'tx.mined'])

    // A third start finds the outcome in the journal and sends nothing.
    expect(resultOf(await runSender(jobId, to, 'none'))).toMatchObject({ resumed: true, hash: journaled.hash })
    expect(await client.getTransactionCount({ address: SENDER })).toBe(nonceBefore + 1)
    expect(await client.getBalance({ address: to })).toBe(parseEther('1'))
  })

  it('killed right after the send: the restart finds the mined tx (same hash) and does not send another', async () => {
    const jobId = await createJob('crash after send')
    const to = '0x00000000000000000000000000000000000C0002'
    const nonceBefore = await client.getTransactionCount({ address: SENDER })

    const crashed = await runSender(jobId, to, 'after-send')
    expect(crashed.exit.signal).toBe('SIGKILL')
    const afterCrash = await journal(jobId)
    expect(afterCrash.records.map((r) => r.type)).toEqual(['job.created', 'tx.signed', 'tx.sent'])
    const journaled = afterCrash.state.txs[0]!
    expect(await client.getTransactionCount({ address: SENDER })).toBe(nonceBefore + 1) // automine: already on chain

    const resumed = resultOf(await runSender(jobId, to, 'none'))
    expect(resumed).toEqual({ resumed: true, signatures: 0, hash: journaled.hash, status: 'success' })
    expect(await client.getTransactionCount({ address: SENDER })).toBe(nonceBefore + 1)
    expect(await client.getBalance({ address: to })).toBe(parseEther('1'))
    const done = await journal(jobId)
    expect(done.records.filter((r) => r.type === 'tx.signed')).toHaveLength(1)
    expect(done.records.at(-1)).toMatchObject({ type: 'tx.mined', hash: journaled.hash, status: 'success' })
  })

  it('without a crash, one process signs once and the tx lands once', async () => {
    const jobId = await createJob('no crash')
    const to = '0x00000000000000000000000000000000000C0003'
    const result = resultOf(await runSender(jobId, to, 'none'))
    expect(result).toMatchObject({ resumed: false, signatures: 1, status: 'success' })
    expect(await client.getBalance({ address: to })).toBe(parseEther('1'))
  })
})
