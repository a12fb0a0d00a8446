/**
 * The OP Stack drill from the window, end to end: Debian Chromium through the loopback bridge to the real services,
 * which run the real OP drill (anvil L1 with the OP contracts, the devnet OP L2 whose sequencer drops the user's
 * transactions, the journaled OP escape with the software Ledger, time travel through the game clock and the proof
 * delays). Chosen on the Drill screen with the keyboard; the steps arrive live in plain words; the PASSED result with
 * the ETH and WETH taken out, the output root matched; the report saved as HTML; the drill listed; no anvil left.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OpDrillReportView } from '../shared/ipc/drillSchemas'
import { OP_ESCAPE_STEPS } from '../electron/services/flows/op/opEscapeJob'
import { findChildAnvils } from '../electron/services/drill/test-support/findChildAnvils'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'

let app: AppUnderTest

beforeAll(async () => {
  app = await startAppUnderTest()
  fs.mkdirSync(artifactsDir, { recursive: true })
})
afterAll(async () => {
  await app?.services.drill.stop()
  await app?.stop()
  expect(findChildAnvils()).toEqual([])
})

describe('OP Stack drill in the window', () => {
  it('runs the censored OP drill chosen on the Drill screen, live, and ends PASSED with the output root matched', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/drill`)
    await page.getByRole('heading', { level: 1, name: 'Practise an escape with a drill' }).waitFor()
    const choice = page.getByRole('radio', { name: 'OP Stack: censored by the sequencer' })
    await choice.focus()
    await page.keyboard.press('Space')
    expect(await choice.isChecked()).toBe(true)
    expect(await page.locator(`#${await choice.getAttribute('aria-describedby')}`).innerText()).toContain('proving against a proposer’s dispute game')
    await page.getByRole('button', { name: 'Start drill' }).focus()
    await page.keyboard.press('Enter')

    await page.getByText('OP Stack: censored by the sequencer', { exact: true }).and(page.locator('.drill-kind')).waitFor()
    const steps = page.getByRole('region', { name: 'Steps' }).getByRole('listitem')
    // The OP plan in plain words: setup, the ten escape steps, the checks.
    await expect.poll(() => steps.count()).toBe(OP_ESCAPE_STEPS.length + 2)
    expect(await steps.nth(2).innerText()).toContain('Force the withdrawal through L1 (a deposit)')
    await page.getByText(/^Drill (PASSED|FAILED)/).waitFor({ timeout: 280_000 })
    const run = app.services.drill.status().run!
    expect(run, JSON.stringify(run.report?.error ?? run.error)).toMatchObject({ stack: 'op', scenario: 'censored', status: 'passed' })
    const report = run.report as OpDrillReportView
    // The status can show before the report reaches the window (then without its duration): wait for the full line.
    await page.getByText(/^Drill PASSED in [\d.]+ s: every check passed\.$/).waitFor({ timeout: 15_000 })
    for (const text of await steps.allInnerTexts()) expect(text).toMatch(/Done\s*[\d.]+ (ms|s)$/)

    // What it took out, in ETH (the exact wei on hover).
    const amounts = page.locator('.drill-amounts')
    expect(await amounts.innerText()).toContain('Taken out to L1: 1 ETH and 0.5 WETH')
    expect(await amounts.getByText('0.5 WETH').getAttribute('title')).toBe('500,000,000,000,000,000 wei')
    // The output root of the game the proofs stand on, equal to the test chain's own.
    const root = page.getByRole('region', { name: 'Output root' })
    expect(await root.innerText()).toContain(report.roots.gameRootClaim!)
    expect(await root.getByText('Matched', { exact: true }).count()).toBe(1)
    const txs = page.getByRole('region', { name: 'Transactions' })
    for (const tx of report.transactions) expect(await txs.getByText(tx.hash, { exact: true }).count()).toBe(1)
    expect(await txs.getByRole('row', { name: /Your WETH withdrawal on L2/ }).count()).toBe(1)
    const checks = await page.getByRole('region', { name: 'Checks' }).getByRole('listitem').allInnerTexts()
    expect(checks.join('\n')).not.toContain('FAIL')
    expect(checks).toContainEqual(expect.stringMatching(/^ok\s+no nonce signed twice/))
    await page.screenshot({ path: path.join(artifactsDir, 'drill-op.png'), fullPage: true })
    expect(findChildAnvils()).toEqual([])
  }, 300_000)

  it('saves the OP report as HTML (plain step names, local dates, ETH amounts) and lists the drill', async () => {
    const { page } = app
    const run = app.services.drill.status().run!
    await page.getByRole('button', { name: /^Save report/ }).first().click()
    const saved = page.locator('.drill-run .drill-saved-path')
    await saved.waitFor()
    const html = fs.readFileSync(await saved.innerText(), 'utf8')
    expect(html).toContain('Escape Hatch drill — OP Stack, censored: <span class="ok">PASSED</span>')
    expect(html).toContain('withdrew 1 ETH (1000000000000000000 wei) and 0.5 WETH (500000000000000000 wei) while the sequencer censored them')
    expect(html).toContain('<td title="send-forced-withdrawal">Force the withdrawal through L1 (a deposit)</td>')
    expect(html).toMatch(/Started [^<]*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    // URLs cut to their host.
    expect(html).not.toMatch(/https?:\/\/127\.0\.0\.1:\d+\/\S/)

    // Saved where the user chooses (behind the bridge: a typed path, checked by main); a folder is refused.
    await page.getByRole('button', { name: 'Save report as…' }).click()
    const field = page.getByLabel(/^Save the report to/)
    await field.fill(app.home)
    await page.getByRole('button', { name: 'Save here' }).click()
    await page.getByRole('alert', { name: 'The report cannot be saved there: that is a folder, not a file.' }).waitFor()
    const chosen = path.join(app.home, 'my OP drill.html')
    await field.fill(chosen)
    await page.getByRole('button', { name: 'Save here' }).click()
    await expect.poll(() => saved.innerText()).toBe(chosen)
    expect(fs.readFileSync(chosen, 'utf8')).toBe(html)

    const past = page.getByRole('region', { name: 'Past drills' }).getByRole('listitem')
    await expect.poll(() => past.count()).toBe(1)
    const line = await past.first().innerText()
    expect(line).toContain('OP Stack: censored by the sequencer')
    expect(line).toMatch(/PASSED[\s\S]*\(shown above\)[\s\S]*checks passed · output root matched/)
    expect(run.drillId).toMatch(/^op-drill-censored-/)
  })

  it('made no request that left loopback, and logged no errors', () => {
    expect(app.offLoopback).toEqual([])
    // The refused folder above is an answer the page shows, not a page error.
    expect(app.pageErrors.filter((e) => !/cannot be saved there/.test(e))).toEqual([])
  })
})
