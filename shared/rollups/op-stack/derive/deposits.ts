/**
 * User deposits: TransactionDeposited logs → 0x7E deposit transactions (specs/protocol/deposits.md; op-node
 * deposit_log.go `UnmarshalDepositLogEvent`, deposits.go `UserDeposits`; kona protocol/src/deposits.rs).
 *
 *   event TransactionDeposited(address indexed from, address indexed to, uint256 indexed version, bytes opaqueData)
 *   opaqueData (v0) = uint256 mint ++ uint256 value ++ uint64 gas ++ bool isCreation ++ data
 *   tx = 0x7E ++ rlp([sourceHash, from, to | "", mint, value, gas, isSystemTx, data])
 *
 * `from` is already aliased by the portal when the depositor is a contract (msg.sender != tx.origin);
 * `applyL1ToL2Alias` is exported for callers that build deposits from L1 calls.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import type { L1Log } from '../../../l1/L1Source'
import { DerivationError } from './errors'
import { concatBytes, hexBytes, toHex, u256 } from '../../../eth/bytes'
import type { TxDeposit } from '../../../eth/TxDeposit'
import type { Hex } from './batchTypes'

export type Address = `0x${string}`

/** keccak256("TransactionDeposited(address,address,uint256,bytes)") */
export const TRANSACTION_DEPOSITED_TOPIC = '0xb3813568d9991fc951961fcb4c784893574240a28925604d09fc577c55bb7c32'
export const L1_TO_L2_ALIAS_OFFSET = 0x1111000000000000000000000000000000001111n

/** Source-hash domains (deposits.md §"Source hash computation"). */
export function userDepositSourceHash(l1BlockHash: Hex, logIndex: number | bigint): Hex {
  return domainHash(0, concatBytes([hexBytes(l1BlockHash, 32), u256(BigInt(logIndex))]))
}
export function l1InfoDepositSourceHash(l1BlockHash: Hex, sequenceNumber: number | bigint): Hex {
  return domainHash(1, concatBytes([hexBytes(l1BlockHash, 32), u256(BigInt(sequenceNumber))]))
}
export function upgradeDepositSourceHash(intent: string): Hex {
  return domainHash(2, utf8ToBytes(intent))
}

function domainHash(domain: number, payload: Uint8Array): Hex {
  return toHex(keccak_256(concatBytes([u256(BigInt(domain)), keccak_256(payload)])))
}

/** L1 address → its L2 alias: address + 0x1111…1111 mod 2^160 (deposits.md §"Address Aliasing"). */
export function applyL1ToL2Alias(address: Address): Address {
  const v = (BigInt(address) + L1_TO_L2_ALIAS_OFFSET) % (1n << 160n)
  return `0x${v.toString(16).padStart(40, '0')}` as Address
}

/** Decode one TransactionDeposited log (throws DerivationError: the portal never emits a malformed one). */
export function decodeDepositLog(log: Pick<L1Log, 'topics' | 'data' | 'blockHash' | 'logIndex'>): TxDeposit {
  const fail = (why: string): never => {
    throw new DerivationError('A deposit event on L1 could not be decoded.', {
      kind: 'critical',
      steps: ['Check that the rollup config has the right deposit contract (OptimismPortal proxy).', 'Report this: the portal should never emit such an event.'],
      details: `${why} (block ${log.blockHash}, log ${log.logIndex})`,
    })
  }
  if (log.topics.length !== 4) fail('expected 4 topics')
  if (log.topics[0]?.toLowerCase() !== TRANSACTION_DEPOSITED_TOPIC) fail('not a TransactionDeposited event')
  const from = topicAddress(log.topics[1] as Hex)
  const to = topicAddress(log.topics[2] as Hex)
  const version = BigInt(log.topics[3] as Hex)
  const data = hexBytes(log.data)
  if (data.length < 64) fail('log data shorter than 64 bytes')
  if (data.length % 32 !== 0) fail('log data is not a multiple of 32 bytes')
  const offset = readU256(data, 0)
  if (offset !== 32n) fail(`opaqueData offset ${offset} is not 32`)
  const len = readU256(data, 32)
  const room = BigInt(data.length - 64)
  if (len > room || len + 32n <= room) fail(`opaqueData length ${len} does not match the log data size`)
  const opaque = data.subarray(64, 64 + Number(len))
  if (version !== 0n) fail(`unknown deposit version ${version}`)
  if (opaque.length < 32 + 32 + 8 + 1) fail('opaqueData too short')
  const mint = readU256(opaque, 0)
  const value = readU256(opaque, 32)
  let gas = 0n
  for (let i = 64; i < 72; i++) gas = (gas << 8n) | BigInt(opaque[i] as number)
  const isCreation = opaque[72] !== 0
  return {
    sourceHash: userDepositSourceHash(log.blockHash, log.logIndex),
    from,
    to: isCreation ? undefined : to,
    mint,
    value,
    gas,
    isSystemTransaction: false,
    data: opaque.slice(73),
  }
}

/** The user deposits of one L1 block, in log order, from the portal's logs (op-node `UserDeposits`). */
export function depositsFromLogs(logs: readonly L1Log[], depositContract: Address): TxDeposit[] {
  const portal = depositContract.toLowerCase()
  return [...logs]
    .sort((a, b) => a.logIndex - b.logIndex)
    .filter((l) => l.address.toLowerCase() === portal && l.topics[0]?.toLowerCase() === TRANSACTION_DEPOSITED_TOPIC)
    .map(decodeDepositLog)
}

function topicAddress(topic: Hex): Address {
  return `0x${topic.slice(-40).toLowerCase()}` as Address
}

function readU256(b: Uint8Array, at: number): bigint {
  let v = 0n
  for (let i = at; i < at + 32; i++) v = (v << 8n) | BigInt(b[i] as number)
  return v
}
