// A real crash: the escape runs in a child process that SIGKILLs itself right after a chosen journal record, at every
// record kind of the job in turn; each time a fresh process resumes from the journal on disk. The withdrawal lands
// once, with exactly one L1 transaction per step, and the user's L1 nonce moved by exactly three.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEther, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/devnet'
import { JournalStore } from '../../journal/JournalStore'
import { ARBITRUM_ESCAPE_JOB_KIND, toJobParams } from './arbitrumEscapeJob'
import { bundleChild, crashAndResume, type BundledChild } from '../test-support/crashAndResume'
import { NEEDS_CONFIRMATION } from './test-support/escapeChild'
import { devnetPublicClient } from '../../../devnet/devnetClients'

let devnet: Devnet
let l2: ArbitrumDevnet
let child: BundledChild
const dir = mkdtempSync(join(tmpdir(), 'eh-arb-kill-'))

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum! })
  child = await bundleChild(new URL('./test-support/escapeChild.ts', import.meta.url))
})
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  child?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('kill -9 at every journaled step of the Arbitrum escape, then resume', () => {
  it('same outcome, no duplicate transaction', async () => {
    const key = devnet.anvil.accounts[DEVNET_ROLES.user3]!
    const user = key.address as Address
    await l2.fund(user, parseEther('2'))
    l2.setCensored(user, true)
    const l1 = devnetPublicClient(devnet.l1.rpcUrl)
    const nonceBefore = await l1.getTransactionCount({ address: user })
    const balanceBefore = await l1.getBalance({ address: user })

    const store = await JournalStore.open(dir)
    const network = devnet.arbitrum!.network
    const job = await store.createJob({
      kind: ARBITRUM_ESCAPE_JOB_KIND,
      title: 'kill test',
      params: toJobParams({
        network, account: user, signerPath: `44'/60'/0'/0/${DEVNET_ROLES.user3}`, destination: user, amountWei: parseEther('1').toString(),
        l1Endpoints: [devnet.l1.rpcUrl], l2RpcUrl: l2.l2RpcUrl,
      }),
    })
    store.close()
    const env = { ESCAPE_JOB_DIR: dir, ESCAPE_JOB_ID: job.id, ESCAPE_L1_URL: devnet.l1.rpcUrl, ESCAPE_L2_URL: l2.l2RpcUrl }

    let confirmations = 0
    const { result, killedAt } = await crashAndResume<{ executeTx?: string; alreadySpent?: boolean }>({
      script: child.script,
      env,
      dir,
      jobId: job.id,
      maxRuns: 200,
      childTimeoutMs: 60_000,
      async onStop(run) {
        if (run.code !== NEEDS_CONFIRMATION) return 'fail'
        confirmations++
        await l2.postAndConfirmAssertionNow()
        return 'again'
      },
    })
    expect(result?.executeTx).toMatch(/^0x[0-9a-f]{64}$/)
    expect(result?.alreadySpent).toBe(false)
    // Every step was a kill point at least once (started and completed), and every tx record (signed, sent, mined).
    expect(killedAt.length).toBeGreaterThanOrEqual(9 * 2 + 3 * 3)
    expect(confirmations).toBeGreaterThanOrEqual(1)

    const s = await JournalStore.open(dir)
    const { state } = await s.load(job.id)
    s.close()
    expect(state.status).toBe('succeeded')
    expect(state.txs.map((t) => [t.step, t.status])).toEqual([
      ['send-l2-message', 'mined'],
      ['force-inclusion', 'mined'],
      ['execute-withdrawal', 'mined'],
    ])
    // On chain: exactly three L1 transactions from the user, and the balance rose by the amount minus their fees.
    expect(await l1.getTransactionCount({ address: user })).toBe(nonceBefore + 3)
    let fees = 0n
    for (const t of state.txs) {
      const r = await l1.getTransactionReceipt({ hash: t.hash })
      fees += r.gasUsed * r.effectiveGasPrice
    }
    expect(await l1.getBalance({ address: user })).toBe(balanceBefore + parseEther('1') - fees)
  }, 600_000) // ~60 s on an idle machine; each child is bounded (60 s), so this only allows for a busy one
})
