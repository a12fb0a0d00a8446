/**
 * The devnet L2 against the app's own Arbitrum code (shared/rollups/arbitrum-nitro): every batch the devnet posted
 * decodes with the app's decoder to the same L2 messages and transaction hashes the devnet executed; the app's send
 * list check accepts the honest node and rejects the lying one; the app's tree gives the devnet's root and proof.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex, createPublicClient, createWalletClient, defineChain, encodeFunctionData, hexToBytes, http, parseEther, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { decodeBatch } from '../../../shared/rollups/arbitrum-nitro/derive/decodeBatch'
import { buildSendTree } from '../../../shared/rollups/arbitrum-nitro/proof/buildSendTree'
import { verifySendList } from '../../../shared/rollups/arbitrum-nitro/proof/verifySendList'
import { ArbSendRootMismatchError } from '../../../shared/rollups/arbitrum-nitro/errors'
import { readLatestConfirmedAssertion } from '../../../shared/rollups/arbitrum-nitro/status/readConfirmedAssertion'
import { readL2Sends } from '../../../shared/rollups/arbitrum-nitro/status/readL2Sends'
import { nodeBrotliDecompressor } from '../../services/flows/arbitrum/nodeBrotliDecompressor'
import { loadKzg } from '../../services/kzg'
import { startAnvil, type AnvilHandle } from '../anvil'
import { deployArbitrum, type ArbitrumDevnetDeployment } from './deploy'
import { ARB_SYS_ADDRESS, arbSysAbi } from './l2/l2Chain'
import { sendProofOf } from './l2/sendMerkleTree'
import { startArbitrumDevnet, type ArbitrumDevnet } from './startArbitrumDevnet'

describe('devnet Arbitrum L2 ↔ the app’s Arbitrum code', () => {
  let anvil: AnvilHandle
  let deployment: ArbitrumDevnetDeployment
  let l2: ArbitrumDevnet
  const user = privateKeyToAccount(generatePrivateKey())

  beforeAll(async () => {
    anvil = await startAnvil()
    const [deployer, validator, batchPoster] = anvil.accounts
    if (!deployer || !validator || !batchPoster) throw new Error('anvil accounts missing')
    deployment = await deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer, validator, batchPoster })
    l2 = await startArbitrumDevnet({ l1: anvil, deployment, autoSequence: false })
    const chain = defineChain({ id: l2.l2ChainId, name: 'devnet L2', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [l2.l2RpcUrl] } } })
    const wallet = createWalletClient({ account: user, chain, transport: http(l2.l2RpcUrl) })
    await l2.fund(user.address, parseEther('1'))
    await wallet.sendTransaction({ to: privateKeyToAccount(generatePrivateKey()).address, value: 7n })
    await l2.postBatchNow({ mode: 'blob' })
    for (const value of [parseEther('0.1'), parseEther('0.2'), parseEther('0.3')]) {
      await wallet.sendTransaction({ to: ARB_SYS_ADDRESS, value, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [user.address] }) })
    }
    await l2.postBatchNow({ mode: 'calldata' })
    await l2.postAndConfirmAssertionNow()
  })
  afterAll(async () => {
    await l2?.stop()
    await anvil?.stop()
  })

  it('decodes every devnet batch with the app decoder to the messages and tx hashes the devnet executed', async () => {
    const follower = l2.follower
    let delayedRead = 0n
    for (const batch of follower.batches) {
      let blobs: { kzg: ReturnType<typeof loadKzg>; blobs: Uint8Array[] } | undefined
      if (batch.dataLocation === 'Blob') {
        const body = (await (await fetch(`${anvil.beaconUrl}/eth/v1/beacon/blobs/${batch.l1BlockNumber}`)).json()) as { data: Hex[] }
        blobs = { kzg: loadKzg(), blobs: body.data.map((b) => hexToBytes(b)) }
      }
      const decoded = decodeBatch({
        data: hexToBytes(batch.sequencerData),
        header: { ...batch.header, afterDelayedMessagesRead: batch.header.afterDelayedMessages },
        delayedMessagesReadBefore: delayedRead,
        chainId: BigInt(l2.l2ChainId),
        decompressor: nodeBrotliDecompressor,
        blobs,
        readDelayedMessage: (index) => {
          const d = follower.delayed[Number(index)]
          return d && { ...d, data: bytesToHex(d.data) }
        },
      })
      delayedRead = batch.header.afterDelayedMessages
      const executed = l2.chain().blocks.slice(Number(batch.firstMessage), Number(batch.messageCountAfter))
      expect(decoded.messages.length, `batch ${batch.sequenceNumber}`).toBe(executed.length)
      decoded.messages.forEach((message, i) => {
        expect(message.transactions.map((t) => t.hash), `batch ${batch.sequenceNumber} message ${i}`).toEqual(executed[i]?.transactions.map((t) => t.hash))
      })
    }
    expect(follower.batches.map((b) => b.dataLocation)).toContain('Blob')
  })

  it('passes the app’s send-list check when honest, and fails it when the node lies', async () => {
    const l1 = createPublicClient({ transport: http(anvil.rpcUrl) })
    const l2Client = createPublicClient({ transport: http(l2.l2RpcUrl) })
    const confirmed = await readLatestConfirmedAssertion(l1, deployment.network)
    const sends = await readL2Sends(l2Client)
    const verified = verifySendList({ sends, confirmedSendRoot: confirmed.sendRoot, source: 'devnet L2' })
    expect(verified.size).toBe(3n)
    const hashes = verified.sends.map((s) => s.sendHash)
    const tree = buildSendTree(hashes, 2n)
    expect(tree.root).toBe(confirmed.sendRoot)
    expect(tree.proof).toEqual(sendProofOf(hashes, 2))

    l2.setLying(['send-list'])
    try {
      const lies = await readL2Sends(l2Client)
      expect(() => verifySendList({ sends: lies, confirmedSendRoot: confirmed.sendRoot, source: 'devnet L2' })).toThrow(ArbSendRootMismatchError)
    } finally {
      l2.setLying([])
    }
  })
})
