/**
 * The Arbitrum token bridge on the devnet, from the real contracts of npm `@arbitrum/token-bridge-contracts` 1.2.5
 * (their compiled Hardhat artifacts; nothing is re-compiled or mocked):
 *
 * - on the devnet L2 EVM (signed transactions of the deployer, sequenced and posted to L1 like any other):
 *   StandardArbERC20 (logic) behind an UpgradeableBeacon, BeaconProxyFactory, L2ERC20Gateway, L2GatewayRouter;
 * - on the devnet L1 (anvil): L1ERC20Gateway and L1GatewayRouter wired to the real Inbox.
 *
 * `depositTokenToL2` then moves an L1 token to L2 exactly as a user does: approve the L1 gateway, call
 * L1GatewayRouter.outboundTransfer, which creates a retryable ticket (kind 9) whose auto-redeem on the devnet L2 runs
 * L2ERC20Gateway.finalizeInboundTransfer: the first deposit of a token deploys its L2 token (a ClonableBeaconProxy
 * through the factory, CREATE2) and mints to the user. The devnet L2's ArbSys and retryables are emulations (see
 * startArbitrumDevnet.ts); the gateway contracts are the ones Arbitrum One runs (versions of the package).
 *
 * Deployed lazily (only when a drill or test asks for tokens): about 10 L1 and 8 L2 transactions.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { encodeAbiParameters, encodeDeployData, encodeFunctionData, getAddress, getContractAddress, keccak256, parseEther, zeroAddress, type Abi, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { devnetPublicClient } from '../devnetClients'
import { l1GatewayRouterAbi } from '../../../shared/rollups/arbitrum-nitro/tx/tokenGatewayAbi'
import { Deployer, type ArbitrumDevnetDeployment } from './deploy'
import { ArbitrumDeployError } from './errors'
import { L2_BASE_FEE } from './l2/l2Chain'
import { parseHardhatArtifact, type NitroArtifact } from './readNitroArtifact'
import { createL1Clients, sendL1Transaction, type DevnetKey } from './sendL1Transaction'
import type { ArbitrumDevnet } from './startArbitrumDevnet'

export const TOKEN_BRIDGE_PACKAGE = '@arbitrum/token-bridge-contracts'
export const TOKEN_BRIDGE_VERSION = '1.2.5'

export interface DevnetTokenBridge {
  l1GatewayRouter: Address
  l1ERC20Gateway: Address
  l2GatewayRouter: Address
  l2ERC20Gateway: Address
  l2BeaconProxyFactory: Address
  l2Beacon: Address
}

let packageRoot: string | undefined
function tokenBridgeRoot(): string {
  if (packageRoot) return packageRoot
  const require = createRequire(import.meta.url)
  let manifestPath: string
  try {
    manifestPath = require.resolve(`${TOKEN_BRIDGE_PACKAGE}/package.json`)
  } catch (cause) {
    throw new ArbitrumDeployError(`${TOKEN_BRIDGE_PACKAGE} is not installed.`, { steps: ['Reinstall dependencies (npm ci).'], cause })
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown }
  if (manifest.version !== TOKEN_BRIDGE_VERSION) {
    throw new ArbitrumDeployError(`The installed ${TOKEN_BRIDGE_PACKAGE} is version ${String(manifest.version)}, not ${TOKEN_BRIDGE_VERSION}.`, {
      steps: ['Reinstall dependencies (npm ci).'],
    })
  }
  packageRoot = dirname(manifestPath)
  return packageRoot
}

function readArtifactFile(root: string, path: string, contractName: string): NitroArtifact {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(join(root, path), 'utf8'))
  } catch (cause) {
    throw new ArbitrumDeployError(`Cannot read the contract artifact ${path} of ${TOKEN_BRIDGE_PACKAGE}.`, { steps: ['Reinstall dependencies (npm ci).'], cause })
  }
  return parseHardhatArtifact(path, contractName, json)
}

/** A token-bridge artifact by its source path under contracts/tokenbridge, e.g. ('ethereum/gateway/L1GatewayRouter.sol', 'L1GatewayRouter'). */
export function readTokenBridgeArtifact(source: string, contractName: string): NitroArtifact {
  return readArtifactFile(tokenBridgeRoot(), `build/contracts/contracts/tokenbridge/${source}/${contractName}.json`, contractName)
}

