/**
 * getLogs checked against the block header on a real anvil L1 (loopback only): the logsBloom rules blocks out with no
 * request; otherwise the receipts (typed 0..4, a failed tx, several logs per block) must rebuild the header's
 * receiptsRoot. A loopback proxy in front of anvil plays a lying or limited endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWalletClient, http, parseGwei, toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { loadViemKzg } from '../kzg'
import type { L1BlockHeader, L1Log } from '../../../shared/l1/L1Source'
import { createViemL1Source, L1DataIntegrityError, L1ReadCancelledError, L1UnavailableError } from './createViemL1Source'
import { startRpcProxy as startProxy, UNSUPPORTED, type Rewrite } from './test-support/rpcProxy'

const TOPIC = `0x${'ab'.repeat(32)}`
// Runtime: copy calldata to memory, LOG1(0, calldatasize, TOPIC). Init code copies the 44-byte runtime and returns it.
const EMITTER_INIT = `0x602c600c600039602c6000f3${'366000600037'}7f${'ab'.repeat(32)}366000a100` as Hex
// Runtime: REVERT(0, 0).
const REVERTER_INIT = '0x6005600c60003960056000f360006000fd' as Hex

let node: AnvilHandle
let emitter: Hex
let other: Hex
let reverter: Hex
/** A block with receipts of types 0, 1, 2, 3, 4, a failed tx and emitter logs. */
let typedBlock: number
/** A block with logs, none from `emitter`. */
let otherOnlyBlock: number
let txCountTyped = 0

async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const j = (await r.json()) as { result: T; error?: { message: string } }
  if (j.error) throw new Error(j.error.message)
  return j.result
}

async function mined(hash: Hex): Promise<{ contractAddress: Hex | null; blockNumber: Hex; status: Hex }> {
  for (let i = 0; i < 200; i++) {
    const r = await rpc<{ contractAddress: Hex | null; blockNumber: Hex; status: Hex } | null>(node.rpcUrl, 'eth_getTransactionReceipt', [hash])
    if (r) return r
    await new Promise((res) => setTimeout(res, 25))
  }
  throw new Error(`${hash} was not mined`)
}

/** The node's own eth_getLogs, in the port's shape (what a truthful endpoint reports). */
async function nodeLogs(block: number, address: Hex): Promise<L1Log[]> {
  const logs = await rpc<{ address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; transactionIndex: Hex; transactionHash: Hex; blockHash: Hex; blockNumber: Hex }[]>(node.rpcUrl, 'eth_getLogs', [{ fromBlock: toHex(block), toBlock: toHex(block), address }])
  return logs.map((l) => ({
    address: l.address.toLowerCase() as Hex, topics: l.topics, data: l.data, logIndex: Number(l.logIndex), transactionIndex: Number(l.transactionIndex),
    transactionHash: l.transactionHash, blockHash: l.blockHash, blockNumber: Number(l.blockNumber),
  }))
}

const clone = <T,>(x: T): T => JSON.parse(JSON.stringify(x)) as T
interface RawReceipt { logs: { address: string; data: string; topics: string[] }[]; cumulativeGasUsed: string; status: string; transactionHash: string }
/** Rewrites the receipts of the typed block only (in both eth_getBlockReceipts and per-tx answers). */
function lieAboutReceipts(f: (receipts: RawReceipt[]) => void): Rewrite {
  return (method, params, result) => {
    if (method === 'eth_getBlockReceipts' && Array.isArray(result) && result.length === txCountTyped) {
      const r = clone(result) as RawReceipt[]
      f(r)
      return r
    }
    return result
  }
}

