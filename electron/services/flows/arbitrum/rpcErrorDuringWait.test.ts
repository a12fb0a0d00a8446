// Issue 11: an L2 node that answers JSON-RPC errors while the escape waits for its confirmation. The loopback proxy in
// front of the devnet's L2 RPC answers {"error":{"code":-32000,…}} to the next N requests. The run stops with a
// temporary error, the job stays resumable (not failed), and the next run finishes once the node answers again.
// (Before the job engine, the wrapped error was "critical" and ended the job as failed.)
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
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
import { runArbitrumEscape, type ArbitrumEscapeDeps } from './runArbitrumEscape'

let devnet: Devnet
let l2: ArbitrumDevnet
let proxy: { url: string; failNext(n: number): void; failed(): number; server: Server }
const dir = mkdtempSync(join(tmpdir(), 'eh-arb-rpc-error-'))

/** A JSON-RPC proxy to `target` that answers the next `n` requests with a node error instead of forwarding them. */
async function startFailingProxy(target: string): Promise<typeof proxy> {
  let failing = 0
  let failed = 0
  const upstream = new URL(target)
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      if (failing > 0) {
        failing--
        failed++
        const parsed = JSON.parse(body.toString('utf8')) as { id: number } | { id: number }[]
        const error = (id: number) => ({ jsonrpc: '2.0', id, error: { code: -32000, message: 'node is syncing, try again later' } })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map((r) => error(r.id)) : error(parsed.id)))
        return
      }
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: upstream.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (up) => {
        res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/json' })
        up.pipe(res)
      })
      forward.on('error', () => (res.writeHead(502), res.end()))
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext: (n) => (failing = n),
    failed: () => failed,
    server,
  }
}

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
