import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { erc20Abi, type Address } from 'viem'
import { startAnvil, type AnvilHandle } from '../anvil'
import { devnetPublicClient } from '../devnetClients'
import { readTokenExitRoute } from '../../../shared/rollups/arbitrum-nitro/status/readTokenExitRoute'
import { deployArbitrum, type ArbitrumDevnetDeployment } from './deploy'
import { deployDevnetL1Token, deployTokenBridge, depositTokenToL2, type DevnetTokenBridge } from './deployTokenBridge'
import { startArbitrumDevnet, type ArbitrumDevnet } from './startArbitrumDevnet'

describe('devnet token bridge (real @arbitrum/token-bridge-contracts on anvil and the devnet L2)', () => {
  let anvil: AnvilHandle
  let deployment: ArbitrumDevnetDeployment
  let l2: ArbitrumDevnet
  let bridge: DevnetTokenBridge

  beforeAll(async () => {
    anvil = await startAnvil()
    const [deployer, validator, batchPoster] = anvil.accounts
    if (!deployer || !validator || !batchPoster) throw new Error('anvil accounts missing')
    deployment = await deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer, validator, batchPoster })
    l2 = await startArbitrumDevnet({ l1: anvil, deployment, autoSequence: false })
    const t0 = performance.now()
    bridge = await deployTokenBridge({ l1: anvil, deployment, l2, deployer })
    console.log(`token bridge deployed in ${Math.round(performance.now() - t0)} ms`)
  }, 180_000)
  afterAll(async () => {
    await l2?.stop()
    await anvil?.stop()
  })

  it('deposits an L1 token to L2 through the gateway router (retryable auto-redeemed), and the route read from L1 matches', async () => {
    const [deployer, , , , , , user] = anvil.accounts
    if (!deployer || !user) throw new Error('anvil accounts missing')
    const token = await deployDevnetL1Token({ l1: anvil, minter: deployer, name: 'Drill Token', symbol: 'DRILL' })
    const { l2Token } = await depositTokenToL2({ l1: anvil, l2, bridge, token, minter: deployer, user, amount: 5n * 10n ** 18n })
    const l2Client = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })
    expect(await l2Client.readContract({ address: l2Token, abi: erc20Abi, functionName: 'balanceOf', args: [user.address as Address] })).toBe(5n * 10n ** 18n)
    expect(await l2Client.readContract({ address: l2Token, abi: erc20Abi, functionName: 'decimals' })).toBe(18)
    const l1 = devnetPublicClient(anvil.rpcUrl, { retryCount: 0 })
    // The escape's L1-only route read (readTokenExitRoute), untested before against real contracts.
    const route = await readTokenExitRoute({ l1, l1GatewayRouter: bridge.l1GatewayRouter, l1Token: token })
    expect(route).toEqual({ l1Token: token, l1Gateway: bridge.l1ERC20Gateway, l2Gateway: bridge.l2ERC20Gateway, l2GatewayRouter: bridge.l2GatewayRouter, l2Token })
    expect(await l1.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [bridge.l1ERC20Gateway] })).toBe(5n * 10n ** 18n)
  }, 120_000)
})
