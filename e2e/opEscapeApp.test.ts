/**
 * The whole OP Stack escape from the window, end to end, through the loopback bridge and the real services, against
 * the real devnet with its OP L2 (`escape-hatch devnet up --stack op`, the sequencer censoring the user): the wizard
 * (devnet-op from the registry, Base listed with its "not supported for proving" fact, the proof source rebuilt from
 * L1 with the devnet's genesis, ETH and the devnet's standard-bridge WETH with their balances, the L1-sender rule, the
 * software Ledger), the OP cost preview (deposits now, prove, resolve, finalize, the game bond), then the job run by
 * main on the job engine, paused at each window with its reason and date and resumed with the job's next-action
 * button after time travel, until the funds are on L1: the user's L1 WETH rises by the amount, and ETH by the amount
 * minus exactly what the job's L1 transactions cost (gas and bond). Then the support diagnosis of the user's address on
 * devnet-op, mid-way (proven, waiting: stage, blocker, next action, dates) and at the end (paid out), through an L1
 * and an L2 endpoint whose API key sits in the URL path: the key is never on screen nor in the reports, saved where
 * the user typed (the bridge has no save dialog), which name the tx hashes, the withdrawal hashes, the proofs and
 * the output roots they were proven against.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { erc20Abi, parseEther, type Address, type Hex } from 'viem'
import { devnetPublicClient, devnetWalletClient } from '../electron/devnet/devnetClients'
import { privateKeyToAccount } from 'viem/accounts'
import { l1StandardBridgeAbi } from '../contracts-abi/op-stack/L1StandardBridge'
import { optimismPortal2Abi } from '../contracts-abi/op-stack/OptimismPortal2'
import { weth98Abi } from '../contracts-abi/op-stack/WETH98'
import { DEVNET_USER, DEVNET_USER_PATH, rpc } from './support/arbitrumDevnetProcess'
import { startOpDevnetProcess, type OpDevnetProcess } from './support/opDevnetProcess'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'
import { startKeyedRpcProxy, type KeyedRpcProxy } from './support/keyedRpcProxy'

const USER = DEVNET_USER
/** anvil account 6 of the public test mnemonic (the devnet's user1): funds itself on L2 before the escape. */
const USER_KEY: Hex = '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e'

let app: AppUnderTest
let devnet: OpDevnetProcess | undefined
let proxy: KeyedRpcProxy | undefined
const API_KEY = 'SECRETKEY123opdiag'

const l1 = () => devnetPublicClient(devnet!.l1Url)
const l2 = () => devnetPublicClient(devnet!.l2Url)

async function sendL1(to: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], value = 0n): Promise<void> {
  const wallet = devnetWalletClient(devnet!.l1Url, privateKeyToAccount(USER_KEY))
  const hash = await wallet.writeContract({ address: to, abi: abi as never, functionName, args, value, chain: null } as never)
  const receipt = await l1().waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`${functionName} reverted`)
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await read().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

beforeAll(async () => {
  app = await startAppUnderTest()
  fs.mkdirSync(artifactsDir, { recursive: true })
  devnet = await startOpDevnetProcess(app.home, USER)
  // The user funds themself on L2 from L1 (deposits: the censoring sequencer cannot leave them out): 2 ETH, 1 WETH.
  // The token first: deposits reach L2 in L1 order, so once the ETH is there the WETH is too (the devnet's L2 node
  // answers no eth_call to read a token balance).
  const c = devnet.contracts
  await sendL1(devnet.l1Token, weth98Abi, 'deposit', [], parseEther('1'))
  await sendL1(devnet.l1Token, weth98Abi, 'approve', [c.l1StandardBridge, parseEther('1')])
  await sendL1(c.l1StandardBridge, l1StandardBridgeAbi, 'depositERC20', [devnet.l1Token, devnet.l2Token, parseEther('1'), 200_000, '0x'])
  await sendL1(c.optimismPortal, optimismPortal2Abi, 'depositTransaction', [USER, 0n, 100_000n, false, '0x'], parseEther('2'))
  // L1 moves on (one block per poll, as it would by itself on a real L1); the OP L2 follows it.
  await until('the deposits on L2', async () => {
    if ((await l2().getBalance({ address: USER })) >= parseEther('2')) return true
    await rpc(devnet!.l1Url, 'anvil_mine', ['0x1', '0x2'])
    return undefined
  }, 90_000).catch(async (error: unknown) => {
    throw new Error(`${String(error)}; L1 block ${await l1().getBlockNumber()}, L2 block ${await l2().getBlockNumber().catch(String)}; devnet: ${devnet!.log().slice(-1500)}`)
  })
  // From here L1 makes a block every second, as a real L1 does by itself (anvil otherwise mines only on a
  // transaction): the job's short waits (a few blocks, under a minute) poll L1 and need it to move.
  await rpc(devnet.l1Url, 'evm_setIntervalMining', [1])
  proxy = await startKeyedRpcProxy({ [`/v2/${API_KEY}`]: devnet.l1Url, [`/v2/${API_KEY}/l2`]: devnet.l2Url })
}, 240_000)

