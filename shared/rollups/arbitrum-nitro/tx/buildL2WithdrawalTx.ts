/**
 * The user's own L2 transaction that will travel through the delayed inbox: ArbSys.withdrawEth(destination) with
 * `value` (notes §3.1). It is signed for the L2 chain id and never broadcast on L2 — it is wrapped into
 * sendL2Message on L1 — so its nonce and fees must still be valid when it is finally sequenced, possibly a day or more
 * later (notes §1.1: ArbOS drops it if the nonce or fee cap no longer fit). Hence a fee cap far above today's L2 base
 * fee, and a gas limit with headroom; the unused part is not charged.
 */
import { encodeFunctionData, type Address } from 'viem'
import { arbSysAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbSys'
import type { UnsignedTxRequest } from '../../../signing/unsignedTxRequest'
import { EscapeError } from '../../../errors/EscapeError'

export const ARB_SYS_ADDRESS: Address = '0x0000000000000000000000000000000000000064'

/** An ArbSys withdrawEth costs well under 200k L2 gas; delayed-inbox txs pay no L1 data fee (notes §1.1). */
export const L2_WITHDRAWAL_GAS = 300_000n
/** Arbitrum's L2 base fee floor is 0.01 gwei (One) / 0.1 gwei (Nova); 1 gwei covers >100× today's typical fee. */
export const MIN_L2_MAX_FEE_PER_GAS = 1_000_000_000n
/** Multiple of the current L2 base fee, for a wait of ≥ 24 h through the delayed inbox. */
export const L2_FEE_HEADROOM = 20n

export interface BuildL2WithdrawalTxParameters {
  l2ChainId: number
  /** The account's next L2 nonce. Taken from an L2 RPC (untrusted): a wrong one only makes ArbOS drop the tx. */
  nonce: number
  destination: Address
  value: bigint
  /** Current L2 base fee if known (untrusted hint); the fee cap never goes below MIN_L2_MAX_FEE_PER_GAS. */
  currentL2BaseFee?: bigint
}

export interface BuildL2WithdrawalTxReturnType {
  request: UnsignedTxRequest
  /** The most the L2 account pays in gas; balance must cover value + maxGasCost. */
  maxGasCost: bigint
  /** Plain-language explanation of the nonce and fee choice, for the user. */
  explanation: string[]
}

/** The fee cap of an L2 tx that waits ≥ 24 h in the delayed inbox: L2_FEE_HEADROOM × today's base fee, at least 1 gwei. */
export function l2MaxFeePerGas(currentL2BaseFee: bigint | undefined): bigint {
  const suggested = (currentL2BaseFee ?? 0n) * L2_FEE_HEADROOM
  return suggested > MIN_L2_MAX_FEE_PER_GAS ? suggested : MIN_L2_MAX_FEE_PER_GAS
}

export function buildL2WithdrawalTx(params: BuildL2WithdrawalTxParameters): BuildL2WithdrawalTxReturnType {
  if (params.value <= 0n) throw new EscapeError('The amount to withdraw must be more than zero.', { kind: 'user-action' })
  const maxFeePerGas = l2MaxFeePerGas(params.currentL2BaseFee)
  const request: UnsignedTxRequest = {
    type: 'eip1559',
    chainId: params.l2ChainId,
    nonce: params.nonce,
    gas: L2_WITHDRAWAL_GAS,
    to: ARB_SYS_ADDRESS,
    value: params.value,
    data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [params.destination] }),
    maxFeePerGas,
    // Arbitrum does not pay tips to anyone; a tip would only be burned.
    maxPriorityFeePerGas: 0n,
  }
  const maxGasCost = L2_WITHDRAWAL_GAS * maxFeePerGas
  return {
    request,
    maxGasCost,
    explanation: [
      `This L2 transaction is signed now but only runs when it is forced in, at least a day from now. It is not sent to the L2 network.`,
      `Nonce ${params.nonce}: your next L2 nonce. If you send any other L2 transaction before it runs, it will be dropped and you will need to start again.`,
      `Fee cap ${maxFeePerGas} wei per gas (${L2_FEE_HEADROOM}× today's L2 base fee, at least 1 gwei), so it still runs if L2 fees rise meanwhile. You pay only the actual fee, at most ${maxGasCost} wei.`,
    ],
  }
}
