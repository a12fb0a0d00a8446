/**
 * Deploys the OP Stack L1 contracts (deployOpStack) together with the devnet L2's genesis, so each is built against
 * the other: the L2 genesis needs the L1 bridge and messenger addresses (its predeploys point at them) and the L1
 * token its bridged ERC-20 represents; the AnchorStateRegistry needs the L2 genesis output root as its starting
 * anchor. deployOpStack calls back once the other L1 contracts are initialised (the SystemConfig's start block — the
 * L2 genesis's L1 origin and timestamp — is then known); the genesis is built there and its output root becomes the
 * anchor. The result is checked: the anchor on L1 is the genesis output root recomputed by buildGenesis.
 */
import { encodeDeployData, getAddress, type Address } from 'viem'
import { weth98Abi } from '../../../../../contracts-abi/op-stack/WETH98'
import { connectDevnetL1, sendDevnetTransaction, type DevnetL1 } from '../../../sendDevnetTransaction'
import { deployOpStack, devnetBatchInbox, DEVNET_OP_PARAMETERS, type DeployOpStackParameters, type OpStackDevnetDeployment } from '../../deploy'
import { OpDeployError } from '../../errors'
import { readBedrockArtifact } from '../../readBedrockArtifact'
import { buildDevnetL2Genesis, type DevnetL2Genesis } from './buildDevnetL2Genesis'

export interface DeployOpStackWithL2Parameters extends Omit<DeployOpStackParameters, 'startingAnchor'> {
  /** The L2 ERC-20 on the standard bridge; its L1 side is a WETH98 deployed on the devnet L1. Default WETH. */
  token?: { name: string; symbol: string }
  /** Sequencing window in L1 blocks (default: devnetRollupConfig's, 20). */
  seqWindowSize?: number
  /** L2 ETH at genesis for accounts that need gas before any deposit (the escape user should be funded by deposits). */
  l2Prefund?: Readonly<Record<Address, bigint>>
}

export interface OpL2Devnet {
  deployment: OpStackDevnetDeployment
  genesis: DevnetL2Genesis
  /** The WETH98 on L1 and its OptimismMintableERC20 on L2. */
  l1Token: Address
  l2Token: Address
}

export async function deployOpStackWithL2(p: DeployOpStackWithL2Parameters): Promise<OpL2Devnet> {
  let genesis: DevnetL2Genesis | undefined
  let l1Token: Address | undefined
  const token = p.token ?? { name: 'Wrapped Ether', symbol: 'WETH' }
  const deployment = await deployOpStack({
    ...p,
    startingAnchor: async ({ contracts, startBlock }) => {
      const l1: DevnetL1 = await connectDevnetL1(p.rpcUrl, p.l1Node)
      l1Token = await deployL1Token(l1, p)
      const start = await l1.public.getBlock({ blockNumber: BigInt(startBlock) })
      const l2ChainId = p.l2ChainId ?? DEVNET_OP_PARAMETERS.l2ChainId
      genesis = await buildDevnetL2Genesis({
        l2ChainId,
        owner: getAddress(p.deployer.address),
        l1: { l1StandardBridge: contracts.l1StandardBridge, l1CrossDomainMessenger: contracts.l1CrossDomainMessenger, token: l1Token },
        token,
        ...(p.l2Prefund ? { prefund: p.l2Prefund } : {}),
        deployment: {
          l1ChainId: l1.chain.id,
          l2ChainId,
          batchInbox: devnetBatchInbox(l2ChainId),
          contracts: { optimismPortal: contracts.optimismPortal, systemConfig: contracts.systemConfig, superchainConfig: contracts.superchainConfig },
          roles: { batcher: getAddress(p.batcher.address) },
          parameters: { basefeeScalar: DEVNET_OP_PARAMETERS.basefeeScalar, blobbasefeeScalar: DEVNET_OP_PARAMETERS.blobbasefeeScalar, gasLimit: DEVNET_OP_PARAMETERS.gasLimit.toString() },
        },
        l1Start: { number: startBlock, hash: start.hash, timestamp: start.timestamp },
        gasLimit: DEVNET_OP_PARAMETERS.gasLimit,
        ...(p.seqWindowSize === undefined ? {} : { seqWindowSize: p.seqWindowSize }),
      })
      return { root: genesis.outputRoot, l2BlockNumber: 0n }
    },
  })
  if (!genesis || !l1Token) throw new OpDeployError('Devnet step failed: the OP Stack deployment never asked for the L2 genesis.')
  if (deployment.startingAnchor.root !== genesis.outputRoot || deployment.startBlock !== genesis.rollupConfig.genesis.l1.number) {
    throw new OpDeployError('Devnet step failed: the AnchorStateRegistry anchor is not the L2 genesis output root.', {
      details: `anchor ${deployment.startingAnchor.root} at L1 start ${deployment.startBlock}; genesis output root ${genesis.outputRoot} at L1 ${genesis.rollupConfig.genesis.l1.number}`,
    })
  }
  return { deployment, genesis, l1Token, l2Token: genesis.l2Token }
}

async function deployL1Token(l1: DevnetL1, p: DeployOpStackWithL2Parameters): Promise<Address> {
  const data = encodeDeployData({ abi: weth98Abi, bytecode: readBedrockArtifact('WETH98').bytecode })
  const receipt = await sendDevnetTransaction({ l1, step: 'deploy the devnet L1 token (WETH98)', ErrorClass: OpDeployError, abi: weth98Abi, send: () => l1.walletFor(p.deployer).sendTransaction({ data }) })
  if (!receipt.contractAddress) throw new OpDeployError('Devnet step failed: deploy the devnet L1 token (WETH98). No contract address in the receipt.')
  return getAddress(receipt.contractAddress)
}
