/**
 * A deposit-only OP chain on the devnet for rebuild tests and benches: anvil + the real OP L1 contracts, a small
 * genesis (Holocene+ at genesis, one funded account) and no batcher, so every epoch past the sequencing window is
 * derived as empty batches with its deposits. The L2 length is set by L1 time: each L1 block `l1StepSeconds` after
 * the previous one gives l1StepSeconds / block_time L2 blocks, so 10^4 L2 blocks need only ~170 L1 blocks 120 s apart.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseEther, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { encodeFeeExtraData } from '../../../../shared/rollups/op-stack/common/feeExtraData'
import { devnetRollupConfig } from '../../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import { buildGenesis } from '../../../../shared/rollups/op-stack/genesis/buildGenesis'
import { parseGenesis, type Genesis } from '../../../../shared/rollups/op-stack/genesis/parseGenesis'
import { startAnvil, type AnvilHandle } from '../../../devnet/anvil'
import { devnetPublicClient, devnetWalletClient } from '../../../devnet/devnetClients'
import { opManifestEntry } from '../../../devnet/manifest'
import { deployOpStack } from '../../../devnet/op/deploy'
import { mine } from '../../../devnet/timeTravel'

export interface DepositOnlyChain {
  anvil: AnvilHandle
  config: RollupConfig
  genesis: Genesis
  /** genesis.json written into the folder given (the worker reads it from disk). */
  genesisPath: string
  /** The last L1 block to derive from. */
  toL1Block: number
  /** The funded L2 account the deposits go to. */
  user: Hex
}

export interface DepositOnlyChainParameters {
  /** Where genesis.json is written. */
  dir: string
  /** L1 blocks mined after the deposits. */
  l1Blocks: number
  /** L1 seconds between those blocks (default 12). */
  l1StepSeconds?: number
}

export async function startDepositOnlyChain(p: DepositOnlyChainParameters): Promise<DepositOnlyChain> {
  const user = '0x00000000000000000000000000000000000000aa' as Hex
  const anvil = await startAnvil()
  try {
    const [deployer, batcher, proposer, challenger] = anvil.accounts
    const deployment = await deployOpStack({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil })
    const client = devnetPublicClient(anvil.rpcUrl)
    const startBlock = await client.getBlock({ blockNumber: BigInt(deployment.startBlock) })
    const make = (l2Hash: string): RollupConfig =>
      devnetRollupConfig(opManifestEntry(deployment), { l1: { hash: startBlock.hash, number: deployment.startBlock }, l2: { hash: l2Hash, number: 0 }, l2Time: Number(startBlock.timestamp) })
    // Holocene+ at genesis: the genesis header already carries the fee parameters (Jovian format, min base fee 0).
    const draft = make(`0x${'00'.repeat(32)}`)
    const extraData = encodeFeeExtraData(draft, Number(startBlock.timestamp), undefined, 0n)
    const genesisJson = { timestamp: Number(startBlock.timestamp), gasLimit: 30_000_000, baseFeePerGas: 1_000_000_000, extraData, alloc: { [user]: { balance: '0x1' } } }
    const genesis = parseGenesis(genesisJson)
    const config = make(buildGenesis({ genesis, config: draft }).blockHash)
    const genesisPath = join(p.dir, 'genesis.json')
    await writeFile(genesisPath, JSON.stringify(genesisJson))

    // Two deposits on L1, each followed by 5 L1 blocks 12 s apart, then the requested L1 blocks.
    const wallet = devnetWalletClient(anvil.rpcUrl, privateKeyToAccount(anvil.accounts[6]!.privateKey))
    for (const value of [parseEther('1'), parseEther('2')]) {
      const hash = await wallet.writeContract({ address: deployment.contracts.optimismPortal, abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [user, value, 100_000n, false, '0x'], value, chain: null })
      await client.waitForTransactionReceipt({ hash })
      await mine(anvil.rpcUrl, 5, 12)
    }
    await mine(anvil.rpcUrl, p.l1Blocks, p.l1StepSeconds ?? 12)
    return { anvil, config, genesis, genesisPath, toL1Block: Number(await client.getBlockNumber()), user }
  } catch (e) {
    await anvil.stop()
    throw e
  }
}
