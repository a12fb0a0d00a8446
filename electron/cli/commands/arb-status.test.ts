/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `arb status` on the devnet, through the CLI's main(): the withdrawals paying out to an address are found by their
// indexed destination (no scan of everyone's sends), proven through the L2 node's NodeInterface against the send root
// confirmed on L1, fall back to the full send list on a node without eth_call, and a lying node is reported, not shown
// as verified.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { defineChain, encodeFunctionData, pad, parseEther, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getArbitrumStatus } from '../../../shared/rollups/arbitrum-nitro/status'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { ARB_SYS_ADDRESS, arbSysAbi } from '../../devnet/arbitrum/l2/l2Chain'
import { startDevnet, type Devnet } from '../../devnet/devnet'
import { devnetWalletClient } from '../../devnet/devnetClients'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { startRpcProxy, type Rewrite, type RpcProxy } from '../../services/l1/test-support/rpcProxy'
import { recordRpcCalls, summarizeRpcCalls } from '../../services/l1/recordRpcCalls'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-status-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let networkFile: string
const alice = privateKeyToAccount(generatePrivateKey())
const dave = privateKeyToAccount(generatePrivateKey())
const carol: Address = privateKeyToAccount(generatePrivateKey()).address
let lateBlock: bigint

async function withdraw(from: PrivateKeyAccount, to: Address, value: bigint): Promise<void> {
  const chain = defineChain({ id: l2.l2ChainId, name: 'devnet L2', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [l2.l2RpcUrl] } } })
  const wallet = devnetWalletClient(l2.l2RpcUrl, from, { chain })
  await wallet.sendTransaction({ to: ARB_SYS_ADDRESS, value, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [to] }) })
}

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, autoSequence: false })
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined }))
  await l2.fund(alice.address, parseEther('2'))
  await l2.fund(dave.address, parseEther('1'))
  // Confirmed: alice → alice 0.1 and 0.2, alice → carol 0.3, dave → dave 0.05 (everyone else's sends are interleaved).
  await withdraw(alice, alice.address, parseEther('0.1'))
  await withdraw(dave, dave.address, parseEther('0.05'))
  await withdraw(alice, alice.address, parseEther('0.2'))
  await withdraw(alice, carol, parseEther('0.3'))
  await l2.postBatchNow()
  await l2.postAndConfirmAssertionNow()
  // Not confirmed yet: alice → alice 0.4.
  lateBlock = BigInt(l2.chain().blocks.length)
  await withdraw(alice, alice.address, parseEther('0.4'))
  await l2.postBatchNow()
}, 120_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function status(...more: string[]) {
  let stdout = ''
  let stderr = ''
  const argv = ['arb', 'status', '--network-file', networkFile, '--address', alice.address, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl, ...more]
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

const summary = (ws: any[]) => ws.map((w) => [w.value, w.to, w.stage, w.verified, w.proofMethod ?? null])

describe('escape-hatch arb status: withdrawals', () => {
  it('lists only the withdrawals paying out to the address, verified through NodeInterface against the confirmed root', async () => {
    const r = await status('--json')
    expect(r.code, r.stderr).toBe(0)
    const s = r.json()
    expect(summary(s.withdrawals)).toEqual([
      [parseEther('0.1').toString(), alice.address, 'ready-to-execute', true, 'node-interface'],
      [parseEther('0.2').toString(), alice.address, 'ready-to-execute', true, 'node-interface'],
      [parseEther('0.4').toString(), alice.address, 'waiting-for-confirmation', false, null],
    ])
    expect(s.scannedL2Blocks).toEqual({ from: '0', to: String(l2.chain().blocks.length - 1) })
    expect(r.stderr).toMatch(new RegExp(`Searching L2 blocks 0\\.\\.\\d+ for withdrawals to ${alice.address}`))
    expect(s.withdrawalsNote).toMatch(/found by their destination/)
    const text = await status()
    expect(text.stdout).toMatch(/#\d+ 100000000000000000 wei to .*: ready-to-execute \[verified against L1\]/)
    expect(text.stdout).toMatch(/400000000000000000 wei .*waiting-for-confirmation \[reported by the L2 RPC/)
  }, 60_000)

  it('asks the L2 node only for this address’s sends (destination topic), in pages, never the whole send list', async () => {
    const recorded = recordRpcCalls(l2.l2RpcUrl)
    const progress: string[] = []
    const s = await getArbitrumStatus({
      l1: await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: devnet.arbitrum!.network.l1ChainId }),
      l2: recorded.client,
      l2Source: 'the devnet L2',
      network: devnet.arbitrum!.network,
      address: alice.address,
      onProgress: (m) => progress.push(m),
    })
    expect(s.withdrawals?.map((w) => w.verified)).toEqual([true, true, false])
    const calls = summarizeRpcCalls(recorded.calls)
    expect(calls.getLogs.length).toBeGreaterThan(0)
    const filters = recorded.calls.filter((c) => c.method === 'eth_getLogs').map((c) => (c.params as [{ topics: unknown[] }])[0])
    for (const f of filters) expect(f.topics[1]).toBe(pad(alice.address.toLowerCase() as Address, { size: 32 }))
    expect(calls.byMethod.eth_call).toBe(2) // one proof per confirmed withdrawal; the unconfirmed one needs none
    expect(calls.byMethod.eth_getBlockByHash).toBe(1) // the confirmed sendCount, read once
    expect(progress.some((m) => /Checking withdrawal #\d+/.test(m))).toBe(true)

    // A bounded search in pages of 3 blocks: consecutive requests covering exactly the range, with progress.
    const paged = recordRpcCalls(l2.l2RpcUrl)
    const pagedProgress: string[] = []
    const again = await getArbitrumStatus({
      l1: await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: devnet.arbitrum!.network.l1ChainId }),
      l2: paged.client,
      network: devnet.arbitrum!.network,
      address: alice.address,
      l2FromBlock: 2n,
      l2PageBlocks: 3n,
      onProgress: (m) => pagedProgress.push(m),
    })
    expect(again.withdrawals?.map((w) => w.verified)).toEqual([true, true, false])
    const pages = summarizeRpcCalls(paged.calls).getLogs.map((f) => [BigInt(f.fromBlock ?? -1), BigInt(f.toBlock ?? -1)])
    const head = BigInt(l2.chain().blocks.length - 1)
    expect(pages.length).toBe(Math.ceil(Number(head - 1n) / 3))
    expect(pages[0]?.[0]).toBe(2n)
    expect(pages.at(-1)?.[1]).toBe(head)
    pages.forEach(([from, to], i) => {
      expect(to! - from!).toBeLessThanOrEqual(2n)
      if (i > 0) expect(from).toBe(pages[i - 1]![1]! + 1n)
    })
    expect(pagedProgress.filter((m) => /…L2 block \d+ \(\d+%\), \d+ found/.test(m)).length).toBe(pages.length - 1)
  }, 60_000)

  it('searches from --l2-from-block, and refuses a bad one', async () => {
    const r = await status('--json', '--l2-from-block', String(lateBlock))
    expect(r.code, r.stderr).toBe(0)
    expect(summary(r.json().withdrawals)).toEqual([[parseEther('0.4').toString(), alice.address, 'waiting-for-confirmation', false, null]])
    expect(r.json().withdrawalsNote).toMatch(/--l2-from-block/)
    expect((await status('--l2-from-block', 'yesterday')).code).toBe(2)
  }, 60_000)

  it('a node without eth_call: verified from the full send list instead', async () => {
    l2.setLying(['no-eth-call'])
    try {
      const r = await status('--json')
      expect(r.code, r.stderr).toBe(0)
      expect(summary(r.json().withdrawals).map((w) => w.slice(2))).toEqual([
        ['ready-to-execute', true, 'send-list'],
        ['ready-to-execute', true, 'send-list'],
        ['waiting-for-confirmation', false, null],
      ])
      expect(r.stderr).toMatch(/refused NodeInterface.constructOutboxProof.*reading the full list of withdrawals instead/)
      expect((await status()).stdout).toMatch(/verified against L1, from the full send list: the node has no NodeInterface/)
    } finally {
      l2.setLying([])
    }
  }, 60_000)

  it('a lying node (altered sends, a self-consistent proof) is reported, and nothing is shown as verified', async () => {
    l2.setLying(['send-list'])
    try {
      const r = await status('--json')
      expect(r.code, r.stderr).toBe(0)
      const s = r.json()
      expect(s.withdrawals).toBeUndefined()
      expect(s.withdrawalsNote).toMatch(/The send root from the L2 RPC http:\/\/127\.0\.0\.1:\d+ does not match the send root confirmed on L1/)
    } finally {
      l2.setLying([])
    }
  }, 60_000)
})

describe('escape-hatch arb status: several L1 endpoints, one rule set (issue 11 #3, issue 14 #8)', () => {
  const proxies: RpcProxy[] = []
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()))
  })
  const proxy = async (target: string, rewrite?: Rewrite): Promise<string> => {
    const p = await startRpcProxy(target, rewrite)
    proxies.push(p)
    // A path and query like an API key: never printed (endpoints are named by host only).
    return `${p.url}/v3/SECRETKEY?apikey=SECRET`
  }
  const host = (url: string): string => new URL(url).host
  const statusWith = (l1: string[], l2Url = l2.l2RpcUrl) => {
    let stdout = ''
    let stderr = ''
    const argv = ['arb', 'status', '--network-file', networkFile, '--address', alice.address, ...l1.flatMap((u) => ['--l1-rpc', u]), '--l2-rpc', l2Url]
    return main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal).then((code) => ({ code, stdout, stderr }))
  }
  /** Flip the last byte of a 32-byte word. */
  const flip = (word: string): Hex => `${word.slice(0, -2)}${word.endsWith('00') ? '01' : '00'}` as Hex

  it('two endpoints that agree: the status is read (and every read went to both)', async () => {
    const honest = await startRpcProxy(devnet.l1.rpcUrl)
    proxies.push(honest)
    const r = await statusWith([devnet.l1.rpcUrl, honest.url])
    expect(r.code, r.stderr).toBe(0)
    expect(honest.counts.get('eth_call')).toBeGreaterThan(0)
    expect(honest.counts.get('eth_getBlockByNumber')).toBeGreaterThan(0)
    expect(honest.counts.get('eth_getLogs')).toBeGreaterThan(0)
  }, 60_000)

  it('one endpoint lies about a contract read: refused, naming that endpoint by host only', async () => {
    // Every eth_call answer of the liar is altered in its last byte (e.g. the latest confirmed assertion hash).
    const liar = await proxy(devnet.l1.rpcUrl, (method, _p, result) => (method === 'eth_call' && typeof result === 'string' && result.length >= 66 ? flip(result) : result))
    const r = await statusWith([devnet.l1.rpcUrl, liar])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/Your L1 endpoints disagree about \w+\(\) of 0x[0-9a-fA-F]{40} at L1 block \d+/)
    expect(r.stderr).toContain(host(liar))
    expect(r.stderr).not.toContain('SECRET')
  }, 60_000)

  it('one endpoint lies about a block hash: refused, naming it', async () => {
    const liar = await proxy(devnet.l1.rpcUrl, (method, _p, result) =>
      method === 'eth_getBlockByNumber' && result && typeof result === 'object' ? { ...(result as object), hash: flip((result as { hash: string }).hash) } : result)
    const r = await statusWith([devnet.l1.rpcUrl, liar])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/The L1 endpoint http:\/\/127\.0\.0\.1:\d+ returned data that does not match its block hash/)
    expect(r.stderr).toContain(host(liar))
    expect(r.stderr).not.toContain('SECRET')
  }, 60_000)

  it('an endpoint that alters an event (no second endpoint to compare with): refused, the receipts root says otherwise', async () => {
    const rewrite: Rewrite = (method, _p, result) =>
      method === 'eth_getLogs' && Array.isArray(result) ? (result as { data: string }[]).map((l) => (l.data.length >= 66 ? { ...l, data: flip(l.data) } : l)) : result
    const liar = await proxy(devnet.l1.rpcUrl, rewrite)
    const r = await statusWith([liar])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`The L1 endpoint http://${host(liar)} returned data that does not match its block hash.`)
  }, 60_000)

  it('an L1 endpoint on another chain is refused, naming it', async () => {
    const wrong = await proxy(devnet.l1.rpcUrl, (method, _p, result) => (method === 'eth_chainId' ? '0x1' : result))
    const r = await statusWith([devnet.l1.rpcUrl, wrong])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`The L1 endpoint http://${host(wrong)} is on chain 1, but`)
    expect(r.stderr).not.toContain('SECRET')
  }, 60_000)

  it('an L2 RPC on another chain is refused, naming it', async () => {
    const wrong = await proxy(l2.l2RpcUrl, (method, _p, result) => (method === 'eth_chainId' ? '0xa4b1' : result))
    const r = await statusWith([devnet.l1.rpcUrl], wrong)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`The L2 RPC http://${host(wrong)} is on chain 42161, not the chain you chose (${l2.l2ChainId})`)
    expect(r.stderr).not.toContain('SECRET')
  }, 60_000)
})
