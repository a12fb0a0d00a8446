import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { concat, decodeFunctionResult, encodeEventTopics, encodeFunctionData, hexToBytes, numberToHex, parseEther, stringToHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { nodeInterfaceAbi } from '../../../../contracts-abi/arbitrum-nitro/NodeInterface'
import { ArbitrumDevnetTxRejectedError } from '../errors'
import { ARB_SYS_ADDRESS, L2Chain, L2_BASE_FEE, arbSysAbi, sendHashOf } from './l2Chain'
import { L1_MESSAGE_KIND, type L2IncomingMessage } from './l2Types'
import { sendProofOf, sendRootOf } from './sendMerkleTree'
import { NODE_INTERFACE_ADDRESS, serveL2Rpc, type L2RpcServer, type LieKind } from './serveL2Rpc'

// The server over a real (L1-less) L2Chain: what an untrusted client can send it, and what it answers.
describe('devnet L2 JSON-RPC server', () => {
  let server: L2RpcServer
  const chain = new L2Chain(412346)
  const poster: Address = '0x0000000000000000000000000000000000001111'

  beforeAll(async () => {
    await chain.applyMessage({
      kind: L1_MESSAGE_KIND.Initialize,
      poster,
      l1BlockNumber: 1n,
      timestamp: 100n,
      requestId: numberToHex(0, { size: 32 }),
      l1BaseFee: 1n,
      data: hexToBytes(concat([numberToHex(412346, { size: 32 }), '0x01', numberToHex(0, { size: 32 }), stringToHex('{}')])),
      delayedMessagesRead: 1n,
    })
    server = await serveL2Rpc({
      chainId: 412346,
      refresh: async () => undefined,
      chain: () => chain,
      pendingNonce: (a) => chain.account(a).nonce,
      submit: async () => {
        throw new ArbitrumDevnetTxRejectedError('The devnet sequencer is censoring 0xabc and refused its transaction.')
      },
      lies: () => new Set(),
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  const post = async (body: string) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return { status: response.status, json: (await response.json()) as unknown }
  }

  it('answers the supported methods with Arbitrum block fields', async () => {
    const { json } = await post(JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'eth_getBlockByNumber', params: ['latest', false] },
    ]))
    const [chainId, block] = json as [{ result: string }, { result: Record<string, string> }]
    expect(chainId.result).toBe(numberToHex(412346))
    expect(block.result.hash).toBe(chain.blocks[0]?.hash)
    expect(block.result.sendCount).toBe('0x0')
    expect(block.result.sendRoot).toBe(`0x${'0'.repeat(64)}`)
    expect(block.result.mixHash?.slice(0, 18)).toBe('0x0000000000000000')
  })

  it('turns bad input into JSON-RPC errors, never a crash', async () => {
    expect((await post('{not json')).json).toMatchObject({ error: { code: -32700 } })
    expect((await post(JSON.stringify({ id: 1, method: 5 }))).json).toMatchObject({ error: { code: -32600 } })
    expect((await post(JSON.stringify({ id: 1, method: 'eth_call', params: [{ to: '0x12' }] }))).json).toMatchObject({ error: { code: -32602 } })
    expect((await post(JSON.stringify({ id: 1, method: 'eth_getBalance', params: ['0x12', 'latest'] }))).json).toMatchObject({ error: { code: -32602 } })
    expect((await post(JSON.stringify({ id: 1, method: 'eth_getBlockByNumber', params: ['soon'] }))).json).toMatchObject({ error: { code: -32602 } })
    expect((await post(JSON.stringify([]))).json).toMatchObject({ error: { code: -32600 } })
    expect((await post(JSON.stringify({ id: 1, method: 'eth_sendRawTransaction', params: ['0x02'] }))).json).toMatchObject({ error: { code: -32000, message: /censoring/ } })
    const huge = await post(JSON.stringify({ id: 1, method: 'eth_sendRawTransaction', params: [`0x${'00'.repeat(5 * 1024 * 1024)}`] }))
    expect(huge.status).toBe(413)
    // still serving
    expect((await post(JSON.stringify({ id: 9, method: 'eth_blockNumber' }))).json).toMatchObject({ id: 9, result: '0x0' })
  })
})

// eth_call serves exactly NodeInterface.constructOutboxProof, from the chain's own sends; everything else is refused.
describe('devnet L2 JSON-RPC: NodeInterface.constructOutboxProof', () => {
  let server: L2RpcServer
  const chain = new L2Chain(412346)
  const lies = new Set<LieKind>()
  const user = privateKeyToAccount(generatePrivateKey())
  const dest: Address = '0x000000000000000000000000000000000000bEEF'
  const poster: Address = '0x0000000000000000000000000000000000001111'
  const message = (kind: number, data: Hex, delayedMessagesRead: bigint, requestId: Hex | null): L2IncomingMessage => ({
    kind, poster, l1BlockNumber: 10n, timestamp: 1000n, requestId, l1BaseFee: 1n, data: hexToBytes(data), delayedMessagesRead,
  })
  let blockAfterFirstTwo = 0n

  beforeAll(async () => {
    await chain.applyMessage(message(L1_MESSAGE_KIND.Initialize, concat([numberToHex(412346, { size: 32 }), '0x01', numberToHex(0, { size: 32 }), stringToHex('{}')]), 1n, numberToHex(0, { size: 32 })))
    await chain.applyMessage(message(L1_MESSAGE_KIND.EthDeposit, concat([user.address, numberToHex(parseEther('10'), { size: 32 })]), 2n, numberToHex(1, { size: 32 })))
    for (let nonce = 0; nonce < 5; nonce++) {
      const raw = await user.signTransaction({
        type: 'eip1559', chainId: 412346, nonce, to: ARB_SYS_ADDRESS, value: parseEther('0.1') * BigInt(nonce + 1), gas: 200_000n, maxFeePerGas: L2_BASE_FEE * 10n, maxPriorityFeePerGas: 0n,
        data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [dest] }),
      })
      const block = await chain.applyMessage(message(L1_MESSAGE_KIND.L2Message, concat(['0x04', raw]), 2n, null))
      if (nonce === 1) blockAfterFirstTwo = block.number
    }
    server = await serveL2Rpc({
      chainId: 412346,
      refresh: async () => undefined,
      chain: () => chain,
      pendingNonce: (a) => chain.account(a).nonce,
      submit: async () => '0x',
      lies: () => lies,
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  const call = async (data: Hex, to: Address = NODE_INTERFACE_ADDRESS, block: string = 'latest') => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to, data }, block] }) })
    return (await response.json()) as { result?: Hex; error?: { code: number; message: string } }
  }
  const proofCall = (size: bigint, leaf: bigint) => encodeFunctionData({ abi: nodeInterfaceAbi, functionName: 'constructOutboxProof', args: [size, leaf] })
  const decode = (data: Hex) => decodeFunctionResult({ abi: nodeInterfaceAbi, functionName: 'constructOutboxProof', data })

  it('answers the send, root and proof of the chain’s own send tree, for any confirmed size', async () => {
    const hashes = chain.sends.map((s) => s.hash)
    expect(hashes).toHaveLength(5)
    for (const [size, leaf] of [[5n, 3n], [5n, 0n], [3n, 2n], [1n, 0n]] as const) {
      const { result } = await call(proofCall(size, leaf))
      const [send, root, proof] = decode(result as Hex)
      const prefix = hashes.slice(0, Number(size))
      expect(send).toBe(prefix[Number(leaf)])
      expect(root).toBe(sendRootOf(prefix))
      expect(proof).toEqual(sendProofOf(prefix, Number(leaf)))
    }
    // The root of all sends is the one the chain's latest header carries.
    expect(decode((await call(proofCall(5n, 4n))).result as Hex)[1]).toBe(chain.blocks.at(-1)?.sendRoot)
  })

  it('refuses what Nitro refuses, and every other eth_call, with JSON-RPC errors', async () => {
    expect(await call(proofCall(5n, 5n))).toMatchObject({ error: { code: -32000, message: /leaf 5 is newer than root of size 5/ } })
    expect(await call(proofCall(6n, 0n))).toMatchObject({ error: { code: -32000, message: /size 6 is not a send count/ } })
    expect(await call(proofCall(0n, 0n))).toMatchObject({ error: { code: -32000 } })
    // At an earlier block only the sends made by then exist.
    expect(await call(proofCall(3n, 0n), NODE_INTERFACE_ADDRESS, numberToHex(blockAfterFirstTwo))).toMatchObject({ error: { code: -32000, message: /2 sends at that block/ } })
    expect((await call(proofCall(2n, 1n), NODE_INTERFACE_ADDRESS, numberToHex(blockAfterFirstTwo))).result).toMatch(/^0x/)
    const other = encodeFunctionData({ abi: nodeInterfaceAbi, functionName: 'nitroGenesisBlock' })
    expect(await call(other)).toMatchObject({ error: { code: -32601, message: /serves only constructOutboxProof/ } })
    // Other addresses run on the EVM: ArbSys reverts an unknown selector, as a Nitro precompile does.
    expect(await call(proofCall(5n, 3n), ARB_SYS_ADDRESS)).toMatchObject({ error: { code: 3, message: 'execution reverted' } })
    expect(await call('0x1234')).toMatchObject({ error: { code: -32601 } })
  })

  it('lies in send-list mode (a self-consistent proof of an altered list) and refuses eth_call in no-eth-call mode', async () => {
    const honest = decode((await call(proofCall(5n, 3n))).result as Hex)
    lies.add('send-list')
    try {
      const [send, root, proof] = decode((await call(proofCall(5n, 3n))).result as Hex)
      expect(send).not.toBe(honest[0])
      expect(root).not.toBe(honest[1])
      const altered = chain.sends.map((s) => sendHashOf({ ...s, callvalue: s.callvalue + 1n }))
      expect([send, root, proof]).toEqual([altered[3], sendRootOf(altered), sendProofOf(altered, 3)])
    } finally {
      lies.clear()
    }
    lies.add('no-eth-call')
    try {
      expect(await call(proofCall(5n, 3n))).toMatchObject({ error: { code: -32601, message: /eth_call does not exist/ } })
    } finally {
      lies.clear()
    }
  })

  it('hides the L2ToL1Tx logs from receipts in receipts mode, while eth_getLogs still lists them', async () => {
    const rpc = async <T>(method: string, params: unknown[]): Promise<T> =>
      ((await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json()) as { result: T }).result
    const topic = encodeEventTopics({ abi: arbSysAbi, eventName: 'L2ToL1Tx' })[0] as Hex
    const sendLogsInReceipt = async () =>
      (await rpc<{ logs: { topics: Hex[] }[] }>('eth_getTransactionReceipt', [chain.sends[2]?.transactionHash])).logs.filter((l) => l.topics[0] === topic).length
    const sendLogs = async () => (await rpc<unknown[]>('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: ARB_SYS_ADDRESS, topics: [topic] }])).length
    expect(await sendLogsInReceipt()).toBe(1)
    lies.add('receipts')
    try {
      expect(await sendLogsInReceipt()).toBe(0)
      expect(await sendLogs()).toBe(chain.sends.length)
    } finally {
      lies.clear()
    }
  })
})
