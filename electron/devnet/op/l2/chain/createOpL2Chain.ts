/**
 * The devnet OP L2 chain: a sequencer that builds each block from its L1 origin (payload attributes: the L1-info
 * deposit + the portal's deposits, via derive/buildPayloadAttributes — the same code derivation uses) plus txpool
 * transactions, executes it with the project's own executor (execute/executeBlock) over a full in-memory node store,
 * and serves the result through OpL2ChainView.
 *
 * Time: the chain has no clock of its own. `tick()` builds blocks (2 s of L2 time each) until the L2 head has caught
 * up with the L1 head — its timestamp reached and the L1 head adopted as origin — with at least one block per tick.
 * Anvil time travel is followed by a burst of blocks, a deposit is in the L2 after the next tick, and a test decides
 * when blocks happen. (Automine L1 blocks can come faster than one per 2 s; the L2 then runs ahead of L1 time while
 * its origin catches up, one L1 block per L2 block as op-node's sequencer does, without pool txs past the drift.)
 *
 * L1 origin: each block keeps its parent's origin unless the next L1 block exists and is not later than the block's
 * timestamp (then it moves one L1 block on, op-node's rule). Past `max_sequencer_drift` a block carries no pool txs.
 *
 * Censorship (`switches.censored`): a censored sender's pool txs are never included. Its deposits cannot be left
 * out: they are part of the epoch's first block whether the sequencer likes it or not — derivation would otherwise
 * reject its batches and force the deposits in anyway (derivation.md "Deriving the Transaction List").
 *
 * Sequencer down (`switches.sequencerDown`): the sequencer sequences nothing. Blocks then appear only as derivation
 * forces them: once an epoch's sequencing window has elapsed on L1 (epoch number + seq_window_size <= L1 head),
 * derivation fills it with deposit-only blocks (an empty batch per L2 timestamp, moving to the next epoch when the
 * timestamp reaches its L1 time; derivation.md "Batch Queue"). Those blocks are built here the same way and marked
 * `forcedByDerivation`: a batcher must not post them (there is nothing to post), and a rebuild from L1 alone gets
 * the same blocks.
 *
 * Not modelled: reorgs of unsafe blocks. If sequenced blocks are never posted within the sequencing window (batcher
 * stopped), L1 derivation replaces them with deposit-only blocks while this chain keeps serving the sequencer's own;
 * that is the view of a sequencer whose batcher died, and why the proposer must only propose posted blocks.
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, getAddress, getContractAddress, hexToBytes, keccak256, parseTransaction, recoverTransactionAddress, type Address, type Hex } from 'viem'
import { L1_BLOB_SCHEDULES } from '../../../../../shared/l1/blobBaseFee'
import { DEVNET_DEFAULT_CHAIN_ID } from '../../../anvil'
import { encodeHeader, type BlockHeader } from '../../../../../shared/eth/header'
import { parseTxDeposit } from '../../../../../shared/eth/TxDeposit'
import type { RollupConfig } from '../../../../../shared/rollups/op-stack/config/rollupConfig'
import { buildPayloadAttributes, type EpochData } from '../../../../../shared/rollups/op-stack/derive/buildPayloadAttributes'
import { genesisSystemConfig, type SystemConfig } from '../../../../../shared/rollups/op-stack/derive/systemConfig'
import { BlockExecutionError } from '../../../../../shared/rollups/op-stack/execute/errors'
import { executeBlock, type PayloadAttributes } from '../../../../../shared/rollups/op-stack/execute/executeBlock'
import { fromDerivedAttributes } from '../../../../../shared/rollups/op-stack/execute/fromDerivedAttributes'
import type { OpL2AccountProof, OpL2Block, Receipt, OpL2ChainView, OpL2ExecutionWitness, OpL2SubmitResult, OpL2Switches, OpL2Transaction } from '../types'
import type { DevnetL2Genesis } from './buildDevnetL2Genesis'
import type { L1EpochSource } from './devnetL1Epochs'
import { OpL2SequencerError } from './errors'
import { createMemoryStateStore, recordingStore, type MemoryStateStore } from './memoryStateStore'
import { accountProof, readAccount } from './readState'
import { createTxPool, type PooledTx } from './txPool'

/** Bound on the blocks one tick builds (a time jump of more than ~2 h of L2 time takes several ticks). */
export const MAX_BLOCKS_PER_TICK = 3600

export interface OpL2ChainBlock extends OpL2Block {
  /** Built without a batch because the sequencer was down and the sequencing window elapsed (see module comment). */
  forcedByDerivation: boolean
}

