/**
 * What derivation needs to know about a verified L2 block, read from the block itself (op-node `L2BlockToBlockRef`,
 * l1_block_info.go `L1BlockInfoFromBytes`): its first transaction must be the L1-attributes deposit (from the
 * depositor account to the L1Block predeploy) in the calldata format of the block's fork; the block ref is
 * (number, hash, timestamp, L1 origin, sequence number). The genesis block has no L1-info tx: its ref comes from the
 * rollup config, and its hash must be the configured genesis hash.
 */
import type { Hex } from 'viem'
import type { RollupConfig } from '../../config/rollupConfig'
import { decodeL1InfoCalldata, l1InfoFormat, L1_INFO_DEPOSITOR, type L1BlockInfo } from '../l1Info'
import { hashTx } from '../hashTx'
import type { L2BlockRef } from '../l2Types'
import { UntrustedL2DataError } from './errors'
import type { VerifiedL2Block } from './verifyL2Block'
import { parseTxDeposit, DEPOSIT_TX_TYPE } from '../../../../eth/TxDeposit'
import { L1_BLOCK } from '../../../../eth/predeploys'

export interface L2BlockInfo {
  ref: L2BlockRef & { hash: Hex }
  parentHash: Hex
  /** undefined for the genesis block. */
  l1Info: L1BlockInfo | undefined
  /** Hashes of the block's non-deposit transactions, in order (for overlapping span-batch checks). */
  nonDepositTxHashes: Hex[]
}

export function readL2BlockInfo(config: RollupConfig, block: VerifiedL2Block, node?: string): L2BlockInfo {
  const number = Number(block.header.number)
  const timestamp = Number(block.header.timestamp)
  const nonDepositTxHashes = block.transactions.filter((t) => t[0] !== DEPOSIT_TX_TYPE).map(hashTx)
  if (number === config.genesis.l2.number) {
    if (block.hash !== config.genesis.l2.hash.toLowerCase()) {
      throw new UntrustedL2DataError('genesis', 'The L2 node is not on this rollup: its genesis block hash differs from the rollup config.', {
        node,
        details: `block ${number} hash ${block.hash}, config says ${config.genesis.l2.hash}`,
      })
    }
    return {
      ref: { number, hash: block.hash, timestamp: config.genesis.l2Time, l1Origin: config.genesis.l1, sequenceNumber: 0 },
      parentHash: block.header.parentHash,
      l1Info: undefined,
      nonDepositTxHashes,
    }
  }
  const fail = (details: string, cause?: unknown): never => {
    throw new UntrustedL2DataError('l1-info', `L2 block ${number} does not start with a valid L1-attributes deposit.`, { node, details, cause })
  }
  const first = block.transactions[0]
  if (!first || first[0] !== DEPOSIT_TX_TYPE) return fail('the first transaction is not a deposit (0x7E)')
  let info: L1BlockInfo
  try {
    const dep = parseTxDeposit(first)
    if (dep.from.toLowerCase() !== L1_INFO_DEPOSITOR || dep.to?.toLowerCase() !== L1_BLOCK) fail(`deposit from ${dep.from} to ${dep.to}`)
    info = decodeL1InfoCalldata(dep.data)
  } catch (cause) {
    if (cause instanceof UntrustedL2DataError) throw cause
    return fail((cause as Error).message, cause)
  }
  const format = l1InfoFormat(config, timestamp)
  if (info.format !== format) fail(`calldata is in the ${info.format} format, the block's fork uses ${format}`)
  return {
    ref: { number, hash: block.hash, timestamp, l1Origin: { number: Number(info.l1BlockNumber), hash: info.l1BlockHash }, sequenceNumber: Number(info.sequenceNumber) },
    parentHash: block.header.parentHash,
    l1Info: info,
    nonDepositTxHashes,
  }
}
