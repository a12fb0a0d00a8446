/**
 * Tests: a user deposit through the devnet's real OptimismPortal2 (depositTransaction, user1 → user2, 0.5 ETH minted,
 * 0.3 ETH sent), then L1 mined past the sequencing window, 12 s apart like L1, so that derivation with no batcher
 * reaches the deposit's epoch through empty batches.
 */
import { getAddress, parseEther, type TransactionReceipt } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { DEVNET_ROLES, type Devnet } from '../../../devnet/devnet'
import { mine } from '../../../devnet/timeTravel'
import { devnetPublicClient, devnetWalletClient } from '../../../devnet/devnetClients'

export const DEPOSIT_MINT = parseEther('0.5')
export const DEPOSIT_VALUE = parseEther('0.3')

export interface DevnetDeposit {
  receipt: TransactionReceipt
  user: `0x${string}`
  recipient: `0x${string}`
}

export async function depositAndAdvance(devnet: Devnet, seqWindowSize: number, blocksAfter = seqWindowSize + 15): Promise<DevnetDeposit> {
  const userKey = devnet.anvil.accounts[DEVNET_ROLES.user1]!
  const user = getAddress(userKey.address)
  const recipient = getAddress(devnet.anvil.accounts[DEVNET_ROLES.user2]!.address)
  // A few empty L1 blocks after genesis, so the deposit's origin is not the genesis epoch.
  await mine(devnet.l1.rpcUrl, 3, 12)
  const wallet = devnetWalletClient(devnet.l1.rpcUrl, privateKeyToAccount(userKey.privateKey))
  const hash = await wallet.writeContract({
    address: devnet.manifest.op!.contracts.optimismPortal,
    abi: optimismPortal2Abi,
    functionName: 'depositTransaction',
    args: [recipient, DEPOSIT_VALUE, 100_000n, false, '0x'],
    value: DEPOSIT_MINT,
    chain: null,
  })
  const receipt = await devnetPublicClient(devnet.l1.rpcUrl).waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`the devnet deposit reverted: ${hash}`)
  await mine(devnet.l1.rpcUrl, blocksAfter, 12)
  return { receipt, user, recipient }
}
