/**
 * The upgrade transactions executed for real: the app's own payload-attributes builder and block executor, on top of
 * the real OP Sepolia genesis state (Bedrock predeploy proxies), with Ecotone activating at block 1 and Fjord at
 * block 2. Checks each deployment's address and code hash against the spec, the proxies' ERC-1967 implementation
 * slots, and the GasPriceOracle flags through calls to the EVM. A wrong byte in the npm-derived bytecode fails here.
 */
import { Hardfork, Mainnet, createCustomCommon } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { createMPT } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { Caches } from '@ethereumjs/statemanager'
import { Address, ValueEncoding } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, decodeFunctionResult, encodeFunctionData, hexToBytes, keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { gasPriceOracleAbi } from '../../../../contracts-abi/op-stack/GasPriceOracle'
import { l1BlockAbi } from '../../../../contracts-abi/op-stack/L1Block'
import { createProof } from '../../../trie/createProof'
import { verifyProof } from '../../../trie/verifyProof'
import { readVectorJson } from '../../../../fixtures/vectors'
import { parseRollupConfig, type RollupConfig } from '../config/rollupConfig'
import { executeBlock, type ExecuteBlockReturnType } from '../execute/executeBlock'
import { buildGenesis } from '../genesis/buildGenesis'
import { parseGenesis } from '../genesis/parseGenesis'
import { OpStateManager } from '../state/OpStateManager'
import { createMptDatabase, type StateNodeStore } from '../state/StateNodeStore'
import type { L1BlockHeader } from '../../../l1/L1Source'
import { buildPayloadAttributes } from './buildPayloadAttributes'
import type { L2BlockRef } from './l2Types'
import { genesisSystemConfig, type SystemConfig } from './systemConfig'
import { type BlockHeader } from '../../../eth/header'
import { GAS_PRICE_ORACLE, L1_BLOCK } from '../../../eth/predeploys'

const sepolia = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
const genesisJson = parseGenesis(readVectorJson('op/genesis/op-sepolia-genesis.json'))
const T = sepolia.genesis.l2Time
const config: RollupConfig = {
  ...sepolia,
  forks: { ...sepolia.forks, regolith: 0, canyon: 0, delta: 0, ecotone: T + 2, fjord: T + 4, granite: undefined, holocene: undefined, isthmus: undefined, jovian: undefined, karst: undefined },
}

const IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc' // ERC-1967
// Addresses and code hashes as specs/protocol/{ecotone,fjord}/derivation.md publish them.
const ECOTONE_L1_BLOCK: Hex = '0x07dbe8500fc591d1852b76fee44d5a05e13097ff'
const ECOTONE_L1_BLOCK_CODE_HASH = '0xc88a313aa75dc4fbf0b6850d9f9ae41e04243b7008cf3eadb29256d4a71c1dfd'
const ECOTONE_GPO: Hex = '0xb528d11cc114e026f138fe568744c6d45ce6da7a'
const ECOTONE_GPO_CODE_HASH = '0x8b71360ea773b4cfaf1ae6d2bd15464a4e1e2e360f786e475f63aeaed8da0ae5'
const BEACON_ROOTS: Hex = '0x000f3df6d732807ef1319fb7b8bb8522d0beac02'
const BEACON_ROOTS_CODE_HASH = '0xf57acd40259872606d76197ef052f3d35588dadf919ee1f0e3cb9b62d3f4b02c'
const FJORD_GPO: Hex = '0xa919894851548179a0750865e7974da599c0fac7'
const FJORD_GPO_CODE_HASH = '0xa88fa50a2745b15e6794247614b5298483070661adacb8d32d716434ed24c6b2'

function newStore(): StateNodeStore {
  const map = new Map<string, Uint8Array>()
  return { get: (h) => map.get(bytesToHex(h)), put: (h, v) => void map.set(bytesToHex(h), v) }
}

