/**
 * L1 logs (issue 4 item 3): the cost of reading a block's logs the verified way, on a local anvil over loopback.
 * N blocks, each with TXS transactions that emit a log. Per block (headers are read first, outside the timing):
 * - bloom skip: logs of an address the blocks never touched — answered from the header's logsBloom, no request;
 * - receipts verify: logs of the emitter — block body (transactionsRoot) + eth_getBlockReceipts, receiptsRoot rebuilt;
 * - plain eth_getLogs: what the source did before (one request, nothing checked), for comparison.
 * Loopback anvil hides network latency, so the ratios say what the checks cost in CPU and bytes, not over the internet.
 */
import { toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil } from '../electron/devnet/anvil'
import { createViemL1Source } from '../electron/services/l1/createViemL1Source'
import type { L1BlockHeader } from '../shared/l1/L1Source'
import type { BenchRow } from './types'
import { devnetWalletClient } from '../electron/devnet/devnetClients'

const N = 100
const TXS = 20
// Runtime: LOG1(calldata, topic 0xab…ab). Init code copies the 44-byte runtime and returns it.
const EMITTER_INIT = `0x602c600c600039602c6000f3366000600037${`7f${'ab'.repeat(32)}`}366000a100` as Hex

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await r.json()) as { result: T }).result
}

export default async function bench(): Promise<BenchRow[]> {
  const node = await startAnvil()
  try {
    const account = privateKeyToAccount(node.accounts[0]!.privateKey)
    const wallet = devnetWalletClient(node.rpcUrl, account, { chain: { id: node.chainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [node.rpcUrl] } } } })
    const deploy = await wallet.sendTransaction({ data: EMITTER_INIT })
    let deployed: { contractAddress: Hex } | null = null
    for (let i = 0; i < 200 && !deployed; i++) {
      deployed = await rpc<{ contractAddress: Hex } | null>(node.rpcUrl, 'eth_getTransactionReceipt', [deploy])
      if (!deployed) await new Promise((r) => setTimeout(r, 25))
    }
    if (!deployed) throw new Error('the emitter was not deployed')
    const emitter = deployed.contractAddress
    await rpc(node.rpcUrl, 'evm_setAutomine', [false])
    let nonce = Number(await rpc<Hex>(node.rpcUrl, 'eth_getTransactionCount', [account.address, 'latest']))
    const first = Number(await rpc<Hex>(node.rpcUrl, 'eth_blockNumber')) + 1
    for (let b = 0; b < N; b++) {
      for (let t = 0; t < TXS; t++) await wallet.sendTransaction({ to: emitter, data: toHex(`log ${b}/${t}`), gas: 100_000n, nonce: nonce++ })
      await rpc(node.rpcUrl, 'anvil_mine', ['0x1'])
    }
    const absent = `0x${'5a'.repeat(20)}` as Hex

    const time = async (f: (h: L1BlockHeader, src: ReturnType<typeof createViemL1Source>) => Promise<unknown>): Promise<{ ms: number; requests: number }> => {
      let best = Infinity
      let requests = 0
      for (let round = 0; round < 3; round++) {
        let count = 0
        const src = createViemL1Source({ rpcUrls: [node.rpcUrl], onRequest: () => count++ })
        const headers: L1BlockHeader[] = []
        for (let n = first; n < first + N; n++) headers.push(await src.getHeader(n))
        count = 0
        const t0 = performance.now()
        for (const h of headers) await f(h, src)
        best = Math.min(best, performance.now() - t0)
        requests = count
      }
      return { ms: best / N, requests: requests / N }
    }
    const skip = await time((h, src) => src.getLogs(h, [absent]))
    const verify = await time(async (h, src) => {
      const logs = await src.getLogs(h, [emitter])
      if (logs.length !== TXS) throw new Error(`block ${h.number}: ${logs.length} logs, expected ${TXS}`)
    })
    const plain = await time((h) => rpc(node.rpcUrl, 'eth_getLogs', [{ blockHash: h.hash, address: emitter }]))
    const fetchOnly = await time(async (h) => {
      await rpc(node.rpcUrl, 'eth_getBlockByHash', [h.hash, true])
      await rpc(node.rpcUrl, 'eth_getBlockReceipts', [h.hash])
    })
    const note = `${N} anvil blocks × ${TXS} log-emitting txs, loopback, best of 3; per block`
    return [
      { name: 'L1 getLogs, bloom excludes the address (no request)', value: skip.ms, unit: 'ms/block', note: `${note}; ${skip.requests} requests/block` },
      { name: 'L1 getLogs, receipts verified against receiptsRoot', value: verify.ms, unit: 'ms/block', note: `${note}; ${verify.requests} requests/block (block body + receipts)` },
      { name: 'L1 block body + receipts fetched, no checks (the I/O part of the line above)', value: fetchOnly.ms, unit: 'ms/block', note: `${note}; 2 requests/block` },
      { name: 'L1 plain eth_getLogs (unverified, the old way)', value: plain.ms, unit: 'ms/block', note: `${note}; 1 request/block` },
    ]
  } finally {
    await node.stop()
  }
}
