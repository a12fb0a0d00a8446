// The one describer: everything it says comes from the request's bytes (real encodings: viem encodeFunctionData and
// a transaction signed by a real key), and the check that refuses a request file whose description contradicts them.
import { describe, expect, it } from 'vitest'
import { encodeFunctionData, parseEther, parseGwei, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { arbSysAbi } from '../../contracts-abi/arbitrum-nitro/ArbSys'
import { inboxAbi } from '../../contracts-abi/arbitrum-nitro/Inbox'
import { disputeGameFactoryAbi } from '../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../contracts-abi/op-stack/OptimismPortal2'
import { builtInNetwork, builtInNetworks } from '../networks/builtInNetworks'
import { signingContextOf } from '../networks/signingContext'
import { ARBITRUM_SEPOLIA } from '../rollups/arbitrum-nitro/networks'
import { buildL2WithdrawalTx } from '../rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildSendL2MessageTx } from '../rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import { toUnsignedL1Request } from '../rollups/arbitrum-nitro/tx/l1Call'
import { checkTxFileDescription } from './checkTxFileDescription'
import { describeTxBytes, txIntentOf } from './describeTxBytes'
import { TxFileDescriptionMismatchError } from './txFileErrors'
import { toSerializable, type UnsignedTxRequest } from './unsignedTxRequest'

const context = signingContextOf(builtInNetworks())
const user = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const attacker = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a')
const DEAD: Address = '0x000000000000000000000000000000000000dEaD'
const fees = { nonce: 3, gas: 120_000n, maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('1') }

function l2Withdrawal(destination: Address, value = parseEther('1')): UnsignedTxRequest {
  return buildL2WithdrawalTx({ l2ChainId: ARBITRUM_SEPOLIA.l2ChainId, nonce: 7, destination, value }).request
}

async function sendL2Message(l2: UnsignedTxRequest, signer = user): Promise<UnsignedTxRequest> {
  const signedL2Tx = await signer.signTransaction(toSerializable(l2))
  return toUnsignedL1Request(buildSendL2MessageTx({ network: ARBITRUM_SEPOLIA, signedL2Tx }), fees)
}

const field = (d: { fields: { label: string; value: string }[] }, label: string) => d.fields.find((f) => f.label === label)?.value

describe('describeTxBytes', () => {
  it('decodes ArbSys.withdrawEth on a known L2: chain name, contract, amount in ETH and wei, destination, nonce, fees', () => {
    const d = describeTxBytes(l2Withdrawal(user.address), context)
    expect(d).toMatchObject({ action: 'ArbSys.withdrawEth', recognised: true, contract: 'Arbitrum Sepolia ArbSys', problems: [] })
    expect(d.summary).toBe(`Withdraw 1 ETH from Arbitrum Sepolia (L2) to ${user.address} on L1.`)
    expect(field(d, 'Network')).toBe('Arbitrum Sepolia (L2), chain ID 421614')
    expect(field(d, 'Withdraws')).toBe('1 ETH (1000000000000000000 wei)')
    expect(field(d, 'L1 destination')).toBe(user.address)
    expect(field(d, 'Nonce')).toBe('7')
    expect(field(d, 'Max fee')).toBe('0.0003 ETH (300000000000000 wei)')
  })

  it('decodes the signed L2 transaction carried by Inbox.sendL2Message, with its signer recovered from the signature', async () => {
    const d = describeTxBytes(await sendL2Message(l2Withdrawal(user.address)), context)
    expect(d).toMatchObject({ action: 'Inbox.sendL2Message', recognised: true, contract: 'Arbitrum Sepolia Inbox' })
    expect(field(d, 'Network')).toBe('Sepolia, chain ID 11155111')
    expect(d.carried?.signer).toBe(user.address)
    expect(field(d, 'L2 transaction: L1 destination')).toBe(user.address)
    expect(field(d, 'L2 transaction: Withdraws')).toBe('1 ETH (1000000000000000000 wei)')
    expect(d.summary).toContain(`That L2 transaction: Withdraw 1 ETH from Arbitrum Sepolia (L2) to ${user.address} on L1.`)
  })

  it('says so when the carried leg is for another chain than the inbox feeds', async () => {
    const other = { ...l2Withdrawal(user.address), chainId: 42161 }
    const d = describeTxBytes(await sendL2Message(other), context)
    expect(d.recognised).toBe(false)
    expect(d.problems).toContain('The L2 transaction is for chain ID 42161, but this inbox feeds chain ID 421614.')
  })

  it('decodes OptimismPortal calls on a known L1', () => {
    const portal = builtInNetwork('op-mainnet')!.l1Addresses.optimismPortal!
    const tx = { nonce: 5n, sender: user.address, target: user.address, value: parseEther('2'), gasLimit: 100_000n, data: '0x' as Hex }
    const d = describeTxBytes({ type: 'eip1559', chainId: 1, ...fees, to: portal, value: 0n, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'finalizeWithdrawalTransaction', args: [tx] }) }, context)
    expect(d).toMatchObject({ action: 'OptimismPortal.finalizeWithdrawalTransaction', recognised: true, contract: 'OP Mainnet OptimismPortal' })
    expect(field(d, 'Recipient')).toBe(user.address)
    expect(field(d, 'Pays out')).toBe('2 ETH (2000000000000000000 wei)')
  })

  it('decodes the OP escape’s game calls: the factory’s create (known: its bond and claim), a game’s resolution (decoded, but blind: no registry knows a game)', () => {
    const factory = builtInNetwork('op-mainnet')!.l1Addresses.disputeGameFactory!
    const root = `0x${'12'.repeat(32)}` as Hex
    const extraData = `0x${(123_456n).toString(16).padStart(64, '0')}` as Hex
    const create = describeTxBytes({ type: 'eip1559', chainId: 1, ...fees, to: factory, value: parseEther('0.08'), data: encodeFunctionData({ abi: disputeGameFactoryAbi, functionName: 'create', args: [0, root, extraData] }) }, context)
    expect(create).toMatchObject({ action: 'DisputeGameFactory.create', recognised: true, contract: 'OP Mainnet DisputeGameFactory' })
    expect(field(create, 'L2 block')).toBe('123456')
    expect(field(create, 'Bond')).toBe('0.08 ETH (80000000000000000 wei)')
    expect(create.summary).toMatch(/claiming output root 0x1212.* for L2 block 123456, with a bond of 0\.08 ETH/)
    const resolve = describeTxBytes({ type: 'eip1559', chainId: 1, ...fees, to: DEAD, value: 0n, data: encodeFunctionData({ abi: faultDisputeGameAbi, functionName: 'resolveClaim', args: [0n, 0n] }) }, context)
    expect(resolve).toMatchObject({ action: 'FaultDisputeGame.resolveClaim', recognised: false })
    expect(field(resolve, 'Call')).toBe('resolveClaim(0, 0)')
    expect(resolve.summary).toMatch(/Resolve claim #0 of the dispute game \(all its subgames\)/)
    expect(resolve.problems).toEqual([expect.stringMatching(/dispute games are created at run time, so this side cannot check that it is one/)])
  })

  it('marks an unknown contract, an unknown function and an unknown chain as not recognised (blind)', () => {
    const unknownFn = describeTxBytes({ type: 'eip1559', chainId: 1, ...fees, to: DEAD, value: 0n, data: '0xdeadbeef00' }, context)
    expect(unknownFn.recognised).toBe(false)
    expect(field(unknownFn, 'Function')).toBe('unknown (selector 0xdeadbeef)')
    expect(field(unknownFn, 'Contract')).toBe(`${DEAD} (not a contract Escape Hatch knows)`)
    // A known function at an address the registry does not list is still named, and still blind.
    const data = encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [user.address] })
    const wrongAddress = describeTxBytes({ ...l2Withdrawal(user.address), to: DEAD, data }, context)
    expect(wrongAddress).toMatchObject({ action: 'ArbSys.withdrawEth', recognised: false })
    const unknownChain = describeTxBytes({ ...l2Withdrawal(user.address), chainId: 999_999 }, context)
    expect(unknownChain.recognised).toBe(false)
    expect(field(unknownChain, 'Network')).toBe('unknown chain (chain ID 999999)')
  })
})

