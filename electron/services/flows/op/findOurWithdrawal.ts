/**
 * Our withdrawal of one asset, found from a source of L2 facts:
 *
 * - our own rebuilt state (source 'rebuild'): every field of the withdrawal follows from the deposit we built, except
 *   the counters the L2 contracts number it with. ETH (initiateWithdrawal from our address): only the message
 *   passer's nonce is unknown (findWithdrawalInState). ERC-20 (L2StandardBridge.withdrawTo → L2CrossDomainMessenger
 *   → message passer): the withdrawal's data is the messenger's relayMessage(versioned messenger nonce, L2 bridge,
 *   L1 bridge, 0, minGasLimit, finalizeBridgeERC20(l1Token, l2Token, from, to, amount, 0x)) and its gas limit the
 *   messenger's baseGas of that message; the L1 bridge and the messenger nonce are read from our state (the L2
 *   bridge's otherBridge, slot 4; the messenger's msgNonce, slot 205: contracts-bedrock storageLayout), and the
 *   newest messenger nonces are tried. Storage found under the computed hash proves the guess (a keccak preimage).
 * - an untrusted L2 node (source 'l2-node'): the MessagePassed event in the node's receipt of our deposit's L2
 *   transaction, checked field by field against what our deposit must have produced; the storage proof verified
 *   later against a checked output root is what makes it a fact.
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, decodeFunctionData, encodeFunctionData, getAddress, hexToBytes, keccak256, numberToHex, pad, type Address, type Hex } from 'viem'
import { l1CrossDomainMessengerAbi } from '../../../../contracts-abi/op-stack/L1CrossDomainMessenger'
import { l1StandardBridgeAbi } from '../../../../contracts-abi/op-stack/L1StandardBridge'
import { createProof, type TrieNodeSource } from '../../../../shared/trie/createProof'
import { verifyProof } from '../../../../shared/trie/verifyProof'
import { EMPTY_TRIE_ROOT } from '../../../../shared/trie/buildTrie'
import type { WithdrawalTransaction } from '../../../../shared/rollups/op-stack/proof/withdrawalProof'
import { DEFAULT_BRIDGE_MIN_GAS_LIMIT, DEFAULT_ETH_WITHDRAWAL_L1_GAS, L2_STANDARD_BRIDGE } from '../../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { findMessagePassed, type ReceiptLogs } from '../../../../shared/rollups/op-stack/withdraw/findMessagePassed'
import { findWithdrawalInState } from '../../../../shared/rollups/op-stack/withdraw/findWithdrawalInState'
import { UntrustedL2DataError } from '../../../../shared/rollups/op-stack/derive/start/errors'
import type { OpEscapeAsset } from './opEscapeJob'

export const L2_CROSS_DOMAIN_MESSENGER: Address = '0x4200000000000000000000000000000000000007'
/** CrossDomainMessenger MESSAGE_VERSION (top 16 bits of the messenger's nonce). */
const MESSENGER_VERSION = 1n
/** Messenger nonces tried (newest first) and message-passer nonces per messenger nonce. */
const MESSENGER_NONCES_TRIED = 64n
const PASSER_NONCES_TRIED = 512

export interface FoundWithdrawal {
  withdrawal: WithdrawalTransaction
  withdrawalHash: Hex
}

interface OurAsset {
  asset: OpEscapeAsset
  account: Address
  destination: Address
}

/** The ETH withdrawal our deposit makes (buildForcedEthWithdrawalTx with its defaults), without its nonce. */
export function expectedEthWithdrawal(p: { account: Address; destination: Address; amount: bigint }): Omit<WithdrawalTransaction, 'nonce'> {
  return { sender: getAddress(p.account), target: getAddress(p.destination), value: p.amount, gasLimit: DEFAULT_ETH_WITHDRAWAL_L1_GAS, data: '0x' }
}

/** The bridge message the L1 bridge receives for an ERC-20 withdrawal (the L2 bridge swaps local and remote token). */
export function erc20BridgeMessage(p: { l1Token: Address; l2Token: Address; account: Address; destination: Address; amount: bigint }): Hex {
  return encodeFunctionData({
    abi: l1StandardBridgeAbi,
    functionName: 'finalizeBridgeERC20',
    args: [getAddress(p.l1Token), getAddress(p.l2Token), getAddress(p.account), getAddress(p.destination), p.amount, '0x'],
  })
}

/** CrossDomainMessenger.baseGas (contracts-bedrock universal/CrossDomainMessenger.sol, the releases with fault proofs). */
export function messengerBaseGas(messageBytes: number, minGasLimit: number): bigint {
  return 200_000n + 16n * BigInt(messageBytes) + (BigInt(minGasLimit) * 64n) / 63n + 40_000n + 40_000n + 5_000n
}

