/**
 * Where an ERC-20 exit goes, read from L1 only (trusted as far as the user's L1 endpoints are): the token's L1
 * gateway from `L1GatewayRouter.getGateway(l1Token)` (standard or custom, never assumed), its L2 counterpart
 * (`counterpartGateway()` on that gateway), the L2 router (`counterpartGateway()` on the L1 router) and the token's
 * L2 address (`calculateL2TokenAddress`). The L2 node is asked nothing: the send that comes back is checked against
 * these addresses (verifyTokenWithdrawalSend) before anything is signed on L1.
 */
import { getAddress, zeroAddress, type Address } from 'viem'
import type { ArbL1Client } from '../l1Client'
import { ArbNotFoundError } from '../errors'
import { l1GatewayRouterAbi, l1TokenGatewayAbi } from '../tx/tokenGatewayAbi'

export interface ReadTokenExitRouteParameters {
  l1: Pick<ArbL1Client, 'readContract'>
  l1GatewayRouter: Address
  l1Token: Address
  /** Pin every read to one L1 block. */
  blockNumber?: bigint
}

export interface TokenExitRoute {
  l1Token: Address
  l1Gateway: Address
  l2Gateway: Address
  l2GatewayRouter: Address
  l2Token: Address
}

export async function readTokenExitRoute(params: ReadTokenExitRouteParameters): Promise<TokenExitRoute> {
  const at = params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }
  const read = <T>(address: Address, abi: typeof l1GatewayRouterAbi | typeof l1TokenGatewayAbi, functionName: string, args: readonly unknown[] = []): Promise<T> =>
    params.l1.readContract({ address, abi, functionName, args, ...at } as never) as Promise<T>
  const l1Gateway = getAddress(await read<Address>(params.l1GatewayRouter, l1GatewayRouterAbi, 'getGateway', [params.l1Token]))
  if (l1Gateway === zeroAddress) {
    throw new ArbNotFoundError(`Token ${params.l1Token} has no gateway on the L1 gateway router ${params.l1GatewayRouter}.`, {
      steps: ['Check that this is the token’s L1 address (not its L2 address) and that the token was ever bridged through this router.'],
    })
  }
  const [l2Gateway, l2GatewayRouter, l2Token] = await Promise.all([
    read<Address>(l1Gateway, l1TokenGatewayAbi, 'counterpartGateway'),
    read<Address>(params.l1GatewayRouter, l1GatewayRouterAbi, 'counterpartGateway'),
    read<Address>(params.l1GatewayRouter, l1GatewayRouterAbi, 'calculateL2TokenAddress', [params.l1Token]),
  ])
  return { l1Token: getAddress(params.l1Token), l1Gateway, l2Gateway: getAddress(l2Gateway), l2GatewayRouter: getAddress(l2GatewayRouter), l2Token: getAddress(l2Token) }
}
