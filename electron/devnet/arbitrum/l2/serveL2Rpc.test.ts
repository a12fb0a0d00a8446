import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { concat, hexToBytes, numberToHex, stringToHex, type Address } from 'viem'
import { ArbitrumDevnetTxRejectedError } from '../errors'
import { L2Chain } from './l2Chain'
import { L1_MESSAGE_KIND } from './l2Types'
import { serveL2Rpc, type L2RpcServer } from './serveL2Rpc'

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
    expect((await post(JSON.stringify({ id: 1, method: 'eth_call', params: [{}] }))).json).toMatchObject({ error: { code: -32601, message: /not ArbOS/ } })
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
