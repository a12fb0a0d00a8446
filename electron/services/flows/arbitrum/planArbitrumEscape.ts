/**
 * Before anything is signed or journaled: check everything that can be checked now, and show the user what will
 * happen — which transactions they will sign, when, and what the L1 fees will be. The windows (force-inclusion delay,
 * confirm period) are read live from L1; dates are estimates from the deadline engine (the L1's measured block time).
 *
 * Checks: the L1 endpoints' contracts are the chain's (checkArbitrumWiring); the L2 RPC is on the right chain; the
 * amount plus the L2 fee fits the L2 balance the L2 node reports (untrusted: said so); the L1 account can pay the L1
 * fees of all three L1 transactions at today's fees (sendL2Message estimated with eth_estimateGas, which also shows a
 * refusing Inbox before anything is signed; forceInclusion and executeTransaction from conservative limits, because
 * they depend on L1 state that does not exist yet).
 */
import { decodeFunctionResult, encodeFunctionData, erc20Abi, formatEther, formatGwei, formatUnits, getAddress, serializeTransaction, zeroAddress, type Address, type PublicClient } from 'viem'
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../../shared/errors/EscapeError'
import { ArbUntrustedDataError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import type { ArbL2Client } from '../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { readForceInclusionDeadline } from '../../../../shared/rollups/arbitrum-nitro/status/getForceInclusionStatus'
import { checkArbitrumWiring, readArbitrumParameters } from '../../../../shared/rollups/arbitrum-nitro/status/readArbitrumParameters'
import { buildL2WithdrawalTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildL2TokenWithdrawalTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2TokenWithdrawalTx'
import { readTokenExitRoute, type TokenExitRoute } from '../../../../shared/rollups/arbitrum-nitro/status/readTokenExitRoute'
import type { UnsignedTxRequest } from '../../../../shared/signing/unsignedTxRequest'
import { escapeLegs, type ArbitrumEscapeParams, type EscapeLeg } from './arbitrumEscapeJob'
import { buildSendL2MessageTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import { toSerializable } from '../../../../shared/signing/unsignedTxRequest'
import { L1_PRIORITY_FEE } from '../../broadcast/prepareL1Request'
import type { L1Clock } from '../../../../shared/deadlines/deadline'
import { formatDuration } from '../../../../shared/deadlines/countdown'
import { l1BlocksToSeconds } from '../../../../shared/deadlines/l1BlockDate'
import { readL1Clock } from '../../../../shared/deadlines/readL1Clock'
import { estimateBlockTime } from './estimateWithdrawalConfirmation'
import type { ArbL1FullClient } from './runArbitrumEscape'

/** Gas limits for the two later L1 transactions (devnet: forceInclusion ≈ 106k, executeTransaction ≈ 99k used). */
export const FORCE_INCLUSION_GAS_ESTIMATE = 200_000n
export const EXECUTE_TRANSACTION_GAS_ESTIMATE = 250_000n

export class EscapePlanError extends EscapeError {
  override name = 'EscapePlanError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('EscapePlanError', EscapePlanError)

export interface PlanArbitrumEscapeParameters {
  l1: ArbL1FullClient & Pick<PublicClient, 'getBalance' | 'getCode'>
  l2: ArbL2Client
  network: ArbitrumNetwork
  account: Address
  destination: Address
  /** ETH to take out (0 when only tokens). */
  amountWei: bigint
  /** ERC-20s to take out through the token gateways (issue 16), as the job will journal them. */
  tokens?: ArbitrumEscapeParams['tokens']
  /** The L2 nonce to use instead of the L2 node's. */
  l2Nonce?: number
}

/** One asset of the plan, with what was read for it (the route from L1; the L2 balance from the untrusted node). */
export interface PlannedAsset {
  kind: 'eth' | 'erc20'
  amount: bigint
  l1Token?: Address
  symbol?: string
  decimals: number
  route?: TokenExitRoute
  l2BalanceReported?: bigint
  l2Nonce: number
}

export interface PlannedTx {
  step: 'sign-l2-tx' | 'send-l2-message' | 'force-inclusion' | 'execute-withdrawal'
  chain: 'L1' | 'L2'
  what: string
  /** When the user is asked to sign it: now, or from an L1 block (estimated time). */
  when: { l1Block: bigint | undefined; estimatedAt: Date; note: string }
  gasLimit: bigint | undefined
  maxCostWei: bigint | undefined
}

export interface ArbitrumEscapePlan {
  network: { name: string; l1ChainId: number; l2ChainId: number }
  account: Address
  destination: Address
  amountWei: bigint
  /** Every asset, in the job's order (ETH first); each is its own L2 withdrawal and its own L1 transactions. */
  assets: PlannedAsset[]
  l1Head: bigint
  l1HeadTime: Date
  /** The L1 clock the dates come from (measured block time, or the fallback, said in its basis). */
  l1Clock: L1Clock
  windows: {
    /** Effective force-inclusion delay now: forceInclusionDeadline(head) − head = min(delayBlocks, delay buffer). */
    forceInclusionDelayBlocks: bigint
    delayBlocks: bigint
    bufferBlocks: bigint | undefined
    confirmPeriodBlocks: bigint
    challengeGracePeriodBlocks: bigint
  }
  l2: { balanceReported: bigint; nonce: number; nonceSource: string; baseFeeReported: bigint; maxGasCost: bigint; note: string }
  l1Fees: { balance: bigint; baseFee: bigint; maxFeePerGas: bigint; totalMaxCost: bigint; note: string }
  transactions: PlannedTx[]
  warnings: string[]
}

export async function planArbitrumEscape(p: PlanArbitrumEscapeParameters): Promise<ArbitrumEscapePlan> {
  const { l1, l2, network } = p
  if (p.amountWei < 0n || (p.amountWei === 0n && (p.tokens ?? []).length === 0)) throw new EscapePlanError('The amount must be more than zero.')
  const legs = escapeLegs({ amountWei: p.amountWei.toString(), tokens: p.tokens })
  if (getAddress(p.destination) === zeroAddress) throw new EscapePlanError('The L1 destination is the zero address: the ETH or tokens would be burned.', { steps: ['Give your own L1 address with --to.'] })

  await checkArbitrumWiring(l1, network)
  const params = await readArbitrumParameters(l1, network)
  const l2ChainId = await l2.getChainId()
  if (l2ChainId !== network.l2ChainId) throw new ArbUntrustedDataError(`The L2 RPC is on chain ${l2ChainId}, not ${network.name} (${network.l2ChainId}).`)

  const [head, deadlineForNow, l1Balance, code, l2Balance, l2NonceReported, l2Block] = await Promise.all([
    l1.getBlock({ blockTag: 'latest' }),
    readForceInclusionDeadline(l1, network, params.l1BlockNumber, params.l1BlockNumber),
    l1.getBalance({ address: p.account }),
    l1.getCode({ address: p.destination }),
    l2.getBalance({ address: p.account }),
    l2.getTransactionCount({ address: p.account }),
    l2.getBlock({ blockTag: 'latest' }),
  ])
  const nonce = p.l2Nonce ?? l2NonceReported
  const l2BaseFee = l2Block.baseFeePerGas ?? 0n
  const assets: PlannedAsset[] = []
  const requests: UnsignedTxRequest[] = []
  let maxGasCost = 0n
  for (const leg of legs) {
    const planned = await planLeg(p, leg, nonce + leg.index, l2BaseFee)
    assets.push(planned.asset)
    requests.push(planned.request)
    maxGasCost += planned.maxGasCost
  }
  if (l2Balance < p.amountWei + maxGasCost) {
    throw new EscapePlanError(
      `The L2 node reports a balance of ${formatEther(l2Balance)} ETH for ${p.account} on ${network.name} (unverified), less than ${formatEther(p.amountWei)} ETH plus up to ${formatEther(maxGasCost)} ETH of L2 fee${legs.length > 1 ? 's' : ''}.`,
      { steps: [`Withdraw at most ${formatEther(l2Balance > maxGasCost ? l2Balance - maxGasCost : 0n)} ETH, leaving room for the L2 fee${legs.length > 1 ? 's' : ''}.`, 'If you think the L2 node is wrong, try another L2 RPC: only its answer is used here, and an L2 transaction that cannot pay is dropped by ArbOS.'] },
    )
  }

  // sendL2Message: estimated now with a dummy signature of the exact length (the Inbox only hashes it).
  const sendGas: bigint[] = []
  for (const request of requests) {
    const dummySigned = serializeTransaction(toSerializable(request), { r: `0x${'11'.repeat(32)}`, s: `0x${'22'.repeat(32)}`, yParity: 0 })
    const sendCall = buildSendL2MessageTx({ network, signedL2Tx: dummySigned, maxDataSize: Number(params.maxDataSize) })
    try {
      sendGas.push(((await l1.estimateGas({ account: p.account, to: sendCall.to, data: sendCall.data, value: 0n })) * 13n) / 10n)
    } catch (cause) {
      throw new EscapePlanError(`The ${network.name} Inbox on L1 would refuse sendL2Message from ${p.account}.`, {
        cause,
        steps: ['The Inbox may be paused, or only allow listed senders. Run `escape-hatch arb status` and check the chain’s announcements.'],
        details: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
      })
    }
  }
  const baseFee = head.baseFeePerGas ?? 1_000_000_000n
  const maxFeePerGas = baseFee * 2n + L1_PRIORITY_FEE
  const forceDelay = deadlineForNow - params.l1BlockNumber
  // sendL2Message lands in the next block at the earliest; forceInclusion succeeds from its deadline + 1 (notes §1.3).
  const forceBlock = head.number + 1n + forceDelay + 1n
  const l1Clock = await readL1Clock({ l1, head })
  const forceAt = estimateBlockTime(l1Clock, forceBlock)
  const confirmBlock = forceBlock + params.confirmPeriodBlocks
  const confirmAt = estimateBlockTime(l1Clock, confirmBlock)
  const now = new Date(Number(head.timestamp * 1000n))
  const several = legs.length > 1
  const label = (a: PlannedAsset) => (a.kind === 'eth' ? `${formatEther(a.amount)} ETH` : `${formatUnits(a.amount, a.decimals)} ${a.symbol ?? a.l1Token}`)
  const transactions: PlannedTx[] = [
    ...assets.flatMap((a, i): PlannedTx[] => [
      {
        step: 'sign-l2-tx', chain: 'L2',
        what: a.kind === 'eth'
          ? `Your L2 withdrawal: ArbSys.withdrawEth(${p.destination}) with ${formatEther(a.amount)} ETH, nonce ${a.l2Nonce}, signed for ${network.name} and NOT broadcast on L2.`
          : `Your L2 token withdrawal: L2GatewayRouter(${a.route?.l2GatewayRouter}).outboundTransfer of ${label(a)} to ${p.destination} (L1 gateway ${a.route?.l1Gateway}, read from L1), nonce ${a.l2Nonce}, signed for ${network.name} and NOT broadcast on L2.`,
        when: { l1Block: undefined, estimatedAt: now, note: 'now' }, gasLimit: requests[i]!.gas, maxCostWei: undefined,
      },
      {
        step: 'send-l2-message', chain: 'L1', what: `Inbox.sendL2Message: puts the signed ${several ? `${label(a)} ` : ''}withdrawal into the L1 delayed inbox.`,
        when: { l1Block: undefined, estimatedAt: now, note: 'now' }, gasLimit: sendGas[i], maxCostWei: sendGas[i]! * maxFeePerGas,
      },
    ]),
    {
      step: 'force-inclusion', chain: 'L1', what: `SequencerInbox.forceInclusion: forces the sequencer to include ${several ? 'them (one transaction covers all)' : 'it'} (skipped if the sequencer includes ${several ? 'them' : 'it'} on its own).`,
      when: { l1Block: forceBlock, estimatedAt: forceAt, note: `after the force-inclusion delay of ${forceDelay} L1 blocks` },
      gasLimit: FORCE_INCLUSION_GAS_ESTIMATE, maxCostWei: FORCE_INCLUSION_GAS_ESTIMATE * maxFeePerGas,
    },
    ...assets.map((a): PlannedTx => ({
      step: 'execute-withdrawal', chain: 'L1',
      what: a.kind === 'eth'
        ? `Outbox.executeTransaction: pays ${formatEther(a.amount)} ETH to ${p.destination} on L1, with a proof checked against the send root confirmed on L1.`
        : `Outbox.executeTransaction: the L1 gateway releases ${label(a)} to ${p.destination} on L1, with a proof checked against the send root confirmed on L1 and the withdrawal checked to be exactly this one.`,
      when: { l1Block: confirmBlock, estimatedAt: confirmAt, note: `once an assertion covering it is confirmed: ${params.confirmPeriodBlocks} L1 blocks after a validator posts it, at the earliest` },
      gasLimit: EXECUTE_TRANSACTION_GAS_ESTIMATE, maxCostWei: EXECUTE_TRANSACTION_GAS_ESTIMATE * maxFeePerGas,
    })),
  ]
  const firstSign = transactions.find((t) => t.step === 'sign-l2-tx')
  if (firstSign) firstSign.maxCostWei = maxGasCost
  const totalMaxCost = transactions.filter((t) => t.chain === 'L1').reduce((sum, t) => sum + (t.maxCostWei ?? 0n), 0n)
  if (l1Balance < totalMaxCost) {
    throw new EscapePlanError(
      `Your L1 account ${p.account} holds ${formatEther(l1Balance)} ETH; the ${transactions.filter((t) => t.chain === 'L1').length} L1 transactions may cost up to ${formatEther(totalMaxCost)} ETH at today's L1 fees.`,
      { steps: [`Send at least ${formatEther(totalMaxCost - l1Balance)} ETH to ${p.account} on L1 (chain ${network.l1ChainId}), then run the command again.`], details: transactions.filter((t) => t.chain === 'L1').map((t) => `${t.step}: gas ${t.gasLimit} × ${maxFeePerGas} wei`).join('; ') },
    )
  }
  const warnings: string[] = []
  if (code && code !== '0x') warnings.push(`The L1 destination ${p.destination} is a contract: the Outbox calls it with the ETH. Make sure it accepts ETH and that you control it.`)
  if (params.isDelayBufferable && params.buffer && params.buffer.bufferBlocks < params.delayBlocks) {
    warnings.push(`The delay buffer is depleted (${params.buffer.bufferBlocks} of ${params.delayBlocks} blocks): the sequencer has been delaying messages; force inclusion comes sooner.`)
  }
  if (p.l2Nonce === undefined) warnings.push(`The L2 nonce ${nonce}${several ? ` (and the next ${legs.length - 1})` : ''} comes from the L2 node (untrusted). If it is wrong, ArbOS drops the withdrawal and you start again (nothing is lost but L1 fees); give --l2-nonce to set it yourself.`)
  return {
    network: { name: network.name, l1ChainId: network.l1ChainId, l2ChainId: network.l2ChainId },
    account: p.account,
    destination: p.destination,
    amountWei: p.amountWei,
    assets,
    l1Head: head.number,
    l1HeadTime: now,
    l1Clock,
    windows: {
      forceInclusionDelayBlocks: forceDelay,
      delayBlocks: params.delayBlocks,
      bufferBlocks: params.buffer?.bufferBlocks,
      confirmPeriodBlocks: params.confirmPeriodBlocks,
      challengeGracePeriodBlocks: params.challengeGracePeriodBlocks,
    },
    l2: {
      balanceReported: l2Balance, nonce, nonceSource: p.l2Nonce === undefined ? 'L2 node (unverified)' : 'you (--l2-nonce)', baseFeeReported: l2BaseFee, maxGasCost,
      note: 'Read from the L2 node, which is not trusted: the balance and nonce are unverified. The withdrawal itself is proven against L1 before anything is paid out.',
    },
    l1Fees: {
      balance: l1Balance, baseFee, maxFeePerGas, totalMaxCost,
      note: `At today's L1 base fee (${formatGwei(baseFee)} gwei) × 2 + 1 gwei tip; you pay only the gas used at the fee of the day. The later transactions are priced when they are signed.`,
    },
    transactions,
    warnings,
  }
}

/** One leg: its L2 transaction, and for a token the route read from L1 and the balance the L2 node reports. */
async function planLeg(p: PlanArbitrumEscapeParameters, leg: EscapeLeg, l2Nonce: number, l2BaseFee: bigint): Promise<{ asset: PlannedAsset; request: UnsignedTxRequest; maxGasCost: bigint }> {
  const common = { l2ChainId: p.network.l2ChainId, nonce: l2Nonce, destination: p.destination, currentL2BaseFee: l2BaseFee }
  if (leg.kind === 'eth') {
    const built = buildL2WithdrawalTx({ ...common, value: leg.amount })
    return { asset: { kind: 'eth', amount: leg.amount, decimals: 18, l2Nonce }, request: built.request, maxGasCost: built.maxGasCost }
  }
  const l1GatewayRouter = p.network.tokenBridge?.l1GatewayRouter
  if (!l1GatewayRouter) {
    throw new EscapePlanError(`Escape Hatch does not know the token bridge of ${p.network.name}, so it cannot take tokens out of it.`, {
      steps: ['Give the chain’s L1GatewayRouter address in its network config (tokenBridge.l1GatewayRouter), or take out ETH only.'],
    })
  }
  const route = await readTokenExitRoute({ l1: p.l1, l1GatewayRouter, l1Token: leg.l1Token })
  const what = leg.symbol ?? leg.l1Token
  let l2BalanceReported: bigint | undefined
  try {
    const { data } = await p.l2.call({ to: route.l2Token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [p.account] }) })
    l2BalanceReported = data ? decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data }) : undefined
  } catch {
    l2BalanceReported = undefined
  }
  if (l2BalanceReported !== undefined && l2BalanceReported < leg.amount) {
    throw new EscapePlanError(`The L2 node reports ${formatUnits(l2BalanceReported, leg.decimals)} ${what} (L2 token ${route.l2Token}) for ${p.account} (unverified), less than the ${formatUnits(leg.amount, leg.decimals)} to withdraw.`, {
      steps: ['Withdraw at most what you hold on L2. If you think the L2 node is wrong, try another L2 RPC.'],
    })
  }
  const built = buildL2TokenWithdrawalTx({ ...common, l2GatewayRouter: route.l2GatewayRouter, l1Token: leg.l1Token, amount: leg.amount })
  return {
    asset: { kind: 'erc20', amount: leg.amount, l1Token: leg.l1Token, ...(leg.symbol ? { symbol: leg.symbol } : {}), decimals: leg.decimals, route, ...(l2BalanceReported === undefined ? {} : { l2BalanceReported }), l2Nonce },
    request: built.request,
    maxGasCost: built.maxGasCost,
  }
}

