// The NodeInterface path end to end against real nodes: the devnet L2 JSON-RPC over a real L2Chain (honest, lying,
// without eth_call), anvil as a real node that has no NodeInterface, a closed port and a rate-limiting endpoint. The
// "confirmed" block hash and sendRoot are the chain's own, as the validator asserts them on L1.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { concat, encodeFunctionData, hexToBytes, numberToHex, parseEther, stringToHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../../../electron/devnet/anvil'
import { ARB_SYS_ADDRESS, L2Chain, L2_BASE_FEE, arbSysAbi } from '../../../../electron/devnet/arbitrum/l2/l2Chain'
import { L1_MESSAGE_KIND, type L2IncomingMessage } from '../../../../electron/devnet/arbitrum/l2/l2Types'
import { serveL2Rpc, type L2RpcServer, type LieKind } from '../../../../electron/devnet/arbitrum/l2/serveL2Rpc'
import { recordRpcCalls, summarizeRpcCalls } from '../../../../electron/services/l1/recordRpcCalls'
import { untrustedL2Client } from '../../../../electron/services/l1/openUntrustedL2Client'
import { EscapeError } from '../../../errors/EscapeError'
import { ArbSendRootMismatchError } from '../errors'
import { buildSendTree } from '../proof/buildSendTree'
import type { L2ToL1SendLog } from '../proof/decodeL2ToL1TxLog'
import { readConfirmedSendCount } from './readConfirmedSendCount'
import { readL2TxSends } from './readL2TxSends'
import { readNodeInterfaceProof } from './readNodeInterfaceProof'
import { readVerifiedWithdrawalProof } from './readVerifiedWithdrawalProof'

const SOURCE = 'the L2 RPC under test'
const chain = new L2Chain(412346)
const lies = new Set<LieKind>()
const user = privateKeyToAccount(generatePrivateKey())
const dest: Address = '0x000000000000000000000000000000000000bEEF'
const txHashes: Hex[] = []
let server: L2RpcServer
let anvil: AnvilHandle
let limiter: Server
let limiterUrl: string
/** The block after the 3rd send: what L1 confirmed (2 more sends come after it). */
let confirmed: { l2BlockHash: Hex; sendRoot: Hex }

const message = (kind: number, data: Hex, delayedMessagesRead: bigint, requestId: Hex | null): L2IncomingMessage => ({
  kind, poster: '0x0000000000000000000000000000000000001111', l1BlockNumber: 10n, timestamp: 1000n, requestId, l1BaseFee: 1n, data: hexToBytes(data), delayedMessagesRead,
})
const client = (url = server.url) => untrustedL2Client(url, { retryCount: 0 })

beforeAll(async () => {
  await chain.applyMessage(message(L1_MESSAGE_KIND.Initialize, concat([numberToHex(412346, { size: 32 }), '0x01', numberToHex(0, { size: 32 }), stringToHex('{}')]), 1n, numberToHex(0, { size: 32 })))
  await chain.applyMessage(message(L1_MESSAGE_KIND.EthDeposit, concat([user.address, numberToHex(parseEther('10'), { size: 32 })]), 2n, numberToHex(1, { size: 32 })))
  for (let nonce = 0; nonce < 5; nonce++) {
    const raw = await user.signTransaction({
      type: 'eip1559', chainId: 412346, nonce, to: ARB_SYS_ADDRESS, value: parseEther('0.1') * BigInt(nonce + 1), gas: 200_000n, maxFeePerGas: L2_BASE_FEE * 10n, maxPriorityFeePerGas: 0n,
      data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [dest] }),
    })
    const block = await chain.applyMessage(message(L1_MESSAGE_KIND.L2Message, concat(['0x04', raw]), 2n, null))
    txHashes.push(block.transactions[0]?.hash as Hex)
    if (nonce === 2) confirmed = { l2BlockHash: block.hash, sendRoot: block.sendRoot }
  }
  server = await serveL2Rpc({ chainId: 412346, refresh: async () => undefined, chain: () => chain, pendingNonce: () => 0n, submit: async () => '0x', lies: () => lies })
  anvil = await startAnvil()
  limiter = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      const { id } = JSON.parse(body) as { id: number }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32005, message: 'rate limited, slow down' } }))
    })
  })
  await new Promise<void>((resolve) => limiter.listen(0, '127.0.0.1', resolve))
  limiterUrl = `http://127.0.0.1:${(limiter.address() as AddressInfo).port}`
}, 60_000)
afterAll(async () => {
  await server?.close()
  await anvil?.stop()
  await new Promise((resolve) => limiter?.close(resolve))
})

async function ourSend(i: number): Promise<L2ToL1SendLog> {
  const sends = await readL2TxSends(client(), txHashes[i] as Hex, SOURCE)
  expect(sends).toHaveLength(1)
  return (sends as L2ToL1SendLog[])[0] as L2ToL1SendLog
}

async function withLies<T>(kinds: LieKind[], fn: () => Promise<T>): Promise<T> {
  for (const k of kinds) lies.add(k)
  try {
    return await fn()
  } finally {
    lies.clear()
  }
}

