/**
 * What a transaction does, decoded from the exact bytes that will be signed — never from a description that travels
 * with them. The offline signer (`escape-hatch sign-file`) shows only this, and refuses a request file whose own
 * description says something else (checkTxFileDescription); the export side writes the file's description from this
 * same function, so the two can only differ if the file was changed.
 *
 * Which contracts exist where comes from the network registry, passed in as a SigningContext (shared/networks builds
 * it: shared/signing sits below the registry). A target the context does not know, or a function its ABI does not
 * have, is said plainly and makes the description `recognised: false` (signing it is blind).
 *
 * Arbitrum's Inbox.sendL2Message carries a whole signed L2 transaction (0x04 ‖ signed tx, notes/arbitrum-nitro.md
 * §1.1). That leg is dangerous on its own — anyone can push it through the permissionless inbox — so it is decoded
 * too: its chain, sender (recovered from its signature), target, function, amount and destination.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  decodeFunctionData,
  formatEther,
  formatGwei,
  getAddress,
  hexToBytes,
  isAddressEqual,
  keccak256,
  parseTransaction,
  serializeTransaction,
  sliceHex,
  toHex,
  type Abi,
  type Address,
  type Hex,
  type TransactionSerializable,
  type TransactionSerialized,
} from 'viem'
import { publicKeyToAddress } from 'viem/accounts'
import { arbSysAbi } from '../../contracts-abi/arbitrum-nitro/ArbSys'
import { inboxAbi } from '../../contracts-abi/arbitrum-nitro/Inbox'
import { outboxAbi } from '../../contracts-abi/arbitrum-nitro/Outbox'
import { sequencerInboxAbi } from '../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { disputeGameFactoryAbi } from '../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../contracts-abi/op-stack/OptimismPortal2'
import { maxFeeOf, type UnsignedTxRequest } from './unsignedTxRequest'

/**
 * 'op-dispute-game' is never in a registry: games are created at run time, so the offline side cannot tell that an
 * address is one. Its calls (resolveClaim, resolve) are decoded and explained, but the target stays unknown: signing
 * them is blind (--blind), said plainly.
 */
export type KnownContractKind = 'arbitrum-inbox' | 'arbitrum-sequencer-inbox' | 'arbitrum-outbox' | 'arbitrum-arbsys' | 'op-portal' | 'op-dispute-game-factory' | 'op-dispute-game'

export interface KnownContract {
  chainId: number
  address: Address
  kind: KnownContractKind
  /** The network it belongs to, e.g. "Arbitrum One". */
  network: string
  /** Inbox: the L2 chain its messages go to (a carried signed L2 tx must be for it). */
  l2ChainId?: number
}

export interface KnownChain {
  chainId: number
  /** e.g. "Ethereum", "Sepolia", "Arbitrum One (L2)". */
  name: string
}

/** What the registry knows, as the describer needs it (shared/networks/signingContext.ts builds it). */
export interface SigningContext {
  chains: readonly KnownChain[]
  contracts: readonly KnownContract[]
}

export interface DescribedField {
  label: string
  value: string
  /**
   * false when the value says the registry did not know something ("unknown chain"): a description written with
   * more knowledge (the online machine's network file) may legitimately say more, so it is not compared.
   */
  known: boolean
}

export interface TxBytesDescription {
  /** Chain name from the registry, or "unknown chain (ID n)". */
  chain: string
  /** Contract name from the registry ("Arbitrum One Inbox"), or undefined. */
  contract?: string
  /** "Inbox.sendL2Message", "ETH transfer", or undefined when the calldata could not be decoded. */
  action?: string
  /** Chain, target and function (and any carried L2 leg) all recognised: nothing is signed blind. */
  recognised: boolean
  /** One line, built only from decoded values. */
  summary: string
  /** Everything to show, in order. */
  fields: DescribedField[]
  /** Every address the bytes name (targets, destinations, the carried leg's recovered signer). */
  addresses: Address[]
  /** Every amount in wei the bytes carry (values, fee caps, fees). */
  amountsWei: bigint[]
  /** Why it is not recognised, or what is wrong with a carried leg, in plain words. */
  problems: string[]
  /** The signed L2 transaction carried by Inbox.sendL2Message. */
  carried?: CarriedL2Tx
}

