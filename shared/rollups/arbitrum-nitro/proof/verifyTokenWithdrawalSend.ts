/**
 * Checks that an L2→L1 send is exactly the ERC-20 withdrawal the user asked for, before its Outbox execution is
 * signed: sent by the token's L2 gateway to its L1 gateway (addresses from L1, readTokenExitRoute), no ETH, and the
 * data is `finalizeInboundTransfer(l1Token, from, to, amount, abi.encode(exitNum, extraData))` with our token, our
 * account, our destination and our amount (L2ArbitrumGateway.getOutboundCalldata; notes §3). The send list it comes
 * from is untrusted until its root matched L1, and even then it may hold someone else's send at that position.
 */
import { decodeAbiParameters, decodeFunctionData, isAddressEqual, type Address } from 'viem'
import { ArbUntrustedDataError } from '../errors'
import { l1TokenGatewayAbi } from '../tx/tokenGatewayAbi'
import type { L2ToL1Send } from './calculateSendHash'

export interface ExpectedTokenWithdrawal {
  l1Gateway: Address
  l2Gateway: Address
  l1Token: Address
  from: Address
  to: Address
  amount: bigint
}

export interface VerifiedTokenWithdrawal {
  /** The L2 gateway's exit number (redirectable exits are keyed by it on L1). */
  exitNum: bigint
}

export function verifyTokenWithdrawalSend(send: L2ToL1Send, expected: ExpectedTokenWithdrawal, source: string): VerifiedTokenWithdrawal {
  const refuse = (what: string): never => {
    throw new ArbUntrustedDataError(`The withdrawal reported by ${source} is not the token withdrawal this job made: ${what}.`, {
      steps: ['Nothing was signed. Try another L2 RPC; if it persists, the L2 transaction may not have run as expected (check the L2 receipt).'],
    })
  }
  if (!isAddressEqual(send.l2Sender, expected.l2Gateway)) refuse(`it was sent by ${send.l2Sender}, not by the token's L2 gateway ${expected.l2Gateway}`)
  if (!isAddressEqual(send.to, expected.l1Gateway)) refuse(`it goes to ${send.to}, not to the token's L1 gateway ${expected.l1Gateway}`)
  if (send.value !== 0n) refuse(`it carries ${send.value} wei of ETH`)
  let call
  try {
    call = decodeFunctionData({ abi: l1TokenGatewayAbi, data: send.data })
  } catch {
    return refuse('its data is not a finalizeInboundTransfer call')
  }
  if (call.functionName !== 'finalizeInboundTransfer') return refuse(`its data calls ${call.functionName}`)
  const [token, from, to, amount, data] = call.args
  if (!isAddressEqual(token, expected.l1Token)) refuse(`it releases token ${token}, not ${expected.l1Token}`)
  if (!isAddressEqual(from, expected.from)) refuse(`it is from ${from}, not ${expected.from}`)
  if (!isAddressEqual(to, expected.to)) refuse(`it pays ${to}, not ${expected.to}`)
  if (amount !== expected.amount) refuse(`its amount is ${amount}, not ${expected.amount}`)
  let exitNum: bigint
  try {
    ;[exitNum] = decodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], data)
  } catch {
    return refuse('its exit data is not (uint256 exitNum, bytes)')
  }
  return { exitNum }
}
