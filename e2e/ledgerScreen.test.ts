/**
 * The Ledger screen, end to end: Chromium through the loopback bridge, the real services, the real devnet
 * (`escape-hatch devnet up --stack arbitrum`, its sequencer censoring the user) and the software Ledger under the
 * unmodified hw-app-eth. The test holds the software Ledger object (passed to the services in this process, as
 * startIpcServices' test-only `softLedger`): it switches the device's state the way a user would on the device —
 * nothing in the app's IPC can.
 *
 * Connect (blind signing off: the instruction says to enable it), the accounts on Ledger Live paths and a custom path
 * with their ETH on L1, the account taken into the wizard; the escape started; its first signature refused because
 * blind signing is off (instruction), then because the device is locked (instruction); fixed, "Try again" runs the
 * job again and the screen shows, while the device waits for approval, the decoded call and the hash the device
 * shows — the very hash the software Ledger displays; approved, the escape goes on to its force-inclusion wait.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SoftLedgerDevice, type SoftLedgerPrompt } from '../electron/services/signers/soft-ledger/SoftLedgerTransport'
import { DrillKeySigner } from '../electron/services/signers/drill-key/DrillKeySigner'
import { buildSignedTxFile } from '../shared/signing/buildSignedTxFile'
import { parseUnsignedTxFile } from '../shared/signing/buildUnsignedTxFile'
import { signingHashOf } from '../shared/signing/unsignedTxRequest'
import { rpc, startArbitrumDevnetProcess, type ArbitrumDevnetProcess } from './support/arbitrumDevnetProcess'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'

/** anvil account 6 of the test mnemonic: the devnet's user1, censored by the devnet sequencer. */
const USER = '0x976EA74026E726554dB657fA54763abd0C3a0aa9'
const USER_PATH = "44'/60'/0'/0/6"

const ledger = new SoftLedgerDevice({ faults: { blindSigning: false } })
let app: AppUnderTest
let devnet: ArbitrumDevnetProcess | undefined
let l1Url = ''

beforeAll(async () => {
  app = await startAppUnderTest(undefined, { softLedger: ledger })
  fs.mkdirSync(artifactsDir, { recursive: true })
  devnet = await startArbitrumDevnetProcess(app.home, USER)
  l1Url = devnet.l1Url
  await rpc(devnet.l2Url, 'devnet_fund', [USER, '2000000000000000000'])
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
  await app?.stop()
})