/** The OpenZeppelin 4.8.3 artifacts the token bridge was built against (its own dependency). */
function readOpenZeppelinArtifact(contractName: string): NitroArtifact {
  const require = createRequire(join(tokenBridgeRoot(), 'package.json'))
  const root = dirname(require.resolve('@openzeppelin/contracts/package.json'))
  return readArtifactFile(root, `build/contracts/${contractName}.json`, contractName)
}

const GAS_PER_L2_TX = 8_000_000n
const L2_FEE_CAP = L2_BASE_FEE * 10n

/** Sends the deployer's L2 transactions through the devnet sequencer (not the L1 inbox) and checks each one ran. */
class L2Sender {
  private readonly client
  private readonly account
  constructor(
    private readonly l2: ArbitrumDevnet,
    key: DevnetKey,
    public nonce: number,
  ) {
    this.client = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })
    this.account = privateKeyToAccount(key.privateKey)
  }

  async send(what: string, tx: { to?: Address; data: Hex }): Promise<{ what: string; hash: Hex }> {
    const raw = await this.account.signTransaction({
      type: 'eip1559', chainId: this.l2.l2ChainId, nonce: this.nonce++, gas: GAS_PER_L2_TX, maxFeePerGas: L2_FEE_CAP, maxPriorityFeePerGas: 0n, value: 0n, ...tx,
    })
    const hash = (await this.client.request({ method: 'eth_sendRawTransaction', params: [raw] })) as Hex
    return { what, hash }
  }

  async settle(sent: readonly { what: string; hash: Hex }[]): Promise<void> {
    await this.l2.postBatchNow()
    await this.l2.sync()
    for (const s of sent) {
      const receipt = await this.client.getTransactionReceipt({ hash: s.hash }).catch(() => undefined)
      if (!receipt || receipt.status !== 'success') {
        throw new ArbitrumDeployError(`Devnet step failed: ${s.what} on the devnet L2 (${receipt ? 'reverted' : 'not included'}).`, { details: s.hash })
      }
    }
  }
}

export interface DeployTokenBridgeParameters {
  l1: { rpcUrl: string }
  deployment: Pick<ArbitrumDevnetDeployment, 'network'>
  l2: ArbitrumDevnet
  /** Owns nothing special: deploys on L1 and L2 (it is funded on L2 by an L1 deposit of its own). */
  deployer: DevnetKey
  signal?: AbortSignal
}