export interface CarriedL2Tx {
  /** Recovered from its signature. */
  signer: Address
  hash: Hex
  chainId: number
  description: TxBytesDescription
}

/** L2MessageKind.SignedTx (shared/rollups/arbitrum-nitro/derive/parseL2Message.ts): signing sits below the stacks. */
const L2_MESSAGE_SIGNED_TX = 0x04

const ABIS: Record<KnownContractKind, { abi: Abi; name: string }> = {
  'arbitrum-inbox': { abi: inboxAbi, name: 'Inbox' },
  'arbitrum-sequencer-inbox': { abi: sequencerInboxAbi, name: 'SequencerInbox' },
  'arbitrum-outbox': { abi: outboxAbi, name: 'Outbox' },
  'arbitrum-arbsys': { abi: arbSysAbi, name: 'ArbSys' },
  'op-portal': { abi: optimismPortal2Abi, name: 'OptimismPortal' },
  'op-dispute-game-factory': { abi: disputeGameFactoryAbi, name: 'DisputeGameFactory' },
  'op-dispute-game': { abi: faultDisputeGameAbi, name: 'FaultDisputeGame' },
}

/** Functions whose arguments we explain; any other function of a known contract is shown, but signing it is blind. */
const EXPLAINED = new Set([
  'Inbox.sendL2Message',
  'Inbox.sendUnsignedTransaction',
  'SequencerInbox.forceInclusion',
  'Outbox.executeTransaction',
  'ArbSys.withdrawEth',
  'OptimismPortal.depositTransaction',
  'OptimismPortal.proveWithdrawalTransaction',
  'OptimismPortal.finalizeWithdrawalTransaction',
  'OptimismPortal.finalizeWithdrawalTransactionExternalProof',
  'DisputeGameFactory.create',
  'FaultDisputeGame.resolveClaim',
  'FaultDisputeGame.resolve',
])

export function formatEthWithWei(wei: bigint): string {
  return `${formatEther(wei)} ETH (${wei} wei)`
}

export function chainName(chainId: number, context: SigningContext): string | undefined {
  return context.chains.find((c) => c.chainId === chainId)?.name
}

export function describeTxBytes(request: UnsignedTxRequest, context: SigningContext): TxBytesDescription {
  return describe(request, context, 0)
}