/** Search our rebuilt state (see the top of the file). */
export function findWithdrawalInRebuiltState(p: OurAsset & { stateRoot: Hex; getNode: TrieNodeSource; baseGasCandidates?: readonly bigint[] }): FoundWithdrawal | undefined {
  const { asset } = p
  if (asset.kind === 'eth') {
    const found = findWithdrawalInState({ stateRoot: p.stateRoot, getNode: p.getNode, expected: expectedEthWithdrawal({ account: p.account, destination: p.destination, amount: BigInt(asset.amountWei) }), maxScan: 100_000 })
    return found && { withdrawal: found.withdrawal, withdrawalHash: found.withdrawalHash }
  }
  const read = (account: Address, slot: bigint) => readStorageSlot({ stateRoot: p.stateRoot, getNode: p.getNode, account, slot })
  const l1Bridge = toAddress(read(L2_STANDARD_BRIDGE, 4n))
  const l1Messenger = toAddress(read(L2_CROSS_DOMAIN_MESSENGER, 207n))
  const messengerNonce = read(L2_CROSS_DOMAIN_MESSENGER, 205n)
  if (!l1Bridge || !l1Messenger || messengerNonce === 0n) return undefined
  const message = erc20BridgeMessage({ l1Token: asset.l1Token as Address, l2Token: asset.l2Token as Address, account: p.account, destination: p.destination, amount: BigInt(asset.amountWei) })
  const gasLimits = [...new Set([messengerBaseGas((message.length - 2) / 2, DEFAULT_BRIDGE_MIN_GAS_LIMIT), ...(p.baseGasCandidates ?? [])])]
  for (let n = messengerNonce - 1n; n >= 0n && messengerNonce - n <= MESSENGER_NONCES_TRIED; n--) {
    const data = encodeFunctionData({
      abi: l1CrossDomainMessengerAbi,
      functionName: 'relayMessage',
      args: [(MESSENGER_VERSION << 240n) | n, L2_STANDARD_BRIDGE, l1Bridge, 0n, BigInt(DEFAULT_BRIDGE_MIN_GAS_LIMIT), message],
    })
    for (const gasLimit of gasLimits) {
      const found = findWithdrawalInState({ stateRoot: p.stateRoot, getNode: p.getNode, expected: { sender: L2_CROSS_DOMAIN_MESSENGER, target: l1Messenger, value: 0n, gasLimit, data }, maxScan: PASSER_NONCES_TRIED })
      if (found) return { withdrawal: found.withdrawal, withdrawalHash: found.withdrawalHash }
    }
  }
  return undefined
}

/**
 * Our withdrawal in the untrusted node's receipt of our deposit's L2 transaction: exactly one MessagePassed whose
 * fields are what our deposit makes (the nonces aside, which the storage proof settles).
 */
export function findWithdrawalInReceipt(p: OurAsset & { receipt: ReceiptLogs; node: string }): FoundWithdrawal {
  const passed = findMessagePassed(p.receipt, p.node)
  const { asset } = p
  const matches = passed.filter(({ withdrawal: w }) => {
    if (asset.kind === 'eth') {
      const e = expectedEthWithdrawal({ account: p.account, destination: p.destination, amount: BigInt(asset.amountWei) })
      return getAddress(w.sender) === e.sender && getAddress(w.target) === e.target && w.value === e.value && w.gasLimit === e.gasLimit && w.data === e.data
    }
    if (getAddress(w.sender) !== L2_CROSS_DOMAIN_MESSENGER || w.value !== 0n) return false
    const message = erc20BridgeMessage({ l1Token: asset.l1Token as Address, l2Token: asset.l2Token as Address, account: p.account, destination: p.destination, amount: BigInt(asset.amountWei) })
    try {
      const d = decodeFunctionData({ abi: l1CrossDomainMessengerAbi, data: w.data })
      if (d.functionName !== 'relayMessage') return false
      const [, sender, , value, minGasLimit, relayed] = d.args
      return getAddress(sender) === L2_STANDARD_BRIDGE && value === 0n && minGasLimit === BigInt(DEFAULT_BRIDGE_MIN_GAS_LIMIT) && relayed.toLowerCase() === message.toLowerCase()
    } catch {
      return false
    }
  })
  if (matches.length !== 1) {
    throw new UntrustedL2DataError('malformed', `The L2 node's receipt of your deposit shows ${matches.length === 0 ? 'no' : matches.length} withdrawal${matches.length === 1 ? '' : 's'} matching it (exactly one expected).`, {
      node: p.node,
      details: `${passed.length} MessagePassed event(s) in the receipt`,
    })
  }
  const m = matches[0] as (typeof matches)[number]
  return { withdrawal: m.withdrawal, withdrawalHash: m.withdrawalHash }
}

/** One storage slot of an account in a state we computed (0 when absent). */
export function readStorageSlot(p: { stateRoot: Hex; getNode: TrieNodeSource; account: Address; slot: bigint }): bigint {
  const account = readTrie(hexToBytes(p.stateRoot), hexToBytes(keccak256(p.account)), p.getNode)
  if (!account) return 0n
  const storageRoot = (RLP.decode(account) as Uint8Array[])[2] as Uint8Array
  const leaf = readTrie(storageRoot, hexToBytes(keccak256(pad(numberToHex(p.slot), { size: 32 }))), p.getNode)
  if (!leaf) return 0n
  const value = RLP.decode(leaf) as Uint8Array
  return value.length === 0 ? 0n : BigInt(bytesToHex(value))
}

function readTrie(root: Uint8Array, key: Uint8Array, getNode: TrieNodeSource): Uint8Array | null {
  if (bytesToHex(root) === bytesToHex(EMPTY_TRIE_ROOT)) return null
  return verifyProof({ root, key, proof: createProof({ root, key, getNode }) })
}

function toAddress(v: bigint): Address | undefined {
  if (v === 0n || v >= 1n << 160n) return undefined
  return getAddress(pad(numberToHex(v), { size: 20 }))
}
