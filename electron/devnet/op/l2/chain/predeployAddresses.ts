/**
 * The devnet L2's predeploys (specs/protocol/predeploys.md): proxies at 0x4200…00XX, implementations at
 * 0xc0d3c0d3…XXXX (the OP monorepo's L2Genesis convention: the implementation address ends with the proxy's last two
 * bytes). Addresses named in shared/eth/predeploys are reused from there.
 */
import { getAddress, type Address } from 'viem'
import * as predeploys from '../../../../../shared/eth/predeploys'

export const L2_PREDEPLOYS = {
  l2ToL1MessagePasser: getAddress(predeploys.L2_TO_L1_MESSAGE_PASSER),
  l2CrossDomainMessenger: getAddress('0x4200000000000000000000000000000000000007'),
  l2StandardBridge: getAddress('0x4200000000000000000000000000000000000010'),
  sequencerFeeVault: getAddress(predeploys.SEQUENCER_FEE_VAULT),
  optimismMintableERC20Factory: getAddress('0x4200000000000000000000000000000000000012'),
  gasPriceOracle: getAddress(predeploys.GAS_PRICE_ORACLE),
  l1Block: getAddress(predeploys.L1_BLOCK),
  proxyAdmin: getAddress('0x4200000000000000000000000000000000000018'),
  baseFeeVault: getAddress(predeploys.BASE_FEE_VAULT),
  l1FeeVault: getAddress(predeploys.L1_FEE_VAULT),
} as const satisfies Record<string, Address>

/** 0xc0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3XXXX for the proxy 0x4200…XXXX. */
export function implementationAddress(proxy: Address): Address {
  return getAddress(`0xc0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3${proxy.slice(-4)}`)
}
