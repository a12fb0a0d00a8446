/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `arb escape` and `jobs resume` through the CLI's main(), on the devnet (anvil L1 with the real Nitro contracts, the
// devnet L2 censoring the user), as a user would run them over days: the command stops at the force-inclusion wait
// with the deadline and the exact resume command; time travel; the resume continues to the confirmation wait; the
// devnet validator posts and confirms an assertion; the resume executes the withdrawal; the L1 balance rises.
// The same with the air-gapped signer (every exported file signed with `sign-file` through main()), with tampered and
// wrong signed files refused, and with --wait interrupted by Ctrl-C and resumed.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseEther, parseTransaction, type Address, type Hex, type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { mine } from '../../devnet/timeTravel'
import { startAnvil } from '../../devnet/anvil'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { DrillKeySigner } from '../../services/signers/drill-key/DrillKeySigner'
import { buildSignedTxFile, parseSignedTxFile } from '../../../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { main } from '../main'
import { devnetPublicClient } from '../../devnet/devnetClients'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-escape-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let l1: PublicClient
let networkFile: string
const L2_CHAIN_ID = 412346

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, pollIntervalMs: 100 })
  l1 = devnetPublicClient(devnet.l1.rpcUrl)
  // A custom network file pointing at the devnet, as a user would write for an Orbit chain (no L2 URL inside).
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined }))
}, 120_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function run(argv: string[], signal = new AbortController().signal) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, signal)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

/** Run exactly the command a previous run printed (`escape-hatch jobs resume …`), plus --json. */
function runPrinted(command: string, ...more: string[]) {
  // The printed command is for a POSIX shell: words, some in single quotes.
  const argv = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
  expect(argv[0]).toBe('escape-hatch')
  return run([...argv.slice(1), ...more, '--json'])
}