function readAccount(store: StateNodeStore, root: Hex, address: Hex): { nonce: bigint; codeHash: Hex; storageRoot: Hex } | null {
  const key = keccak_256(hexToBytes(address))
  const v = verifyProof({ root: hexToBytes(root), key, proof: createProof({ root: hexToBytes(root), key, getNode: store.get }) })
  if (!v) return null
  const [nonce, , storageRoot, codeHash] = RLP.decode(v) as Uint8Array[]
  return { nonce: nonce!.length ? BigInt(bytesToHex(nonce!)) : 0n, storageRoot: bytesToHex(storageRoot!), codeHash: bytesToHex(codeHash!) }
}

function readSlot(store: StateNodeStore, root: Hex, address: Hex, slot: Hex): bigint {
  const account = readAccount(store, root, address)
  if (!account) throw new Error(`no account ${address}`)
  const key = keccak_256(hexToBytes(slot))
  const v = verifyProof({ root: hexToBytes(account.storageRoot), key, proof: createProof({ root: hexToBytes(account.storageRoot), key, getNode: store.get }) })
  return v ? BigInt(bytesToHex(RLP.decode(v) as Uint8Array)) : 0n
}

/** eth_call against a post-block state, through @ethereumjs/evm over the same store the executor wrote. */
async function call(store: StateNodeStore, root: Hex, to: Hex, data: Hex): Promise<Hex> {
  const common = createCustomCommon({ chainId: config.l2ChainId }, Mainnet, { hardfork: Hardfork.Cancun })
  const db = createMptDatabase(store, (h) => {
    throw new Error(`missing node ${bytesToHex(h)}`)
  })
  const trie = await createMPT({ db, root: hexToBytes(root), useKeyHashing: true, valueEncoding: ValueEncoding.Bytes })
  const evm = await createEVM({ common, stateManager: new OpStateManager({ trie, common, prefixCodeHashes: false, caches: new Caches() }) })
  const r = await evm.runCall({ to: new Address(hexToBytes(to)), data: hexToBytes(data), gasLimit: 1_000_000n, caller: new Address(new Uint8Array(20)) })
  if (r.execResult.exceptionError) throw new Error(`call to ${to} failed: ${r.execResult.exceptionError.error}`)
  return bytesToHex(r.execResult.returnValue)
}

const gpoFlag = async (store: StateNodeStore, root: Hex, name: 'isEcotone' | 'isFjord'): Promise<boolean> =>
  decodeFunctionResult({ abi: gasPriceOracleAbi, functionName: name, data: await call(store, root, GAS_PRICE_ORACLE, encodeFunctionData({ abi: gasPriceOracleAbi, functionName: name })) })

const l1Origin: L1BlockHeader = {
  number: config.genesis.l1.number,
  hash: config.genesis.l1.hash,
  parentHash: keccak256('0x00'),
  timestamp: T - 12,
  baseFeePerGas: 7n,
  excessBlobGas: null,
  blobGasUsed: null,
  mixHash: keccak256('0x01'),
  parentBeaconBlockRoot: null,
  gasLimit: 30_000_000n,
}

async function nextBlock(store: StateNodeStore, parent: BlockHeader & { hash: Hex }, ref: L2BlockRef, sys: SystemConfig) {
  const built = buildPayloadAttributes({ config, parent: ref, parentSystemConfig: sys, epoch: { header: l1Origin, logs: [] }, batchTransactions: [] })
  const a = built.attributes
  const result: ExecuteBlockReturnType = await executeBlock({
    config,
    parent,
    store,
    attributes: {
      timestamp: BigInt(a.timestamp),
      prevRandao: a.prevRandao,
      suggestedFeeRecipient: a.suggestedFeeRecipient,
      parentBeaconBlockRoot: a.parentBeaconBlockRoot,
      transactions: a.transactions.map((t) => bytesToHex(t)),
      gasLimit: a.gasLimit,
    },
  })
  const header = { ...result.header, hash: result.blockHash }
  const nextRef: L2BlockRef = { number: ref.number + 1, hash: result.blockHash, timestamp: a.timestamp, l1Origin: { number: l1Origin.number, hash: l1Origin.hash }, sequenceNumber: built.sequenceNumber }
  return { built, result, header, ref: nextRef }
}

