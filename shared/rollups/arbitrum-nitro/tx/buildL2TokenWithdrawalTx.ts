/**
 * The user's own L2 transaction for an ERC-20 exit: `L2GatewayRouter.outboundTransfer(l1Token, to, amount, "0x")`
 * (token-bridge-contracts L2GatewayRouter / L2ArbitrumGateway). The router sends it to the token's L2 gateway, which
 * burns the L2 token and calls ArbSys.sendTxToL1(l1Gateway, finalizeInboundTransfer(…)); on L1 the Outbox executes
 * that message and the L1 gateway releases the tokens (verifyTokenWithdrawalSend checks the send before that).
 *
 * The router address comes from L1 (readTokenExitRoute: L1GatewayRouter.counterpartGateway()), never assumed. Like
 * the ETH withdrawal it is signed now, never broadcast on L2, and carried through the delayed inbox, so the fee cap
 * has the same headroom (buildL2WithdrawalTx).
 */
import { encodeFunctionData, type Address } from 'viem'
import { EscapeError } from '../../../errors/EscapeError'
import type { UnsignedTxRequest } from '../../../signing/unsignedTxRequest'
import { l2MaxFeePerGas, L2_FEE_HEADROOM } from './buildL2WithdrawalTx'
import { l2GatewayRouterAbi } from './tokenGatewayAbi'

/**
 * A standard-gateway withdrawal (router → gateway → burn → ArbSys) uses about 150k L2 gas; custom gateways may do
 * more. The unused part is not charged.
 */
export const L2_TOKEN_WITHDRAWAL_GAS = 800_000n

export interface BuildL2TokenWithdrawalTxParameters {
  l2ChainId: number
  /** The account's next L2 nonce (untrusted hint; a wrong one only makes ArbOS drop the tx). */
  nonce: number
  /** The L2GatewayRouter, read from L1 (readTokenExitRoute). */
  l2GatewayRouter: Address
  /** The token's L1 address (the router maps it to its gateway). */
  l1Token: Address
  /** Who receives the tokens on L1. */
  destination: Address
  /** In the token's smallest unit. */
  amount: bigint
  currentL2BaseFee?: bigint
}

export interface BuildL2TokenWithdrawalTxReturnType {
  request: UnsignedTxRequest
  /** The most the L2 account pays in gas (ETH); its ETH balance must cover it. */
  maxGasCost: bigint
  explanation: string[]
}

export function buildL2TokenWithdrawalTx(params: BuildL2TokenWithdrawalTxParameters): BuildL2TokenWithdrawalTxReturnType {
  if (params.amount <= 0n) throw new EscapeError('The token amount to withdraw must be more than zero.', { kind: 'user-action' })
  const maxFeePerGas = l2MaxFeePerGas(params.currentL2BaseFee)
  const request: UnsignedTxRequest = {
    type: 'eip1559',
    chainId: params.l2ChainId,
    nonce: params.nonce,
    gas: L2_TOKEN_WITHDRAWAL_GAS,
    to: params.l2GatewayRouter,
    value: 0n,
    data: encodeFunctionData({
      abi: l2GatewayRouterAbi,
      functionName: 'outboundTransfer',
      args: [params.l1Token, params.destination, params.amount, '0x'],
    }),
    maxFeePerGas,
    maxPriorityFeePerGas: 0n,
  }
  const maxGasCost = L2_TOKEN_WITHDRAWAL_GAS * maxFeePerGas
  return {
    request,
    maxGasCost,
    explanation: [
      `This L2 transaction asks the token gateway router to withdraw ${params.amount} units of token ${params.l1Token} to ${params.destination} on L1. It is signed now and only runs when it is forced in, at least a day from now.`,
      `Nonce ${params.nonce}: if you send any other L2 transaction before it runs, it will be dropped and you will need to start again.`,
      `Fee cap ${maxFeePerGas} wei per gas (${L2_FEE_HEADROOM}× today's L2 base fee, at least 1 gwei). You pay only the actual fee, at most ${maxGasCost} wei of ETH on L2.`,
    ],
  }
}