describe('readConfirmedSendCount', () => {
  it('reads sendCount from the header that hashes to the confirmed block hash', async () => {
    expect(await readConfirmedSendCount(client(), confirmed, SOURCE)).toEqual({ status: 'verified', sendCount: 3n, l2BlockNumber: chain.blocks.find((b) => b.hash === confirmed.l2BlockHash)?.number })
  })

  it('keeps a header that does not hash to the confirmed block as an unverified hint (or refuses it when its send root differs), and reports a block the node lacks as unavailable', async () => {
    // The lying node's header names another send root: refused.
    await withLies(['headers'], async () => {
      await expect(readConfirmedSendCount(client(), confirmed, SOURCE)).rejects.toThrow(/carries another send root/)
    })
    // The right send root, but a header that does not hash to the confirmed block (a lie, or a field set we do not
    // know): its count is only a hint, which the proof check against the confirmed root then decides.
    const honest = client()
    const skewed = { getBlock: async (args: Parameters<typeof honest.getBlock>[0]) => ({ ...(await honest.getBlock(args)), gasUsed: 1n }) }
    expect(await readConfirmedSendCount(skewed as unknown as typeof honest, confirmed, SOURCE)).toMatchObject({
      status: 'unverified',
      sendCount: 3n,
      reason: expect.stringMatching(/does not hash to the block hash confirmed on L1/),
    })
    expect(await readConfirmedSendCount(client(), { ...confirmed, l2BlockHash: `0x${'ab'.repeat(32)}` }, SOURCE)).toMatchObject({ status: 'unavailable', reason: /does not have the confirmed L2 block/ })
  })

  it('hashes a real Prague header (anvil: withdrawals, blob gas, beacon root, requests hash) exactly', async () => {
    const head = await client(anvil.rpcUrl).getBlock()
    // The hash check passes, so the next check (Arbitrum's sendRoot in extraData) is what refuses this non-Arbitrum header.
    await expect(readConfirmedSendCount(client(anvil.rpcUrl), { l2BlockHash: head.hash as Hex, sendRoot: `0x${'11'.repeat(32)}` }, 'anvil')).rejects.toThrow(/carries another send root/)
  })
})

describe('readNodeInterfaceProof: unavailable (fall back) versus failing (retry later)', () => {
  it('a node without NodeInterface (anvil: the call returns no data) and a node refusing eth_call are unavailable', async () => {
    expect(await readNodeInterfaceProof(client(anvil.rpcUrl), { size: 3n, leaf: 1n, source: 'anvil' })).toMatchObject({ status: 'unavailable', reason: /anvil has no NodeInterface/ })
    await withLies(['no-eth-call'], async () => {
      expect(await readNodeInterfaceProof(client(), { size: 3n, leaf: 1n, source: SOURCE })).toMatchObject({ status: 'unavailable', reason: /refused NodeInterface.constructOutboxProof: .*eth_call does not exist.*-32601/ })
    })
    // Nitro's own refusal (a leaf past the size) is a refusal too.
    expect(await readNodeInterfaceProof(client(), { size: 5n, leaf: 5n, source: SOURCE })).toMatchObject({ status: 'unavailable', reason: /newer than root of size 5/ })
  })

  it('a dead endpoint and a rate limit are thrown as temporary, not treated as "no NodeInterface"', async () => {
    const dead = `http://127.0.0.1:${(limiter.address() as AddressInfo).port + 1}`
    for (const url of [dead, limiterUrl]) {
      const error = await readNodeInterfaceProof(client(url), { size: 3n, leaf: 1n, source: url }).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(EscapeError)
      expect((error as EscapeError).kind).toBe('temporary')
      expect((error as EscapeError).shortMessage).toMatch(/did not answer the withdrawal-proof request/)
    }
  })
})