export function describePlan(plan: ArbitrumEscapePlan): string[] {
  const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const lines = [
    `Plan: get ${plan.assets.map((a) => (a.kind === 'eth' ? `${formatEther(a.amount)} ETH` : `${formatUnits(a.amount, a.decimals)} ${a.symbol ?? a.l1Token}`)).join(' and ')} out of ${plan.network.name} to ${plan.destination} on L1, from ${plan.account}.`,
    `L1 head: block ${plan.l1Head} (${fmt(plan.l1HeadTime)}). Read live from L1: force-inclusion delay ${plan.windows.forceInclusionDelayBlocks} blocks (≈ ${hours(plan, plan.windows.forceInclusionDelayBlocks)}), confirm period ${plan.windows.confirmPeriodBlocks} blocks (≈ ${hours(plan, plan.windows.confirmPeriodBlocks)}); ${plan.l1Clock.basis}.`,
    `L2 (unverified, from the L2 node): balance ${formatEther(plan.l2.balanceReported)} ETH, nonce ${plan.l2.nonce} (${plan.l2.nonceSource}); L2 fee at most ${formatEther(plan.l2.maxGasCost)} ETH.`,
    `L1 fees: up to ${formatEther(plan.l1Fees.totalMaxCost)} ETH for the ${plan.transactions.filter((t) => t.chain === 'L1').length} L1 transactions at today's fees; your L1 balance is ${formatEther(plan.l1Fees.balance)} ETH.`,
    'You will sign:',
    ...plan.transactions.map((t, i) => `  ${i + 1}. [${t.chain}] ${t.what} — ${t.when.note === 'now' ? 'now' : `${t.when.note}: from L1 block ${t.when.l1Block}, about ${fmt(t.when.estimatedAt)}`}`),
    ...plan.warnings.map((w) => `! ${w}`),
  ]
  return lines
}

function hours(plan: ArbitrumEscapePlan, blocks: bigint): string {
  return formatDuration(Number(l1BlocksToSeconds(plan.l1Clock, blocks)))
}