describe('network-upgrade transactions executed on the OP Sepolia genesis state', () => {
  it('Ecotone then Fjord: contracts land with the spec code hashes, proxies point at them, GPO flags flip', async () => {
    const store = newStore()
    const g = buildGenesis({ genesis: genesisJson, config, onNode: store.put, onCode: store.put })
    const genesisHeader = { ...g.header, hash: g.blockHash }
    const genesisRef: L2BlockRef = { number: 0, hash: g.blockHash, timestamp: T, l1Origin: config.genesis.l1, sequenceNumber: 0 }
    const sys = genesisSystemConfig(config)
    expect(readAccount(store, g.stateRoot, ECOTONE_L1_BLOCK)).toBeNull()
    const implBefore = readSlot(store, g.stateRoot, GAS_PRICE_ORACLE, IMPLEMENTATION_SLOT)

    // Block 1: Ecotone activation (L1-info in the Bedrock format, then the 6 NUTs).
    const b1 = await nextBlock(store, genesisHeader, genesisRef, sys)
    expect(b1.built.upgradeTxCount).toBe(6)
    expect(b1.result.fork).toBe('ecotone')
    expect(b1.result.receipts.map((r) => r.status)).toEqual([1, 1, 1, 1, 1, 1, 1])
    const root1 = b1.result.stateRoot as Hex
    expect(readAccount(store, root1, ECOTONE_L1_BLOCK)?.codeHash).toBe(ECOTONE_L1_BLOCK_CODE_HASH)
    expect(readAccount(store, root1, ECOTONE_GPO)?.codeHash).toBe(ECOTONE_GPO_CODE_HASH)
    expect(readAccount(store, root1, BEACON_ROOTS)?.codeHash).toBe(BEACON_ROOTS_CODE_HASH)
    expect(readSlot(store, root1, L1_BLOCK, IMPLEMENTATION_SLOT)).toBe(BigInt(ECOTONE_L1_BLOCK))
    expect(readSlot(store, root1, GAS_PRICE_ORACLE, IMPLEMENTATION_SLOT)).toBe(BigInt(ECOTONE_GPO))
    expect(implBefore).not.toBe(BigInt(ECOTONE_GPO))
    expect(await gpoFlag(store, root1, 'isEcotone')).toBe(true)
    expect(await call(store, root1, GAS_PRICE_ORACLE, encodeFunctionData({ abi: gasPriceOracleAbi, functionName: 'version' }))).toContain(bytesToHex(new TextEncoder().encode('1.2.0')).slice(2))

    // Block 2: Fjord activation. Its L1-info deposit is in the Ecotone format, which only the new L1Block accepts.
    const b2 = await nextBlock(store, b1.header, b1.ref, sys)
    expect(b2.built.upgradeTxCount).toBe(3)
    expect(b2.result.fork).toBe('fjord')
    expect(b2.result.receipts.map((r) => r.status)).toEqual([1, 1, 1, 1])
    const root2 = b2.result.stateRoot as Hex
    expect(readAccount(store, root2, FJORD_GPO)?.codeHash).toBe(FJORD_GPO_CODE_HASH)
    expect(readSlot(store, root2, GAS_PRICE_ORACLE, IMPLEMENTATION_SLOT)).toBe(BigInt(FJORD_GPO))
    expect(await gpoFlag(store, root2, 'isEcotone')).toBe(true)
    expect(await gpoFlag(store, root2, 'isFjord')).toBe(true)
    const seq = decodeFunctionResult({ abi: l1BlockAbi, functionName: 'sequenceNumber', data: await call(store, root2, L1_BLOCK, encodeFunctionData({ abi: l1BlockAbi, functionName: 'sequenceNumber' })) })
    expect(seq).toBe(2n)

    // Block 3: no activation, no upgrade transactions.
    const b3 = await nextBlock(store, b2.header, b2.ref, sys)
    expect(b3.built.upgradeTxCount).toBe(0)
    expect(b3.result.receipts).toHaveLength(1)
  }, 120_000)
})
