/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `jobs bump-fee` and the stuck hint of `jobs resume`, through the CLI's main(), on the devnet (anvil L1 with the real
// Nitro contracts, the devnet L2 censoring the user). An escape's sendL2Message is sent, then L1 fees jump (anvil is
// told a high base fee) so it cannot be mined: `jobs resume` stops and prints the exact bump command; bump-fee without
// consent signs nothing; with --yes the replacement is mined once and the job continues from it. The race where the
// original is mined after the bump; the air-gapped round trip; an interactive decline.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { PassThrough } from 'node:stream'
import { parseEther, parseGwei, parseTransaction, type Address, type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { mine } from '../../devnet/timeTravel'
import { JournalStore } from '../../services/journal/JournalStore'
import { DrillKeySigner } from '../../services/signers/drill-key/DrillKeySigner'
import { jobsDir } from '../../services/paths'
import { parseUnsignedTxFile } from '../../../shared/signing/buildUnsignedTxFile'
import { main } from '../main'
import { askYesNo, createJobsBumpFeeCommand } from './jobs-bump-fee'
import { devnetPublicClient } from '../../devnet/devnetClients'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-bump-fee-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let l1: PublicClient
let networkFile: string
const L2_CHAIN_ID = 412346
const DrillKey = new DrillKeySigner({ devnetChainId: 31337 })

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  // No background sequencing: while anvil's automine is off, only the transactions of the test reach L1.
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, pollIntervalMs: 100, autoSequence: false })
  l1 = devnetPublicClient(devnet.l1.rpcUrl)
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined }))
}, 120_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function run(argv: string[], signal = new AbortController().signal, onStderr?: (text: string) => void) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => ((stderr += t), onStderr?.(t)), env: { ESCAPE_HATCH_HOME: home } }, signal)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

/** Run exactly a command a previous run printed (`escape-hatch …`), plus `more`. */
function runPrinted(command: string, ...more: string[]) {
  const argv = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
  expect(argv[0]).toBe('escape-hatch')
  return run([...argv.slice(1), ...more])
}

