/**
 * OP rules on synthetic blocks over the real OP Sepolia genesis state: deposits (mint survives a halt, nonce bump,
 * deposit receipts), the Canyon create2Deployer irregular change, and header fields per fork.
 */
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { createProof } from '../../../trie/createProof'
import { verifyProof } from '../../../trie/verifyProof'
import { readVectorJson } from '../../../../fixtures/vectors'
import { parseRollupConfig, type RollupConfig } from '../config/rollupConfig'
import { buildGenesis } from '../genesis/buildGenesis'
import { parseGenesis } from '../genesis/parseGenesis'
import type { StateNodeStore } from '../state/StateNodeStore'
import { CREATE2_DEPLOYER_CODE, CREATE2_DEPLOYER_CODE_HASH } from './create2DeployerCode'
import { executeBlock, type PayloadAttributes } from './executeBlock'
import { type BlockHeader } from '../../../eth/header'

const baseConfig = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
const genesisJson = parseGenesis(readVectorJson('op/genesis/op-sepolia-genesis.json'))

function genesisState(config: RollupConfig): { store: StateNodeStore; head: BlockHeader } {
  const map = new Map<string, Uint8Array>()
  const store: StateNodeStore = { get: (h) => map.get(bytesToHex(h)), put: (h, v) => void map.set(bytesToHex(h), v) }
  const g = buildGenesis({ genesis: genesisJson, config, onNode: store.put, onCode: store.put })
  return { store, head: { ...g.header, hash: g.blockHash } }
}

function account(store: StateNodeStore, root: Hex, address: Hex): { nonce: bigint; balance: bigint; codeHash: Hex } | null {
  const key = keccak_256(hexToBytes(address))
  const proof = createProof({ root: hexToBytes(root), key, getNode: store.get })
  const v = verifyProof({ root: hexToBytes(root), key, proof })
  if (!v) return null
  const [nonce, balance, , codeHash] = RLP.decode(v) as Uint8Array[]
  const big = (b: Uint8Array): bigint => (b.length ? BigInt(bytesToHex(b)) : 0n)
  return { nonce: big(nonce!), balance: big(balance!), codeHash: bytesToHex(codeHash!) }
}

const big = (n: bigint): Uint8Array => (n === 0n ? new Uint8Array(0) : hexToBytes(`0x${n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0')}`))
function deposit(p: { from: Hex; to: Hex; mint: bigint; value: bigint; gas: bigint; seed: number }): Hex {
  const body = RLP.encode([hexToBytes(keccak256(`0x${p.seed.toString(16).padStart(2, '0')}`)), hexToBytes(p.from), hexToBytes(p.to), big(p.mint), big(p.value), big(p.gas), new Uint8Array(0), new Uint8Array(0)])
  return bytesToHex(new Uint8Array([0x7e, ...body]))
}

function attrs(config: RollupConfig, n: number, transactions: Hex[]): PayloadAttributes {
  return {
    timestamp: BigInt(config.genesis.l2Time + 2 * n),
    prevRandao: keccak256('0x01'),
    suggestedFeeRecipient: '0x4200000000000000000000000000000000000011',
    transactions,
    gasLimit: 30_000_000n,
  }
}

const FROM: Hex = '0x1111111111111111111111111111111111111111'
const TO: Hex = '0x2222222222222222222222222222222222222222'

describe('deposit rules (Regolith)', () => {
  it('credits the mint and bumps the nonce even when the deposit halts', async () => {
    const { store, head } = genesisState(baseConfig)
    const tx = deposit({ from: FROM, to: TO, mint: 10n ** 18n, value: 2n * 10n ** 18n, gas: 100_000n, seed: 1 })
    const r = await executeBlock({ config: baseConfig, parent: head, attributes: attrs(baseConfig, 1, [tx]), store })
    expect(r.fork).toBe('regolith')
    expect(r.receipts[0]!.status).toBe(0)
    expect(r.receipts[0]!.cumulativeGasUsed).toBe(100_000n) // a halted deposit uses its whole gas limit
    expect(r.receipts[0]!.depositNonce).toBe(0n)
    expect(r.receipts[0]!.depositReceiptVersion).toBeUndefined() // pre-Canyon
    expect(account(store, r.stateRoot, FROM)).toMatchObject({ nonce: 1n, balance: 10n ** 18n })
    expect(account(store, r.stateRoot, TO)).toBeNull()
    expect(r.header.withdrawalsRoot).toBeUndefined()
    expect(r.header.extraData).toBe('0x')
    // EIP-1559 from an empty genesis block with the pre-Canyon denominator 50: 1 gwei * (1 - 1/50).
    expect(r.header.baseFeePerGas).toBe(980_000_000n)
  })

  it('moves value and charges no fees on success', async () => {
    const { store, head } = genesisState(baseConfig)
    const tx = deposit({ from: FROM, to: TO, mint: 10n ** 18n, value: 4n * 10n ** 17n, gas: 100_000n, seed: 2 })
    const r = await executeBlock({ config: baseConfig, parent: head, attributes: attrs(baseConfig, 1, [tx]), store })
    expect(r.receipts[0]!.status).toBe(1)
    expect(r.receipts[0]!.cumulativeGasUsed).toBe(21_000n)
    expect(account(store, r.stateRoot, FROM)).toMatchObject({ nonce: 1n, balance: 6n * 10n ** 17n })
    expect(account(store, r.stateRoot, TO)).toMatchObject({ nonce: 0n, balance: 4n * 10n ** 17n })
  })
})

