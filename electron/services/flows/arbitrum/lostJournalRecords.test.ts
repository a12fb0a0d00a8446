// Issue 14, defect 2: a journal that lost records must never sign a second time. Real processes on the devnet (anvil
// L1 with the real Nitro contracts, the devnet L2 censoring the user): the escape runs in a child process killed at a
// chosen record, the journal is then damaged the way a user's disk or backup would, and `jobs resume` (the CLI, as
// the user runs it) continues. Counted on chain: the user's L1 nonce, i.e. how many transactions they really sent.
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEther, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/devnet'
import { devnetPublicClient } from '../../../devnet/devnetClients'
import { main } from '../../../cli/main'
import { JournalStore } from '../../journal/JournalStore'
import { jobsDir } from '../../paths'
import { bundleChild, runChild as runChildScript, type BundledChild } from '../test-support/crashAndResume'
import { CHILD_EXIT_TEMPORARY } from '../test-support/crashingChild'
import { ARBITRUM_ESCAPE_JOB_KIND, toJobParams } from './arbitrumEscapeJob'

let devnet: Devnet
let l2: ArbitrumDevnet
let child: BundledChild
const home = fs.mkdtempSync(join(tmpdir(), 'eh-arb-lost-'))
const dir = jobsDir(home)

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, pollIntervalMs: 100 })
  child = await bundleChild(new URL('./test-support/escapeChild.ts', import.meta.url))
}, 120_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  child?.dispose()
  fs.rmSync(home, { recursive: true, force: true })
})

/** The escape in a child process (test-support/escapeChild.ts), SIGKILLed right after the first record matching `killAt`. */
function runChild(jobId: string, killAt: string[]) {
  // Bounded: a child that waits on a transaction that will never be mined is a failure, not a hang.
  return runChildScript(child.script, { ESCAPE_JOB_DIR: dir, ESCAPE_JOB_ID: jobId, ESCAPE_L1_URL: devnet.l1.rpcUrl, ESCAPE_L2_URL: l2.l2RpcUrl, ESCAPE_KILL_AT: JSON.stringify(killAt) }, 90_000)
}

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

async function newJob(role: number, amountEth = '1'): Promise<{ jobId: string; user: Address }> {
  const user = devnet.anvil.accounts[role]!.address as Address
  await l2.fund(user, parseEther('2'))
  l2.setCensored(user, true)
  const store = await JournalStore.open(dir)
  const job = await store.createJob({
    kind: ARBITRUM_ESCAPE_JOB_KIND,
    title: 'lost records test',
    params: toJobParams({
      network: devnet.arbitrum!.network, account: user, signerPath: `44'/60'/0'/0/${role}`, destination: user, amountWei: parseEther(amountEth).toString(),
      l1Endpoints: [devnet.l1.rpcUrl], l2RpcUrl: l2.l2RpcUrl, signer: { kind: 'soft-ledger' },
    }),
  })
  store.close()
  return { jobId: job.id, user }
}

async function journal(jobId: string) {
  const store = await JournalStore.open(dir)
  try {
    return await store.load(jobId)
  } finally {
    store.close()
  }
}

const l1 = () => devnetPublicClient(devnet.l1.rpcUrl)
const rpc = (method: string, params: unknown[] = []) => l1().request({ method: method as never, params: params as never })