function describe(request: UnsignedTxRequest, context: SigningContext, depth: number): TxBytesDescription {
  const known = chainName(request.chainId, context)
  const chain = known ? `${known}, chain ID ${request.chainId}` : `unknown chain (chain ID ${request.chainId})`
  const to = request.to === null ? null : getAddress(request.to)
  const contract = to === null ? undefined : context.contracts.find((c) => c.chainId === request.chainId && isAddressEqual(c.address, to))
  const problems: string[] = []
  const addresses: Address[] = to === null ? [] : [to]
  const feeCap = request.type === 'legacy' ? request.gasPrice : request.maxFeePerGas
  const amountsWei = [request.value, maxFeeOf(request), feeCap, ...(request.type === 'eip1559' ? [request.maxPriorityFeePerGas] : [])]
  if (!known) problems.push(`Chain ID ${request.chainId} is not a network Escape Hatch knows.`)

  const fields: DescribedField[] = [{ label: 'Network', value: chain, known: known !== undefined }]
  let action: string | undefined
  let summary: string
  let args: Args | undefined
  let carried: CarriedL2Tx | undefined

  if (to === null) {
    problems.push('It creates a contract.')
    fields.push({ label: 'To', value: 'contract creation', known: true })
    summary = `Create a contract on ${chain}.`
  } else if (request.data === '0x') {
    action = 'ETH transfer'
    fields.push({ label: 'To', value: contract ? `${contractName(contract)} ${to}` : to, known: true })
    summary = `Send ${formatEther(request.value)} ETH to ${to} on ${chain}.`
  } else {
    const decoded = decodeCall(request.data, contract?.kind)
    fields.push({ label: 'Contract', value: contract ? `${contractName(contract)} ${to}` : `${to} (not a contract Escape Hatch knows)`, known: contract !== undefined })
    if (!contract && decoded?.action.startsWith('FaultDisputeGame.')) {
      problems.push(`${to} is not a contract Escape Hatch knows on ${chain}: dispute games are created at run time, so this side cannot check that it is one (an explorer shows whether the chain's DisputeGameFactory created it).`)
    } else if (!contract) problems.push(`${to} is not a contract Escape Hatch knows on ${chain}.`)
    if (decoded) {
      action = decoded.action
      args = decoded.args
      fields.push({ label: 'Function', value: action, known: true })
      if (contract && ABIS[contract.kind].name !== action.split('.')[0]) problems.push(`${action} is not a function of ${contractName(contract)}.`)
      if (!EXPLAINED.has(action)) problems.push(`Escape Hatch does not explain ${action}.`)
    } else {
      fields.push({ label: 'Function', value: `unknown (selector ${request.data.length >= 10 ? sliceHex(request.data, 0, 4) : request.data})`, known: true })
      problems.push('Its calldata does not decode with the ABI of any contract Escape Hatch knows.')
    }
    summary = `Call ${action ?? 'an unknown function'} of ${contract ? contractName(contract) : to} on ${chain}.`
  }

  const explained = action && args ? explain(action, args, request, context, depth) : undefined
  if (explained) {
    summary = explained.summary
    fields.push(...explained.fields)
    addresses.push(...explained.addresses)
    amountsWei.push(...explained.amountsWei)
    problems.push(...explained.problems)
    carried = explained.carried
  }
  fields.push(
    { label: 'Sends', value: formatEthWithWei(request.value), known: true },
    { label: 'Nonce', value: String(request.nonce), known: true },
    { label: 'Gas limit', value: String(request.gas), known: true },
    { label: 'Max fee per gas', value: `${formatGwei(feeCap)} gwei`, known: true },
    { label: 'Max fee', value: formatEthWithWei(maxFeeOf(request)), known: true },
  )
  return { chain, ...(contract ? { contract: contractName(contract) } : {}), ...(action ? { action } : {}), recognised: problems.length === 0, summary, fields, addresses: unique(addresses), amountsWei, problems, ...(carried ? { carried } : {}) }
}

type Args = readonly unknown[]

function decodeCall(data: Hex, kind: KnownContractKind | undefined): { action: string; args: Args } | undefined {
  // The contract's own ABI first; then every known ABI, so an unknown address still shows which function it calls.
  const order = kind ? [kind, ...(Object.keys(ABIS) as KnownContractKind[]).filter((k) => k !== kind)] : (Object.keys(ABIS) as KnownContractKind[])
  for (const k of order) {
    try {
      const { functionName, args } = decodeFunctionData({ abi: ABIS[k].abi, data })
      return { action: `${ABIS[k].name}.${functionName}`, args: args ?? [] }
    } catch {
      // not this ABI
    }
  }
  return undefined
}

interface Explained {
  summary: string
  fields: DescribedField[]
  addresses: Address[]
  amountsWei: bigint[]
  problems: string[]
  carried?: CarriedL2Tx
}

const field = (label: string, value: string): DescribedField => ({ label, value, known: true })