describe('checkTxFileDescription', () => {
  const intentFor = (request: UnsignedTxRequest) => txIntentOf(describeTxBytes(request, context))
  const check = (intent: ReturnType<typeof intentFor>, request: UnsignedTxRequest) => checkTxFileDescription({ intent, from: user.address, description: describeTxBytes(request, context) })
  const refusal = (fn: () => void) => {
    try {
      fn()
    } catch (e) {
      return e as TxFileDescriptionMismatchError
    }
    throw new Error('expected a refusal')
  }

  it('accepts a request whose description was written from its own bytes', async () => {
    const l2 = l2Withdrawal(user.address)
    expect(() => check(intentFor(l2), l2)).not.toThrow()
    const l1 = await sendL2Message(l2)
    expect(() => check(intentFor(l1), l1)).not.toThrow()
  })

  it('refuses withdrawEth(0x…dEaD) described as a withdrawal to the user, naming the field and both values', () => {
    const e = refusal(() => check(intentFor(l2Withdrawal(user.address)), l2Withdrawal(DEAD)))
    expect(e).toBeInstanceOf(TxFileDescriptionMismatchError)
    expect(e.field).toBe('L1 destination')
    expect(e.shortMessage).toBe(`This request file describes a different transaction from the one it would sign: its L1 destination says ${user.address}, but the transaction bytes say ${DEAD}.`)
    expect(e.steps.join(' ')).toMatch(/create the request again/)
  })

  it('refuses a description written by hand (the old free-text intent) that names another destination or amount', () => {
    const l2 = l2Withdrawal(DEAD)
    expect(refusal(() => check({ summary: `Withdraw 1 ETH from Arbitrum Sepolia to ${user.address} on L1.`, details: [] }, l2)).field).toBe('summary')
    expect(refusal(() => check({ summary: 'Withdraw 5 ETH.', details: [] }, l2)).described).toMatch(/^5000000000000000000 wei/)
    expect(refusal(() => check({ summary: 'Withdraw', action: 'Outbox.executeTransaction', details: [] }, l2)).field).toBe('action')
    expect(refusal(() => check({ summary: 'Withdraw', details: [{ label: 'Nonce', value: '8' }] }, l2)).field).toBe('Nonce')
    expect(refusal(() => check({ summary: 'Withdraw', details: [{ label: 'Network', value: 'Arbitrum One (L2, chain 42161)' }] }, l2)).field).toBe('Network')
  })

  it('accepts the description the previous release wrote for the same bytes (files exported before this change)', () => {
    const l2 = l2Withdrawal(user.address)
    const old = {
      summary: `Withdraw 1 ETH from Arbitrum Sepolia to ${user.address} on L1 (signed for L2, NOT broadcast on L2: it travels through the L1 delayed inbox).`,
      action: 'ArbSys.withdrawEth',
      details: [{ label: 'Amount', value: '1 ETH' }, { label: 'L1 destination', value: user.address }, { label: 'Network', value: 'Arbitrum Sepolia (L2, chain 421614)' }, { label: 'Nonce', value: '7' }, { label: 'Max fee', value: '0.0003 ETH' }],
    }
    expect(() => check(old, l2)).not.toThrow()
  })

  it('refuses a sendL2Message whose carried L2 leg was swapped for withdrawEth(0x…dEaD), or signed by someone else', async () => {
    const genuine = await sendL2Message(l2Withdrawal(user.address))
    const tampered = await sendL2Message(l2Withdrawal(DEAD))
    const e = refusal(() => check(intentFor(genuine), tampered))
    expect(e.field).toBe('L2 transaction: L1 destination')
    expect(e.decoded).toBe(DEAD)
    // The attacker's own signed leg in the user's inbox call: the described signer is the file's account.
    const foreign = await sendL2Message(l2Withdrawal(user.address), attacker)
    expect(refusal(() => check(intentFor(genuine), foreign)).field).toBe('L2 transaction signer')
    // Even with a description written from the foreign bytes.
    expect(refusal(() => check(intentFor(foreign), foreign)).field).toBe('L2 transaction signer')
  })

  it('refuses an inbox call described with data of another function', () => {
    const request = { type: 'eip1559' as const, chainId: 11155111, ...fees, to: ARBITRUM_SEPOLIA.contracts.inbox, value: 0n, data: encodeFunctionData({ abi: inboxAbi, functionName: 'depositEth', args: [] }) }
    const e = refusal(() => check({ summary: 'Put your signed withdrawal into the L1 delayed inbox', action: 'Inbox.sendL2Message', details: [] }, request))
    expect(e).toMatchObject({ field: 'action', described: 'Inbox.sendL2Message', decoded: 'Inbox.depositEth' })
  })
})
