/**
 * Tests only, until the devnet's real OP L2 chain core (../../chain) is on main: a chain of L2 blocks as a sequencer
 * would lay them out over the devnet's real L1 — timestamps genesis + block_time·n, L1 origins that advance by at most
 * one per block and never past an L1 block older than the L2 timestamp, a deposit first in each block (the batcher must
 * leave it out), then real signed L2 transactions (EIP-1559 and EIP-155 legacy) of the chain id. Headers are
 * self-consistent (hash = keccak(rlp(header)), parentHash = the previous hash from the rollup genesis hash); state is
 * not executed, so roots are labelled placeholders. proof() and executionWitness() are not served by this fake.
 */
import { keccak256, numberToHex, stringToBytes, hexToBytes, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { EMPTY_ROOT_HASH, EMPTY_UNCLES_HASH, hashHeader, type BlockHeader } from '../../../../../../shared/eth/header'
import { serializeTxDeposit } from '../../../../../../shared/eth/TxDeposit'
import type { RollupConfig } from '../../../../../../shared/rollups/op-stack/config/rollupConfig'
import type { OpL2Block, OpL2ChainView } from '../opL2ChainView'

const SENDER_KEY: Hex = `0x${'42'.repeat(32)}`
const label = (s: string): Hex => keccak256(stringToBytes(`escape-hatch fake OP L2: ${s}`))

export interface FakeOpL2Chain extends OpL2ChainView {
  blocks: OpL2Block[]
  /** Append blocks until `count` more exist, taking L1 origins from the L1 as it is now. */
  extend(count: number): Promise<OpL2Block[]>
}

export function createFakeOpL2Chain(l1: PublicClient, config: RollupConfig): FakeOpL2Chain {
  const account = privateKeyToAccount(SENDER_KEY)
  let nonce = 0
  const listeners = new Set<(b: OpL2Block) => void>()
  const genesisHeader: BlockHeader = header(0n, BigInt(config.genesis.l2Time), config.genesis.l2.hash as Hex, label('genesis parent'))
  const blocks: OpL2Block[] = [
    {
      number: 0n,
      hash: config.genesis.l2.hash as Hex,
      header: genesisHeader,
      transactions: [],
      receipts: [],
      l1Origin: { number: BigInt(config.genesis.l1.number), hash: config.genesis.l1.hash as Hex, timestamp: 0n },
      sequenceNumber: 0n,
      outputRoot: label('output 0'),
      stateRoot: genesisHeader.stateRoot,
      messagePasserStorageRoot: EMPTY_ROOT_HASH,
    },
  ]

  function header(number: bigint, timestamp: bigint, stateSeed: Hex, parentHash: Hex): BlockHeader {
    return {
      parentHash,
      sha3Uncles: EMPTY_UNCLES_HASH,
      miner: '0x4200000000000000000000000000000000000011',
      stateRoot: keccak256(stateSeed),
      transactionsRoot: label(`txs ${number}`),
      receiptsRoot: label(`receipts ${number}`),
      logsBloom: `0x${'00'.repeat(256)}`,
      difficulty: 0n,
      number,
      gasLimit: 30_000_000n,
      gasUsed: 21_000n,
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
    }
  }

  async function l2Transactions(n: bigint): Promise<Uint8Array[]> {
    const to = `0x${(0x1000n + n).toString(16).padStart(40, '0')}` as const
    const txs: Hex[] = []
    const count = Number(n % 3n) // some blocks empty, some with one or two txs
    for (let i = 0; i < count; i++) {
      txs.push(
        i % 2 === 0
          ? await account.signTransaction({ type: 'eip1559', chainId: config.l2ChainId, nonce: nonce++, to, value: n * 1000n + BigInt(i), gas: 21_000n, maxFeePerGas: 2_000_000n, maxPriorityFeePerGas: 1n })
          : await account.signTransaction({ type: 'legacy', chainId: config.l2ChainId, nonce: nonce++, to, value: 7n, gas: 50_000n, gasPrice: 2_000_000n, data: numberToHex(n, { size: 8 }) }),
      )
    }
    return txs.map((t) => hexToBytes(t))
  }

  const chain: FakeOpL2Chain = {
    blocks,
    head: () => blocks[blocks.length - 1] as OpL2Block,
    block: (n) => blocks[Number(n)],
    proof: () => Promise.reject(new Error('the fake OP L2 chain has no state')),
    executionWitness: () => Promise.reject(new Error('the fake OP L2 chain has no state')),
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
        const deposit = serializeTxDeposit({
          sourceHash: label(`l1 info ${number}`),
          from: '0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001',
          to: '0x4200000000000000000000000000000000000015',
          mint: 0n,
          value: 0n,
          gas: 1_000_000n,
          isSystemTransaction: false,
          data: hexToBytes(origin.hash),
        })
        const h = header(number, timestamp, label(`state ${number}`), parent.hash)
        const block: OpL2Block = {
          number,
          hash: hashHeader(h),
          header: h,
          transactions: [deposit, ...(await l2Transactions(number))],
          receipts: [],
          l1Origin: origin,
          sequenceNumber,
          outputRoot: label(`output ${number}`),
          stateRoot: h.stateRoot,
          messagePasserStorageRoot: EMPTY_ROOT_HASH,
        }
        blocks.push(block)
        added.push(block)
        for (const l of listeners) l(block)
      }
      return added
    },
  }
  return chain
}
