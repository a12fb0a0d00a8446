/**
 * Forced withdrawal: an L1 deposit (OptimismPortal.depositTransaction) whose L2 transaction starts the withdrawal, so
 * the sequencer cannot leave it out (notes op-stack.md §4 "Forcing a withdrawal through a deposit"; specs
 * optimism-portal.md §depositTransaction, guaranteed-gas-market.md).
 * - ETH: to = L2ToL1MessagePasser (0x4200…0016), data = initiateWithdrawal(target, gasLimit, 0x), L2 value = amount
 *   (taken from the sender's L2 balance after the mint; `mint` ETH sent with the L1 tx is credited first).
 * - ERC-20: to = L2StandardBridge (0x4200…0010), data = withdrawTo(l2Token, to, amount, minGasLimit, 0x); one deposit
 *   per token (several tokens = several deposits in one job, each its own withdrawal).
 * Sent from the user's own L1 address (an EOA): on L2 the sender is that address, unaliased, so the withdrawal's
 * `sender` is the user. A contract caller is aliased and its withdrawal would come from the alias.
 * Gas: the L2 gas limit must be ≥ the portal's minimumGasLimit(len(data)) (21000 + 16/byte in portal 3.x, 40/byte in
 * the current spec: the stricter rule is used unless the caller passes the on-chain value); the portal burns L1 gas
 * for the L2 gas bought (resource metering), so the L1 transaction's gas must be estimated on L1 (estimateGas sees
 * the burn), never guessed. The deposit is in L2 within the sequencing window (depositInclusionDeadline).
 */
import { encodeFunctionData, getAddress, type Address, type Hex } from 'viem'
import { l2StandardBridgeAbi } from '../../../../contracts-abi/op-stack/L2StandardBridge'
import { l2ToL1MessagePasserAbi } from '../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import type { L1Call } from '../../../signing/l1Call'
import { ForcedWithdrawalInputError } from './errors'

export const L2_STANDARD_BRIDGE: Address = '0x4200000000000000000000000000000000000010'
/** L2 gas bought for the deposit that calls initiateWithdrawal (a storage write, the burn, an event: ~60k used). */
export const DEFAULT_ETH_WITHDRAWAL_L2_GAS = 150_000n
/** L2 gas for a bridge withdrawal (bridge → messenger → message passer, token burn: ~250k used). */
export const DEFAULT_ERC20_WITHDRAWAL_L2_GAS = 400_000n
/** Gas the L1 target gets when the withdrawal is finalized (an EOA needs 21000; the margin covers a simple contract). */
export const DEFAULT_ETH_WITHDRAWAL_L1_GAS = 100_000n
/** The standard bridge's default for the L1 side of a bridge message (StandardBridge.RECEIVE_DEFAULT_GAS_LIMIT). */
export const DEFAULT_BRIDGE_MIN_GAS_LIMIT = 200_000
const MAX_DEPOSIT_DATA_BYTES = 120_000

/** The portal's minimum L2 gas for `dataBytes` of calldata: the stricter of the 3.x and current rules. */
export function minimumDepositGas(dataBytes: number): bigint {
  return 21_000n + 40n * BigInt(dataBytes)
}

interface DepositCommon {
  l1ChainId: number
  portal: Address
  /** Names the chain in the description, e.g. "OP Mainnet". */
  networkName: string
  /** L2 gas bought; default per kind. */
  l2GasLimit?: bigint
  /** The portal's on-chain minimumGasLimit for this data length, when read; otherwise the stricter rule is used. */
  minimumGasLimit?: bigint
}

function depositCall(p: DepositCommon & { to: Address; l2Value: bigint; mint: bigint; data: Hex; gas: bigint; description: string }): L1Call {
  const bytes = (p.data.length - 2) / 2
  if (bytes > MAX_DEPOSIT_DATA_BYTES) throw new ForcedWithdrawalInputError(`The deposit's L2 calldata is ${bytes} bytes; the portal takes at most ${MAX_DEPOSIT_DATA_BYTES}.`)
  const minimum = p.minimumGasLimit ?? minimumDepositGas(bytes)
  if (p.gas < minimum) {
    throw new ForcedWithdrawalInputError(`An L2 gas limit of ${p.gas} is below the portal's minimum of ${minimum} for this deposit.`, { steps: [`Use an L2 gas limit of at least ${minimum}.`] })
  }
  if (p.gas > 0xffffffffffffffffn) throw new ForcedWithdrawalInputError('The L2 gas limit does not fit 64 bits.')
  return {
    chainId: p.l1ChainId,
    to: getAddress(p.portal),
    data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [p.to, p.l2Value, p.gas, false, p.data] }),
    value: p.mint,
    description: p.description,
  }
}