function explain(action: string, args: Args, request: UnsignedTxRequest, context: SigningContext, depth: number): Explained | undefined {
  const on = chainName(request.chainId, context) ?? `chain ID ${request.chainId}`
  switch (action) {
    case 'ArbSys.withdrawEth': {
      const destination = getAddress(args[0] as Address)
      return {
        summary: `Withdraw ${formatEther(request.value)} ETH from ${on} to ${destination} on L1.`,
        fields: [field('Withdraws', formatEthWithWei(request.value)), field('L1 destination', destination)],
        addresses: [destination],
        amountsWei: [],
        problems: [],
      }
    }
    case 'Inbox.sendL2Message':
      return explainCarried(args[0] as Hex, request, context, depth)
    case 'Inbox.sendUnsignedTransaction': {
      const [gasLimit, maxFeePerGas, nonce, target, value, data] = args as [bigint, bigint, bigint, Address, bigint, Hex]
      const inner = describe({ type: 'eip1559', chainId: l2Of(request, context) ?? 0, nonce: Number(nonce), gas: gasLimit, to: target, value, data, maxFeePerGas, maxPriorityFeePerGas: 0n }, context, depth + 1)
      return {
        summary: `Through the L1 inbox, make your (aliased) L2 account do: ${inner.summary}`,
        fields: inner.fields.map((f) => ({ ...f, label: `L2 transaction: ${f.label}` })),
        addresses: inner.addresses,
        amountsWei: inner.amountsWei,
        problems: inner.problems.map((p) => `L2 transaction: ${p}`),
      }
    }
    case 'SequencerInbox.forceInclusion': {
      const total = args[0] as bigint
      return {
        summary: `Force ${networkOf(request, context) ?? 'the L2'} to include its delayed messages up to #${total - 1n} (SequencerInbox.forceInclusion); it moves no ETH.`,
        fields: [field('Delayed messages up to', `#${total - 1n}`)],
        addresses: [],
        amountsWei: [],
        problems: [],
      }
    }
    case 'Outbox.executeTransaction': {
      const [, index, l2Sender, to, , , , value] = args as [unknown, bigint, Address, Address, bigint, bigint, bigint, bigint]
      return {
        summary: `Execute your ${networkOf(request, context) ?? 'L2'} withdrawal #${index}: ${formatEther(value)} ETH to ${getAddress(to)} on L1 (Outbox.executeTransaction).`,
        fields: [field('Withdrawal', `#${index}`), field('Pays out', formatEthWithWei(value)), field('Recipient', getAddress(to)), field('L2 sender', getAddress(l2Sender))],
        addresses: [getAddress(to), getAddress(l2Sender)],
        amountsWei: [value],
        problems: [],
      }
    }
    case 'OptimismPortal.depositTransaction': {
      const [to, value, gasLimit, isCreation] = args as [Address, bigint, bigint, boolean, Hex]
      return {
        summary: `Deposit into ${networkOf(request, context) ?? 'an L2'}: ${formatEther(request.value)} ETH from L1, ${formatEther(value)} ETH to ${isCreation ? 'a new contract' : getAddress(to)} on L2 (OptimismPortal.depositTransaction).`,
        fields: [field('L2 recipient', isCreation ? 'contract creation' : getAddress(to)), field('L2 value', formatEthWithWei(value)), field('L2 gas limit', String(gasLimit))],
        addresses: [getAddress(to)],
        amountsWei: [value],
        problems: [],
      }
    }
    case 'OptimismPortal.proveWithdrawalTransaction':
    case 'OptimismPortal.finalizeWithdrawalTransaction':
    case 'OptimismPortal.finalizeWithdrawalTransactionExternalProof': {
      const tx = args[0] as { nonce: bigint; sender: Address; target: Address; value: bigint }
      const verb = action.endsWith('proveWithdrawalTransaction') ? 'Prove' : 'Finalize'
      return {
        summary: `${verb} the ${networkOf(request, context) ?? 'L2'} withdrawal of ${formatEther(tx.value)} ETH to ${getAddress(tx.target)} on L1 (${action}).`,
        fields: [field('Withdrawal nonce', String(tx.nonce)), field('Pays out', formatEthWithWei(tx.value)), field('Recipient', getAddress(tx.target)), field('L2 sender', getAddress(tx.sender))],
        addresses: [getAddress(tx.target), getAddress(tx.sender)],
        amountsWei: [tx.value],
        problems: [],
      }
    }
    case 'DisputeGameFactory.create': {
      const [gameType, rootClaim, extraData] = args as [number, Hex, Hex]
      // Game types 0 and 8 (and the permissioned 1) carry abi.encode(uint256 l2BlockNumber) as their extra data.
      const l2Block = extraData.length >= 66 ? BigInt(sliceHex(extraData, 0, 32)) : undefined
      return {
        summary: `Create a dispute game on ${networkOf(request, context) ?? 'an OP Stack chain'}: type ${gameType}, claiming output root ${rootClaim}${l2Block !== undefined ? ` for L2 block ${l2Block}` : ''}, with a bond of ${formatEther(request.value)} ETH (DisputeGameFactory.create; the bond comes back when the game resolves for the claim and its credit is claimed).`,
        fields: [field('Game type', String(gameType)), field('Root claim (output root)', rootClaim), ...(l2Block !== undefined ? [field('L2 block', String(l2Block))] : [field('Extra data', extraData)]), field('Bond', formatEthWithWei(request.value))],
        addresses: [],
        amountsWei: [request.value],
        problems: [],
      }
    }
    case 'FaultDisputeGame.resolveClaim':
    case 'FaultDisputeGame.resolve': {
      const what = action === 'FaultDisputeGame.resolve' ? 'Resolve the dispute game' : `Resolve claim #${String(args[0])} of the dispute game (${args[1] === 0n ? 'all its subgames' : `up to ${String(args[1])} of its subgames`})`
      return {
        summary: `${what} at ${request.to === null ? 'no address' : getAddress(request.to)} (${action}; anyone may send it).`,
        fields: [field('Call', action === 'FaultDisputeGame.resolve' ? 'resolve()' : `resolveClaim(${String(args[0])}, ${String(args[1])})`)],
        addresses: [],
        amountsWei: [],
        problems: request.value === 0n ? [] : ['It sends ETH to a dispute game, which a resolution never needs.'],
      }
    }
    default:
      return undefined
  }
}

