/**
 * The L1 gateway on a real anvil L1 (loopback only), with a proxy in front of it playing the lying endpoint: a
 * transaction and its receipt are taken from the block checked against the agreed header, never from the endpoint's
 * say-so; a lie in the block body or the receipts is refused by name; endpoints on another chain or another
 * history are refused when the gateway opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEther, toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'
import { mine } from '../../devnet/timeTravel'
import { L1DataIntegrityError, L1EndpointsDisagreeError } from './createViemL1Source'
import { L1WrongChainError, openL1Gateway } from './openL1Gateway'
import { startRpcProxy, type Rewrite, type RpcProxy } from './test-support/rpcProxy'

let node: AnvilHandle
let txHash: Hex
const INPUT = '0xc0ffee00c0ffee' as Hex
const proxies: RpcProxy[] = []

beforeAll(async () => {
  node = await startAnvil()
  const wallet = devnetWalletClient(node.rpcUrl, privateKeyToAccount(node.accounts[1]!.privateKey))
  txHash = await wallet.sendTransaction({ to: node.accounts[2]!.address as Hex, value: parseEther('1'), data: INPUT, chain: null })
  await devnetPublicClient(node.rpcUrl).waitForTransactionReceipt({ hash: txHash })
  await mine(node.rpcUrl, 3, 12)
}, 60_000)
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()))
  await node?.stop()
})

const proxy = async (rewrite: Rewrite, target = node.rpcUrl): Promise<string> => {
  const p = await startRpcProxy(target, rewrite)
  proxies.push(p)
  return p.url
}
const open = (urls: string[]) => openL1Gateway({ urls, l1ChainId: node.chainId })

describe('openL1Gateway', () => {
  it('reads a transaction and its receipt checked against the block (the endpoint’s own copy is not used)', async () => {
    // This endpoint lies in eth_getTransactionByHash (input, from) but not in the block body: the gateway's answer is the truth.
    const url = await proxy((method, _p, r) => (method === 'eth_getTransactionByHash' && r ? { ...(r as object), input: '0xdeadbeef', from: node.accounts[5]!.address } : r))
    const gw = await open([node.rpcUrl, url])
    const tx = await gw.getTransaction({ hash: txHash })
    expect(tx.input).toBe(INPUT)
    expect(tx.from.toLowerCase()).toBe(node.accounts[1]!.address.toLowerCase())
    const receipt = await gw.getTransactionReceipt({ hash: txHash })
    expect(receipt.status).toBe('success')
    expect(receipt.from.toLowerCase()).toBe(node.accounts[1]!.address.toLowerCase())
    expect(await gw.getBlockNumber()).toBe(await devnetPublicClient(node.rpcUrl).getBlockNumber())
    expect(await gw.getBalance({ address: node.accounts[2]!.address as Hex })).toBe(await devnetPublicClient(node.rpcUrl).getBalance({ address: node.accounts[2]!.address as Hex }))
  })

  it('refuses a block body that does not rebuild the transactions root, naming the endpoint', async () => {
    const url = await proxy((method, _p, r) => {
      if (method !== 'eth_getBlockByHash' || !r || !Array.isArray((r as { transactions?: unknown }).transactions)) return r
      const b = r as { transactions: ({ input: string } | string)[] }
      return { ...b, transactions: b.transactions.map((t) => (typeof t === 'string' ? t : { ...t, input: '0xdeadbeef' })) }
    })
    const e = await (await open([url])).getTransaction({ hash: txHash }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(L1DataIntegrityError)
    expect((e as L1DataIntegrityError).shortMessage).toBe(`The L1 endpoint ${url} returned data that does not match its block hash.`)
  })

  it('refuses a receipt that does not rebuild the receipts root', async () => {
    const fail = (r: { status: string }) => ({ ...r, status: '0x0' })
    const url = await proxy((method, _p, r) => {
      if (method === 'eth_getBlockReceipts' && Array.isArray(r)) return (r as { status: string }[]).map(fail)
      if (method === 'eth_getTransactionReceipt' && r) return fail(r as { status: string })
      return r
    })
    const e = await (await open([url])).getTransactionReceipt({ hash: txHash }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(L1DataIntegrityError)
  })

  it('refuses, when opening, an endpoint on another chain or on another history', async () => {
    const wrongChain = await proxy((method, _p, r) => (method === 'eth_chainId' ? toHex(1) : r))
    const e = await open([node.rpcUrl, wrongChain]).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(L1WrongChainError)
    expect((e as L1WrongChainError).shortMessage).toContain(`The L1 endpoint ${wrongChain} is on chain 1`)

    const other = await startAnvil() // same chain id, another history
    try {
      await mine(other.rpcUrl, 10, 12)
      const otherUrl = await proxy((_m, _p, r) => r, other.rpcUrl) // the proxy takes any path, like a keyed provider URL
      const split = await open([node.rpcUrl, `${otherUrl}/key/SECRET`]).catch((x: unknown) => x)
      expect(split).toBeInstanceOf(L1EndpointsDisagreeError)
      expect((split as L1EndpointsDisagreeError).steps[0]).toContain(otherUrl)
      expect(JSON.stringify(split)).not.toContain('SECRET')
    } finally {
      await other.stop()
    }
  }, 60_000)
})