export interface BuildForcedEthWithdrawalTxParameters extends DepositCommon {
  /** Who receives the ETH on L1 when the withdrawal is finalized. */
  target: Address
  amount: bigint
  /** ETH sent with the L1 transaction and credited on L2 before the withdrawal (default 0: the L2 balance pays). */
  mint?: bigint
  /** L1 gas the target gets at finalization (default 100 000). */
  withdrawalGasLimit?: bigint
}

export function buildForcedEthWithdrawalTx(p: BuildForcedEthWithdrawalTxParameters): L1Call {
  if (p.amount <= 0n) throw new ForcedWithdrawalInputError('The amount to withdraw must be more than 0.')
  const mint = p.mint ?? 0n
  const withdrawalGasLimit = p.withdrawalGasLimit ?? DEFAULT_ETH_WITHDRAWAL_L1_GAS
  const data = encodeFunctionData({ abi: l2ToL1MessagePasserAbi, functionName: 'initiateWithdrawal', args: [getAddress(p.target), withdrawalGasLimit, '0x'] })
  return depositCall({
    ...p,
    to: getAddress(L2_TO_L1_MESSAGE_PASSER),
    l2Value: p.amount,
    mint,
    data,
    gas: p.l2GasLimit ?? DEFAULT_ETH_WITHDRAWAL_L2_GAS,
    description: `Force a withdrawal of ${p.amount} wei from ${p.networkName} to ${getAddress(p.target)} on L1, through OptimismPortal.depositTransaction (the L2 transaction the sequencer cannot skip)${mint > 0n ? `; ${mint} wei sent with it is credited on L2 first` : ''}.`,
  })
}

export interface Erc20Withdrawal {
  /** The token's L2 address (an OptimismMintableERC20 of the standard bridge). */
  l2Token: Address
  amount: bigint
  /** Shown to the user, e.g. "USDC". */
  symbol?: string
}

export interface BuildForcedErc20WithdrawalTxsParameters extends DepositCommon {
  /** Who receives the tokens on L1. */
  target: Address
  tokens: readonly Erc20Withdrawal[]
  /** Gas for the bridge's L1 side (default 200 000, the bridge's own default). */
  bridgeMinGasLimit?: number
}

/** One deposit per token, each calling L2StandardBridge.withdrawTo from the user's address on L2. */
export function buildForcedErc20WithdrawalTxs(p: BuildForcedErc20WithdrawalTxsParameters): L1Call[] {
  if (p.tokens.length === 0) throw new ForcedWithdrawalInputError('No token to withdraw was given.')
  const seen = new Set<string>()
  return p.tokens.map((t) => {
    const token = getAddress(t.l2Token)
    if (seen.has(token)) throw new ForcedWithdrawalInputError(`The token ${token} is listed twice; give one amount per token.`)
    seen.add(token)
    if (t.amount <= 0n) throw new ForcedWithdrawalInputError(`The amount of ${t.symbol ?? token} to withdraw must be more than 0.`)
    const data = encodeFunctionData({ abi: l2StandardBridgeAbi, functionName: 'withdrawTo', args: [token, getAddress(p.target), t.amount, p.bridgeMinGasLimit ?? DEFAULT_BRIDGE_MIN_GAS_LIMIT, '0x'] })
    return depositCall({
      ...p,
      to: L2_STANDARD_BRIDGE,
      l2Value: 0n,
      mint: 0n,
      data,
      gas: p.l2GasLimit ?? DEFAULT_ERC20_WITHDRAWAL_L2_GAS,
      description: `Force a withdrawal of ${t.amount} units of ${t.symbol ?? token} from ${p.networkName} to ${getAddress(p.target)} on L1 (L2StandardBridge.withdrawTo, sent through OptimismPortal.depositTransaction).`,
    })
  })
}