/** Inbox.sendL2Message(0x04 ‖ signed L2 tx): decode the carried transaction, its sender and what it does. */
function explainCarried(message: Hex, request: UnsignedTxRequest, context: SigningContext, depth: number): Explained {
  const bytes = hexToBytes(message)
  const network = networkOf(request, context) ?? 'the L2'
  if (bytes[0] !== L2_MESSAGE_SIGNED_TX || depth > 0) {
    return { summary: `Put an L2 message of kind ${bytes[0] ?? 'none'} into ${network}'s delayed inbox; Escape Hatch cannot decode it.`, fields: [field('L2 message', `kind ${bytes[0] ?? 'none'}, ${bytes.length} bytes`)], addresses: [], amountsWei: [], problems: ['The message it carries is not one signed L2 transaction.'] }
  }
  let carried: CarriedL2Tx
  try {
    carried = decodeSignedTx(toHex(bytes.subarray(1)), context, depth + 1)
  } catch (cause) {
    return { summary: `Put undecodable bytes into ${network}'s delayed inbox.`, fields: [field('L2 message', 'a signed transaction that does not decode')], addresses: [], amountsWei: [], problems: [`The L2 transaction it carries does not decode (${(cause as Error).message.split('\n')[0]}).`] }
  }
  const d = carried.description
  const expectedL2 = l2Of(request, context)
  const problems = d.problems.map((p) => `L2 transaction: ${p}`)
  if (expectedL2 !== undefined && carried.chainId !== expectedL2) problems.push(`The L2 transaction is for chain ID ${carried.chainId}, but this inbox feeds chain ID ${expectedL2}.`)
  return {
    summary: `Put your signed ${d.chain.split(',')[0]} transaction into the L1 delayed inbox (Inbox.sendL2Message); it moves no ETH on L1. That L2 transaction: ${d.summary}`,
    fields: [
      field('L2 transaction signer', carried.signer),
      field('L2 transaction hash', carried.hash),
      ...d.fields.map((f) => ({ ...f, label: `L2 transaction: ${f.label}` })),
    ],
    addresses: [carried.signer, ...d.addresses],
    amountsWei: d.amountsWei,
    problems,
    carried,
  }
}

