/**
 * The withdrawal's storage proof read from an untrusted L2 node over real loopback JSON-RPC (eth_getProof with the
 * sentMessages slot at one block hash), rebuilt into portal form and verified against the checked storage root; a
 * node that answers with a malformed body, another storage root or a proof for another slot is refused, named.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { keccak256, stringToHex, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWithdrawalProof } from '../../../shared/rollups/op-stack/proof/withdrawalProof'
import { UntrustedL2DataError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { readUntrustedWithdrawalProof } from '../../../shared/rollups/op-stack/withdraw/readUntrustedWithdrawalProof'
import { buildL2WithdrawalState, messagePasserWithdrawal } from '../../../shared/rollups/op-stack/withdraw/test-support/l2WithdrawalState'
import { createRpcL2BlockSource } from './createRpcL2BlockSource'

const user = '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6'
const state = buildL2WithdrawalState({ withdrawals: [0n, 1n, 2n].map((n) => messagePasserWithdrawal({ n, sender: user, target: user, value: 1n + n })), embeddedLeaf: true })
const blockHash = keccak256(stringToHex('block'))
const orp = state.outputRootProof(blockHash)
let server: Server
let url: string
let lie: 'none' | 'malformed' | 'root' | 'slot' = 'none'
const asked: unknown[][] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const { id, params } = JSON.parse(body) as { id: number; params: unknown[] }
      asked.push(params)
      const proof = state.rpcStorageProof(lie === 'slot' ? 1 : 0)
      const result = lie === 'malformed' ? { storageHash: '0x12' } : { storageHash: lie === 'root' ? keccak256('0x01') : state.messagePasserStorageRoot, storageProof: [{ key: (params[1] as string[])[0], value: '0x1', proof }] }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret-key`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('messagePasserStorageProof over JSON-RPC', () => {
  it('asks for the withdrawal slot at the block hash and gives a proof the portal accepts', async () => {
    lie = 'none'
    const l2 = createRpcL2BlockSource({ url, retryCount: 0 })
    const proof = await readUntrustedWithdrawalProof({ l2, withdrawalHash: state.withdrawalHashes[0] as Hex, outputRootProof: orp })
    expect(verifyWithdrawalProof({ withdrawalHash: state.withdrawalHashes[0] as Hex, outputRootProof: orp, withdrawalProof: proof })).toBe(state.outputRoot(blockHash))
    expect(asked.at(-1)).toEqual(['0x4200000000000000000000000000000000000016', [expect.stringMatching(/^0x[0-9a-f]{64}$/)], { blockHash }])
  })
  for (const [mode, message] of [
    ['malformed', /not valid eth_getProof output/],
    ['root', /storage root is not the one in the checked output root/],
    ['slot', /storage proof for withdrawal .* does not verify/],
  ] as const) {
    it(`refuses a node that lies (${mode}), naming it by host only`, async () => {
      lie = mode
      const e = await readUntrustedWithdrawalProof({ l2: createRpcL2BlockSource({ url, retryCount: 0 }), withdrawalHash: state.withdrawalHashes[0] as Hex, outputRootProof: orp }).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(UntrustedL2DataError)
      expect((e as Error).message).toMatch(message)
      expect((e as Error).message).toMatch(/\(L2 node http:\/\/127\.0\.0\.1:\d+\)/)
      expect((e as Error).message).not.toMatch(/secret-key/)
    })
  }
})