/** Deploy and wire the standard token bridge on both sides (see the module comment). */
export async function deployTokenBridge(params: DeployTokenBridgeParameters): Promise<DevnetTokenBridge> {
  const clients = await createL1Clients(params.l1.rpcUrl)
  const { l2, deployer: key } = params
  const inbox = params.deployment.network.contracts.inbox
  const l1 = new Deployer(clients, key, params.signal)
  const art = {
    l1Router: readTokenBridgeArtifact('ethereum/gateway/L1GatewayRouter.sol', 'L1GatewayRouter'),
    l1Gateway: readTokenBridgeArtifact('ethereum/gateway/L1ERC20Gateway.sol', 'L1ERC20Gateway'),
    l2Router: readTokenBridgeArtifact('arbitrum/gateway/L2GatewayRouter.sol', 'L2GatewayRouter'),
    l2Gateway: readTokenBridgeArtifact('arbitrum/gateway/L2ERC20Gateway.sol', 'L2ERC20Gateway'),
    token: readTokenBridgeArtifact('arbitrum/StandardArbERC20.sol', 'StandardArbERC20'),
    factory: readTokenBridgeArtifact('libraries/ClonableBeaconProxy.sol', 'BeaconProxyFactory'),
    proxy: readTokenBridgeArtifact('libraries/ClonableBeaconProxy.sol', 'ClonableBeaconProxy'),
    beacon: readOpenZeppelinArtifact('UpgradeableBeacon'),
  }
  // L1 contracts first (their addresses are the L2 side's counterparts), then the L2 side at addresses known from the
  // deployer's L2 nonce, then the L1 side's initialisation (it needs the L2 addresses).
  const l1Router = await l1.deploy('L1GatewayRouter', art.l1Router)
  const l1Gateway = await l1.deploy('L1ERC20Gateway', art.l1Gateway)

  await l2.depositFromL1(key, parseEther('1'))
  const l2Client = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })
  const sender = new L2Sender(l2, key, await l2Client.getTransactionCount({ address: key.address as Address, blockTag: 'pending' }))
  const at = (offset: number) => getContractAddress({ from: key.address as Address, nonce: BigInt(sender.nonce + offset) })
  const l2Logic = at(0)
  const l2Beacon = at(1)
  const l2Factory = at(2)
  const l2Gateway = at(3)
  const l2Router = at(4)
  const deploy = (what: string, a: NitroArtifact, args: readonly unknown[] = []) =>
    sender.send(`deploy ${what}`, { data: encodeDeployData({ abi: a.abi, bytecode: a.bytecode, args } as Parameters<typeof encodeDeployData>[0]) })
  const call = (what: string, to: Address, abi: Abi, functionName: string, args: readonly unknown[]) =>
    sender.send(what, { to, data: encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]) })
  const sent = [
    await deploy('StandardArbERC20', art.token),
    await deploy('UpgradeableBeacon', art.beacon, [l2Logic]),
    await deploy('BeaconProxyFactory', art.factory),
    await deploy('L2ERC20Gateway', art.l2Gateway),
    await deploy('L2GatewayRouter', art.l2Router),
    await call('BeaconProxyFactory.initialize', l2Factory, art.factory.abi, 'initialize', [l2Beacon]),
    await call('L2ERC20Gateway.initialize', l2Gateway, art.l2Gateway.abi, 'initialize', [l1Gateway, l2Router, l2Factory]),
    await call('L2GatewayRouter.initialize', l2Router, art.l2Router.abi, 'initialize', [l1Router, l2Gateway]),
  ]
  await sender.settle(sent)

  // The hash the L1 gateway predicts L2 token addresses with: the factory's own constant, checked against the artifact.
  const cloneableProxyHash = (await l2Client.readContract({ address: l2Factory, abi: art.factory.abi, functionName: 'cloneableProxyHash' })) as Hex
  if (cloneableProxyHash !== keccak256(art.proxy.bytecode)) {
    throw new ArbitrumDeployError(`Devnet step failed: the L2 BeaconProxyFactory's cloneableProxyHash ${cloneableProxyHash} is not the hash of the ClonableBeaconProxy artifact.`)
  }
  await l1.call('L1ERC20Gateway.initialize', l1Gateway, art.l1Gateway.abi, 'initialize', [l2Gateway, l1Router, inbox, cloneableProxyHash, l2Factory])
  await l1.call('L1GatewayRouter.initialize', l1Router, art.l1Router.abi, 'initialize', [key.address, l1Gateway, zeroAddress, l2Router, inbox])
  const routed = getAddress((await clients.public.readContract({ address: l1Router, abi: l1GatewayRouterAbi, functionName: 'counterpartGateway' })) as Address)
  if (routed !== l2Router) throw new ArbitrumDeployError(`Devnet step failed: the L1GatewayRouter's counterpart is ${routed}, not ${l2Router}.`)
  return { l1GatewayRouter: l1Router, l1ERC20Gateway: l1Gateway, l2GatewayRouter: l2Router, l2ERC20Gateway: l2Gateway, l2BeaconProxyFactory: l2Factory, l2Beacon }
}

