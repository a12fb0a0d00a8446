/**
 * Test-only: a small L2 chain with *real* block hashes (headers RLP-hashed, transactionsRoot built from the
 * transactions), real L1-info deposits (buildL1InfoDeposit) naming SyntheticL1 origins, signed user transactions, and
 * one state trie holding the message passer (so eth_getProof and the output root can be checked). It stands in for
 * what an honest L2 node serves; tests tamper with it to play a malicious one.
 */
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { buildTrie } from '../../../../../trie/buildTrie'
import type { RollupConfig } from '../../../config/rollupConfig'
import { encodeAccount } from '../../../state/encodeAccount'
import { buildL1InfoDeposit } from '../../l1Info'
import { genesisSystemConfig } from '../../systemConfig'
import type { SyntheticL1 } from '../../test-support/syntheticL1'
import { L1_BLOCK_TIME, T0, syntheticConfig } from '../../test-support/syntheticL1'
import type { UntrustedAccountProof } from '../L2BlockSource'
import { transactionsRoot } from '../verifyL2Block'
import { encodeFeeExtraData } from '../../../common/feeExtraData'
import { EMPTY_ROOT_HASH, EMPTY_UNCLES_HASH, hashHeader, type BlockHeader } from '../../../../../eth/header'
import { computeOutputRoot } from '../../../common/computeOutputRoot'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../../../eth/predeploys'

export interface SyntheticL2Block {
  header: BlockHeader & { hash: Hex }
  transactions: Uint8Array[]
}

export interface SyntheticL2Chain {
  config: RollupConfig
  blocks: SyntheticL2Block[]
  proof: UntrustedAccountProof
  messagePasserStorageRoot: Hex
  outputRootOf(n: number): Hex
}

const USER = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')

/** `count` L2 blocks after genesis (block time 2, L1 time 12), each with `userTxs` signed transactions. */
export async function buildSyntheticL2Chain(l1: SyntheticL1, count: number, userTxs = 2, overrides: Record<string, unknown> = {}): Promise<SyntheticL2Chain> {
  const passerStorageRoot = keccak256('0x5e')
  const keys = [L2_TO_L1_MESSAGE_PASSER, USER.address].map((a) => hexToBytes(keccak256(a)))
  const values = [encodeAccount(0n, 0n, hexToBytes(passerStorageRoot), hexToBytes(keccak256('0xc0de'))), encodeAccount(7n, 10n ** 18n, hexToBytes(EMPTY_ROOT_HASH), hexToBytes(keccak256('0x')))]
  const trie = buildTrie({ keys, values, prove: [0] })
  const stateRoot = bytesToHex(trie.root)
  const base = (number: number, timestamp: number, parentHash: Hex, txs: Uint8Array[], config: RollupConfig): BlockHeader => ({
    parentHash, sha3Uncles: EMPTY_UNCLES_HASH, miner: '0x4200000000000000000000000000000000000011', stateRoot,
    transactionsRoot: transactionsRoot(txs), receiptsRoot: EMPTY_ROOT_HASH, logsBloom: `0x${'00'.repeat(256)}`, difficulty: 0n, number: BigInt(number),
    gasLimit: 30_000_000n, gasUsed: 21_000n * BigInt(txs.length), timestamp: BigInt(timestamp), extraData: encodeFeeExtraData(config, timestamp, undefined, undefined),
    mixHash: keccak256(`0x${number.toString(16).padStart(8, '0')}`), nonce: '0x0000000000000000', baseFeePerGas: 1_000_000n,
    withdrawalsRoot: EMPTY_ROOT_HASH, blobGasUsed: 0n, excessBlobGas: 0n, parentBeaconBlockRoot: keccak256('0xbeac0'),
  })
  // The genesis hash goes into the config, so build genesis with a provisional config first.
  const provisional = syntheticConfig(overrides)
  const genesisHeader = base(0, T0, `0x${'00'.repeat(32)}`, [], provisional)
  const genesisHash = hashHeader(genesisHeader)
  const config = syntheticConfig({ ...overrides, genesis: { l1: { hash: l1.block(0).header.hash, number: 0 }, l2: { hash: genesisHash, number: 0 }, l2_time: T0, system_config: sysJson(provisional) } })
  const sys = genesisSystemConfig(config)
  const blocks: SyntheticL2Block[] = [{ header: { ...genesisHeader, hash: genesisHash }, transactions: [] }]
  let nonce = 7
  for (let n = 1; n <= count; n++) {
    const ts = T0 + 2 * n
    const epoch = Math.floor((ts - T0) / L1_BLOCK_TIME)
    const seq = (ts - T0 - epoch * L1_BLOCK_TIME) / 2
    const info = buildL1InfoDeposit({ config, sys, l1: l1.block(epoch).header, sequenceNumber: seq, l2Timestamp: ts }).raw
    const txs: Uint8Array[] = [info]
    for (let i = 0; i < userTxs; i++) {
      const signed = await USER.signTransaction({ type: 'eip1559', chainId: config.l2ChainId, nonce: nonce++, to: '0x00000000000000000000000000000000000000aa', value: BigInt(n), gas: 21_000n, maxFeePerGas: 2_000_000n, maxPriorityFeePerGas: 1n })
      txs.push(hexToBytes(signed))
    }
    const parent = blocks[n - 1] as SyntheticL2Block
    const header = base(n, ts, parent.header.hash, txs, config)
    blocks.push({ header: { ...header, hash: hashHeader(header) }, transactions: txs })
  }
  const proof: UntrustedAccountProof = {
    address: L2_TO_L1_MESSAGE_PASSER, accountProof: (trie.proofs[0] as Uint8Array[]).map((x) => bytesToHex(x)), nonce: 0n, balance: 0n, codeHash: keccak256('0xc0de'), storageHash: passerStorageRoot,
  }
  return {
    config, blocks, proof, messagePasserStorageRoot: passerStorageRoot,
    outputRootOf: (n) => computeOutputRoot({ stateRoot, messagePasserStorageRoot: passerStorageRoot, latestBlockhash: (blocks[n] as SyntheticL2Block).header.hash }),
  }
}

function sysJson(c: RollupConfig): Record<string, unknown> {
  const g = c.genesis.systemConfig
  return { batcherAddr: g.batcherAddress, overhead: g.overhead, scalar: g.scalar, gasLimit: Number(g.gasLimit) }
}
