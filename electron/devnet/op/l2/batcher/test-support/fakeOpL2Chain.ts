/**
 * Tests only, until the devnet's real OP L2 chain core (../../chain) is on main: an OpL2ChainView whose blocks are laid
 * out as a sequencer lays them over the devnet's real L1 — timestamps genesis + block_time·n, L1 origins that advance
 * by at most one per block and never to an L1 block newer than the L2 timestamp, a deposit first in each block (the
 * batcher must leave it out), then real signed L2 transactions (EIP-1559 and EIP-155 legacy) of the chain id and the
 * ones submitted to its pool. The state is a real Merkle-Patricia trie of a few accounts (balances move with the
 * transfers), so eth_getProof answers and witnesses verify against each header's stateRoot; headers hash for real
 * (parentHash chains from the rollup genesis hash). No EVM: receipts have one log per transfer, outputs are labelled.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, getAddress, hexToBytes, keccak256, numberToHex, parseTransaction, recoverTransactionAddress, stringToBytes, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { logsBloom } from '../../../../../../shared/eth/logsBloom'
import { EMPTY_ROOT_HASH, EMPTY_UNCLES_HASH, encodeHeader, hashHeader, type BlockHeader } from '../../../../../../shared/eth/header'
import { serializeTxDeposit } from '../../../../../../shared/eth/TxDeposit'
import type { RollupConfig } from '../../../../../../shared/rollups/op-stack/config/rollupConfig'
import { encodeAccount } from '../../../../../../shared/rollups/op-stack/state/encodeAccount'
import { transactionsRoot } from '../../../../../../shared/rollups/op-stack/derive/start/verifyL2Block'
import { buildTrie } from '../../../../../../shared/trie/buildTrie'
import { createProof } from '../../../../../../shared/trie/createProof'
import type { OpL2AccountProof, OpL2Block, OpL2ChainView, OpL2Transaction } from '../../types'

export const FAKE_SENDER_KEY: Hex = `0x${'42'.repeat(32)}`
const label = (s: string): Hex => keccak256(stringToBytes(`escape-hatch fake OP L2: ${s}`))
const EMPTY_CODE_HASH = keccak_256(new Uint8Array(0))
const TRANSFER_TOPIC = label('transfer')

export interface FakeOpL2Chain extends OpL2ChainView {
  blocks: OpL2Block[]
  /** Append `count` blocks, taking L1 origins from the L1 as it is now. */
  extend(count: number): Promise<OpL2Block[]>
}

interface State {
  balances: Map<Address, bigint>
  nonces: Map<Address, bigint>
  root: Hex
  nodes: Map<string, Uint8Array>
}

function buildState(balances: Map<Address, bigint>, nonces: Map<Address, bigint>): State {
  const nodes = new Map<string, Uint8Array>()
  const addresses = [...balances.keys()]
  const { root } = buildTrie({
    keys: addresses.map((a) => keccak_256(hexToBytes(a))),
    values: addresses.map((a) => encodeAccount(nonces.get(a) ?? 0n, balances.get(a) ?? 0n, hexToBytes(EMPTY_ROOT_HASH), EMPTY_CODE_HASH)),
    onNode: (hash, node) => nodes.set(bytesToHex(hash), node),
  })
  return { balances, nonces, root: bytesToHex(root), nodes }
}