describe('Canyon activation block', () => {
  it('force-deploys the create2Deployer and adds withdrawalsRoot and deposit receipt versions', async () => {
    const config: RollupConfig = { ...baseConfig, forks: { ...baseConfig.forks, canyon: baseConfig.genesis.l2Time + 2 } }
    const { store, head } = genesisState(config)
    expect(account(store, head.stateRoot, '0x13b0D85CcB8bf860b6b79AF3029fCA081AE9beF2')).toBeNull()
    const tx = deposit({ from: FROM, to: TO, mint: 1n, value: 0n, gas: 50_000n, seed: 3 })
    const r = await executeBlock({ config, parent: head, attributes: attrs(config, 1, [tx]), store })
    expect(r.fork).toBe('canyon')
    expect(keccak256(CREATE2_DEPLOYER_CODE)).toBe(CREATE2_DEPLOYER_CODE_HASH)
    expect(account(store, r.stateRoot, '0x13b0D85CcB8bf860b6b79AF3029fCA081AE9beF2')?.codeHash).toBe(CREATE2_DEPLOYER_CODE_HASH)
    expect(r.header.withdrawalsRoot).toBe('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421')
    expect(r.receipts[0]!.depositReceiptVersion).toBe(1n)
  })
})

describe('Isthmus block shape (synthetic, all forks to Isthmus active from block 1)', () => {
  it('commits to the message passer storage root in withdrawalsRoot and gives an output root', async () => {
    const t1 = baseConfig.genesis.l2Time + 2
    const config: RollupConfig = {
      ...baseConfig,
      forks: { ...baseConfig.forks, canyon: t1, delta: t1, ecotone: t1, fjord: t1, granite: t1, holocene: t1, isthmus: t1, jovian: undefined, karst: undefined },
    }
    const { store, head } = genesisState(config)
    const tx = deposit({ from: FROM, to: TO, mint: 10n ** 18n, value: 1n, gas: 60_000n, seed: 4 })
    const r = await executeBlock({
      config,
      parent: head,
      attributes: { ...attrs(config, 1, [tx]), parentBeaconBlockRoot: keccak256('0x02'), eip1559Params: '0x000000fa00000006' },
      store,
    })
    expect(r.fork).toBe('isthmus')
    expect(r.header.requestsHash).toBe('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(r.header.withdrawalsRoot).toBe(r.messagePasserStorageRoot)
    expect(r.messagePasserStorageRoot).toBe(buildGenesis({ genesis: genesisJson, config }).messagePasserStorageRoot)
    expect(r.header.blobGasUsed).toBe(0n)
    expect(r.header.excessBlobGas).toBe(0n)
    expect(r.header.extraData).toBe('0x00000000fa00000006')
    expect(r.outputRoot).toMatch(/^0x[0-9a-f]{64}$/)
  })
})

describe('EIP-7702 set-code transaction (Isthmus, synthetic)', () => {
  it('applies valid authorizations (self-sponsored and chain id 0) and skips a wrong-chain one', async () => {
    const { createCustomCommon, Hardfork, Mainnet } = await import('@ethereumjs/common')
    const { createEOACode7702Tx } = await import('@ethereumjs/tx')
    const { eoaCode7702SignAuthorization, privateToAddress } = await import('@ethereumjs/util')
    const t1 = baseConfig.genesis.l2Time + 2
    const config: RollupConfig = {
      ...baseConfig,
      forks: { ...baseConfig.forks, canyon: t1, delta: t1, ecotone: t1, fjord: t1, granite: t1, holocene: t1, isthmus: t1, jovian: undefined, karst: undefined },
    }
    const { store, head } = genesisState(config)
    const pk = hexToBytes(keccak256('0x7702'))
    const pk2 = hexToBytes(keccak256('0x7703'))
    const pk3 = hexToBytes(keccak256('0x7704'))
    const sender = bytesToHex(privateToAddress(pk))
    const other = bytesToHex(privateToAddress(pk2))
    const wrongChain = bytesToHex(privateToAddress(pk3))
    const chainId = `0x${config.l2ChainId.toString(16)}` as Hex
    const common = createCustomCommon({ chainId: config.l2ChainId }, Mainnet, { hardfork: Hardfork.Prague })
    const tx = createEOACode7702Tx(
      {
        chainId: BigInt(config.l2ChainId),
        nonce: 0n,
        maxPriorityFeePerGas: 1n,
        maxFeePerGas: 2_000_000_000n,
        gasLimit: 200_000n,
        to: TO,
        value: 0n,
        data: '0x',
        accessList: [],
        authorizationList: [
          eoaCode7702SignAuthorization({ chainId, address: TO, nonce: '0x1' }, pk), // self-sponsored: nonce after the tx's bump
          eoaCode7702SignAuthorization({ chainId: '0x0', address: TO, nonce: '0x0' }, pk2),
          eoaCode7702SignAuthorization({ chainId: '0x1', address: TO, nonce: '0x0' }, pk3),
        ],
      },
      { common },
    ).sign(pk)
    const fund = deposit({ from: FROM, to: sender as Hex, mint: 10n ** 18n, value: 10n ** 17n, gas: 60_000n, seed: 5 })
    const r = await executeBlock({
      config,
      parent: head,
      attributes: { ...attrs(config, 1, [fund, bytesToHex(tx.serialize())]), parentBeaconBlockRoot: keccak256('0x02'), eip1559Params: '0x000000fa00000006' },
      store,
    })
    expect(r.receipts[1]!.status).toBe(1)
    // Intrinsic 21000 + 3 * 25000; the existing sender's authorization refunds 12500 (cap: a fifth of the gas).
    expect(r.receipts[1]!.cumulativeGasUsed - r.receipts[0]!.cumulativeGasUsed).toBe(83_500n)
    // Base fee 1 gwei * (1 - 1/250) with the Canyon denominator; price = base fee + 1 wei tip; no L1 fee here.
    expect(r.header.baseFeePerGas).toBe(996_000_000n)
    // The deposit minted to its `from` and sent 0.1 ETH to the sender.
    expect(account(store, r.stateRoot, sender as Hex)?.balance).toBe(10n ** 17n - 83_500n * 996_000_001n)
    const designatorHash = keccak256(`0xef0100${TO.slice(2)}`)
    expect(account(store, r.stateRoot, sender as Hex)).toMatchObject({ nonce: 2n, codeHash: designatorHash })
    expect(account(store, r.stateRoot, other as Hex)).toMatchObject({ nonce: 1n, codeHash: designatorHash })
    expect(account(store, r.stateRoot, wrongChain as Hex)).toBeNull()
  })
})

describe('precompiles per fork (synthetic)', () => {
  const upTo = (last: 'ecotone' | 'fjord' | 'granite'): RollupConfig => {
    const t1 = baseConfig.genesis.l2Time + 2
    const order = ['canyon', 'delta', 'ecotone', 'fjord', 'granite'] as const
    const forks = { ...baseConfig.forks, holocene: undefined, isthmus: undefined, jovian: undefined, karst: undefined } as RollupConfig['forks']
    for (const f of order) forks[f] = order.indexOf(f) <= order.indexOf(last) ? t1 : undefined
    return { ...baseConfig, forks }
  }
  const call = async (config: RollupConfig, to: Hex, data: Uint8Array, gas: bigint) => {
    const { store, head } = genesisState(config)
    const body = RLP.encode([hexToBytes(keccak256(bytesToHex(data.subarray(0, 8)))), hexToBytes(FROM), hexToBytes(to), new Uint8Array(0), new Uint8Array(0), big(gas), new Uint8Array(0), data])
    const tx = bytesToHex(new Uint8Array([0x7e, ...body]))
    const r = await executeBlock({ config, parent: head, attributes: { ...attrs(config, 1, [tx]), parentBeaconBlockRoot: keccak256('0x02') }, store })
    return r.receipts[0]!
  }
  const calldataGas = (d: Uint8Array): bigint => d.reduce((a, b) => a + (b === 0 ? 4n : 16n), 0n)

  it('P256VERIFY exists from Fjord at 3450 gas, and not before', async () => {
    const { p256 } = await import('@noble/curves/nist.js')
    const sk = p256.utils.randomSecretKey(new Uint8Array(48).fill(7))
    const pk = p256.getPublicKey(sk, false)
    const msg = hexToBytes(keccak256('0x1234'))
    const sig = p256.sign(msg, sk, { prehash: false, format: 'compact' })
    const input = new Uint8Array([...msg, ...sig, ...pk.subarray(1)])
    const base = 21_000n + calldataGas(input)
    expect((await call(upTo('fjord'), '0x0000000000000000000000000000000000000100', input, 100_000n)).cumulativeGasUsed).toBe(base + 3450n)
    expect((await call(upTo('ecotone'), '0x0000000000000000000000000000000000000100', input, 100_000n)).cumulativeGasUsed).toBe(base)
  })

  it('bn256Pairing input is limited from Granite (112,687 bytes): over the limit the call fails with all its gas', async () => {
    // 587 pairs of points at infinity: a valid pairing check (true) costing 45,000 + 34,000 * 587 gas.
    const over = new Uint8Array(587 * 192)
    expect(over.length).toBeGreaterThan(112_687)
    const gas = 21_000n + calldataGas(over) + 45_000n + 34_000n * 587n + 10_000n
    const fjord = await call(upTo('fjord'), '0x0000000000000000000000000000000000000008', over, gas)
    expect(fjord.status).toBe(1)
    const granite = await call(upTo('granite'), '0x0000000000000000000000000000000000000008', over, gas)
    expect(granite.status).toBe(0)
    expect(granite.cumulativeGasUsed).toBe(gas)
  })
})
