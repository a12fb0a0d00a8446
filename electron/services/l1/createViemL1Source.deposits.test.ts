/**
 * getLogs on the real devnet: anvil L1 with the real OP Stack L1 contracts (their deployment emits SystemConfig
 * ConfigUpdate events) and a real deposit through OptimismPortal2.depositTransaction (TransactionDeposited). Every
 * L1 block is read the way derivation reads it; each answer must equal the node's own eth_getLogs, and came either
 * from the bloom alone or from receipts that rebuilt the header's receiptsRoot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, encodeEventTopics, http, parseEther, toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getL2TransactionHashes } from 'viem/op-stack'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import type { L1Log } from '../../../shared/l1/L1Source'
import { startDevnet, DEVNET_ROLES, type Devnet } from '../../devnet/devnet'
import { createViemL1Source } from './createViemL1Source'

let devnet: Devnet
let portal: Hex
let systemConfig: Hex
let depositBlock: number
let depositTx: Hex

async function nodeLogs(url: string, block: number, addresses: Hex[]): Promise<L1Log[]> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getLogs', params: [{ fromBlock: toHex(block), toBlock: toHex(block), address: addresses }] }) })
  const logs = ((await r.json()) as { result: { address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; transactionIndex: Hex; transactionHash: Hex; blockHash: Hex; blockNumber: Hex }[] }).result
  return logs.map((l) => ({
    address: l.address.toLowerCase() as Hex, topics: l.topics, data: l.data, logIndex: Number(l.logIndex), transactionIndex: Number(l.transactionIndex),
    transactionHash: l.transactionHash, blockHash: l.blockHash, blockNumber: Number(l.blockNumber),
  }))
}

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['op'] })
  portal = devnet.manifest.op!.contracts.optimismPortal as Hex
  systemConfig = devnet.manifest.op!.contracts.systemConfig as Hex
  const userKey = devnet.anvil.accounts[DEVNET_ROLES.user1]!
  const wallet = createWalletClient({ account: privateKeyToAccount(userKey.privateKey), transport: http(devnet.l1.rpcUrl) })
  const hash = await wallet.writeContract({
    address: portal, abi: optimismPortal2Abi, functionName: 'depositTransaction',
    args: [devnet.anvil.accounts[DEVNET_ROLES.user2]!.address, parseEther('0.3'), 100_000n, false, '0x'], value: parseEther('0.5'), chain: null,
  })
  const receipt = await createPublicClient({ transport: http(devnet.l1.rpcUrl) }).waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  depositBlock = Number(receipt.blockNumber)
  depositTx = hash
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
})

describe('viem L1Source getLogs on the real OP devnet', () => {
  it('deposits and SystemConfig updates verify against receiptsRoot; other blocks are skipped by their bloom', async () => {
    const requests: string[] = []
    const src = createViemL1Source({ rpcUrls: [devnet.l1.rpcUrl], onRequest: (_e, m) => requests.push(m) })
    const head = (await src.getHeader('latest')).number
    const watched = [portal, systemConfig]
    let depositLogs: L1Log[] = []
    let configUpdates = 0
    const configUpdateTopic = encodeEventTopics({ abi: [{ type: 'event', name: 'ConfigUpdate', inputs: [{ name: 'version', type: 'uint256', indexed: true }, { name: 'updateType', type: 'uint8', indexed: true }, { name: 'data', type: 'bytes', indexed: false }] }] as const, eventName: 'ConfigUpdate' })[0]
    for (let n = 0; n <= head; n++) {
      const h = await src.getHeader(n)
      const logs = await src.getLogs(h, watched)
      expect(logs, `block ${n}`).toEqual(await nodeLogs(devnet.l1.rpcUrl, n, watched))
      configUpdates += logs.filter((l) => l.address === systemConfig.toLowerCase() && l.topics[0] === configUpdateTopic).length
      if (n === depositBlock) depositLogs = logs.filter((l) => l.address === portal.toLowerCase())
    }
    expect(configUpdates).toBeGreaterThan(0)
    expect(depositLogs).toHaveLength(1)
    expect(depositLogs[0]!.transactionHash).toBe(depositTx)
    // The verified log gives the same L2 deposit hash viem computes from the node's receipt.
    const receipt = await createPublicClient({ transport: http(devnet.l1.rpcUrl) }).getTransactionReceipt({ hash: depositTx })
    const fromVerified = getL2TransactionHashes({ logs: depositLogs.map((l) => ({ ...l, blockNumber: BigInt(l.blockNumber), removed: false })) as never })
    expect(fromVerified).toEqual(getL2TransactionHashes(receipt))
    // Every block was answered from the bloom or from receipts checked against receiptsRoot; no eth_getLogs.
    expect(src.stats.bloomSkips + src.stats.receiptsVerified).toBe(head + 1)
    expect(src.stats.receiptsVerified).toBeGreaterThan(0)
    expect(src.stats.bloomSkips).toBeGreaterThan(0)
    expect(requests.filter((m) => m === 'eth_getBlockReceipts')).toHaveLength(src.stats.receiptsVerified)
    expect(requests.filter((m) => m === 'eth_getLogs')).toEqual([])
  }, 120_000)
})