describe('a journal that lost records never signs twice (issue 14, defect 2)', () => {
  it('cut inside its tx.signed line (the records after it lost): `jobs resume` refuses the damaged job and signs nothing', async () => {
    const { jobId, user } = await newJob(DEVNET_ROLES.user1)
    const nonceBefore = await l1().getTransactionCount({ address: user })
    const first = await runChild(jobId, ['step.completed|send-l2-message|'])
    expect(first.signal, first.stderr).toBe('SIGKILL')
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 1)

    const file = join(dir, `${jobId}.jsonl`)
    const text = fs.readFileSync(file, 'utf8')
    const signedAt = text.indexOf('"type":"tx.signed"')
    expect(signedAt).toBeGreaterThan(0)
    fs.writeFileSync(file, text.slice(0, signedAt + 40)) // inside the tx.signed line; tx.sent, tx.mined, step.completed lost
    const cut = fs.readFileSync(file)

    const resumed = await cli('jobs', 'resume', jobId)
    expect(resumed.code).toBe(1)
    expect(resumed.stderr).toMatch(/This job's journal is damaged, so Escape Hatch will not act on it\. Next: .*a transaction it signed may already be on L1: nothing will be signed for this job/)
    // Nothing signed, nothing sent, nothing written: one sendL2Message on chain, as before the damage.
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 1)
    expect(fs.readFileSync(file)).toEqual(cut)
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(`${jobId}.corrupt-`))).toHaveLength(1)
    const again = await cli('jobs', 'resume', jobId)
    expect(again.code).toBe(1)
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 1)
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(`${jobId}.corrupt-`))).toHaveLength(1)
    // The engine itself refuses too, whoever calls it (here without `jobs resume` in front).
    const direct = await runChild(jobId, ['step.completed|send-l2-message|'])
    expect(direct.code, direct.stderr).toBe(1)
    expect(direct.stderr).toMatch(/This job's journal is damaged, so nothing will be signed for it/)
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 1)
    expect(fs.readFileSync(file)).toEqual(cut)
  }, 240_000)

  it('journal and commit restored from a copy older than the sendL2Message: the message found on L1 is adopted, not signed again', async () => {
    const { jobId, user } = await newJob(DEVNET_ROLES.user2)
    const nonceBefore = await l1().getTransactionCount({ address: user })
    const started = await runChild(jobId, ['step.started|send-l2-message|'])
    expect(started.signal, started.stderr).toBe('SIGKILL')
    // The backup: both files of the job, consistent with each other, from before anything was signed on L1.
    const files = fs.readdirSync(dir).filter((f) => f === `${jobId}.jsonl` || f === `${jobId}.commit`)
    const backup = new Map(files.map((f) => [f, fs.readFileSync(join(dir, f))]))
    const sent = await runChild(jobId, ['step.completed|send-l2-message|'])
    expect(sent.signal, sent.stderr).toBe('SIGKILL')
    const original = (await journal(jobId)).state.txs[0]!
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 1)
    for (const [f, bytes] of backup) fs.writeFileSync(join(dir, f), bytes)

    const resumed = await cli('jobs', 'resume', jobId, '--json')
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ outcome: 'paused', pause: { reason: 'deadline' } })
    expect(resumed.stderr).toMatch(/already on L1 \(delayed message #\d+, L1 transaction 0x[0-9a-f]{64}\): adopted instead of signing again/)
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 1)
    const { state, damaged } = await journal(jobId)
    expect(damaged).toBe(false)
    expect(state.txs).toEqual([expect.objectContaining({ step: 'send-l2-message', hash: original.hash, status: 'mined', foundOnChain: expect.stringMatching(/adopted/) })])
    expect(state.steps.find((s) => s.name === 'send-l2-message')?.result).toMatchObject({ l1TxHash: original.hash })
    expect(state.steps.find((s) => s.name === 'track-message')?.status).toBe('completed')
  }, 240_000)

  it('an L1 transaction of the account pending that the job did not journal: nothing is signed until it is mined', async () => {
    const { jobId, user } = await newJob(DEVNET_ROLES.user3)
    const nonceBefore = await l1().getTransactionCount({ address: user })
    await rpc('evm_setAutomine', [false])
    let pendingHash: Hex
    try {
      // As if the journal had lost the record of a transaction sent a moment ago (or the user sent one elsewhere).
      pendingHash = (await rpc('eth_sendTransaction', [{ from: user, to: user, value: '0x1' }])) as Hex
      const stopped = await runChild(jobId, ['step.completed|send-l2-message|'])
      expect(stopped.code, stopped.stderr).toBe(CHILD_EXIT_TEMPORARY)
      expect(stopped.stderr).toMatch(new RegExp(`has 1 transaction\\(s\\) waiting on L1 that this job did not record \\(nonce ${nonceBefore}\\)`))
      expect(await l1().getTransactionCount({ address: user, blockTag: 'pending' })).toBe(nonceBefore + 1)
      const { state } = await journal(jobId)
      expect(state.txs).toEqual([])
      expect(state.status).toBe('active')
      expect(state.steps.find((s) => s.name === 'send-l2-message')).toMatchObject({ status: 'failed', error: { kind: 'temporary' } })
    } finally {
      await rpc('evm_setAutomine', [true])
    }
    await rpc('evm_mine')
    expect((await l1().getTransactionReceipt({ hash: pendingHash })).status).toBe('success')
    const sent = await runChild(jobId, ['step.completed|send-l2-message|'])
    expect(sent.signal, sent.stderr).toBe('SIGKILL')
    expect(await l1().getTransactionCount({ address: user })).toBe(nonceBefore + 2)
    expect((await journal(jobId)).state.txs.map((t) => [t.step, t.nonce, t.status])).toEqual([['send-l2-message', nonceBefore + 1, 'mined']])
  }, 240_000)
})

describe('one escape per withdrawal on chain (issue 14, defect 3)', () => {
  it('a second escape of the same account while the first one\'s withdrawal waits in the delayed inbox signs no sendL2Message', async () => {
    const first = await newJob(DEVNET_ROLES.user4, '1')
    const sent = await runChild(first.jobId, ['step.completed|send-l2-message|'])
    expect(sent.signal, sent.stderr).toBe('SIGKILL')
    const nonceAfterFirst = await l1().getTransactionCount({ address: first.user })
    // Another job (another amount: the CLI's duplicate check does not apply), the same L2 nonce from the censoring L2.
    const second = await newJob(DEVNET_ROLES.user4, '0.5')
    const run = await runChild(second.jobId, ['step.completed|send-l2-message|'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toMatch(/Another withdrawal signed by 0x[0-9a-fA-F]{40} with L2 nonce \d+ is already waiting in the .* delayed inbox \(message #\d+/)
    expect(await l1().getTransactionCount({ address: first.user })).toBe(nonceAfterFirst)
    const { state } = await journal(second.jobId)
    expect(state.txs).toEqual([])
    expect(state.status).toBe('active')
  }, 240_000)
})