describe('readVerifiedWithdrawalProof', () => {
  it('proves a confirmed withdrawal through NodeInterface: one header, one eth_call, no logs', async () => {
    const send = await ourSend(1)
    const recorded = recordRpcCalls(server.url)
    const proven = await readVerifiedWithdrawalProof({ l2: recorded.client, send, confirmed, source: SOURCE })
    const tree = buildSendTree(chain.sends.slice(0, 3).map((s) => s.hash), 1n)
    expect(proven).toMatchObject({ status: 'proven', method: 'node-interface', size: 3n, index: 1n, root: confirmed.sendRoot, proof: tree.proof })
    expect(summarizeRpcCalls(recorded.calls).byMethod).toEqual({ eth_getBlockByHash: 1, eth_call: 1 })
    // With the confirmed size already known (journaled), not even the header.
    const again = recordRpcCalls(server.url)
    await readVerifiedWithdrawalProof({ l2: again.client, send, confirmed, size: 3n, source: SOURCE })
    expect(summarizeRpcCalls(again.calls).byMethod).toEqual({ eth_call: 1 })
  })

  it('with a header it cannot verify, uses the reported count only as a hint: the proof still decides, and a too-small count never says "not confirmed yet"', async () => {
    const honest = client()
    const withCount = (count: bigint) => ({
      ...honest,
      getBlock: async (args: Parameters<typeof honest.getBlock>[0]) => {
        const b = await honest.getBlock(args)
        // Keep the send root; set the count (mixHash[0:8]) and change another field, so the hash never matches.
        return { ...b, gasUsed: b.gasUsed + 1n, mixHash: `0x${count.toString(16).padStart(16, '0')}${b.mixHash.slice(18)}` as `0x${string}` }
      },
    }) as unknown as typeof honest
    const send = await ourSend(1)
    const progress: string[] = []
    const proven = await readVerifiedWithdrawalProof({ l2: withCount(3n), send, confirmed, source: SOURCE, onProgress: (m) => progress.push(m) })
    expect(proven).toMatchObject({ status: 'proven', method: 'node-interface', size: 3n, root: confirmed.sendRoot })
    expect(progress.join('\n')).toMatch(/the proof is still checked against the send root confirmed on L1/)
    // A node that under-reports the count to hide a confirmed withdrawal: the verified list decides instead.
    const hidden = await readVerifiedWithdrawalProof({ l2: withCount(1n), send, confirmed, source: SOURCE })
    expect(hidden).toMatchObject({ status: 'proven', method: 'send-list', size: 3n, fallbackReason: /reports only 1 confirmed withdrawals/ })
  })

  it('says "not confirmed yet" for a withdrawal past the confirmed size, without asking for a proof', async () => {
    const recorded = recordRpcCalls(server.url)
    const result = await readVerifiedWithdrawalProof({ l2: recorded.client, send: await ourSend(3), confirmed, source: SOURCE })
    expect(result).toEqual({ status: 'not-confirmed-yet', method: 'node-interface', size: 3n })
    expect(summarizeRpcCalls(recorded.calls).byMethod.eth_call).toBeUndefined()
  })

  it('falls back to the full send list when the node refuses eth_call or lacks the confirmed block, verified the same way', async () => {
    const send = await ourSend(2)
    const progress: string[] = []
    const viaList = await withLies(['no-eth-call'], () => readVerifiedWithdrawalProof({ l2: client(), send, confirmed, source: SOURCE, onProgress: (m) => progress.push(m) }))
    expect(viaList).toMatchObject({ status: 'proven', method: 'send-list', size: 3n, root: confirmed.sendRoot, fallbackReason: /refused NodeInterface/ })
    expect(progress.join('\n')).toMatch(/reading the full list of withdrawals instead/)
    const honest = await readVerifiedWithdrawalProof({ l2: client(), send, confirmed, source: SOURCE })
    expect(viaList.status === 'proven' && honest.status === 'proven' && viaList.proof).toEqual(honest.status === 'proven' && honest.proof)
    // L1 confirmed a block this node does not have: the list (which needs no count) still decides.
    const unknownBlock = await readVerifiedWithdrawalProof({ l2: client(), send, confirmed: { sendRoot: confirmed.sendRoot, l2BlockHash: `0x${'cd'.repeat(32)}` }, source: SOURCE })
    expect(unknownBlock).toMatchObject({ status: 'proven', method: 'send-list', fallbackReason: /does not have the confirmed L2 block/ })
  })

  it('refuses a lying node before anything is built: altered sends, a proof for another send, a root for another tree', async () => {
    const honestSend = await ourSend(1)
    await withLies(['send-list'], async () => {
      // The receipt and the proof lie together (a self-consistent altered list): its root is not the confirmed one.
      const liedSend = await ourSend(1)
      expect(liedSend.value).toBe(honestSend.value + 1n)
      await expect(readVerifiedWithdrawalProof({ l2: client(), send: liedSend, confirmed, source: SOURCE })).rejects.toThrow(ArbSendRootMismatchError)
      // Our own (honest) withdrawal against the lying proof: the node proves another send.
      await expect(readVerifiedWithdrawalProof({ l2: client(), send: honestSend, confirmed, source: SOURCE })).rejects.toThrow(/built its withdrawal proof for another send than yours/)
      // The lying list in the fallback path is refused too.
      lies.add('no-eth-call')
      await expect(readVerifiedWithdrawalProof({ l2: client(), send: honestSend, confirmed, source: SOURCE })).rejects.toThrow(ArbSendRootMismatchError)
    })
    // A journaled size that is not the confirmed one: the honest node's proof is for another tree.
    await expect(readVerifiedWithdrawalProof({ l2: client(), send: honestSend, confirmed, size: 4n, source: SOURCE })).rejects.toThrow(/The send root from the L2 RPC under test does not match/)
  })

  it('reads our withdrawal from our transaction’s receipt only (undefined when the node has no receipt)', async () => {
    expect(await readL2TxSends(client(), `0x${'99'.repeat(32)}`, SOURCE)).toBeUndefined()
    const send = await ourSend(4)
    expect(send).toMatchObject({ position: 4n, to: dest, value: parseEther('0.5'), l2TransactionHash: txHashes[4] })
  })
})