/** An ERC-20 on the devnet L1 (OpenZeppelin 4.8.3 ERC20PresetMinterPauser, 18 decimals) that `minter` can mint. */
export async function deployDevnetL1Token(params: { l1: { rpcUrl: string }; minter: DevnetKey; name: string; symbol: string; signal?: AbortSignal }): Promise<Address> {
  const clients = await createL1Clients(params.l1.rpcUrl)
  return new Deployer(clients, params.minter, params.signal).deploy(`${params.symbol} token`, readOpenZeppelinArtifact('ERC20PresetMinterPauser'), [params.name, params.symbol])
}

/** Gas the deposit's retryable gets on L2 (the first deposit of a token also deploys its L2 token, about 700k). */
export const DEPOSIT_L2_GAS = 2_000_000n

export interface DepositTokenToL2Parameters {
  l1: { rpcUrl: string }
  l2: ArbitrumDevnet
  bridge: DevnetTokenBridge
  token: Address
  /** Mints the amount to the user first. */
  minter: DevnetKey
  user: DevnetKey
  amount: bigint
}

/**
 * Mint `amount` of an L1 token to the user, and deposit it to the same address on L2 through the L1GatewayRouter;
 * resolves once the retryable's auto-redeem credited it on L2. Returns the L2 token's address (predicted on L1).
 */
export async function depositTokenToL2(p: DepositTokenToL2Parameters): Promise<{ l1TxHash: Hex; l2Token: Address }> {
  const clients = await createL1Clients(p.l1.rpcUrl)
  const user = p.user.address as Address
  const erc20 = readOpenZeppelinArtifact('ERC20PresetMinterPauser').abi
  await new Deployer(clients, p.minter, undefined).call('mint the token to the user', p.token, erc20, 'mint', [user, p.amount])
  const wallet = clients.walletFor(p.user)
  await sendL1Transaction(clients, 'approve the L1 gateway', ArbitrumDeployError, () =>
    wallet.sendTransaction({ to: p.token, data: encodeFunctionData({ abi: erc20, functionName: 'approve', args: [p.bridge.l1ERC20Gateway, p.amount] }) }),
  )
  const maxSubmissionCost = parseEther('0.01')
  const gasPriceBid = L2_BASE_FEE * 10n
  const routerAbi = readTokenBridgeArtifact('ethereum/gateway/L1GatewayRouter.sol', 'L1GatewayRouter').abi
  const receipt = await sendL1Transaction(clients, 'deposit the token through L1GatewayRouter.outboundTransfer', ArbitrumDeployError, () =>
    wallet.sendTransaction({
      to: p.bridge.l1GatewayRouter,
      value: maxSubmissionCost + DEPOSIT_L2_GAS * gasPriceBid,
      data: encodeFunctionData({
        abi: routerAbi,
        functionName: 'outboundTransfer',
        args: [p.token, user, p.amount, DEPOSIT_L2_GAS, gasPriceBid, encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], [maxSubmissionCost, '0x'])],
      }),
    }),
  )
  const l2Token = getAddress((await clients.public.readContract({ address: p.bridge.l1GatewayRouter, abi: l1GatewayRouterAbi, functionName: 'calculateL2TokenAddress', args: [p.token] })) as Address)
  await p.l2.postBatchNow()
  await p.l2.sync()
  const l2Client = devnetPublicClient(p.l2.l2RpcUrl, { retryCount: 0 })
  const balance = (await l2Client.readContract({ address: l2Token, abi: erc20, functionName: 'balanceOf', args: [user] }).catch(() => 0n)) as bigint
  if (balance < p.amount) {
    throw new ArbitrumDeployError(`Devnet step failed: the token deposit did not reach L2 (the user holds ${balance} of ${l2Token}, expected at least ${p.amount}).`, {
      details: receipt.transactionHash,
    })
  }
  return { l1TxHash: receipt.transactionHash, l2Token }
}