export function createFakeOpL2Chain(l1: PublicClient, config: RollupConfig): FakeOpL2Chain {
  const account = privateKeyToAccount(FAKE_SENDER_KEY)
  let nonce = 0
  const pool: Hex[] = []
  const listeners = new Set<(b: OpL2Block) => void>()
  const states: State[] = [buildState(new Map([[account.address, 10n ** 21n]]), new Map())]

  const header = (number: bigint, timestamp: bigint, stateRoot: Hex, parentHash: Hex, gasUsed: bigint, bloom: Hex, txsRoot: Hex = EMPTY_ROOT_HASH): BlockHeader => ({
    parentHash,
    sha3Uncles: EMPTY_UNCLES_HASH,
    miner: '0x4200000000000000000000000000000000000011',
    stateRoot,
    transactionsRoot: txsRoot,
    receiptsRoot: label(`receipts ${number}`),
    logsBloom: bloom,
    difficulty: 0n,
    number,
    gasLimit: 30_000_000n,
    gasUsed,
    timestamp,
    extraData: '0x',
    mixHash: label(`randao ${number}`),
    nonce: '0x0000000000000000',
    baseFeePerGas: 1_000_000n,
    withdrawalsRoot: EMPTY_ROOT_HASH,
    blobGasUsed: 0n,
    excessBlobGas: 0n,
    parentBeaconBlockRoot: label(`beacon ${number}`),
    requestsHash: '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  const emptyBloom = bytesToHex(new Uint8Array(256))
  const genesisHeader = header(0n, BigInt(config.genesis.l2Time), (states[0] as State).root, label('genesis parent'), 0n, emptyBloom)
  const blocks: OpL2Block[] = [
    {
      number: 0n,
      hash: config.genesis.l2.hash as Hex,
      header: genesisHeader,
      transactions: [],
      l1Origin: { number: BigInt(config.genesis.l1.number), hash: config.genesis.l1.hash as Hex, timestamp: 0n },
      sequenceNumber: 0n,
      depositCount: 0,
      stateRoot: genesisHeader.stateRoot,
      messagePasserStorageRoot: EMPTY_ROOT_HASH,
      outputRoot: label('output 0'),
    },
  ]
  const byHash = new Map<string, OpL2Block>([[blocks[0]!.hash, blocks[0]!]])

  async function signedTransfers(n: bigint): Promise<Hex[]> {
    const to = getAddress(`0x${(0x1000n + n).toString(16).padStart(40, '0')}`)
    const txs: Hex[] = []
    for (let i = 0; i < Number(n % 3n); i++) {
      txs.push(
        i % 2 === 0
          ? await account.signTransaction({ type: 'eip1559', chainId: config.l2ChainId, nonce: nonce++, to, value: n * 1000n + BigInt(i), gas: 21_000n, maxFeePerGas: 2_000_000n, maxPriorityFeePerGas: 1n })
          : await account.signTransaction({ type: 'legacy', chainId: config.l2ChainId, nonce: nonce++, to, value: 7n, gas: 50_000n, gasPrice: 2_000_000n, data: numberToHex(n, { size: 8 }) }),
      )
    }
    return txs
  }

  const chain: FakeOpL2Chain = {
    rollupConfig: config,
    chainId: config.l2ChainId,
    blocks,
    genesis: () => blocks[0] as OpL2Block,
    head: () => blocks[blocks.length - 1] as OpL2Block,
    block: (n) => blocks[Number(n)],
    blockByHash: (hash) => byHash.get(hash.toLowerCase()),
    transaction(hash) {
      for (const block of blocks) {
        const tx = block.transactions.find((t) => t.hash === hash.toLowerCase())
        if (tx) return { block, tx }
      }
      return undefined
    },
    async proof(address, slots, n): Promise<OpL2AccountProof | undefined> {
      const state = states[Number(n)]
      if (!state) return undefined
      const a = getAddress(address)
      return {
        address: a,
        accountProof: createProof({ root: hexToBytes(state.root), key: keccak_256(hexToBytes(a)), getNode: (h) => state.nodes.get(bytesToHex(h)) }).map((x) => bytesToHex(x)),
        balance: state.balances.get(a) ?? 0n,
        nonce: state.nonces.get(a) ?? 0n,
        codeHash: bytesToHex(EMPTY_CODE_HASH),
        storageHash: EMPTY_ROOT_HASH,
        storageProof: slots.map((key) => ({ key, value: 0n, proof: [] })),
      }
    },
    async executionWitness(n) {
      const parent = states[Number(n) - 1]
      const parentBlock = blocks[Number(n) - 1]
      if (n < 1n || !parent || !parentBlock || !blocks[Number(n)]) return undefined
      return { state: [...parent.nodes.values()].map((x) => bytesToHex(x)), codes: [], keys: [], headers: [bytesToHex(encodeHeader(parentBlock.header))] }
    },
    async submitTransaction(raw) {
      pool.push(raw)
      return { accepted: true, hash: keccak256(raw) }
    },
    onBlock(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async extend(count) {
      const l1Head = await l1.getBlockNumber()
      const added: OpL2Block[] = []
      for (let i = 0; i < count; i++) {
        const parent = chain.head()
        const number = parent.number + 1n
        const timestamp = parent.header.timestamp + BigInt(config.blockTime)
        let origin = parent.l1Origin
        let sequenceNumber = parent.sequenceNumber + 1n
        if (origin.number < l1Head) {
          const next = await l1.getBlock({ blockNumber: origin.number + 1n })
          if (next.timestamp <= timestamp) {
            origin = { number: next.number, hash: next.hash, timestamp: next.timestamp }
            sequenceNumber = 0n
          }
        }
        const deposit = bytesToHex(
          serializeTxDeposit({
            sourceHash: label(`l1 info ${number}`),
            from: '0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001',
            to: '0x4200000000000000000000000000000000000015',
            mint: 0n,
            value: 0n,
            gas: 1_000_000n,
            isSystemTransaction: false,
            data: hexToBytes(origin.hash),
          }),
        )
        const raws = [deposit, ...(await signedTransfers(number)), ...pool.splice(0)]
        const balances = new Map((states[states.length - 1] as State).balances)
        const nonces = new Map((states[states.length - 1] as State).nonces)
        const txs: OpL2Transaction[] = []
        let cumulative = 0n
        let logIndex = 0
        for (const [index, raw] of raws.entries()) {
          const deposited = index === 0
          const parsed = deposited ? undefined : parseTransaction(raw)
          const from = deposited ? getAddress('0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001') : await recoverTransactionAddress({ serializedTransaction: raw as never })
          const to = deposited ? getAddress('0x4200000000000000000000000000000000000015') : parsed?.to ? getAddress(parsed.to) : null
          const value = parsed?.value ?? 0n
          const gasUsed = deposited ? 50_000n : 21_000n
          cumulative += gasUsed
          if (!deposited && to) {
            balances.set(from, (balances.get(from) ?? 0n) - value)
            balances.set(to, (balances.get(to) ?? 0n) + value)
            nonces.set(from, (nonces.get(from) ?? 0n) + 1n)
          }
          const logs = deposited || !to ? [] : [{ address: hexToBytes(to), topics: [hexToBytes(TRANSFER_TOPIC), hexToBytes(`0x${from.slice(2).padStart(64, '0')}`)], data: hexToBytes(numberToHex(value, { size: 32 })) }]
          txs.push({
            raw,
            hash: keccak256(raw),
            index,
            type: hexToBytes(raw)[0]! >= 0x7f ? 0 : hexToBytes(raw)[0]!,
            from,
            to,
            deposit: deposited,
            receipt: { type: hexToBytes(raw)[0]! >= 0x7f ? 0 : hexToBytes(raw)[0]!, status: 1, cumulativeGasUsed: cumulative, logs, bloom: logsBloom(logs), ...(deposited ? { depositNonce: number, depositReceiptVersion: 1n } : {}) },
            gasUsed,
            effectiveGasPrice: deposited ? 0n : 1_000_001n,
            contractAddress: null,
            firstLogIndex: logIndex,
          })
          logIndex += logs.length
        }
        const state = buildState(balances, nonces)
        states.push(state)
        const h = header(number, timestamp, state.root, parent.hash, cumulative, emptyBloom, transactionsRoot(raws.map((r) => hexToBytes(r))))
        const block: OpL2Block = {
          number,
          hash: hashHeader(h),
          header: h,
          transactions: txs,
          l1Origin: origin,
          sequenceNumber,
          depositCount: 1,
          stateRoot: state.root,
          messagePasserStorageRoot: EMPTY_ROOT_HASH,
          outputRoot: label(`output ${number}`),
        }
        blocks.push(block)
        byHash.set(block.hash, block)
        added.push(block)
        for (const l of listeners) l(block)
      }
      return added
    },
  }
  return chain
}
