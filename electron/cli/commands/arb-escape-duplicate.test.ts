// Issue 14, defect 3: one escape per withdrawal. `arb escape` for an account, amount and destination that an
// unfinished job already takes out of the same chain is refused with the exact `jobs resume` command, before any
// network is asked or anything signed; --new-job overrides knowingly. No devnet needed: the refusal comes first (the
// endpoints below do not exist, so a run that gets past the check fails on connecting instead).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { getAddress, parseEther } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { ARBITRUM_ESCAPE_JOB_KIND, toJobParams } from '../../services/flows/arbitrum/arbitrumEscapeJob'
import { JournalStore } from '../../services/journal/JournalStore'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { jobsDir } from '../../services/paths'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-dup-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

const ACCOUNT = getAddress('0x00000000000000000000000000000000000a11ce')
const DEST = getAddress('0x0000000000000000000000000000000000000b0b')
const DEAD = 'http://127.0.0.1:1'

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

const escape = (amount: string, ...more: string[]) =>
  run('arb', 'escape', '--network', 'arbitrum-sepolia', '--l1-rpc', DEAD, '--l2-rpc', DEAD, '--amount', amount, '--to', DEST, '--signer', 'file', '--from', ACCOUNT, ...more)

async function createEscapeJob(amountEth: string, finish?: 'succeeded'): Promise<string> {
  const { arbitrum: network } = await resolveNetwork({ network: 'arbitrum-sepolia', dataDir: home, stack: 'arbitrum-nitro' })
  const store = await JournalStore.open(jobsDir(home))
  try {
    const job = await store.createJob({
      kind: ARBITRUM_ESCAPE_JOB_KIND,
      title: `an escape of ${amountEth} ETH`,
      params: toJobParams({ network, account: ACCOUNT, signerPath: "44'/60'/0'/0/0", destination: DEST, amountWei: parseEther(amountEth).toString(), signer: { kind: 'file' } }),
    })
    await store.append(job.id, { type: 'step.started', step: 'prepare' })
    if (finish) await store.append(job.id, { type: 'job.finished', outcome: finish })
    return job.id
  } finally {
    store.close()
  }
}

async function jobCount(): Promise<number> {
  return (JSON.parse((await run('jobs', 'list', '--json')).stdout) as { jobs: unknown[] }).jobs.length
}

describe('arb escape: one escape per withdrawal', () => {
  it('a finished escape of the same withdrawal does not stop a new one', async () => {
    await createEscapeJob('1', 'succeeded')
    const r = await escape('1')
    expect(r.code).toBe(1)
    expect(r.stderr).not.toMatch(/already takes/)
  })

  it('an unfinished one does: refused with the exact resume command, nothing created, nothing asked of the network', async () => {
    const id = await createEscapeJob('1')
    const before = await jobCount()
    const r = await escape('1')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `escape-hatch: Job ${id} already takes 1 ETH from ${ACCOUNT} out of Arbitrum Sepolia to ${DEST}, and it is not finished. Next: Continue it instead: escape-hatch jobs resume ${id} --l1-rpc ${DEAD} --l2-rpc ${DEAD}\n`,
    )
    const json = await escape('1', '--json')
    expect(JSON.parse(json.stdout).error).toMatchObject({ kind: 'user-action', steps: [expect.stringContaining(`jobs resume ${id}`), expect.stringMatching(/add --new-job/)] })
    expect(await jobCount()).toBe(before)

    // --dry-run says so and goes on checking; --new-job goes past it knowingly (and on to the network, dead here).
    const dry = await escape('1', '--dry-run')
    expect(dry.stderr).toMatch(new RegExp(`! Job ${id} already takes 1 ETH .* continue it with \`escape-hatch jobs resume ${id}\``))
    const forced = await escape('1', '--new-job')
    expect(forced.code).toBe(1)
    expect(forced.stderr).not.toMatch(/already takes/)
    expect(forced.stderr).toMatch(/127\.0\.0\.1:1/)
  })

  it('another amount from the same account is not the same withdrawal, but the shared L2 nonce is pointed out', async () => {
    const id = await createEscapeJob('2')
    const r = await escape('0.5')
    expect(r.stderr).not.toMatch(/already takes 0\.5/)
    expect(r.stderr).toMatch(new RegExp(`! Job ${id} \\(another unfinished escape of ${ACCOUNT} on Arbitrum Sepolia\\) may sign the same L2 nonce`))
  })
})
