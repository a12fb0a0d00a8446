// Issue 14 defect 4 (and issue 13's "must show"): an API key in an RPC URL path never reaches the journal,
// `jobs show --json`, a job report or the CLI's output — with or without --save-rpc-urls — even when the endpoint
// fails and the library's error quotes the whole URL ("URL: http://…/v2/KEY", "Request body: …").
// The L2 endpoint is a loopback proxy in front of the devnet's L2 node, reached at /v2/SECRETKEY123 as a hosted RPC
// would be; it answers the escape's first step (prepare) with a node error after the plan has read what it needs.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEther, type Address } from 'viem'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../devnet/devnet'
import { startFailingProxy, type FailingProxy } from '../services/flows/arbitrum/test-support/failingRpcProxy'
import { jobsDir } from '../services/paths'
import { main } from './main'

const KEY = 'SECRETKEY123'
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-api-key-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let proxy: FailingProxy
let networkFile: string

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, pollIntervalMs: 100 })
  proxy = await startFailingProxy(l2.l2RpcUrl)
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined }))
}, 180_000)
afterAll(async () => {
  proxy?.server.close()
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

const printed: string[] = []
async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  printed.push(stdout, stderr)
  return { code, stdout, stderr }
}

describe('an API key in the L2 RPC URL path', () => {
  for (const [role, save] of [[DEVNET_ROLES.user1, false], [DEVNET_ROLES.user2, true]] as const) {
    it(`is in no journal record, jobs show --json, report or output when a step fails on that endpoint (${save ? 'with' : 'without'} --save-rpc-urls)`, async () => {
      const user = devnet.anvil.accounts[role]!.address as Address
      await l2.fund(user, parseEther('2'))
      l2.setCensored(user, true)
      const l2Url = `${proxy.url}/v2/${KEY}`
      // The plan reads the L2 nonce once; the job's prepare step reads it again and gets a node error.
      proxy.failMethodAfter('eth_getTransactionCount', 1)
      const escape = await run(['arb', 'escape', '--network', networkFile, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2Url, '--amount', '1', '--to', user, '--signer', 'soft-ledger', '--path', `44'/60'/0'/0/${role}`, '--poll-seconds', '0.1', ...(save ? ['--save-rpc-urls'] : [])])
      expect(escape.code).toBe(1)
      expect(proxy.failed()).toBeGreaterThan(0)

      const files = fs.readdirSync(jobsDir(home)).filter((f) => f.endsWith('.jsonl'))
      // The whole file first (whatever its line format): the key appears at most inside the saved parameters.
      const raw = fs.readFileSync(files.map((f) => path.join(jobsDir(home), f)).find((f) => fs.readFileSync(f, 'utf8').includes(user))!, 'utf8')
      expect(raw.split(KEY).length - 1).toBe(save ? 1 : 0)
      const jobFile = files.map((f) => path.join(jobsDir(home), f)).find((f) => fs.readFileSync(f, 'utf8').includes(user))!
      const jobId = path.basename(jobFile, '.jsonl')
      const records = fs.readFileSync(jobFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l.slice(l.indexOf('{'))) as { type: string; params?: unknown })
      const failed = records.filter((r) => r.type === 'step.failed')
      expect(failed.length).toBeGreaterThan(0)
      expect(JSON.stringify(failed)).toContain(`${proxy.url}/…`)
      for (const r of records) {
        // Saved URLs live only in the job's parameters, and only when asked for.
        const where = r.type === 'job.created' && save ? JSON.stringify({ ...r, params: undefined }) : JSON.stringify(r)
        expect(where).not.toContain(KEY)
      }
      expect(JSON.stringify(records[0]!.params).includes(KEY)).toBe(save)

      const show = await run(['jobs', 'show', jobId, '--json'])
      expect(show.code, show.stderr).toBe(0)
      expect(show.stdout).toContain('step')
      for (const ext of ['json', 'html']) {
        const out = path.join(home, `${jobId}.${ext}`)
        const exported = await run(['jobs', 'export', jobId, '--out', out])
        expect(exported.code, exported.stderr).toBe(0)
        const report = fs.readFileSync(out, 'utf8')
        expect(report).toContain('127.0.0.1')
        expect(report).not.toContain(KEY)
      }
      for (const text of printed) expect(text).not.toContain(KEY)
    }, 180_000)
  }
})