const rpc = () => ['--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl]
const userPath = (i: number) => `44'/60'/0'/0/${i}`

async function censoredUser(index: number): Promise<Address> {
  const user = devnet.anvil.accounts[index]!.address as Address
  await l2.fund(user, parseEther('2'))
  l2.setCensored(user, true)
  return user
}

async function mineTo(block: bigint) {
  const head = await l1.getBlockNumber()
  if (head < block) await mine(devnet.l1.rpcUrl, block - head, 12)
}

async function l1FeesPaid(hashes: Hex[]): Promise<bigint> {
  let fees = 0n
  for (const hash of hashes) {
    const r = await l1.getTransactionReceipt({ hash })
    fees += r.gasUsed * r.effectiveGasPrice
  }
  return fees
}

async function journal(jobId: string) {
  const store = await JournalStore.open(jobsDir(home))
  try {
    return (await store.load(jobId)).state
  } finally {
    store.close()
  }
}

describe('escape-hatch arb escape / jobs resume on the devnet', () => {
  it('checks and plans up front: dry run shows the live windows; impossible amounts and wrong signers are refused before any job exists', async () => {
    const user = await censoredUser(DEVNET_ROLES.user4)
    const base = ['arb', 'escape', '--network', networkFile, ...rpc(), '--to', user, '--signer', 'soft-ledger', '--path', userPath(DEVNET_ROLES.user4)]
    const dry = await run([...base, '--amount', '1', '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    const plan = dry.json().plan
    expect(plan.windows).toMatchObject({ forceInclusionDelayBlocks: '50', delayBlocks: '50', confirmPeriodBlocks: '20' })
    expect(plan.transactions.map((t: { step: string }) => t.step)).toEqual(['sign-l2-tx', 'send-l2-message', 'force-inclusion', 'execute-withdrawal'])
    expect(plan.l2.note).toMatch(/unverified/)
    expect(dry.stderr).toMatch(/force-inclusion delay 50 blocks/)
    expect(dry.stderr).toMatch(/L2 \(unverified, from the L2 node\): balance 2 ETH/)

    // Two L1 endpoints that are not the same chain (another anvil with the same chain id): refused, naming both.
    const other = await startAnvil()
    try {
      await mine(other.rpcUrl, 10, 12)
      const split = await run(['arb', 'escape', '--network', networkFile, '--l1-rpc', devnet.l1.rpcUrl, '--l1-rpc', other.rpcUrl, '--l2-rpc', l2.l2RpcUrl, '--to', user, '--amount', '1', '--signer', 'soft-ledger', '--dry-run'])
      expect(split.code).toBe(1)
      expect(split.stderr).toMatch(/Your L1 endpoints disagree about L1 block \d+\. Next: At least one endpoint is on another chain/)
    } finally {
      await other.stop()
    }

    const tooMuch = await run([...base, '--amount', '5'])
    expect(tooMuch.code).toBe(1)
    expect(tooMuch.stderr).toMatch(/reports a balance of 2 ETH .*\(unverified\), less than 5 ETH/)

    const drillKey = await run(['arb', 'escape', '--network', networkFile, ...rpc(), '--to', user, '--amount', '1', '--signer', 'drill-key', '--path', userPath(DEVNET_ROLES.user4)])
    expect(drillKey.code).toBe(2)
    expect(drillKey.stderr).toContain(`--devnet-chain-id ${L2_CHAIN_ID}`)
    expect((await run([...base, '--amount', 'lots'])).code).toBe(2)
    expect((await run(['arb', 'escape', '--network', networkFile, ...rpc(), '--to', user, '--amount', '1', '--signer', 'file'])).stderr).toMatch(/needs --from/)
    expect((await run(['jobs', 'list', '--json'])).json().jobs).toEqual([])
  }, 120_000)

  it('software Ledger: stops at the force-inclusion wait, resumes to the confirmation wait, then executes the withdrawal', async () => {
    const user = await censoredUser(DEVNET_ROLES.user1)
    const balanceBefore = await l1.getBalance({ address: user })
    // Endpoints with an API key in them, as hosted RPC URLs have: it must never reach the journal.
    const keyed = ['--l1-rpc', `${devnet.l1.rpcUrl}/?apikey=SECRET1`, '--l2-rpc', `${l2.l2RpcUrl}/?apikey=SECRET2`]
    const first = await run(['arb', 'escape', '--network', networkFile, ...keyed, '--amount', '1', '--to', user, '--signer', 'soft-ledger', '--path', userPath(DEVNET_ROLES.user1), '--poll-seconds', '0.1', '--json'])
    expect(first.code, first.stderr).toBe(0)
    const r1 = first.json()
    expect(r1.outcome).toBe('paused')
    expect(r1.pause.reason).toBe('deadline')
    const deadline = BigInt(r1.pause.untilL1Block)
    expect(r1.pause.message).toMatch(new RegExp(`Waiting for the force-inclusion deadline: L1 block ${deadline}, about \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`))
    // URLs that may hold a key are never printed back (issue 14 #4): the command names their hosts for the user to fill in.
    expect(r1.resumeCommand).toBe(`escape-hatch jobs resume ${r1.jobId} --l1-rpc '<your L1 RPC URL for ${devnet.l1.rpcUrl}/…>' --l2-rpc '<your L2 RPC URL for ${l2.l2RpcUrl}/…>' --poll-seconds 0.1`)
    expect(first.stdout + first.stderr).not.toMatch(/SECRET/)
    const resumeWithKeys = `escape-hatch jobs resume ${r1.jobId} --l1-rpc '${devnet.l1.rpcUrl}/?apikey=SECRET1' --l2-rpc '${l2.l2RpcUrl}/?apikey=SECRET2' --poll-seconds 0.1`
    expect(r1.transactions.map((t: { step: string; status: string }) => [t.step, t.status])).toEqual([['send-l2-message', 'mined']])
    // No RPC URL in the job unless asked (they may hold API keys): only scheme://host labels, to remind the user.
    const created = await journal(r1.jobId)
    const params = created.params as Record<string, any>
    expect([params.l1Endpoints, params.l2RpcUrl, params.network.l2RpcUrl]).toEqual([undefined, undefined, undefined])
    expect(params.rpcLabels).toEqual({ l1: [devnet.l1.rpcUrl], l2: l2.l2RpcUrl })
    expect(created.steps.find((s) => s.name === 'wait-force-inclusion')?.status).toBe('started')

    // Resuming early (nothing changed) stops again at the same deadline; without the URLs it says they are needed.
    const noUrls = await run(['jobs', 'resume', r1.jobId])
    expect(noUrls.code).toBe(1)
    expect(noUrls.stderr).toMatch(/did not save its RPC URLs .*--l1-rpc URL \(you used http:\/\/127\.0\.0\.1:\d+\) and --l2-rpc URL/)
    const early = await runPrinted(resumeWithKeys)
    expect(early.json().pause.untilL1Block).toBe(deadline.toString())

    await mineTo(deadline)
    const second = await runPrinted(resumeWithKeys)
    expect(second.code, second.stderr).toBe(0)
    const r2 = second.json()
    expect(r2.outcome).toBe('paused')
    expect(r2.pause.reason).toBe('confirmation')
    expect(r2.pause.message).toMatch(/no assertion covers your withdrawal yet/)
    expect(r2.transactions.map((t: { step: string; status: string }) => [t.step, t.status])).toEqual([['send-l2-message', 'mined'], ['force-inclusion', 'mined']])

    // The devnet validator posts an assertion covering it and confirms it (over its devnet_* RPC, as another process would).
    const confirmed = await fetch(l2.l2RpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'devnet_postAndConfirmAssertion', params: [] }) })
    expect(((await confirmed.json()) as { result?: { sendRoot: string } }).result?.sendRoot).toMatch(/^0x[0-9a-f]{64}$/)

    const third = await runPrinted(resumeWithKeys)
    expect(third.code, third.stderr).toBe(0)
    expect(fs.readFileSync(path.join(jobsDir(home), `${r1.jobId}.jsonl`), 'utf8')).not.toMatch(/SECRET/)
    const r3 = third.json()
    expect(r3.outcome).toBe('finished')
    expect(r3.status).toBe('succeeded')
    expect(r3.transactions.map((t: { status: string }) => t.status)).toEqual(['mined', 'mined', 'mined'])
    const fees = await l1FeesPaid(r3.transactions.map((t: { hash: Hex }) => t.hash))
    expect(await l1.getBalance({ address: user })).toBe(balanceBefore + parseEther('1') - fees)

    const again = await run(['jobs', 'resume', r1.jobId])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/is already finished \(succeeded\)/)
  }, 240_000)

  it('air-gapped: every transaction exported, signed offline with sign-file, brought back; a tampered or wrong signed file is refused and the job goes on', async () => {
    const user = await censoredUser(DEVNET_ROLES.user2)
    const balanceBefore = await l1.getBalance({ address: user })
    const exports = path.join(home, 'usb')
    const offline = path.join(home, 'offline')
    fs.mkdirSync(offline)
    const first = await run(['arb', 'escape', '--network', networkFile, ...rpc(), '--amount', '0.5', '--to', user, '--signer', 'file', '--from', user, '--path', userPath(DEVNET_ROLES.user2), '--export-dir', exports, '--save-rpc-urls', '--poll-seconds', '0.1', '--json'])
    expect(first.code, first.stderr).toBe(0)
    const jobId = first.json().jobId as string
    const signed: string[] = []

    /** The offline machine: sign the exported file with `escape-hatch sign-file` (drill key allowed both devnet chains). */
    async function signExported(pause: { reason: string; files: string[]; steps: string[] }): Promise<string> {
      expect(pause.reason).toBe('signature')
      const unsigned = pause.files[0]!
      const out = path.join(offline, path.basename(unsigned).replace('.unsigned.json', '.signed.json'))
      const s = await run(['sign-file', unsigned, '--out', out, '--network', networkFile, '--signer', 'drill-key', '--path', userPath(DEVNET_ROLES.user2), '--devnet-chain-id', '31337', '--devnet-chain-id', String(L2_CHAIN_ID), '--json'])
      expect(s.code, s.stderr).toBe(0)
      signed.push(out)
      return out
    }
    const resume = (...more: string[]) => run(['jobs', 'resume', jobId, '--poll-seconds', '0.1', ...more, '--json'])

    // 1. The L2 withdrawal: exported for the L2 chain, with exact instructions.
    let pause = first.json().pause
    expect(pause.steps.join('\n')).toMatch(/escape-hatch sign-file arb-escape-.*-sign-l2-tx-1\.unsigned\.json --out arb-escape-.*-sign-l2-tx-1\.signed\.json/)
    expect(pause.steps.at(-1)).toMatch(new RegExp(`Then run: escape-hatch jobs resume ${jobId} --signed \\S+sign-l2-tx-1\\.signed\\.json`))
    const l2File = parseUnsignedTxFile(fs.readFileSync(pause.files[0], 'utf8'))
    expect(l2File.request.chainId).toBe(L2_CHAIN_ID)
    expect(l2File.file.intent.summary).toMatch(/Withdraw 0\.5 ETH .* NOT broadcast on L2/)
    const l2Signed = await signExported(pause)

    // A tampered signed file: re-signed over another amount, its checksum made consistent again. Refused; job intact.
    const tamperedPath = path.join(offline, 'tampered.signed.json')
    const original = parseSignedTxFile(fs.readFileSync(l2Signed, 'utf8'))
    const evil = await new DrillKeySigner({ devnetChainId: L2_CHAIN_ID }).signTransaction({ path: userPath(DEVNET_ROLES.user2), request: { ...l2File.request, value: parseEther('1.5') } })
    fs.writeFileSync(tamperedPath, buildSignedTxFile({ unsigned: l2File.file, signed: evil, signer: original.signer, signedAt: original.signedAt }).text)
    const tampered = await resume('--signed', tamperedPath)
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toMatch(/The signed file .*tampered\.signed\.json was refused: The signed transaction does not match the one Escape Hatch prepared: its value differs/)
    expect((await journal(jobId)).status).toBe('active')
    expect((await journal(jobId)).txs).toEqual([])

    // 2. The real signed file: the L2 tx is accepted; sendL2Message is exported next.
    let r = await resume('--signed', l2Signed)
    expect(r.code, r.stderr).toBe(0)
    pause = r.json().pause
    expect(pause.files[0]).toMatch(/send-l2-message-1\.unsigned\.json$/)
    // The L2 withdrawal signed offline is exactly what goes into the delayed inbox.
    const state = await journal(jobId)
    expect(state.steps.find((s) => s.name === 'sign-l2-tx')?.result).toMatchObject({ raw: original.raw })

    // A wrong signed file (the L2 one, for the L1 step) is refused by checksum; the right one goes through.
    const wrong = await resume('--signed', l2Signed)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/was refused: The signed transaction does not match .*unsigned file checksum/)
    r = await resume('--signed', await signExported(pause))
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().pause.reason).toBe('deadline')

    // 3. After the deadline: forceInclusion is exported, signed, sent; then the confirmation wait.
    await mineTo(BigInt(r.json().pause.untilL1Block))
    r = await resume()
    expect(r.json().pause.files[0]).toMatch(/force-inclusion-1\.unsigned\.json$/)
    r = await resume('--signed', await signExported(r.json().pause))
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().pause.reason).toBe('confirmation')

    // 4. Confirmed: executeTransaction is exported, signed, sent; the withdrawal is paid out.
    await l2.postAndConfirmAssertionNow()
    r = await resume()
    expect(r.json().pause.files[0]).toMatch(/execute-withdrawal-1\.unsigned\.json$/)
    const execFile = parseUnsignedTxFile(fs.readFileSync(r.json().pause.files[0], 'utf8'))
    expect(execFile.file.intent.summary).toMatch(new RegExp(`Execute your .* withdrawal #\\d+: 0\\.5 ETH to ${user}`))
    r = await resume('--signed', await signExported(r.json().pause))
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().outcome).toBe('finished')
    const txs = r.json().transactions as { hash: Hex; step: string }[]
    expect(txs.map((t) => t.step)).toEqual(['send-l2-message', 'force-inclusion', 'execute-withdrawal'])
    // Every L1 transaction sent is exactly one the offline machine signed.
    const signedHashes = signed.map((f) => parseSignedTxFile(fs.readFileSync(f, 'utf8')).hash)
    for (const t of txs) expect(signedHashes).toContain(t.hash)
    expect(parseTransaction(original.raw).chainId).toBe(L2_CHAIN_ID)
    expect(await l1.getBalance({ address: user })).toBe(balanceBefore + parseEther('0.5') - (await l1FeesPaid(txs.map((t) => t.hash))))
    // Saved URLs (--save-rpc-urls): the printed resume commands need none.
    expect(first.json().resumeCommand).toBe(`escape-hatch jobs resume ${jobId} --export-dir ${exports} --poll-seconds 0.1`)
    expect(first.json().pause.steps.at(-1)).toMatch(new RegExp(`^Then run: escape-hatch jobs resume ${jobId} --signed \\S+ --export-dir \\S+ --poll-seconds 0\\.1$`))
  }, 300_000)

  it('--wait keeps polling; Ctrl-C leaves a resumable job (no failed step); the resumed --wait run finishes', async () => {
    const user = await censoredUser(DEVNET_ROLES.user3)
    const balanceBefore = await l1.getBalance({ address: user })
    const stepStatus = async (name: string) => {
      const { jobs } = (await run(['jobs', 'list', '--json'])).json() as { jobs: { id: string; title: string; status: string }[] }
      const job = jobs.find((j) => j.status === 'active')
      if (!job) return undefined
      return { id: job.id, status: (await journal(job.id)).steps.find((s) => s.name === name)?.status }
    }
    const until = async (name: string, status: string) => {
      for (let i = 0; i < 600; i++) {
        const s = await stepStatus(name)
        if (s?.status === status) return s.id
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`step ${name} never ${status}`)
    }

    const ctrlC = new AbortController()
    const waiting = run(['arb', 'escape', '--network', networkFile, ...rpc(), '--amount', '1', '--to', user, '--signer', 'soft-ledger', '--path', userPath(DEVNET_ROLES.user3), '--wait', '--poll-seconds', '0.1'], ctrlC.signal)
    const jobId = await until('wait-force-inclusion', 'started')
    ctrlC.abort()
    const interrupted = await waiting
    expect(interrupted.code).toBe(130)
    expect(interrupted.stderr).toMatch(new RegExp(`Interrupted\\. The job is saved .* Next: Continue with: escape-hatch jobs resume ${jobId}`))
    const afterCtrlC = await journal(jobId)
    expect(afterCtrlC.status).toBe('active')
    expect(afterCtrlC.steps.every((s) => s.status !== 'failed')).toBe(true)

    const resumed = run(['jobs', 'resume', jobId, ...rpc(), '--wait', '--poll-seconds', '0.1', '--json'])
    const deadline = BigInt((afterCtrlC.steps.find((s) => s.name === 'track-message')?.result as { l1Block: string }).l1Block) + 50n
    await mineTo(deadline)
    await until('wait-confirmation', 'started')
    await l2.postAndConfirmAssertionNow()
    const done = await resumed
    expect(done.code, done.stderr).toBe(0)
    expect(done.json().outcome).toBe('finished')
    const txs = done.json().transactions as { hash: Hex }[]
    expect(txs).toHaveLength(3)
    expect(await l1.getBalance({ address: user })).toBe(balanceBefore + parseEther('1') - (await l1FeesPaid(txs.map((t) => t.hash))))
  }, 240_000)
})
