/**
 * The L2 genesis block and state from a genesis alloc and the rollup config: every account's storage trie and the
 * state trie are built in one pass each (shared/trie/buildTrie), and the header carries the fields of the forks
 * active at the genesis timestamp. Checked against the Base and OP Sepolia registry genesis hashes.
 * Spec: op-geth core/genesis.go `ToBlock`; op-stack notes §6.6.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { buildTrie, EMPTY_TRIE_ROOT } from '../../../trie/buildTrie'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'
import { encodeAccount, encodeStorageValue } from '../state/encodeAccount'
import type { Genesis } from './parseGenesis'
import { InvalidGenesisError } from './parseGenesis'
import { EMPTY_REQUESTS_HASH, EMPTY_ROOT_HASH, EMPTY_UNCLES_HASH, hashHeader, type BlockHeader } from '../../../eth/header'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'

/** Default initial base fee (EIP-1559 genesis), used by op-geth when the genesis file has none. */
const INITIAL_BASE_FEE = 1_000_000_000n
const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`
const ZERO_BLOOM: Hex = `0x${'00'.repeat(256)}`

export interface BuildGenesisParameters {
  genesis: Genesis
  config: RollupConfig
  /** Receives every trie node (state and storage), e.g. to seed a persistent state. */
  onNode?: (hash: Uint8Array, node: Uint8Array) => void
  /** Receives every contract code with its hash. */
  onCode?: (hash: Uint8Array, code: Uint8Array) => void
}

export interface BuildGenesisReturnType {
  header: BlockHeader
  blockHash: Hex
  stateRoot: Hex
  /** Storage root of L2ToL1MessagePasser (output root input). */
  messagePasserStorageRoot: Hex
}

export function buildGenesis(parameters: BuildGenesisParameters): BuildGenesisReturnType {
  const { genesis, config, onNode, onCode } = parameters
  const stateKeys: Uint8Array[] = []
  const stateValues: Uint8Array[] = []
  let messagePasserStorageRoot: Uint8Array = EMPTY_TRIE_ROOT
  for (const account of genesis.accounts) {
    const slotKeys: Uint8Array[] = []
    const slotValues: Uint8Array[] = []
    for (const [slot, value] of Object.entries(account.storage)) {
      const v = hexToBytes(`0x${value}`)
      if (v.every((b) => b === 0)) continue // zero slots are absent from the trie
      slotKeys.push(keccak_256(hexToBytes(`0x${slot}`)))
      slotValues.push(encodeStorageValue(v))
    }
    let storageRoot: Uint8Array
    try {
      storageRoot = buildTrie({ keys: slotKeys, values: slotValues, onNode }).root
    } catch (cause) {
      throw new InvalidGenesisError(`storage of ${account.address} is not valid`, cause)
    }
    if (account.address === L2_TO_L1_MESSAGE_PASSER) messagePasserStorageRoot = storageRoot
    const code = hexToBytes(account.code)
    const codeHash = keccak_256(code)
    if (code.length > 0) onCode?.(codeHash, code)
    stateKeys.push(keccak_256(hexToBytes(account.address)))
    stateValues.push(encodeAccount(account.nonce, account.balance, storageRoot, codeHash))
  }
  const stateRoot = bytesToHex(buildTrie({ keys: stateKeys, values: stateValues, onNode }).root)

  const t = Number(genesis.timestamp)
  const active = (fork: Parameters<typeof isForkActive>[1]): boolean => isForkActive(config, fork, t)
  const header: BlockHeader = {
    parentHash: genesis.parentHash,
    sha3Uncles: EMPTY_UNCLES_HASH,
    miner: genesis.coinbase,
    stateRoot,
    transactionsRoot: EMPTY_ROOT_HASH,
    receiptsRoot: EMPTY_ROOT_HASH,
    logsBloom: ZERO_BLOOM,
    difficulty: genesis.difficulty,
    number: genesis.number,
    gasLimit: genesis.gasLimit,
    gasUsed: genesis.gasUsed,
    timestamp: genesis.timestamp,
    extraData: genesis.extraData,
    mixHash: genesis.mixHash,
    nonce: bytesToHex(hexToBytes(`0x${genesis.nonce.toString(16).padStart(16, '0')}`)),
    baseFeePerGas: genesis.baseFeePerGas ?? INITIAL_BASE_FEE,
  }
  if (active('canyon')) header.withdrawalsRoot = active('isthmus') ? bytesToHex(messagePasserStorageRoot) : EMPTY_ROOT_HASH
  if (active('ecotone')) {
    header.blobGasUsed = 0n
    header.excessBlobGas = 0n
    header.parentBeaconBlockRoot = ZERO_HASH
  }
  if (active('isthmus')) header.requestsHash = EMPTY_REQUESTS_HASH
  return { header, blockHash: hashHeader(header), stateRoot, messagePasserStorageRoot: bytesToHex(messagePasserStorageRoot) }
}
