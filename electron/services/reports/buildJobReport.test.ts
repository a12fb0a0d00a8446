import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../cli/main'
import { JournalStore } from '../journal/JournalStore'
import { jobsDir } from '../paths'
import { redactUrlsInText } from '../../../shared/errors/redactUrls'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-report-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))
const hash = `0x${'ab'.repeat(32)}` as const

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('job report for support', () => {
  it('cuts URLs to scheme and host, dropping credentials, paths and queries', () => {
    expect(redactUrlsInText('L1 https://eth-mainnet.example.com/v2/SECRETKEY and wss://user:pw@node.example:8546/ws?key=abc')).toBe(
      'L1 https://eth-mainnet.example.com/… and wss://node.example:8546/…',
    )
    expect(redactUrlsInText('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545')
  })

  it('exports HTML and JSON without API keys or raw tx bytes, with the failed step and what to do', async () => {
    const store = await JournalStore.open(jobsDir(home))
    const job = await store.createJob({
      kind: 'arb-escape',
      title: 'Get 1 ETH out of <Arbitrum One>',
      params: { l1Endpoints: ['https://rpc.example.com/v3/SECRETKEY'], amountWei: '1000000000000000000' },
    })
    await store.append(job.id, { type: 'tx.signed', step: 'send-l2-message', chainId: 1, from: '0x00000000000000000000000000000000000000aa', nonce: 4, hash, raw: '0x02f8deadbeef' })
    await store.append(job.id, {
      type: 'step.failed',
      step: 'send-l2-message',
      error: { name: 'NoEndpointReachableError', shortMessage: 'No L1 endpoint answered.', steps: ['Check https://rpc.example.com/v3/SECRETKEY is reachable.'], kind: 'temporary' },
    })
    store.close()

    const htmlFile = path.join(home, 'report.html')
    const r = await run('jobs', 'export', job.id, '--out', htmlFile)
    expect(r.code, r.stderr).toBe(0)
    const html = fs.readFileSync(htmlFile, 'utf8')
    expect(html).toContain('Get 1 ETH out of &lt;Arbitrum One&gt;')
    expect(html).toContain('No L1 endpoint answered.')
    expect(html).toContain(hash)
    expect(html).not.toContain('SECRETKEY')
    expect(html).not.toContain('deadbeef')
    expect(html).toContain("default-src 'none'")

    const jsonFile = path.join(home, 'report.json')
    expect((await run('jobs', 'export', job.id, '--out', jsonFile, '--include-raw')).code).toBe(0)
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'))
    expect(json.schema).toBe('escape-hatch-job-report/v1')
    expect(json.job.params.l1Endpoints).toEqual(['https://rpc.example.com/…'])
    expect(json.job.txs[0].raw).toBe('0x02f8deadbeef')
    expect(JSON.stringify(json)).not.toContain('SECRETKEY')
  })

  it('shows a step that waits on purpose as paused, with its reason and until when (local time with UTC)', async () => {
    const store = await JournalStore.open(jobsDir(home))
    const job = await store.createJob({ kind: 'arb-escape', title: 'Get 1 ETH out', params: {} })
    await store.append(job.id, { type: 'step.started', step: 'wait-confirmation' })
    await store.append(job.id, { type: 'step.waiting', step: 'wait-confirmation', wait: 'confirmation', reason: 'Waiting for an assertion that holds the withdrawal to be confirmed.', until: '2026-12-14T06:00:00.000Z' })
    store.close()
    const htmlFile = path.join(home, 'paused.html')
    expect((await run('jobs', 'export', job.id, '--out', htmlFile)).code).toBe(0)
    const html = fs.readFileSync(htmlFile, 'utf8')
    expect(html).toMatch(/<td>wait-confirmation<\/td><td class="">paused<\/td>/)
    expect(html).toMatch(/Waiting for an assertion that holds the withdrawal to be confirmed\. — until about .*2026-12-14 06:00 UTC/)
  })

  it('needs an --out ending in .html or .json, and a known job', async () => {
    expect((await run('jobs', 'export', 'some-job-x')).code).toBe(2)
    expect((await run('jobs', 'export', 'some-job-x', '--out', path.join(home, 'r.txt'))).code).toBe(2)
    const missing = await run('jobs', 'export', 'no-such-job', '--out', path.join(home, 'r.html'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/There is no job no-such-job/)
  })
})