const rpc = () => ['--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl]
const userPath = (i: number) => `44'/60'/0'/0/${i}`
const anvilRpc = (method: string, params: unknown[] = []) => l1.request({ method: method as never, params: params as never })
const automine = (on: boolean) => anvilRpc('evm_setAutomine', [on])

async function journal(jobId: string) {
  const store = await JournalStore.open(jobsDir(home))
  try {
    return await store.load(jobId)
  } finally {
    store.close()
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe()
    if (v !== undefined) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`never: ${what}`)
}

/** The fee spike: the next block's base fee jumps to 60 gwei; then 11 blocks (12 s apart) keep it above 10 gwei. */
async function feeSpike() {
  await anvilRpc('anvil_setNextBlockBaseFeePerGas', [`0x${parseGwei('60').toString(16)}`])
  await mine(devnet.l1.rpcUrl, 12, 12)
}

/** Fees fall again: one cheap block. */
async function feesFall() {
  await anvilRpc('anvil_setNextBlockBaseFeePerGas', [`0x${parseGwei('0.5').toString(16)}`])
  await anvilRpc('evm_mine')
}

/**
 * An escape whose sendL2Message is sent while automine is off (so it waits in the pool), interrupted (Ctrl-C) while it
 * is watched; then the fee spike evicts it: it is stuck. Returns the job and the stuck transaction.
 */
async function stuckEscape(role: number, extra: string[] = [], signedLater?: (jobId: string, pause: any) => Promise<string[]>) {
  const user = devnet.anvil.accounts[role]!.address as Address
  await l2.fund(user, parseEther('2'))
  l2.setCensored(user, true)
  // Start from cheap L1 fees (an earlier spike may still be decaying): the escape prices its tx from them.
  await feesFall()
  const base = ['arb', 'escape', '--network', networkFile, ...rpc(), '--amount', '0.5', '--to', user, '--path', userPath(role), '--poll-seconds', '0.1', ...extra]
  let jobId: string
  let sendArgs: string[]
  if (signedLater) {
    // Air-gapped: the L2 withdrawal round trip first; `signedLater` returns the resume argv that sends sendL2Message.
    const first = await run([...base, '--json'])
    expect(first.code, first.stderr).toBe(0)
    jobId = first.json().jobId
    sendArgs = await signedLater(jobId, first.json().pause)
  } else {
    jobId = ''
    sendArgs = base
  }
  await automine(false)
  try {
    const ctrlC = new AbortController()
    const running = run(sendArgs, ctrlC.signal)
    const jobs = async () => ((await run(['jobs', 'list', '--json'])).json().jobs as { id: string; status: string }[]).filter((j) => j.status === 'active').map((j) => j.id)
    const known = jobId ? [jobId] : undefined
    const sent = await until('sendL2Message sent', async () => {
      for (const id of known ?? (await jobs())) {
        const { state } = await journal(id)
        if ((state.params as { account: string }).account.toLowerCase() !== user.toLowerCase()) continue // another test's job
        const tx = state.txs.find((t) => t.step === 'send-l2-message' && t.status === 'sent')
        if (tx) return { id, tx }
      }
      return undefined
    })
    ctrlC.abort()
    expect((await running).code).toBe(130)
    await feeSpike()
    expect(await l1.getTransactionCount({ address: user })).toBe(sent.tx.nonce) // not mined, and evicted from the pool
    return { jobId: sent.id, tx: sent.tx, user }
  } finally {
    await automine(true)
  }
}

describe('escape-hatch jobs bump-fee / jobs resume with a stuck L1 transaction', () => {
  it('resume prints the exact bump command; no consent, nothing signed; --yes replaces it, mined once; the job continues from the replacement', async () => {
    const { jobId, tx, user } = await stuckEscape(DEVNET_ROLES.user1, ['--signer', 'soft-ledger'])
    const maxFee = parseTransaction(tx.raw).maxFeePerGas!

    // jobs resume: re-sends (refused: underpriced), finds it stuck, stops with the hint; nothing bumped.
    const resumed = await run(['jobs', 'resume', jobId, ...rpc(), '--poll-seconds', '0.1', '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const r = resumed.json()
    expect(r.outcome).toBe('stuck')
    const bumpCommand = `escape-hatch jobs bump-fee ${jobId} --tx ${tx.hash} --l1-rpc ${devnet.l1.rpcUrl}`
    expect(r.stuck).toEqual([{ hash: tx.hash, step: 'send-l2-message', nonce: tx.nonce, maxFeePerGas: maxFee.toString(), baseFee: expect.stringMatching(/^\d+$/), blocks: 10, bumpFeeCommand: bumpCommand }])
    expect(BigInt(r.stuck[0].baseFee)).toBeGreaterThan(maxFee)
    expect(r.steps.find((s: any) => s.name === 'send-l2-message').status).toBe('started')
    expect((await journal(jobId)).state.notes.at(-1)?.text).toMatch(new RegExp(`^Stopped: L1 transaction ${tx.hash} \\(step send-l2-message\\) has waited at least 10 blocks: .* A fee bump needs the user's approval\\.$`))
    const text = await run(['jobs', 'resume', jobId, ...rpc(), '--poll-seconds', '0.1'])
    expect(text.stdout).toContain(`L1 transaction ${tx.hash} (step send-l2-message) has waited at least 10 blocks: the L1 base fee (`)
    expect(text.stdout).toContain(`- To replace it with a higher fee (you will see the new maximum cost and be asked to approve): ${bumpCommand}`)
    expect(text.stdout).toContain(`- Or keep waiting for fees to fall: escape-hatch jobs resume ${jobId} --l1-rpc`)

    // No terminal, no --yes: the proposal is shown, nothing journaled, signed or sent.
    const before = (await journal(jobId)).records.length
    const refused = await runPrinted(bumpCommand, '--json')
    expect(refused.code, refused.stderr).toBe(1)
    expect(refused.json()).toMatchObject({ outcome: 'not-approved', replaces: tx.hash })
    expect(BigInt(refused.json().proposal.new.maxFeePerGas)).toBeGreaterThan(BigInt(r.stuck[0].baseFee))
    const noConsentText = await runPrinted(bumpCommand)
    expect(noConsentText.stdout).toMatch(/max network fee: +[\d.]+ → [\d.]+ ETH \(gas limit \d+\)/)
    expect(noConsentText.stdout).toContain('Not approved: nothing was signed or sent. A fee bump needs your approval: run this in a terminal to answer, or add --yes.')
    expect((await journal(jobId)).records.length).toBe(before)
    // Fees below the minimum replacement bump are refused as a usage error.
    expect((await runPrinted(bumpCommand, '--yes', '--max-fee-gwei', '0.000001')).code).toBe(2)

    // --yes: consent journaled, then the replacement (signed by the job's soft Ledger), sent, mined.
    const ok = await runPrinted(bumpCommand, '--yes', '--poll-seconds', '0.1', '--json')
    expect(ok.code, ok.stderr).toBe(0)
    const b = ok.json()
    expect(b).toMatchObject({ outcome: 'mined', mined: 'replacement', replaces: tx.hash, status: 'success' })
    expect(ok.stderr).toMatch(/max fee per gas: +[\d.]+ → [\d.]+ gwei/)
    const { records, state } = await journal(jobId)
    const tail = records.slice(before).map((x) => x.type)
    expect(tail).toEqual(['prompt.answered', 'tx.signed', 'tx.sent', 'tx.mined'])
    expect(records[before]).toMatchObject({ prompt: `replace:${tx.hash}`, answer: 'approve' })
    expect(state.txs.map((t) => [t.hash, t.status])).toEqual([[tx.hash, 'replaced'], [b.replacement, 'mined']])
    const replacement = parseTransaction(state.txs[1]!.raw)
    const original = parseTransaction(tx.raw)
    expect([replacement.nonce, replacement.to, replacement.value, replacement.data, replacement.gas]).toEqual([original.nonce, original.to, original.value, original.data, original.gas])
    expect(replacement.maxFeePerGas! * 100n).toBeGreaterThanOrEqual(original.maxFeePerGas! * 110n)
    // Mined once: one nonce used, the original never on chain.
    expect(await l1.getTransactionCount({ address: user })).toBe(tx.nonce + 1)
    expect(await l1.getTransactionReceipt({ hash: tx.hash }).catch(() => null)).toBeNull()
    // Bumping again: nothing live to bump.
    expect((await runPrinted(bumpCommand, '--yes')).stderr).toMatch(/already replaced by/)

    // The job continues from the replacement: the delayed message is read from it; then the force-inclusion wait.
    const next = await run(['jobs', 'resume', jobId, ...rpc(), '--poll-seconds', '0.1', '--json'])
    expect(next.code, next.stderr).toBe(0)
    expect(next.json()).toMatchObject({ outcome: 'paused', pause: { reason: 'deadline' } })
    const after = (await journal(jobId)).state
    expect(after.steps.find((s) => s.name === 'send-l2-message')?.result).toMatchObject({ l1TxHash: b.replacement })
    expect(after.steps.find((s) => s.name === 'track-message')?.status).toBe('completed')
  }, 240_000)

  it('the original is mined after the bump was sent (race): the job follows the original, the replacement is dropped', async () => {
    const { jobId, tx, user } = await stuckEscape(DEVNET_ROLES.user2, ['--signer', 'soft-ledger'])
    // Asked on a "terminal" first, the user says no: journaled as declined, nothing signed.
    const stdin = new PassThrough()
    const prompts: string[] = []
    const interactive = createJobsBumpFeeCommand({ askConsent: (q, signal) => (prompts.push(q), askYesNo(q, { input: stdin, output: new PassThrough(), signal })) })
    stdin.write('n\n')
    const declined = await interactive.run({ positionals: [jobId], options: { 'l1-rpc': [devnet.l1.rpcUrl] }, json: true, progress: () => undefined, dataDir: home, signal: new AbortController().signal })
    expect(declined.exitCode).toBe(1)
    expect(declined.json).toMatchObject({ outcome: 'declined', replaces: tx.hash })
    expect(prompts[0]).toMatch(/max network fee: .* ETH[\s\S]*Replace it, paying up to [\d.]+ ETH in network fees\?$/)
    expect((await journal(jobId)).state.prompts).toEqual({ [`replace:${tx.hash}`]: 'decline' })
    expect((await journal(jobId)).state.txs).toHaveLength(1)

    await automine(false)
    let bump
    try {
      // Receipts every second and a re-send every 5 s: the replacement is not re-sent while the test swaps it out.
      bump = run(['jobs', 'bump-fee', jobId, '--l1-rpc', devnet.l1.rpcUrl, '--yes', '--poll-seconds', '3', '--json'])
      const replacement = await until('replacement in the pool', async () => {
        const r = (await journal(jobId)).state.txs.find((t) => t.replaces === tx.hash && t.status === 'sent')
        return r && (await l1.getTransaction({ hash: r.hash }).catch(() => undefined)) ? r : undefined
      })
      // The replacement is lost (a node dropped it); fees fall; the original, re-broadcast by someone, is mined.
      await anvilRpc('anvil_dropTransaction', [replacement.hash])
      await feesFall()
      await anvilRpc('eth_sendRawTransaction', [tx.raw])
      await anvilRpc('evm_mine')
    } finally {
      await automine(true)
    }
    const done = await bump
    expect(done.code, done.stderr).toBe(0)
    expect(done.json()).toMatchObject({ outcome: 'mined', mined: 'original', minedTx: tx.hash, status: 'success' })
    const { state } = await journal(jobId)
    expect(state.txs.map((t) => [t.hash, t.status])).toEqual([[tx.hash, 'mined'], [done.json().replacement, 'dropped']])
    expect(await l1.getTransactionCount({ address: user })).toBe(tx.nonce + 1)

    // No unconfirmed transaction remains; the job continues from the original.
    const again = await run(['jobs', 'bump-fee', jobId, '--l1-rpc', devnet.l1.rpcUrl, '--yes'])
    expect(again.stderr).toMatch(/has no unconfirmed L1 transaction to bump/)
    const next = await run(['jobs', 'resume', jobId, ...rpc(), '--poll-seconds', '0.1', '--json'])
    expect(next.code, next.stderr).toBe(0)
    expect(next.json()).toMatchObject({ outcome: 'paused', pause: { reason: 'deadline' } })
    expect((await journal(jobId)).state.steps.find((s) => s.name === 'send-l2-message')?.result).toMatchObject({ l1TxHash: tx.hash })
  }, 240_000)

  it('air-gapped: the approved replacement is exported, signed offline, brought back with --signed; a wrong signed file is refused', async () => {
    const role = DEVNET_ROLES.user3
    const user = devnet.anvil.accounts[role]!.address as Address
    const exports = path.join(home, 'usb')
    const offline = path.join(home, 'offline')
    fs.mkdirSync(offline, { recursive: true })
    const signOffline = async (unsigned: string) => {
      const out = path.join(offline, path.basename(unsigned).replace('.unsigned.json', '.signed.json'))
      const s = await run(['sign-file', unsigned, '--out', out, '--network', networkFile, '--signer', 'drill-key', '--path', userPath(role), '--devnet-chain-id', '31337', '--devnet-chain-id', String(L2_CHAIN_ID)])
      expect(s.code, s.stderr).toBe(0)
      return out
    }
    let sendL2MessageSigned = ''
    const { jobId, tx } = await stuckEscape(role, ['--signer', 'file', '--from', user, '--export-dir', exports], async (id, pause) => {
      const l2Signed = await signOffline(pause.files[0])
      const r = await run(['jobs', 'resume', id, ...rpc(), '--poll-seconds', '0.1', '--signed', l2Signed, '--json'])
      expect(r.code, r.stderr).toBe(0)
      sendL2MessageSigned = await signOffline(r.json().pause.files[0])
      return ['jobs', 'resume', id, ...rpc(), '--poll-seconds', '0.1', '--signed', sendL2MessageSigned]
    })

    const resumed = await run(['jobs', 'resume', jobId, ...rpc(), '--poll-seconds', '0.1', '--json'])
    expect(resumed.json().outcome, resumed.stdout).toBe('stuck')
    const exported = await runPrinted(resumed.json().stuck[0].bumpFeeCommand, '--yes', '--json')
    expect(exported.code, exported.stderr).toBe(0)
    const e = exported.json()
    expect(e).toMatchObject({ outcome: 'exported', replaces: tx.hash })
    const file = parseUnsignedTxFile(fs.readFileSync(e.files[0], 'utf8'))
    expect(file.file.intent.summary).toMatch(new RegExp(`^FEE BUMP of ${tx.hash} \\(same nonce ${tx.nonce}, max fee per gas [\\d.]+ → [\\d.]+ gwei\\)\\. Put your signed`))
    expect(file.request).toMatchObject({ nonce: tx.nonce, maxFeePerGas: BigInt(e.proposal.new.maxFeePerGas) })
    expect(e.steps.at(-1)).toBe(`Then run: escape-hatch jobs bump-fee ${jobId} --tx ${tx.hash} --signed ${path.join(exports, path.basename(e.files[0]).replace('.unsigned.json', '.signed.json'))} --l1-rpc ${devnet.l1.rpcUrl}`)
    const { state: exportedState } = await journal(jobId)
    expect(exportedState.prompts[`replace:${tx.hash}`]).toBe('approve')
    expect(exportedState.files.at(-1)).toMatchObject({ path: e.files[0], purpose: `sign offline: fee bump of ${tx.hash}` })
    expect(exportedState.txs).toHaveLength(1)

    // The signed original (old fees) is not the exported replacement: refused, nothing sent.
    const wrong = await run(['jobs', 'bump-fee', jobId, '--tx', tx.hash, '--signed', sendL2MessageSigned, '--l1-rpc', devnet.l1.rpcUrl])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/The signed file .* was refused: The signed transaction does not match/)
    expect((await journal(jobId)).state.txs).toHaveLength(1)

    // The offline machine signs the export; brought back where the steps say; the printed command finishes.
    const signed = await signOffline(e.files[0])
    fs.copyFileSync(signed, path.join(exports, path.basename(signed)))
    const done = await runPrinted(e.steps.at(-1).replace(/^Then run: /, ''), '--poll-seconds', '0.1', '--json')
    expect(done.code, done.stderr).toBe(0)
    expect(done.json()).toMatchObject({ outcome: 'mined', mined: 'replacement', replaces: tx.hash, status: 'success' })
    const { state } = await journal(jobId)
    expect(state.txs.map((t) => t.status)).toEqual(['replaced', 'mined'])
    expect(state.txs[1]!.hash).toBe(done.json().replacement)

    const next = await run(['jobs', 'resume', jobId, ...rpc(), '--poll-seconds', '0.1', '--json'])
    expect(next.code, next.stderr).toBe(0)
    expect(next.json()).toMatchObject({ outcome: 'paused', pause: { reason: 'deadline' } })
  }, 300_000)
})

describe('escape-hatch jobs bump-fee when the chain moved on', () => {
  it('mined meanwhile: nothing is bumped, the receipt is journaled; nonce taken by someone else: refused, nothing signed', async () => {
    // Accounts 1 and 2 (the OP roles) are unused on an Arbitrum-only devnet: two more users.
    const mined = await stuckEscape(1, ['--signer', 'soft-ledger'])
    await feesFall()
    await anvilRpc('eth_sendRawTransaction', [mined.tx.raw]) // re-broadcast by anyone; automine includes it
    const r = await run(['jobs', 'bump-fee', mined.jobId, '--l1-rpc', devnet.l1.rpcUrl, '--yes', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json()).toMatchObject({ outcome: 'already-mined', minedTx: mined.tx.hash, status: 'success' })
    const state = (await journal(mined.jobId)).state
    expect(state.txs.map((t) => [t.hash, t.status])).toEqual([[mined.tx.hash, 'mined']])
    expect(state.prompts).toEqual({})

    const taken = await stuckEscape(2, ['--signer', 'soft-ledger'])
    await feesFall()
    const other = await DrillKey.signTransaction({ path: userPath(2), request: { type: 'eip1559', chainId: devnet.l1.chainId, nonce: taken.tx.nonce, gas: 21_000n, maxFeePerGas: parseGwei('5'), maxPriorityFeePerGas: parseGwei('1'), to: taken.user, value: 1n, data: '0x' } })
    await anvilRpc('eth_sendRawTransaction', [other.raw])
    const refused = await run(['jobs', 'bump-fee', taken.jobId, '--l1-rpc', devnet.l1.rpcUrl, '--yes'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(new RegExp(`Nonce ${taken.tx.nonce} of ${taken.user} is already used on L1, by none of this job's transactions; a fee bump cannot help\\. Next: Run escape-hatch jobs resume ${taken.jobId}`))
    expect((await journal(taken.jobId)).state.txs.map((t) => t.status)).toEqual(['sent'])
  }, 120_000)
})

describe('escape-hatch jobs resume --wait with a stuck L1 transaction', () => {
  it('says once that it is stuck, with the bump command, bumps nothing, and goes on when fees fall', async () => {
    const { jobId, tx } = await stuckEscape(DEVNET_ROLES.user4, ['--signer', 'soft-ledger'])
    const ctrlC = new AbortController()
    let stderr = ''
    const waiting = run(['jobs', 'resume', jobId, ...rpc(), '--wait', '--poll-seconds', '0.1'], ctrlC.signal, (t) => (stderr += t))
    const hint = `! L1 transaction ${tx.hash} (step send-l2-message) has waited at least 10 blocks`
    await until('the stuck hint', async () => (stderr.includes(hint) ? true : undefined))
    expect(stderr).toContain(`To replace it with a higher fee, stop this run (Ctrl-C) and run: escape-hatch jobs bump-fee ${jobId} --tx ${tx.hash} --l1-rpc ${devnet.l1.rpcUrl}`)
    // Fees fall: the journaled bytes, re-sent by the watch, are mined; the run goes on to the force-inclusion wait.
    await feesFall()
    const state = await until('the original mined', async () => {
      const s = (await journal(jobId)).state
      return s.steps.find((x) => x.name === 'wait-force-inclusion')?.status === 'started' ? s : undefined
    })
    ctrlC.abort()
    expect((await waiting).code).toBe(130)
    expect(stderr.split(hint).length - 1).toBe(1)
    expect(state.txs.map((t) => [t.hash, t.status])).toEqual([[tx.hash, 'mined']])
    expect(state.prompts).toEqual({})
  }, 120_000)
})

describe('askYesNo', () => {
  it('only y or yes approves; Enter, anything else or end of input declines', async () => {
    const ask = async (input: string | null) => {
      const stdin = new PassThrough()
      const output = new PassThrough()
      let shown = ''
      output.on('data', (d: Buffer) => (shown += d.toString()))
      const answer = askYesNo('Replace it?', { input: stdin, output })
      if (input === null) stdin.end()
      else stdin.write(input)
      const result = await answer
      expect(shown).toBe('Replace it? [y/N] ')
      return result
    }
    expect(await ask('y\n')).toBe(true)
    expect(await ask(' YES \n')).toBe(true)
    expect(await ask('\n')).toBe(false)
    expect(await ask('no\n')).toBe(false)
    expect(await ask('yep\n')).toBe(false)
    expect(await ask(null)).toBe(false)
  })
})