function decodeSignedTx(raw: Hex, context: SigningContext, depth: number): CarriedL2Tx {
  const parsed: TransactionSerializable = parseTransaction(raw as TransactionSerialized)
  const { r, s, v, yParity, ...unsigned } = parsed as TransactionSerializable & { r?: Hex; s?: Hex; v?: bigint; yParity?: number }
  if (r === undefined || s === undefined) throw new Error('it carries no signature')
  if (unsigned.chainId === undefined) throw new Error('it has no chain ID (pre-EIP-155)')
  const parity = yParity ?? (v === undefined ? undefined : Number((v - 35n - 2n * BigInt(unsigned.chainId)) & 1n))
  if (parity !== 0 && parity !== 1) throw new Error('its signature has no recovery bit')
  const digest = hexToBytes(keccak256(serializeTransaction(unsigned)))
  const point = new secp256k1.Signature(BigInt(r), BigInt(s)).addRecoveryBit(parity).recoverPublicKey(digest)
  const signer = getAddress(publicKeyToAddress(toHex(point.toBytes(false))))
  const type = parsed.type === 'legacy' ? 'legacy' : parsed.type === 'eip1559' ? 'eip1559' : undefined
  if (!type) throw new Error(`its type ${parsed.type} is not one Escape Hatch signs`)
  const request: UnsignedTxRequest =
    type === 'legacy'
      ? { type, chainId: unsigned.chainId, nonce: unsigned.nonce ?? 0, gas: unsigned.gas ?? 0n, to: unsigned.to ?? null, value: unsigned.value ?? 0n, data: unsigned.data ?? '0x', gasPrice: (unsigned as { gasPrice?: bigint }).gasPrice ?? 0n }
      : { type, chainId: unsigned.chainId, nonce: unsigned.nonce ?? 0, gas: unsigned.gas ?? 0n, to: unsigned.to ?? null, value: unsigned.value ?? 0n, data: unsigned.data ?? '0x', maxFeePerGas: (unsigned as { maxFeePerGas?: bigint }).maxFeePerGas ?? 0n, maxPriorityFeePerGas: (unsigned as { maxPriorityFeePerGas?: bigint }).maxPriorityFeePerGas ?? 0n }
  return { signer, hash: keccak256(raw), chainId: unsigned.chainId, description: describe(request, context, depth) }
}

function contractName(c: KnownContract): string {
  return `${c.network} ${ABIS[c.kind].name}`
}

/** The L2 chain whose inbox this request calls (by address), if known. */
function l2Of(request: UnsignedTxRequest, context: SigningContext): number | undefined {
  if (request.to === null) return undefined
  return context.contracts.find((c) => c.chainId === request.chainId && c.kind === 'arbitrum-inbox' && isAddressEqual(c.address, request.to!))?.l2ChainId
}

function networkOf(request: UnsignedTxRequest, context: SigningContext): string | undefined {
  if (request.to === null) return undefined
  return context.contracts.find((c) => c.chainId === request.chainId && isAddressEqual(c.address, request.to!))?.network
}

function unique(list: Address[]): Address[] {
  return [...new Set(list.map((a) => getAddress(a)))]
}

/** The file's `intent` written from a description (export side): the offline check compares it with the bytes again. */
export function txIntentOf(description: TxBytesDescription, note?: string): { summary: string; action?: string; details: { label: string; value: string }[] } {
  const summary = note ? `${description.summary} ${note}` : description.summary
  return {
    summary: summary.length > 500 ? `${summary.slice(0, 499)}…` : summary,
    ...(description.action ? { action: description.action } : {}),
    details: description.fields.slice(0, 50).map((f) => ({ label: f.label, value: f.value })),
  }
}