beforeAll(async () => {
  node = await startAnvil()
  const account = privateKeyToAccount(node.accounts[0]!.privateKey)
  const authority = privateKeyToAccount(node.accounts[2]!.privateKey)
  const chain = { id: node.chainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [node.rpcUrl] } } }
  const wallet = createWalletClient({ account, transport: http(node.rpcUrl), chain })
  const authWallet = createWalletClient({ account: authority, transport: http(node.rpcUrl), chain })
  emitter = (await mined(await wallet.sendTransaction({ data: EMITTER_INIT }))).contractAddress as Hex
  other = (await mined(await wallet.sendTransaction({ data: EMITTER_INIT }))).contractAddress as Hex
  reverter = (await mined(await wallet.sendTransaction({ data: REVERTER_INIT }))).contractAddress as Hex

  // One block holding every receipt type, a failed tx and logs from both emitters.
  await rpc(node.rpcUrl, 'evm_setAutomine', [false])
  let nonce = await rpc<Hex>(node.rpcUrl, 'eth_getTransactionCount', [account.address, 'latest']).then(Number)
  const gas = 200_000n
  const authorization = await authWallet.signAuthorization({ contractAddress: emitter, nonce: 0 })
  const hashes = [
    await wallet.sendTransaction({ to: emitter, data: '0x01', type: 'legacy', gas, nonce: nonce++ }),
    await wallet.sendTransaction({ to: emitter, data: '0x0202', type: 'eip2930', accessList: [], gas, nonce: nonce++ }),
    await wallet.sendTransaction({ to: other, data: '0x03', type: 'eip1559', gas, nonce: nonce++ }),
    await wallet.sendTransaction({ to: reverter, data: '0x', type: 'eip1559', gas, nonce: nonce++ }),
    await wallet.sendTransaction({ to: emitter, blobs: [toHex(new Uint8Array(131072))], kzg: loadViemKzg(), maxFeePerBlobGas: parseGwei('30'), data: '0x04', gas, nonce: nonce++ }),
    await wallet.sendTransaction({ to: authority.address, authorizationList: [authorization], data: '0x05', gas, nonce: nonce++ }),
    await wallet.sendTransaction({ to: emitter, data: `0x${'66'.repeat(100)}`, type: 'eip1559', gas, nonce: nonce++ }),
  ]
  txCountTyped = hashes.length
  await rpc(node.rpcUrl, 'anvil_mine', ['0x1'])
  const receipts = await Promise.all(hashes.map(mined))
  typedBlock = Number(receipts[0]!.blockNumber)
  if (receipts.some((r) => Number(r.blockNumber) !== typedBlock)) throw new Error('the typed txs did not land in one block')
  await rpc(node.rpcUrl, 'evm_setAutomine', [true])
  otherOnlyBlock = Number((await mined(await wallet.sendTransaction({ to: other, data: '0x07' }))).blockNumber)
  for (let i = 0; i < 5; i++) await wallet.sendTransaction({ to: node.accounts[1]!.address, value: 1n }) // plain transfers: empty blooms
}, 120_000)

afterAll(async () => {
  await node?.stop()
})

const header = async (n: number, url = node.rpcUrl): Promise<L1BlockHeader> => createViemL1Source({ rpcUrls: [url] }).getHeader(n)

