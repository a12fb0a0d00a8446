// Issue 11: an L2 node that answers JSON-RPC errors while the escape waits for its confirmation. The loopback proxy in
// front of the devnet's L2 RPC answers {"error":{"code":-32000,…}} to the next N requests. The run stops with a
// temporary error, the job stays resumable (not failed), and the next run finishes once the node answers again.
// (Before the job engine, the wrapped error was "critical" and ended the job as failed.)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEther, type Address } from 'viem'
import { devnetPublicClient } from '../../../devnet/devnetClients'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/devnet'
import { mine } from '../../../devnet/timeTravel'
import { JournalStore } from '../../journal/JournalStore'
import { ARBITRUM_ESCAPE_JOB_KIND, toJobParams } from './arbitrumEscapeJob'
import { createSoftLedgerSigner } from './createSoftLedgerSigner'
import { startFailingProxy, type FailingProxy } from './test-support/failingRpcProxy'
import { runArbitrumEscape, type ArbitrumEscapeDeps } from './runArbitrumEscape'

let devnet: Devnet
let l2: ArbitrumDevnet
let proxy: FailingProxy
const dir = mkdtempSync(join(tmpdir(), 'eh-arb-rpc-error-'))

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum! })
  proxy = await startFailingProxy(l2.l2RpcUrl)
}, 300_000)
afterAll(async () => {
  proxy?.server.close()
  await l2?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('the L2 node answers JSON-RPC errors during the confirmation wait', () => {
  it('the job stays resumable (not failed) and finishes once the node answers again', async () => {
    const key = devnet.anvil.accounts[DEVNET_ROLES.user2]!
    const user = key.address as Address
    await l2.fund(user, parseEther('2'))
    l2.setCensored(user, true)
    const store = await JournalStore.open(dir)
    const network = devnet.arbitrum!.network
    const job = await store.createJob({
      kind: ARBITRUM_ESCAPE_JOB_KIND,
      title: 'rpc error test',
      params: toJobParams({
        network, account: user, signerPath: `44'/60'/0'/0/${DEVNET_ROLES.user2}`, destination: user, amountWei: parseEther('1').toString(),
        l1Endpoints: [devnet.l1.rpcUrl], l2RpcUrl: proxy.url,
      }),
    })
    const l1 = devnetPublicClient(devnet.l1.rpcUrl, { retryCount: 0 })
    const l2Client = devnetPublicClient(proxy.url, { retryCount: 0 })
    const ledger = createSoftLedgerSigner()
    let confirmations = 0
    const deps: ArbitrumEscapeDeps = {
      store,
      signer: ledger.signer,
      l1,
      l2: l2Client,
      waitForL1Block: async (block) => {
        const head = await l1.getBlockNumber()
        if (head < block) await mine(devnet.l1.rpcUrl, block - head, 12)
      },
      waitForConfirmation: async () => {
        // The assertion is confirmed, but the node errors on the next requests: exactly while the job re-checks.
        if (confirmations++ === 0) proxy.failNext(3)
        await l2.postAndConfirmAssertionNow()
      },
      pause: async () => {
        await new Promise((r) => setTimeout(r, 100))
        await l2.sync()
      },
      broadcast: { pollIntervalMs: 100 },
      maxPauses: 300,
    }
    try {
      const first = await runArbitrumEscape(job.id, deps).then(() => undefined, (e: unknown) => e)
      expect(first).toBeInstanceOf(EscapeError)
      expect((first as EscapeError).kind).toBe('temporary')
      expect(proxy.failed()).toBeGreaterThan(0)
      const paused = (await store.load(job.id)).state
      expect(paused.status).toBe('active')
      const failedStep = paused.steps.find((s) => s.status === 'failed')
      expect(failedStep?.name).toBe('wait-confirmation')
      expect(failedStep?.error?.kind).toBe('temporary')

      proxy.failNext(0)
      const result = await runArbitrumEscape(job.id, deps)
      expect(result.executeTx).toMatch(/^0x[0-9a-f]{64}$/)
      expect(result.alreadySpent).toBe(false)
      const done = (await store.load(job.id)).state
      expect(done.status).toBe('succeeded')
      expect(done.txs.map((t) => [t.step, t.status])).toEqual([
        ['send-l2-message', 'mined'],
        ['force-inclusion', 'mined'],
        ['execute-withdrawal', 'mined'],
      ])
    } finally {
      store.close()
      await ledger.stop()
    }
  }, 300_000)
})
