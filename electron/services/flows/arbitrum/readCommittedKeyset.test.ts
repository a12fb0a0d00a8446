// The committee keyset a certificate names, read from the devnet's real SequencerInbox through the L1 gateway: the
// rollup owner commits a keyset (setValidKeyset, as on Nova), and readCommittedKeyset finds its bytes in the
// SetValidKeyset log, checks them against the hash, and applies the signer-count rule; an unknown keyset is refused.
import { bytesToHex, encodeFunctionData, parseAbi, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { encodeDasKeyset } from '../../../../shared/rollups/arbitrum-nitro/anytrust/dasKeyset'
import { dasTreeHash } from '../../../../shared/rollups/arbitrum-nitro/anytrust/dasTreeHash'
import { readCommittedKeyset } from '../../../../shared/rollups/arbitrum-nitro/anytrust/readCommittedKeyset'
import { ArbUntrustedDataError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/devnet'
import { devnetPublicClient, devnetWalletClient } from '../../../devnet/devnetClients'
import { openL1Gateway, type L1Gateway } from '../../l1/openL1Gateway'

let devnet: Devnet
let network: ArbitrumNetwork
let l1: L1Gateway
let committedAt: bigint
/** UpgradeExecutorMock (nitro-contracts mocks): the rollup owner's call-through. */
const upgradeExecutorAbi = parseAbi(['function executeCall(address target, bytes targetCallData) payable'])
const keyset = { assumedHonest: 2n, publicKeys: [`0x${'a1'.repeat(96)}`, `0x${'b2'.repeat(96)}`, `0x${'c3'.repeat(96)}`] as Hex[] }
const keysetBytes = encodeDasKeyset(keyset)
const keysetHash = dasTreeHash(keysetBytes)

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  network = devnet.arbitrum!.network
  const client = devnetPublicClient(devnet.l1.rpcUrl)
  // The rollup's owner is its UpgradeExecutor; the deployer holds its executor role.
  const deployer = privateKeyToAccount(devnet.anvil.accounts[DEVNET_ROLES.deployer]!.privateKey as Hex)
  const wallet = devnetWalletClient(devnet.l1.rpcUrl, deployer)
  const setValidKeyset = encodeFunctionData({ abi: sequencerInboxAbi, functionName: 'setValidKeyset', args: [bytesToHex(keysetBytes)] })
  const hash = await wallet.writeContract({
    address: devnet.arbitrum!.extraContracts.upgradeExecutor, abi: upgradeExecutorAbi, functionName: 'executeCall', args: [network.contracts.sequencerInbox, setValidKeyset], chain: null,
  })
  const receipt = await client.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  committedAt = receipt.blockNumber
  l1 = await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: network.l1ChainId })
}, 120_000)
afterAll(async () => {
  await devnet?.stop()
})

describe('readCommittedKeyset on the devnet SequencerInbox', () => {
  it('the SequencerInbox computes the same keyset hash as dasTreeHash, and the bytes come back from its log', async () => {
    const head = (await l1.pinBlock()).number
    const found = await readCommittedKeyset(l1, network, { keysetHash, signersMask: 0b111n }, head)
    expect(found.creationBlock).toBe(committedAt)
    expect(found.keyset).toEqual(keyset)
    expect(found.enoughSigners).toBe(true)
    expect((await readCommittedKeyset(l1, network, { keysetHash, signersMask: 0b001n }, head)).enoughSigners).toBe(false)
  })

  it('refuses a keyset that was not valid at the batch’s block, or that L1 never committed', async () => {
    await expect(readCommittedKeyset(l1, network, { keysetHash, signersMask: 1n }, committedAt - 1n)).rejects.toThrow(/does not hold valid at L1 block/)
    const other = dasTreeHash(encodeDasKeyset({ assumedHonest: 1n, publicKeys: [] }))
    const error = await readCommittedKeyset(l1, network, { keysetHash: other, signersMask: 1n }, committedAt).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ArbUntrustedDataError)
  })
})