describe('viem L1Source getLogs: checked against receiptsRoot, skipped by logsBloom', () => {
  it('real receipts of types 0..4 and a failed tx rebuild the header’s receiptsRoot; the logs equal the node’s eth_getLogs', async () => {
    const types = (await rpc<{ type: Hex; status: Hex }[]>(node.rpcUrl, 'eth_getBlockReceipts', [toHex(typedBlock)])).map((r) => `${Number(r.type)}:${Number(r.status)}`)
    expect(types).toEqual(['0:1', '1:1', '2:1', '2:0', '3:1', '4:1', '2:1'])
    const proxy = await startProxy(node.rpcUrl)
    try {
      const src = createViemL1Source({ rpcUrls: [proxy.url] })
      const h = await src.getHeader(typedBlock)
      const logs = await src.getLogs(h, [emitter, authority()])
      const expected = [...(await nodeLogs(typedBlock, emitter)), ...(await nodeLogs(typedBlock, authority()))].sort((a, b) => a.logIndex - b.logIndex)
      expect(logs).toEqual(expected)
      expect(logs.map((l) => l.data)).toEqual(['0x01', '0x0202', '0x04', '0x05', `0x${'66'.repeat(100)}`])
      expect(logs.map((l) => l.logIndex)).toEqual([0, 1, 3, 4, 5]) // index 2 is the other emitter's log
      expect(logs.every((l) => l.topics.length === 1 && l.topics[0] === TOPIC)).toBe(true)
      expect(src.stats.receiptsVerified).toBe(1)
      expect(proxy.counts.get('eth_getBlockReceipts')).toBe(1)
      expect(proxy.counts.get('eth_getLogs')).toBeUndefined()
      // Other watched sets on the same block share the verified body (one block fetch).
      expect(await src.getLogs(h, [other])).toEqual(await nodeLogs(typedBlock, other))
      expect(proxy.counts.get('eth_getBlockByHash')).toBe(1)
    } finally {
      await proxy.close()
    }
  }, 60_000)

  it('a block whose bloom excludes the watched address costs no receipt, log or block request', async () => {
    const proxy = await startProxy(node.rpcUrl)
    try {
      const src = createViemL1Source({ rpcUrls: [proxy.url] })
      const head = Number((await src.getHeader('latest')).number)
      let skipped = 0
      for (let n = 0; n <= head; n++) {
        const h = await src.getHeader(n)
        const logs = await src.getLogs(h, [emitter])
        expect(logs).toEqual(await nodeLogs(n, emitter))
        if (n === otherOnlyBlock) expect(logs).toEqual([])
      }
      skipped = src.stats.bloomSkips
      // Only the deploy blocks' blooms are empty of the emitter too; the typed block is the one receipts fetch.
      expect(skipped).toBe(head) // every block but the typed one
      expect(src.stats.receiptsVerified).toBe(1)
      expect(proxy.counts.get('eth_getBlockReceipts')).toBe(1)
      expect(proxy.counts.get('eth_getTransactionReceipt')).toBeUndefined()
      expect(proxy.counts.get('eth_getLogs')).toBeUndefined()
      expect(proxy.counts.get('eth_getBlockByHash')).toBe(1)
      expect(await nodeLogs(otherOnlyBlock, other)).toHaveLength(1) // the skipped block did have a log, of another address
    } finally {
      await proxy.close()
    }
  }, 60_000)

  const lies: [string, (r: RawReceipt[]) => void][] = [
    ['drops a log', (r) => void r[1]!.logs.pop()],
    ['alters log data', (r) => { r[0]!.logs[0]!.data = '0x09' }],
    ['adds a log', (r) => void r[6]!.logs.push({ ...r[0]!.logs[0]!, data: '0x0a' })],
    ['moves a log to another address', (r) => { r[2]!.logs[0]!.address = emitter }],
    ['serves a wrong receipt (status)', (r) => { r[3]!.status = '0x1' }],
    ['serves a wrong receipt (gas)', (r) => { r[4]!.cumulativeGasUsed = toHex(BigInt(r[4]!.cumulativeGasUsed) + 1n) }],
    ['drops a receipt', (r) => void r.splice(3, 1)],
    ['names another transaction', (r) => { r[0]!.transactionHash = r[1]!.transactionHash }],
  ]
  for (const [what, f] of lies) {
    it(`an endpoint that ${what} is caught (L1DataIntegrityError naming it); a truthful second endpoint is then used`, async () => {
      const liar = await startProxy(node.rpcUrl, lieAboutReceipts(f))
      try {
        const h = await header(typedBlock)
        const err = await createViemL1Source({ rpcUrls: [liar.url] }).getLogs(h, [emitter]).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(L1DataIntegrityError)
        expect((err as L1DataIntegrityError).shortMessage).toContain(liar.url)
        const rejected: L1DataIntegrityError[] = []
        const both = createViemL1Source({ rpcUrls: [liar.url, node.rpcUrl], onRejectedAnswer: (e) => rejected.push(e) })
        expect(await both.getLogs(h, [emitter])).toEqual(await nodeLogs(typedBlock, emitter))
        expect(both.stats.rejectedAnswers).toBe(1)
        expect(rejected[0]?.shortMessage).toContain(liar.url)
      } finally {
        await liar.close()
      }
    }, 30_000)
  }

  it('a header with a forged bloom (to hide a block) does not re-hash: refused', async () => {
    const liar = await startProxy(node.rpcUrl, (method, _p, result) => {
      if (method === 'eth_getBlockByNumber' && result && Number((result as { number: Hex }).number) === typedBlock) return { ...(result as object), logsBloom: `0x${'00'.repeat(256)}` }
      return result
    })
    try {
      const err = await createViemL1Source({ rpcUrls: [liar.url] }).getHeader(typedBlock).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(L1DataIntegrityError)
    } finally {
      await liar.close()
    }
  }, 30_000)

  it('an endpoint without eth_getBlockReceipts gets per-transaction receipt requests (batched), verified the same way', async () => {
    const limited = await startProxy(node.rpcUrl, (method, _p, result) => (method === 'eth_getBlockReceipts' ? UNSUPPORTED : result))
    try {
      const src = createViemL1Source({ rpcUrls: [limited.url], batchSize: 4 })
      const h = await src.getHeader(typedBlock)
      expect(await src.getLogs(h, [emitter])).toEqual(await nodeLogs(typedBlock, emitter))
      expect(limited.counts.get('eth_getTransactionReceipt')).toBe(txCountTyped)
      // The "no such method" answer is remembered: the next block goes straight to per-tx receipts.
      expect(await src.getLogs(await src.getHeader(otherOnlyBlock), [other])).toEqual(await nodeLogs(otherOnlyBlock, other))
      expect(limited.counts.get('eth_getBlockReceipts')).toBe(1)
      expect(limited.counts.get('eth_getTransactionReceipt')).toBe(txCountTyped + 1)
    } finally {
      await limited.close()
    }
    // A lie in a per-transaction receipt is caught too.
    const liar = await startProxy(node.rpcUrl, (method, _p, result) => {
      if (method === 'eth_getBlockReceipts') return UNSUPPORTED
      if (method === 'eth_getTransactionReceipt' && (result as RawReceipt).logs.length > 0) {
        const r = clone(result) as RawReceipt
        r.logs = []
        return r
      }
      return result
    })
    try {
      const err = await createViemL1Source({ rpcUrls: [liar.url] }).getLogs(await header(typedBlock), [emitter]).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(L1DataIntegrityError)
    } finally {
      await liar.close()
    }
  }, 30_000)

  it('answers beyond sane sizes are refused: log data the block’s gas could not pay for; a response over the byte cap', async () => {
    const h = await header(typedBlock)
    const big = await startProxy(node.rpcUrl, lieAboutReceipts((r) => { r[0]!.logs[0]!.data = `0x${'00'.repeat(200_000)}` }))
    try {
      const err = await createViemL1Source({ rpcUrls: [big.url] }).getLogs(h, [emitter]).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(L1DataIntegrityError)
      expect((err as L1DataIntegrityError).details).toMatch(/more log data than/)
      const capped = await createViemL1Source({ rpcUrls: [big.url], maxResponseBytes: 100_000, retryCount: 0 }).getLogs(h, [emitter]).catch((e: unknown) => e)
      expect(capped).toBeInstanceOf(L1UnavailableError)
      expect(String((capped as Error & { cause?: unknown }).cause)).toMatch(/larger than 100000 bytes/)
    } finally {
      await big.close()
    }
  }, 30_000)

  it('honours an aborted signal', async () => {
    const src = createViemL1Source({ rpcUrls: [node.rpcUrl] })
    const h = await src.getHeader(typedBlock)
    await expect(src.getLogs(h, [emitter], { aborted: true })).rejects.toBeInstanceOf(L1ReadCancelledError)
  })
})

/** The EIP-7702 authority: its delegated code (the emitter's) logs under its own address. */
function authority(): Hex {
  return node.accounts[2]!.address.toLowerCase() as Hex
}