export interface OpL2Chain extends OpL2ChainView {
  head(): OpL2ChainBlock
  block(number: bigint): OpL2ChainBlock | undefined
  /** Builds blocks until the L2 head catches up with L1 time (see module comment); returns the blocks built. */
  tick(): Promise<OpL2ChainBlock[]>
  /** Builds exactly one block now, if the switches allow one (undefined when the sequencer is down and nothing is forced). */
  buildBlock(): Promise<OpL2ChainBlock | undefined>
  /** Resolves when no block is being built. */
  idle(): Promise<void>
  /** The txpool's size (pending txs, censored ones included). */
  readonly pendingCount: number
  readonly store: MemoryStateStore
}

export interface CreateOpL2ChainParameters {
  genesis: DevnetL2Genesis
  l1: L1EpochSource
  switches: OpL2Switches
}

interface BlockRecord {
  block: OpL2ChainBlock
  attributes: PayloadAttributes
  systemConfig: SystemConfig
  epoch: EpochData['header']
}

export function createOpL2Chain(p: CreateOpL2ChainParameters): OpL2Chain {
  const config: RollupConfig = p.genesis.rollupConfig
  const { switches } = p
  const store = createMemoryStateStore(p.genesis.nodes)
  store.put(hexToBytes(p.genesis.blockHash), encodeHeader(p.genesis.header))
  const pool = createTxPool()
  const listeners = new Set<(b: OpL2Block) => void>()
  const records: BlockRecord[] = []
  const byHash = new Map<Hex, BlockRecord>()
  const txIndex = new Map<Hex, { record: BlockRecord; index: number }>()
  let building: Promise<unknown> = Promise.resolve()
  // The devnet L1 is anvil: its blob schedule is anvil's even under another chain id (tests start anvil with others).
  const blobSchedule = L1_BLOB_SCHEDULES[config.l1ChainId] ?? L1_BLOB_SCHEDULES[DEVNET_DEFAULT_CHAIN_ID]!

  const genesisBlock: OpL2ChainBlock = {
    number: p.genesis.header.number,
    hash: p.genesis.blockHash,
    header: p.genesis.header,
    transactions: [],
    l1Origin: { number: BigInt(config.genesis.l1.number), hash: config.genesis.l1.hash as Hex, timestamp: p.genesis.header.timestamp },
    sequenceNumber: 0n,
    depositCount: 0,
    stateRoot: p.genesis.stateRoot,
    messagePasserStorageRoot: p.genesis.messagePasserStorageRoot,
    outputRoot: p.genesis.outputRoot,
    forcedByDerivation: false,
  }
  let genesisEpoch: EpochData['header'] | undefined
  const first = genesisBlock.number

  const head = (): BlockRecord | undefined => records[records.length - 1]
  const headBlock = (): OpL2ChainBlock => head()?.block ?? genesisBlock
  const accountAt = (stateRoot: Hex) => (a: Address) => readAccount(store, stateRoot, a) ?? { nonce: 0n, balance: 0n }
  const isCensored = (a: Address): boolean => switches.censored.has(a.toLowerCase())

  async function originEpoch(): Promise<EpochData['header']> {
    const h = head()
    if (h) return h.epoch
    if (!genesisEpoch) {
      const e = await p.l1.epoch(config.genesis.l1.number)
      if (!e || e.header.hash.toLowerCase() !== config.genesis.l1.hash.toLowerCase()) {
        throw new OpL2SequencerError('The devnet L2 genesis L1 block is not on the devnet L1.', { details: `L1 block ${config.genesis.l1.number} should be ${config.genesis.l1.hash}, found ${e?.header.hash ?? 'nothing'}` })
      }
      genesisEpoch = e.header
    }
    return genesisEpoch
  }

  /** One block on top of the head; undefined when the switches say no block now. */
  async function buildOne(l1Head: { number: number; timestamp: number }): Promise<OpL2ChainBlock | undefined> {
    const parentRecord = head()
    const parent = headBlock()
    const parentEpoch = await originEpoch()
    const nextTime = Number(parent.header.timestamp) + config.blockTime
    const forced = switches.sequencerDown
    if (forced && parentEpoch.number + config.seqWindowSize > l1Head.number) return undefined
    // Origin: move one L1 block on when it exists and is not later than the new block.
    let epoch: EpochData | undefined
    const next = parentEpoch.number < l1Head.number ? await p.l1.epoch(parentEpoch.number + 1) : undefined
    if (next && next.header.timestamp <= nextTime) epoch = next
    else {
      epoch = await p.l1.epoch(parentEpoch.number)
      if (!epoch) throw new OpL2SequencerError(`The devnet L2 origin L1 block ${parentEpoch.number} disappeared from the L1.`)
    }
    const parentRef = {
      number: Number(parent.number),
      hash: parent.hash,
      timestamp: Number(parent.header.timestamp),
      l1Origin: { number: Number(parent.l1Origin.number), hash: parent.l1Origin.hash },
      sequenceNumber: Number(parent.sequenceNumber),
    }
    const parentSystemConfig = parentRecord?.systemConfig ?? genesisSystemConfig(config)
    const withinDrift = nextTime <= epoch.header.timestamp + config.maxSequencerDrift
    let candidates: PooledTx[] = forced || !withinDrift ? [] : pool.select((a) => accountAt(parent.stateRoot)(a).nonce, isCensored)
    for (;;) {
      const built = buildPayloadAttributes({ config, parent: parentRef, parentSystemConfig, epoch, batchTransactions: candidates.map((t) => hexToBytes(t.raw)), upgradeTxs: 'omit', blobSchedule })
      const attributes = fromDerivedAttributes(built.attributes)
      let result: Awaited<ReturnType<typeof executeBlock>>
      try {
        result = await executeBlock({ config, parent: parent.header, attributes, store })
      } catch (e) {
        // A pool tx the executor refuses (nonce gap, fee below the base fee, out of gas for its L1 cost…) is evicted
        // and the block rebuilt without it. A deposit-only block must always execute.
        const bad = e instanceof BlockExecutionError && (e.problem === 'invalid-transaction' || e.problem === 'invalid-block') ? badPoolTx(e.item, candidates) : undefined
        if (!bad) {
          throw new OpL2SequencerError(`The devnet L2 could not execute block ${parent.number + 1n}.`, { cause: e, details: e instanceof Error ? e.message : String(e) })
        }
        pool.remove([bad.hash])
        candidates = candidates.filter((t) => t.hash !== bad.hash && !(t.from === bad.from && t.nonce > bad.nonce))
        continue
      }
      if (result.outputRoot === undefined || result.messagePasserStorageRoot === undefined) {
        throw new OpL2SequencerError(`The devnet L2 block ${parent.number + 1n} has no output root (the message passer is missing from its state).`)
      }
      store.put(hexToBytes(result.blockHash), encodeHeader(result.header))
      const header: BlockHeader = { ...result.header, hash: result.blockHash }
      const transactions = await describeTransactions(attributes.transactions, result.receipts, header, built.depositCount)
      const block: OpL2ChainBlock = {
        number: header.number,
        hash: result.blockHash,
        header,
        transactions,
        l1Origin: { number: BigInt(epoch.header.number), hash: epoch.header.hash, timestamp: BigInt(epoch.header.timestamp) },
        sequenceNumber: BigInt(built.sequenceNumber),
        depositCount: built.depositCount,
        stateRoot: result.stateRoot,
        messagePasserStorageRoot: result.messagePasserStorageRoot,
        outputRoot: result.outputRoot,
        forcedByDerivation: forced,
      }
      const record: BlockRecord = { block, attributes, systemConfig: built.systemConfig, epoch: epoch.header }
      records.push(record)
      byHash.set(block.hash.toLowerCase() as Hex, record)
      transactions.forEach((t, index) => txIndex.set(t.hash.toLowerCase() as Hex, { record, index }))
      pool.remove(candidates.map((t) => t.hash))
      pool.prune((a) => accountAt(block.stateRoot)(a).nonce)
      for (const l of listeners) {
        try {
          l(block)
        } catch {
          // A listener's failure is its own; the chain goes on.
        }
      }
      return block
    }
  }

  /** Serialises block building (ticks from a timer and from a test must not interleave). */
  function exclusive<T>(f: () => Promise<T>): Promise<T> {
    const run = building.then(f, f)
    building = run.catch(() => undefined)
    return run
  }

  const chain: OpL2Chain = {
    rollupConfig: config,
    chainId: config.l2ChainId,
    store,
    get pendingCount() {
      return pool.size
    },
    genesis: () => genesisBlock,
    head: headBlock,
    block(number) {
      if (number === first) return genesisBlock
      return records[Number(number - first) - 1]?.block
    },
    blockByHash(hash) {
      if (hash.toLowerCase() === genesisBlock.hash.toLowerCase()) return genesisBlock
      return byHash.get(hash.toLowerCase() as Hex)?.block
    },
    transaction(hash) {
      const hit = txIndex.get(hash.toLowerCase() as Hex)
      return hit ? { block: hit.record.block, tx: hit.record.block.transactions[hit.index]! } : undefined
    },
    async proof(address, slots, number): Promise<OpL2AccountProof | undefined> {
      const b = chain.block(number)
      return b ? accountProof(store, b.stateRoot, address, slots) : undefined
    },
    async executionWitness(number): Promise<OpL2ExecutionWitness | undefined> {
      if (number <= first) return undefined
      const record = records[Number(number - first) - 1]
      if (!record) return undefined
      const parent = chain.block(number - 1n)!
      const recorder = recordingStore(store)
      const again = await executeBlock({ config, parent: parent.header, attributes: record.attributes, store: recorder })
      if (again.blockHash !== record.block.hash) {
        throw new OpL2SequencerError(`Re-executing devnet L2 block ${number} for its witness gave another block.`, { details: `${again.blockHash} vs ${record.block.hash}` })
      }
      // The parent header is always part of a witness (the executor takes it as an argument, so it is not "read").
      recorder.reads.set(parent.hash.toLowerCase() as Hex, encodeHeader(parent.header))
      return splitWitness(recorder.reads, new Set([...byHash.keys(), genesisBlock.hash.toLowerCase() as Hex]))
    },
    async submitTransaction(raw): Promise<OpL2SubmitResult> {
      const h = headBlock()
      return pool.submit(raw, { chainId: config.l2ChainId, blockGasLimit: h.header.gasLimit, account: accountAt(h.stateRoot) })
    },
    onBlock(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    idle: () => building.then(() => undefined),
    buildBlock: () => exclusive(async () => buildOne(await p.l1.head())),
    tick: () =>
      exclusive(async () => {
        const l1Head = await p.l1.head()
        const built: OpL2ChainBlock[] = []
        while (built.length < MAX_BLOCKS_PER_TICK) {
          const h = headBlock()
          const caughtUp = Number(h.header.timestamp) >= l1Head.timestamp && Number(h.l1Origin.number) >= l1Head.number
          if (caughtUp && (built.length > 0 || switches.sequencerDown)) break
          const b = await buildOne(l1Head)
          if (!b) break
          built.push(b)
        }
        return built
      }),
  }
  return chain
}

/** The pool tx a BlockExecutionError's item ("tx 3 (0xhash)") names, if it is one of `candidates`. */
function badPoolTx(item: string, candidates: readonly PooledTx[]): PooledTx | undefined {
  const m = /\((0x[0-9a-fA-F]{64})\)/.exec(item)
  if (!m) return undefined
  const hash = m[1]!.toLowerCase()
  return candidates.find((t) => t.hash.toLowerCase() === hash)
}

/** Per-tx facts for receipts and lookups; senders recovered from signatures, deposits' from their `from`. */
async function describeTransactions(raws: readonly Hex[], receipts: readonly Receipt[], header: BlockHeader, depositCount: number): Promise<OpL2Transaction[]> {
  const out: OpL2Transaction[] = []
  let logIndex = 0
  let previousGas = 0n
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!
    const receipt = receipts[i]!
    const gasUsed = receipt.cumulativeGasUsed - previousGas
    previousGas = receipt.cumulativeGasUsed
    const bytes = hexToBytes(raw)
    let from: Address
    let to: Address | null
    let type: number
    let effectiveGasPrice: bigint
    let creationNonce: bigint | undefined
    if (bytes[0] === 0x7e) {
      const d = parseTxDeposit(bytes)
      from = getAddress(d.from)
      to = d.to ? getAddress(d.to) : null
      type = 0x7e
      effectiveGasPrice = 0n
      creationNonce = receipt.depositNonce
    } else {
      const tx = parseTransaction(raw)
      from = getAddress(await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]['serializedTransaction'] }))
      to = tx.to ? getAddress(tx.to) : null
      type = bytes[0]! >= 0xc0 ? 0 : bytes[0]!
      const base = header.baseFeePerGas
      effectiveGasPrice = tx.maxFeePerGas !== undefined ? min(tx.maxFeePerGas, base + (tx.maxPriorityFeePerGas ?? 0n)) : (tx.gasPrice ?? 0n)
      creationNonce = BigInt(tx.nonce ?? 0)
    }
    const contractAddress = to === null && receipt.status === 1 && creationNonce !== undefined ? getContractAddress({ from, nonce: creationNonce }) : null
    out.push({ raw, hash: keccak256(raw), index: i, type, from, to, deposit: i < depositCount || type === 0x7e, receipt, gasUsed, effectiveGasPrice, contractAddress, firstLogIndex: logIndex })
    logIndex += receipt.logs.length
  }
  return out
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b)

/** Splits recorded preimages into the debug_executionWitness lists: headers (known block hashes), trie nodes, codes. */
function splitWitness(reads: ReadonlyMap<Hex, Uint8Array>, blockHashes: ReadonlySet<Hex>): OpL2ExecutionWitness {
  const w: OpL2ExecutionWitness = { state: [], codes: [], keys: [], headers: [] }
  for (const [hash, value] of reads) {
    if (blockHashes.has(hash.toLowerCase() as Hex)) w.headers.push(bytesToHex(value))
    else if (isTrieNode(value)) w.state.push(bytesToHex(value))
    else w.codes.push(bytesToHex(value))
  }
  return w
}

/** An RLP list of 2 or 17 items that spans the whole value: what every trie node is (code almost never is). */
function isTrieNode(value: Uint8Array): boolean {
  try {
    const decoded = RLP.decode(value)
    return Array.isArray(decoded) && (decoded.length === 2 || decoded.length === 17)
  } catch {
    return false
  }
}