describe('the Ledger screen', () => {
  it('connects, says to enable blind signing, lists accounts with their ETH on L1, and hands the chosen one to the wizard', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/escape`)
    const network = page.getByLabel('Which chain are your funds on?')
    await expect.poll(() => network.locator('option[value="devnet-arbitrum"]').count()).toBe(1)
    await network.selectOption('devnet-arbitrum')
    await page.getByLabel('L1 RPC address').fill(l1Url)
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Check connections' }).click()
    await page.getByRole('radio', { name: /Software Ledger \(practice only\)/ }).check({ timeout: 30_000 })
    await page.getByRole('link', { name: 'Choose it on the Ledger screen' }).click()

    await page.getByRole('heading', { level: 1, name: 'Your Ledger' }).waitFor()
    expect(await page.getByRole('radio', { name: 'Software Ledger (practice only)' }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Connect' }).click()
    const deviceCard = page.getByRole('region', { name: '1. The device' })
    const instruction = deviceCard.getByRole('alert')
    await instruction.getByRole('heading', { name: 'Enable blind signing in the Ethereum app’s Settings.' }).waitFor({ timeout: 30_000 })
    expect(await instruction.getByRole('button').innerText()).toBe('Try again')

    // Ledger Live accounts (44'/60'/x'/0/0), each with its ETH on the devnet L1, agreed at a pinned block.
    const accounts = page.getByRole('table', { name: 'Accounts on this Ledger' })
    await accounts.waitFor({ timeout: 30_000 })
    const rows = accounts.getByRole('row')
    expect(await rows.count()).toBe(6)
    expect(await rows.nth(1).innerText()).toMatch(/44'\/60'\/0'\/0\/0\s+0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\s+[\d.,]+ ETH/)
    expect(await rows.nth(2).innerText()).toContain("44'/60'/1'/0/0")
    await page.getByText(/^Balances at Devnet L1 \(anvil on this computer\) block \d+, agreed by http:\/\/127\.0\.0\.1:\d+\.$/).waitFor()

    // A custom path: a typo is refused in plain words, then the right one reads the user's account and its balance.
    await page.getByLabel('Derivation path').selectOption('custom')
    const custom = page.getByLabel('Custom path')
    await custom.fill("44'/60'/0'/O/6")
    await page.getByRole('button', { name: 'Read this account' }).click()
    await page.getByText('"O" is not a level of a path.', { exact: false }).waitFor()
    await custom.fill(USER_PATH)
    await page.getByRole('button', { name: 'Read this account' }).click()
    const userRow = accounts.getByRole('row').filter({ hasText: USER })
    await userRow.waitFor({ timeout: 30_000 })
    const balance = BigInt((await rpc(l1Url, 'eth_getBalance', [USER, 'latest'])) as string)
    expect((await userRow.locator('.eth').getAttribute('title'))?.replace(/\D/g, '')).toBe(balance.toString())

    // The address on the device's own screen, to compare.
    await userRow.getByRole('button', { name: `Show ${USER_PATH} on the device` }).click()
    await page.getByRole('status').filter({ hasText: 'Your Ledger showed' }).waitFor()
    expect(ledger.prompts.at(-1)).toMatchObject({ kind: 'verify-address', path: USER_PATH, address: USER })
    await page.screenshot({ path: path.join(artifactsDir, 'ledger.png'), fullPage: true })

    await userRow.getByRole('button', { name: `Use account ${USER_PATH}` }).click()
    await page.getByRole('heading', { level: 1, name: 'Get my funds out' }).waitFor()
    expect(await page.getByLabel('Account (derivation path)').inputValue()).toBe(USER_PATH)
  }, 180_000)

  it('turns each refusal into its instruction, and after the fixes the escape goes on and signs what the screen showed', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Read my account' }).click()
    await page.getByRole('definition').filter({ hasText: USER }).waitFor({ timeout: 30_000 })
    await page.getByLabel('Amount in ETH').fill('1')
    await page.getByLabel('Your address on L1 that receives it').fill(USER)
    await page.getByRole('button', { name: 'Show the cost' }).click()
    const preview = page.getByRole('region', { name: '5. The cost, before anything is signed' })
    await preview.waitFor({ timeout: 60_000 })
    await preview.getByRole('button', { name: 'Start the escape' }).click()
    await page.waitForURL(/#\/jobs\/arb-escape-/, { timeout: 60_000 })

    // Blind signing is still off: nothing is signed, and the window says what to do, from any screen.
    const banner = page.getByRole('region', { name: 'Your Ledger needs you' })
    await banner.getByText('Enable blind signing in the Ethereum app’s Settings.').waitFor({ timeout: 60_000 })
    await banner.getByRole('link', { name: 'Open the Ledger screen' }).click()
    // The screen follows the device the escape signs with (the wizard was cleared when the escape started).
    await expect.poll(() => page.getByRole('radio', { name: 'Software Ledger (practice only)' }).isChecked()).toBe(true)
    const signatures = page.getByRole('region', { name: '3. What you sign' })
    const refusal = signatures.getByRole('alert')
    await refusal.getByRole('heading', { name: 'Enable blind signing in the Ethereum app’s Settings.' }).waitFor()
    expect(await signatures.locator('.ledger-signing').first().innerText()).toContain('ArbSys.withdrawEth')
    expect(ledger.prompts.filter((p) => p.kind === 'sign-transaction')).toEqual([])

    // The user turns blind signing on, but the device has locked itself meanwhile.
    ledger.setFaults({ blindSigning: true, locked: true })
    await refusal.getByRole('button', { name: 'Try again' }).click()
    await refusal.getByRole('heading', { name: 'Your Ledger is locked: unlock it with your PIN.' }).waitFor({ timeout: 60_000 })
    expect(await signatures.locator('.ledger-signing').count()).toBe(2)

    // Unlocked. The first request waits on the device until the test has compared what the screen shows.
    let approve!: () => void
    const approved = new Promise<void>((resolve) => (approve = resolve))
    const asked: Extract<SoftLedgerPrompt, { kind: 'sign-transaction' }>[] = []
    ledger.setFaults({
      locked: false,
      confirm: async (prompt) => {
        if (prompt.kind !== 'sign-transaction') return 'approve'
        asked.push(prompt)
        if (asked.length === 1) await approved
        return 'approve'
      },
    })
    await refusal.getByRole('button', { name: 'Try again' }).click()
    const waiting = signatures.locator('.ledger-signing-waiting-for-device')
    await waiting.waitFor({ timeout: 60_000 })
    await expect.poll(() => asked.length).toBe(1)
    expect(await waiting.innerText()).toContain('Waiting for your approval on the Ledger')
    expect(await waiting.innerText()).toMatch(/Function\s+ArbSys\.withdrawEth/)
    expect(await waiting.innerText()).toContain(USER)
    // The hash on screen is the one the device shows for blind signing: keccak-256 of the unsigned transaction.
    expect(await waiting.locator('.signing-hash').innerText()).toBe(asked[0]!.signingHash)
    expect(asked[0]!.blind).toBe(true)
    await page.screenshot({ path: path.join(artifactsDir, 'ledger-signing.png'), fullPage: true })
    approve()

    // Both signatures of the first step (the L2 withdrawal, then the L1 inbox call carrying it) go through.
    await expect.poll(() => signatures.locator('.ledger-signing-signed').count(), { timeout: 90_000 }).toBe(2)
    const signed = await signatures.locator('.ledger-signing-signed').allInnerTexts()
    expect(signed[1]).toContain('Inbox.sendL2Message')
    // (the earlier attempts are folded away: textContent reads them too)
    expect(await signatures.locator('.ledger-signing-signed .signing-hash').allTextContents()).toEqual(asked.map((p) => p.signingHash))

    // The escape went on: its job pauses at the force-inclusion wait, as any escape does.
    await signatures.getByRole('link', { name: /^arb-escape-/ }).click()
    await page.locator('.job-header .status').getByText('Paused', { exact: true }).waitFor({ timeout: 120_000 })
    expect(await page.getByRole('region', { name: 'Your Ledger needs you' }).count()).toBe(0)
  }, 300_000)

  it('air-gapped: saves the request file where the user types, and checks the signed file brought back before the escape continues', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/escape`)
    const network = page.getByLabel('Which chain are your funds on?')
    await expect.poll(() => network.locator('option[value="devnet-arbitrum"]').count()).toBe(1)
    await network.selectOption('devnet-arbitrum')
    await page.getByLabel('L1 RPC address').fill(l1Url)
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Check connections' }).click()
    await page.getByRole('radio', { name: /Air-gapped computer/ }).check({ timeout: 30_000 })
    await page.getByLabel('Your account address (it holds the ETH on L2 and pays the L1 fees)').fill(USER)
    await page.getByRole('button', { name: 'Read my account' }).click()
    await page.getByRole('definition').filter({ hasText: USER }).waitFor({ timeout: 30_000 })
    await page.getByLabel('Amount in ETH').fill('0.25')
    await page.getByLabel('Your address on L1 that receives it').fill(USER)
    await page.getByRole('button', { name: 'Show the cost' }).click()
    const preview = page.getByRole('region', { name: '5. The cost, before anything is signed' })
    await preview.waitFor({ timeout: 60_000 })
    await preview.getByRole('button', { name: 'Start the escape' }).click()
    await page.waitForURL(/#\/jobs\/arb-escape-/, { timeout: 60_000 })
    const jobId = decodeURIComponent(new URL(page.url()).hash.replace('#/jobs/', ''))
    await page.locator('.job-header .status').getByText('Paused', { exact: true }).waitFor({ timeout: 60_000 })

    await page.goto(`${app.bridge.url}#/ledger`)
    const air = page.getByRole('region', { name: '4. Or sign on an offline machine' })
    await expect.poll(() => air.getByLabel('Escape').locator(`option[value="${jobId}"]`).count(), { timeout: 20_000 }).toBe(1)
    await air.getByLabel('Escape').selectOption(jobId)
    await air.getByRole('button', { name: 'Show the request to sign' }).click()
    const facts = air.getByRole('definition')
    await facts.filter({ hasText: 'ArbSys.withdrawEth' }).waitFor({ timeout: 20_000 })
    expect(await air.innerText()).toContain('0.25 ETH')

    const usb = fs.mkdtempSync(path.join(app.home, 'usb-'))
    const copy = path.join(usb, 'escape.unsigned.json')
    await air.getByLabel('Save a copy to (full path, e.g. on a USB stick)').fill(copy)
    await air.getByRole('button', { name: 'Save the request file' }).click()
    await air.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    // The offline machine: what `escape-hatch sign-file` does, with the account's key (anvil account 6).
    const { file, request } = parseUnsignedTxFile(fs.readFileSync(copy, 'utf8'))
    expect(await air.locator('.signing-hash').innerText()).toBe(signingHashOf(request))
    const offline = new DrillKeySigner({ devnetChainId: request.chainId })
    const signedPath = path.join(usb, 'escape.signed.json')
    const wrongPath = path.join(usb, 'wrong.signed.json')
    const sign = async (to: string, nonce: number) => {
      const tx = await offline.signTransaction({ path: USER_PATH, request: { ...request, nonce } })
      fs.writeFileSync(to, buildSignedTxFile({ unsigned: file, signed: tx, signer: { kind: 'drill-key', path: USER_PATH }, signedAt: new Date().toISOString() }).text)
    }
    await sign(wrongPath, request.nonce + 1)
    await sign(signedPath, request.nonce)

    const signedInput = air.getByLabel('Signed file brought back (full path)')
    await signedInput.fill(wrongPath)
    await air.getByRole('button', { name: 'Check the signed file' }).click()
    await air.getByRole('alert').waitFor()
    expect(await air.getByRole('button', { name: 'Continue the escape with it' }).count()).toBe(0)
    await signedInput.fill(signedPath)
    await air.getByRole('button', { name: 'Check the signed file' }).click()
    await air.getByText(`The signed file signs exactly this request, by ${USER}.`, { exact: false }).waitFor()
    await air.getByRole('button', { name: 'Continue the escape with it' }).click()
    await air.getByRole('button', { name: 'The escape continues — see its page' }).waitFor()
  }, 240_000)

  it('made no request that left loopback, and logged no page errors', () => {
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors).toEqual([])
  })
})