afterAll(async () => {
  await proxy?.close()
  await devnet?.stop()
  await app?.stop()
})

describe('the OP Stack escape in the window', () => {
  let jobId = ''
  const before = { eth: 0n, weth: 0n }

  it('plans an OP escape in the wizard: source, assets with balances, the L1-sender rule, and the cost with the bond', async () => {
    const { page } = app
    await page.goto(app.bridge.url)
    await page.getByRole('region', { name: 'Get my funds out' }).getByRole('link', { name: 'Get my funds out' }).click()
    await page.getByRole('heading', { level: 1, name: 'Get my funds out' }).waitFor()

    const network = page.getByLabel('Which chain are your funds on?')
    await expect.poll(() => network.locator('option[value="devnet-op"]').count()).toBe(1)
    expect(await network.locator('option[value="op-mainnet"]').isDisabled()).toBe(false)
    // Base is listed, never as available, with its plain support fact.
    expect(await network.locator('option[value="base"]').isDisabled()).toBe(true)
    expect(await page.getByRole('list', { name: 'Networks not supported' }).innerText()).toContain('Base: Since Azul (2026-05-28) Base proves withdrawals with its own contracts')
    await network.selectOption('devnet-op')

    const l1Input = page.getByLabel('L1 RPC address')
    await l1Input.fill(devnet!.l1Url)
    await page.getByRole('button', { name: 'Add L1 endpoint' }).click()
    await page.getByRole('textbox', { name: 'L2 node (optional)' }).fill(devnet!.l2Url)
    // The two sources, each with what it is trusted for; rebuilding from L1 (the devnet's own genesis) is the default.
    const source = page.getByRole('group', { name: 'Where the withdrawal’s proof comes from' })
    expect(await source.innerText()).toContain('nothing from the L2 operator is trusted')
    expect(await source.innerText()).toContain('trusted for nothing: its block and proofs are checked against a dispute game’s root claim on L1')
    expect(await source.getByRole('radio', { name: /Rebuild from L1/ }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Check connections' }).click()
    await page.getByText(/^One L1 endpoint on Devnet L1 \(anvil on this computer\) \(head \d+\)/).waitFor({ timeout: 30_000 })

    // No air-gapped signer for the OP escape; the software Ledger (a devnet).
    expect(await page.getByRole('radio', { name: /Air-gapped computer/ }).count()).toBe(0)
    await page.getByRole('radio', { name: /Software Ledger \(practice only\)/ }).check()
    await page.getByLabel('Account (derivation path)').fill(DEVNET_USER_PATH)
    await page.getByRole('button', { name: 'Read my account' }).click()
    await page.getByRole('definition').filter({ hasText: USER }).waitFor({ timeout: 30_000 })
    expect(await page.locator('dl[aria-label="Your account"] dd').nth(2).innerText()).toMatch(/^2(\.\d+)? ETH/)

    await page.getByLabel('Amount in ETH').fill('1')
    // The rule for OP forced withdrawals: the L2 sender is the user's own L1 address.
    expect(await page.getByText('so that same address is the sender on L2', { exact: false }).count()).toBe(1)
    await page.getByLabel('L1 token address').fill(devnet!.l1Token)
    await page.getByLabel('L2 token address').fill(devnet!.l2Token)
    await page.getByRole('button', { name: 'Add token' }).click()
    const tokens = page.getByRole('list', { name: 'Tokens to take out' })
    await tokens.waitFor({ timeout: 30_000 })
    // Its L1 balance (agreed by L1); the devnet's L2 node answers no eth_call, and the wizard says so instead of guessing.
    expect(await tokens.innerText()).toMatch(/0 WETH on L1/)
    expect(await tokens.innerText()).toContain('The L2 node does not answer contract calls (eth_call), so the L2 balance of this token is unknown.')
    await tokens.getByLabel('Amount of WETH').fill('0.5')
    await page.screenshot({ path: path.join(artifactsDir, 'op-escape-wizard.png'), fullPage: true })

    before.eth = await l1().getBalance({ address: USER })
    before.weth = await l1().readContract({ address: devnet!.l1Token, abi: erc20Abi, functionName: 'balanceOf', args: [USER] })
    await page.getByRole('button', { name: 'Show the cost' }).click()
    const preview = page.getByRole('region', { name: '5. The cost, before anything is signed' })
    await preview.waitFor({ timeout: 60_000 })
    const rows = await preview.getByRole('row').allInnerTexts()
    expect(rows).toHaveLength(7) // header, two deposits, create game, prove, resolve, finalize
    expect(rows[1]).toMatch(/Force the withdrawal of 1 ETH through L1[\s\S]*now/)
    expect(rows[2]).toMatch(/Force the withdrawal of 0\.5 WETH through L1[\s\S]*now/)
    expect(rows[3]).toMatch(/Create a dispute game with the app’s own output root/)
    expect(rows[4]).toMatch(/Prove the 2 withdrawals on L1/)
    expect(rows[5]).toMatch(/Resolve the dispute game/)
    expect(rows[6]).toMatch(/Finalize: the funds reach/)
    const bond = preview.locator('dl[aria-label="Totals"] dd').nth(2)
    expect(await bond.innerText()).toMatch(/ETH/)
    expect(await bond.locator('.eth').getAttribute('title')).toMatch(/^[1-9][\d,]* wei$/)
    expect(await preview.innerText()).toContain('Proof source: rebuilt from L1.')
    expect(await preview.innerText()).toContain('none (the L1 deposit buys the L2 gas)')
    await preview.screenshot({ path: path.join(artifactsDir, 'op-cost-preview.png') })
    expect(fs.existsSync(app.jobsDir) ? fs.readdirSync(app.jobsDir).filter((f) => f.endsWith('.jsonl')) : []).toEqual([]) // nothing journaled by a preview

    await preview.getByRole('button', { name: 'Start the escape' }).click()
    await page.waitForURL(/#\/jobs\/op-escape-/, { timeout: 60_000 })
    jobId = decodeURIComponent(new URL(page.url()).hash.replace('#/jobs/', ''))
  }, 240_000)

  /** Wait for the run going on (if any) to end; then the job's header status. */
  async function runEnds(): Promise<string> {
    const { page } = app
    const log = () => page.getByRole('log', { name: 'Progress of this run' }).innerText().catch(() => '')
    await page
      .getByRole('region', { name: 'Next' })
      .getByRole('button', { name: 'Pause' })
      .waitFor({ state: 'detached', timeout: 240_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error).split('\n')[0]}; the run's progress: ${(await log()).slice(-3000)}`)
      })
    const status = page.locator('.job-header .status')
    await expect.poll(() => status.innerText(), { timeout: 60_000, interval: 500 }).toMatch(/^(Paused|Done|Failed|Not running)$/)
    const now = await status.innerText()
    if (now !== 'Paused' && now !== 'Done') throw new Error(`The job stopped (${now}): ${await log()}`)
    return now
  }

  /** A paused job reads as paused, with its reason and a date (local; UTC on hover), never "in progress". */
  async function expectPausedWithDate(): Promise<void> {
    const { page } = app
    const paused = page.getByRole('region', { name: 'Where your withdrawal is' }).getByRole('listitem').filter({ hasText: 'Paused' })
    expect(await paused.count()).toBe(1)
    expect(await paused.locator('.timeline-date time').getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
    expect(await page.getByRole('region', { name: 'Steps' }).innerText()).not.toContain('In progress')
  }

  /** Time travel past the window (the devnet's longest is 600 s: 64 L1 blocks of 12 s; the OP L2 follows), then the job's one button. */
  async function travelAndResume(): Promise<void> {
    const { page } = app
    await rpc(devnet!.l1Url, 'anvil_mine', ['0x40', '0xc'])
    await page.getByRole('region', { name: 'Next' }).getByRole('button', { name: /^Resume/ }).click()
    await page.getByRole('region', { name: 'Next' }).getByRole('button', { name: 'Pause' }).waitFor({ timeout: 15_000 }).catch(() => undefined)
  }

  const stageText = () => app.page.getByRole('region', { name: 'Where your withdrawal is' }).innerText()

  /** The job's L1 transactions, as its journal recorded them mined. */
  function minedHashes(): Hex[] {
    const journal = fs.readdirSync(app.jobsDir).filter((f) => f.endsWith('.jsonl')).map((f) => fs.readFileSync(path.join(app.jobsDir, f), 'utf8')).join('\n')
    return [...new Set(journal.split('\n').filter((l) => l.includes('"type":"tx.mined"')).map((l) => /"hash":"(0x[0-9a-fA-F]{64})"/.exec(l)?.[1] as Hex))]
  }

  /** The key is nowhere on the page: not in its text or attributes, not in any input a user can read (password fields hold what was typed). */
  async function expectNoKeyOnScreen(): Promise<void> {
    const { page } = app
    const content = await page.content()
    const at = content.indexOf(API_KEY)
    expect(at < 0 ? '' : content.slice(Math.max(0, at - 300), at + 100)).toBe('')
    expect(await page.locator('body').innerText()).not.toContain(API_KEY)
    for (const input of await page.locator('input:not([type="password"]), textarea').all()) expect(await input.inputValue()).not.toContain(API_KEY)
  }

  /** Diagnose the user's address on devnet-op (a fresh screen), through the keyed L1 and L2 endpoints; the result's region. */
  async function diagnose() {
    const { page } = app
    await page.goto(`${app.bridge.url}#/diagnosis`)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Where does a withdrawal stand?' }).waitFor()
    await expect.poll(() => page.getByLabel('Network').locator('option[value="devnet-op"]').count()).toBe(1)
    await page.getByLabel('Network').selectOption('devnet-op')
    await page.getByLabel('Address or transaction hash').fill(USER)
    await page.getByLabel('L1 RPC address').fill(proxy!.url(`/v2/${API_KEY}`))
    await page.getByRole('button', { name: 'Add L1 endpoint' }).click()
    await page.getByLabel(/^L2 node/).fill(proxy!.url(`/v2/${API_KEY}/l2`))
    await page.getByRole('button', { name: 'Diagnose' }).click()
    const result = page.getByRole('region', { name: new RegExp(`Devnet OP Stack: ${USER}`) })
    const failed = page.locator('.error-panel')
    await result.or(failed).first().waitFor({ timeout: 150_000 })
    if (await failed.count()) throw new Error(`The diagnosis failed: ${await failed.first().innerText()}`)
    expect(await result.innerText()).toMatch(/Sources: http:\/\/127\.0\.0\.1:\d+; L2 node http:\/\/127\.0\.0\.1:\d+\./)
    await expectNoKeyOnScreen()
    return result
  }

  /** "Save report as…" with a typed path (the bridge has no save dialog): the HTML and the JSON beside it, free of the key. */
  async function saveAs(region: ReturnType<typeof app.page.getByRole>, name: string, savedPath: string): Promise<{ html: string; json: string }> {
    const dir = path.join(app.home, 'for-support')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, name)
    await region.getByRole('button', { name: 'Save report as…' }).click()
    await region.getByLabel(/^Save the report to/).fill(file)
    await region.getByRole('button', { name: 'Save here' }).click()
    await region.locator(savedPath).waitFor({ timeout: 30_000 })
    expect(await region.locator(savedPath).innerText()).toBe(file)
    const html = fs.readFileSync(file, 'utf8')
    const json = fs.readFileSync(file.replace(/\.html$/, '.json'), 'utf8')
    for (const content of [html, json]) {
      expect(content).not.toContain(API_KEY)
      expect(content).not.toContain('/v2/')
    }
    return { html, json }
  }

  interface DiagnosisJson { schema: string; address: string; exits: { stage: string; facts: Record<string, string> }[] }

  /** The report names, for each exit, its L1 tx hash (one the job sent), its withdrawal hash, its proof and the output root proven against. */
  function expectNamesHashesProofsRoots(report: DiagnosisJson, html: string): void {
    expect(report).toMatchObject({ schema: 'escape-hatch-diagnosis/v1', address: USER })
    expect(report.exits).toHaveLength(2)
    const mined = minedHashes().map((h) => h.toLowerCase())
    for (const exit of report.exits) {
      const f = exit.facts
      expect(mined).toContain(f.l1Transaction?.toLowerCase())
      expect(f.withdrawalHash).toMatch(/^0x[0-9a-f]{64}$/)
      expect(f.proof1).toMatch(new RegExp(`^by ${USER} at \\d{4}-.*against dispute game 0x[0-9a-fA-F]{40} \\(type \\d+, `))
      expect(f.proof1OutputRoot).toMatch(/^0x[0-9a-f]{64} \(L2 block \d+\)$/)
      for (const v of [f.l1Transaction!, f.l2Transaction!, f.withdrawalHash!, f.proof1OutputRoot!.slice(0, 66)]) expect(html).toContain(v)
    }
  }

  it('runs the job in main and stops at its first window, shown as paused with the reason and the date', async () => {
    await app.page.getByRole('region', { name: 'Where your withdrawal is' }).waitFor()
    expect(await runEnds()).toBe('Paused')
    await expectPausedWithDate()
    expect(await stageText()).toMatch(/Withdrawal forced through L1[^\n]*\n\s*Done/)
  }, 290_000)

  it('resumes after time travel until the withdrawals are proven on L1', async () => {
    for (let i = 0; !/Proven on L1\s*Done/.test(await stageText()); i++) {
      expect(i).toBeLessThan(4)
      await travelAndResume()
      if ((await runEnds()) === 'Done') break
      await expectPausedWithDate()
    }
    await app.page.screenshot({ path: path.join(artifactsDir, 'op-job-timeline.png'), fullPage: true })
  }, 290_000)

  it('diagnoses the address mid-way (proven, waiting): stage, blocker, next action, dates; the report saved as… names roots, proofs and tx hashes, no key', async () => {
    const { page } = app
    const result = await diagnose()
    await page.screenshot({ path: path.join(artifactsDir, 'diagnosis-op.png'), fullPage: true })
    const text = await result.innerText()
    const stages = [...text.matchAll(/Stage: (.+)/g)].map((m) => m[1])
    expect(stages).toHaveLength(2)
    for (const stage of stages) expect(stage).toMatch(/^(Proven; the dispute game’s clock is running|Proven; the dispute game can be resolved now|Waiting for the proof maturity and the finality delay)$/)
    expect(text).toContain('What blocks it:')
    expect(text).not.toContain('Next: nothing')
    // Dates in local time, UTC on hover.
    expect(await result.locator('.diagnosis-exit time').count()).toBeGreaterThanOrEqual(2)
    expect(await result.locator('.diagnosis-exit time').first().getAttribute('title')).toMatch(/UTC$/)

    const { html, json } = await saveAs(result, 'diagnosis-op-midway.html', '.report-path')
    const report = JSON.parse(json) as DiagnosisJson
    expectNamesHashesProofsRoots(report, html)
    for (const exit of report.exits) expect(exit.facts.finalizedOnL1).toBe('no')
    expect(html).toContain('What blocks it:')
    await expectNoKeyOnScreen()

    // Back to the job, where it waits.
    await page.goto(`${app.bridge.url}#/jobs/${encodeURIComponent(jobId)}`)
    await page.getByRole('region', { name: 'Where your withdrawal is' }).waitFor({ timeout: 30_000 })
  }, 240_000)

  it('resumes through the game clock, proof maturity and the airgap until finalized', async () => {
    for (let i = 0; (await app.page.locator('.job-header .status').innerText()) !== 'Done'; i++) {
      expect(i).toBeLessThan(4)
      await travelAndResume()
      if ((await runEnds()) === 'Paused') await expectPausedWithDate()
    }
    const stages = await app.page.getByRole('region', { name: 'Where your withdrawal is' }).getByRole('listitem').allInnerTexts()
    expect(stages.map((s) => s.split('\n')[0])).toEqual([
      'Withdrawal forced through L1 (a deposit to the L2 message passer)',
      'Included on L2 (the deposit is derived from L1)',
      'In an output root on L1 (a dispute game)',
      'Proven on L1',
      'Matured (game resolved, proof delay and airgap over)',
      'Finalized: paid out to you on L1',
    ])
    for (const s of stages) expect(s).toMatch(/Done/)
    expect(jobId).toMatch(/^op-escape-/)
  }, 290_000)

  it('left the funds on L1: WETH up by the amount, ETH up by the amount minus exactly what the job’s transactions cost', async () => {
    const journal = fs.readdirSync(app.jobsDir).filter((f) => f.endsWith('.jsonl')).map((f) => fs.readFileSync(path.join(app.jobsDir, f), 'utf8')).join('\n')
    const mined = [...new Set(journal.split('\n').filter((l) => l.includes('"type":"tx.mined"')).map((l) => /"hash":"(0x[0-9a-fA-F]{64})"/.exec(l)?.[1] as Hex))]
    expect(mined.length).toBeGreaterThanOrEqual(5) // 2 deposits, prove, finalize ×2 (+ create game, resolve)
    let spent = 0n
    for (const hash of mined) {
      const [receipt, tx] = await Promise.all([l1().getTransactionReceipt({ hash }), l1().getTransaction({ hash })])
      expect(receipt.status).toBe('success')
      spent += receipt.gasUsed * receipt.effectiveGasPrice + tx.value
    }
    const eth = await l1().getBalance({ address: USER })
    const weth = await l1().readContract({ address: devnet!.l1Token, abi: erc20Abi, functionName: 'balanceOf', args: [USER] })
    expect(weth - before.weth).toBe(parseEther('0.5'))
    expect(eth - before.eth).toBe(parseEther('1') - spent)
  })

  it('diagnoses the address once paid out, and saves the job’s report where the user typed, without the key', async () => {
    const { page } = app
    const result = await diagnose()
    const text = await result.innerText()
    expect([...text.matchAll(/Stage: (.+)/g)].map((m) => m[1])).toEqual(['Paid out on L1', 'Paid out on L1'])
    expect(text.match(/Next: nothing: this one is done\./g)).toHaveLength(2)
    const { html, json } = await saveAs(result, 'diagnosis-op-final.html', '.report-path')
    const report = JSON.parse(json) as DiagnosisJson
    expectNamesHashesProofsRoots(report, html)
    for (const exit of report.exits) expect(exit.facts.finalizedOnL1).toBe('yes')

    await page.goto(`${app.bridge.url}#/jobs/${encodeURIComponent(jobId)}`)
    const jobReport = page.getByRole('region', { name: 'Report' })
    await jobReport.waitFor({ timeout: 30_000 })
    const saved = await saveAs(jobReport, 'my-op-escape.html', '.job-report-path')
    expect(JSON.parse(saved.json)).toMatchObject({ schema: 'escape-hatch-job-report/v1', job: { id: jobId } })
    for (const hash of minedHashes()) expect(saved.html.toLowerCase()).toContain(hash.toLowerCase())
    await expectNoKeyOnScreen()
  }, 240_000)

  it('made no request that left loopback, and logged no page errors', () => {
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors).toEqual([])
  })
})
