/**
 * The fee bump with consent, from the window, against the real Arbitrum devnet: the job's first L1 transaction
 * (sendL2Message) is sent while anvil does not mine, then L1 fees jump far above its fee cap for more blocks than the
 * engine waits (findStuckTxs), so the run stops as stuck — a real stuck state, seen by the engine itself. The job page
 * offers "Raise the fee…", shows the proposal in ETH (old → new fees, the most it may cost and how much more), the
 * user approves, and the replacement — the same transaction at exactly the approved fees — is mined; the journal
 * shows the first copy replaced, and the account's L1 nonce moved once.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatGwei, parseTransaction, type TransactionSerialized } from 'viem'
import { DEVNET_USER, DEVNET_USER_PATH, rpc, startArbitrumDevnetProcess, type ArbitrumDevnetProcess } from './support/arbitrumDevnetProcess'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'

let app: AppUnderTest
let devnet: ArbitrumDevnetProcess | undefined

beforeAll(async () => {
  app = await startAppUnderTest()
  fs.mkdirSync(artifactsDir, { recursive: true })
  devnet = await startArbitrumDevnetProcess(app.home)
  await rpc(devnet.l2Url, 'devnet_fund', [DEVNET_USER, '2000000000000000000'])
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
  await app?.stop()
})

const nonceOf = async (url: string) => Number(BigInt((await rpc(url, 'eth_getTransactionCount', [DEVNET_USER, 'latest'])) as string))

describe('a stuck L1 transaction, bumped with the user’s consent', () => {
  it('stops as stuck, shows the proposal in ETH, signs only the approved fees, and the replacement is mined once', async () => {
    const { page } = app
    const l1 = devnet!.l1Url
    const nonceBefore = await nonceOf(l1)

    // anvil stops mining: the job's first L1 transaction waits in the pool.
    await rpc(l1, 'evm_setAutomine', [false])
    const { jobId } = await app.services.escape.start({
      network: { id: 'devnet-arbitrum' },
      l1Urls: [l1],
      l2Url: devnet!.l2Url,
      signer: 'soft-ledger',
      derivationPath: DEVNET_USER_PATH,
      amountEth: '1',
      destination: DEVNET_USER,
      saveRpcUrls: false,
    })
    await page.goto(`${app.bridge.url}#/jobs/${encodeURIComponent(jobId)}`)
    const sent = async () => (await app.services.journal.load(jobId)).state.txs.filter((t) => t.status === 'sent')
    await expect.poll(async () => (await sent()).length, { timeout: 60_000 }).toBe(1)
    const [original] = await sent()
    const originalCap = (parseTransaction(original!.raw as TransactionSerialized) as { maxFeePerGas: bigint }).maxFeePerGas
    expect(original!.nonce).toBe(nonceBefore)

    // L1 fees jump far above its cap: 12 blocks, 12 s apart (its cap stays below each, after their 12.5 % falls).
    const spike = originalCap * 1000n
    await rpc(l1, 'anvil_setNextBlockBaseFeePerGas', [`0x${spike.toString(16)}`])
    await rpc(l1, 'anvil_mine', ['0xc', '0xc'])
    expect(await nonceOf(l1)).toBe(nonceBefore) // not mined: its cap is below the base fee

    // The engine sees it stuck; the run stops and the job's one action is the fee bump.
    const next = page.getByRole('region', { name: 'Next' })
    const raise = next.getByRole('button', { name: 'Raise the fee…' })
    await raise.waitFor({ timeout: 60_000 })
    expect(await next.innerText()).toMatch(/below the L1 base fee|base fee/i)
    expect((await app.services.journal.load(jobId)).state.txs).toHaveLength(1) // nothing bumped without the user

    await raise.click()
    const proposal = page.getByRole('region', { name: /^Raise the fee of transaction/ })
    await proposal.waitFor({ timeout: 30_000 })
    const facts = proposal.getByRole('definition')
    const [maxFee, tip, cost, baseFee] = await facts.allInnerTexts()
    expect(maxFee).toMatch(new RegExp(`^${formatGwei(originalCap).replace('.', '\\.')} gwei → [\\d.]+ gwei$`))
    expect(tip).toMatch(/^[\d.]+ gwei → [\d.]+ gwei$/)
    expect(cost).toMatch(/^[\d.]+ ETH[\s\S]*\(was [\d.]+ ETH[\s\S]*; at most [\d.]+ ETH[\s\S]* more\), for [\d,]+ gas$/)
    // In ETH, with the exact wei beside: the new maximum, the old one, the extra.
    const [newCost, oldCost, extraCost] = (await proposal.locator('dd .eth').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))).map((t) => BigInt(t.replace(/[^\d]/g, '')))
    expect(baseFee).toMatch(/^[\d.]+ gwei$/)
    const shownMaxFee = maxFee!.split('→')[1]!.trim()
    await page.screenshot({ path: path.join(artifactsDir, 'fee-bump.png'), fullPage: true })
    expect((await app.services.journal.load(jobId)).state.txs).toHaveLength(1) // a proposal signs nothing

    await proposal.getByRole('button', { name: 'Approve and sign the replacement' }).click()
    // The replacement is journaled (replacing the original) and sent; then anvil mines again.
    await expect.poll(async () => (await app.services.journal.load(jobId)).state.txs.length, { timeout: 60_000 }).toBe(2)
    await rpc(l1, 'evm_setAutomine', [true])
    await rpc(l1, 'evm_mine')

    // The job goes on to its next wait (force inclusion) with the replacement mined.
    const included = page.getByRole('region', { name: 'Where your withdrawal is' }).getByRole('listitem').filter({ hasText: 'Included on L2' })
    await included.getByText('Paused', { exact: true }).waitFor({ timeout: 90_000 })
    const { state } = await app.services.journal.load(jobId)
    const [first, replacement] = state.txs
    expect(first!.hash).toBe(original!.hash)
    expect(first!.status).toBe('replaced')
    expect(first!.replacedBy).toBe(replacement!.hash)
    expect(replacement!.replaces).toBe(original!.hash)
    expect(replacement!.status).toBe('mined')
    expect(replacement!.nonce).toBe(original!.nonce)
    expect(state.prompts[`replace:${original!.hash}`]).toBeDefined()
    // Signed at exactly the fees shown and approved; the same transaction otherwise.
    const a = parseTransaction(original!.raw as TransactionSerialized)
    const b = parseTransaction(replacement!.raw as TransactionSerialized)
    expect(`${formatGwei(b.maxFeePerGas!)} gwei`).toBe(shownMaxFee)
    expect(newCost).toBe(b.gas! * b.maxFeePerGas! + (b.value ?? 0n))
    expect(oldCost).toBe(a.gas! * (a as { maxFeePerGas: bigint }).maxFeePerGas + (a.value ?? 0n))
    expect(extraCost).toBe(newCost! - oldCost!)
    expect({ to: b.to, value: b.value, data: b.data, gas: b.gas, nonce: b.nonce, chainId: b.chainId }).toEqual({ to: a.to, value: a.value, data: a.data, gas: a.gas, nonce: a.nonce, chainId: a.chainId })
    const receipt = (await rpc(l1, 'eth_getTransactionReceipt', [replacement!.hash])) as { status: string }
    expect(receipt.status).toBe('0x1')
    expect(await rpc(l1, 'eth_getTransactionReceipt', [original!.hash])).toBeNull()
    // The account's nonce moved once: nothing was sent twice.
    expect(await nonceOf(l1)).toBe(nonceBefore + 1)
    expect(await page.getByRole('log', { name: 'Progress of this run' }).innerText()).toMatch(/replacement transaction was mined/)
  }, 240_000)

  it('made no request that left loopback, and logged no page errors', () => {
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e))).toEqual([])
  })
})
