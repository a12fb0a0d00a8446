/**
 * NUTs served by an untrusted L2 node, checked byte for byte. The real Isthmus/Jovian runtime code cannot be obtained
 * legitimately here (no npm artifact), so the positive path uses a test fork table with the real Isthmus shape whose
 * deployment code hash is that of a contract we do have: the Ecotone L1Block from npm contracts-bedrock 0.17.2.
 */
import { hexToBytes, keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { upgradeDepositSourceHash } from '../deposits'
import { ECOTONE_L1_BLOCK_CREATION_CODE } from './ecotoneBytecode'
import { UntrustedUpgradeTxError } from './errors'
import { runtimeOfCreationCode } from './runtimeOfCreationCode'
import { EIP2935_CODE_HASH, EIP2935_CREATION_CODE, ISTHMUS_UPGRADE, JOVIAN_UPGRADE, type ExpectedUpgradeTx, type VerifiedUpgradeFork } from './verifiedUpgradeForks'
import { verifyNodeUpgradeTxs, type UpgradeGroup } from './verifyNodeUpgradeTxs'
import { deployInIsolatedEvm } from './deployInIsolatedEvm'
import { createNodeUpgradeTxSource } from './fetchNodeUpgradeTxs'
import type { L2BlockSource, UntrustedL2Block } from '../start/L2BlockSource'
import { serializeTxDeposit, type TxDeposit, parseTxDeposit } from '../../../../eth/TxDeposit'
import { hexBytes } from '../../../../eth/bytes'

const ECOTONE_L1_BLOCK_CODE_HASH: Hex = '0xc88a313aa75dc4fbf0b6850d9f9ae41e04243b7008cf3eadb29256d4a71c1dfd' // ecotone/derivation.md

/** The real Isthmus table with every deployment's code hash replaced by the npm Ecotone L1Block's. */
const TEST_ISTHMUS: VerifiedUpgradeFork = {
  fork: 'isthmus',
  txs: ISTHMUS_UPGRADE.txs.map((t) => (t.data.kind === 'deployment' ? { ...t, data: { ...t.data, codeHash: ECOTONE_L1_BLOCK_CODE_HASH } } : t)),
}

function nutOf(e: ExpectedUpgradeTx, over: Partial<TxDeposit> = {}, intent = e.intent): Uint8Array {
  const data = e.data.kind === 'exact' ? hexBytes(e.data.data) : hexBytes(ECOTONE_L1_BLOCK_CREATION_CODE)
  return serializeTxDeposit({ sourceHash: upgradeDepositSourceHash(intent), from: e.from, to: e.to, mint: 0n, value: 0n, gas: e.gas, isSystemTransaction: false, data, ...over })
}
const l1Info = serializeTxDeposit({ sourceHash: keccak256('0x01'), from: '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001', to: '0x4200000000000000000000000000000000000015', mint: 0n, value: 0n, gas: 1_000_000n, isSystemTransaction: false, data: new Uint8Array([1, 2, 3]) })
const userDeposit = serializeTxDeposit({ sourceHash: keccak256('0x02'), from: '0x00000000000000000000000000000000000000aa', to: '0x00000000000000000000000000000000000000bb', mint: 5n, value: 5n, gas: 21_000n, isSystemTransaction: false, data: new Uint8Array() })
const userTx = new Uint8Array([0x02, 0xc0])
const prefix = [l1Info, userDeposit]
const groups: UpgradeGroup[] = [{ fork: 'isthmus', expected: TEST_ISTHMUS.txs }]
const goodNuts = (): Uint8Array[] => TEST_ISTHMUS.txs.map((e) => nutOf(e))

function verify(nodeTxs: Uint8Array[], g: UpgradeGroup[] = groups) {
  return verifyNodeUpgradeTxs({ node: 'fake', l2BlockNumber: 7, nodeTxs, prefix, groups: g })
}
function problemOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(UntrustedUpgradeTxError)
    return (e as UntrustedUpgradeTxError).problem
  }
  throw new Error('accepted')
}

describe('Isthmus/Jovian constants', () => {
  // Source hashes as published: kona crates/protocol/hardforks/src/isthmus.rs `test_isthmus_source_hashes` (and
  // isthmus/derivation.md); op-node isthmus_upgrade_transactions_test.go TestIsthmusSourcesMatchSpec (EIP-2935).
  it.each([
    [0, '0x3b2d0821ca2411ad5cd3595804d1213d15737188ae4cbd58aa19c821a6c211bf'],
    [1, '0xfc70b48424763fa3fab9844253b4f8d508f91eb1f7cb11a247c9baec0afb8035'],
    [2, '0x107a570d3db75e6110817eb024f09f3172657e920634111ce9875d08a16daa96'],
    [3, '0xebe8b5cb10ca47e0d8bda8f5355f2d66711a54ddeb0ef1d30e29418c9bf17a0e'],
    [4, '0xecf2d9161d26c54eda6b7bfdd9142719b1e1199a6e5641468d1bf705bc531ab0'],
    [5, '0xad74e1adb877ccbe176b8fa1cc559388a16e090ddbe8b512f5b37d07d887a927'],
    [6, '0x3ddf4b1302548dd92939826e970f260ba36167f4c25f18390a5e8b194b295319'],
    [7, '0xbfb734dae514c5974ddf803e54c1bc43d5cdb4a48ae27e1d9b875a5a150b553a'],
  ])('Isthmus tx %i source hash', (i, hash) => expect(upgradeDepositSourceHash(ISTHMUS_UPGRADE.txs[i]!.intent)).toBe(hash))

  // kona hardforks/src/jovian.rs `test_jovian_source_hashes` (op-node's spelling); the spec spelling's hashes from
  // specs/protocol/jovian/derivation.md ("Verify sourceHash" blocks).
  it.each([
    [0, '0xbb1a656f65401240fac3db12e7a79ebb954b11e62f7626eb11691539b798d3bf', '0x98faf23b9795967bc0b1c543144739d50dba3ea40420e77ad6ca9848dbfb62e8'],
    [1, '0xf3275f829340521028f9ad5bce4ecb1c64a45d448794effa2a77674627338e76', '0x08447273a4fbce97bc8c515f97ac74efc461f6a4001553712f31ebc11288bad2'],
    [2, '0x239b7021a6c2cf3a918481242bbb5a9499057f24501539467536c691bb133962', '0xd939cca6eca7bd0ee0c7e89f7e5b5cf7bf6f7afe7b6966bb45dfb95344b31545'],
    [3, '0xa70c60aa53b8c1c0d52b39b1e901e7d7c09f7819595cb24048a6bb1983b401ff', '0x46b597e2d8346ed7749b46734074361e0b41a0ab9af7afda5bb4e367e072bcb8'],
    [4, '0xe836db6a959371756f8941be3e962d000f7e12a32e49e2c9ca42ba177a92716c', undefined],
  ])('Jovian tx %i source hash (op-node spelling, and the spec spelling kept as the refused alternative)', (i, hash, specHash) => {
    const t = JOVIAN_UPGRADE.txs[i]!
    expect(upgradeDepositSourceHash(t.intent)).toBe(hash)
    expect(t.otherSpelling ? upgradeDepositSourceHash(t.otherSpelling.intent) : undefined).toBe(specHash)
  })

  it('calldata: proxy upgrades to CREATE(deployer, 0) and the set-fork selectors as published', () => {
    const data = (f: VerifiedUpgradeFork, i: number) => (f.txs[i]!.data as { data: Hex }).data
    // isthmus/derivation.md proxy-update sections; jovian: op-node jovian_upgrade_transactions_test.go.
    expect(data(ISTHMUS_UPGRADE, 3)).toBe('0x3659cfe6000000000000000000000000ff256497d61dcd71a9e9ff43967c13fde1f72d12')
    expect(data(ISTHMUS_UPGRADE, 4)).toBe('0x3659cfe600000000000000000000000093e57a196454cb919193fa9946f14943cf733845')
    expect(data(ISTHMUS_UPGRADE, 5)).toBe('0x3659cfe60000000000000000000000004fa2be8cd41504037f1838bce3bcc93bc68ff537')
    expect(data(ISTHMUS_UPGRADE, 6)).toBe('0x291b0383') // cast sig "setIsthmus()"
    expect(data(JOVIAN_UPGRADE, 1)).toBe('0x3659cfe60000000000000000000000003ba4007f5c922fbb33c454b41ea7a1f11e83df2c')
    expect(data(JOVIAN_UPGRADE, 3)).toBe('0x3659cfe60000000000000000000000004f1db3c6abd250ba86e0928471a8f7db3afd88f1')
    expect(data(JOVIAN_UPGRADE, 4)).toBe('0xb3d72079') // cast sig "setJovian()"
  })

  it('the EIP-2935 init code deploys the EIP\'s code hash at 0x0000F908…2935 when executed', async () => {
    expect(data2935()).toBe(EIP2935_CREATION_CODE)
    const r = await deployInIsolatedEvm(hexToBytes(EIP2935_CREATION_CODE), ISTHMUS_UPGRADE.txs[7]!.from, 250_000n)
    expect(r.error).toBeUndefined()
    expect(r.address).toBe('0x0000f90827f1c53a10cb7a02335b175320002935')
    expect(r.codeHash).toBe(EIP2935_CODE_HASH)
  })
})
const data2935 = (): Hex => (ISTHMUS_UPGRADE.txs[7]!.data as { data: Hex }).data

describe('verifyNodeUpgradeTxs', () => {
  it('accepts the exact list (after the L1-derived deposits), returns the node bytes, and the deployment executes to the code hash', async () => {
    const nuts = goodNuts()
    const v = verify([...prefix, ...nuts, userTx])
    expect(v.txs.get('isthmus')).toEqual(nuts)
    expect(v.deployments.map((d) => d.index)).toEqual([0, 1, 2])
    const run = await deployInIsolatedEvm(v.deployments[0]!.initCode, v.deployments[0]!.from, 425_000n)
    expect(run).toMatchObject({ codeHash: ECOTONE_L1_BLOCK_CODE_HASH, storageWritten: false })
    expect(run.error).toBeUndefined()
  })

  it('refuses a wrong source hash, a wrong order, a missing or an extra tx', () => {
    const nuts = goodNuts()
    expect(problemOf(() => verify([...prefix, ...nuts.map((n, i) => (i === 6 ? nutOf(TEST_ISTHMUS.txs[6]!, {}, 'Isthmus: Gas Price Oracle Set Isthmus ') : n))]))).toBe('source-hash')
    expect(problemOf(() => verify([...prefix, nuts[1]!, nuts[0]!, ...nuts.slice(2)]))).toBe('source-hash')
    expect(problemOf(() => verify([...prefix, ...nuts.slice(0, 7)]))).toBe('count')
    expect(problemOf(() => verify([...prefix, ...nuts.slice(0, 7), userTx]))).toBe('not-deposit')
    expect(problemOf(() => verify([...prefix, ...nuts, nuts[7]!]))).toBe('count')
  })

  it('refuses changed gas, mint, value, system flag, from, to and wrong proxy calldata', () => {
    const e = TEST_ISTHMUS.txs[3]!
    const withTx = (tx: Uint8Array) => [...prefix, ...goodNuts().map((n, i) => (i === 3 ? tx : n))]
    expect(problemOf(() => verify(withTx(nutOf(e, { gas: e.gas + 1n }))))).toBe('fields')
    expect(problemOf(() => verify(withTx(nutOf(e, { mint: 1n }))))).toBe('fields')
    expect(problemOf(() => verify(withTx(nutOf(e, { value: 1n }))))).toBe('fields')
    expect(problemOf(() => verify(withTx(nutOf(e, { isSystemTransaction: true }))))).toBe('fields')
    expect(problemOf(() => verify(withTx(nutOf(e, { from: '0x0000000000000000000000000000000000000001' }))))).toBe('fields')
    expect(problemOf(() => verify(withTx(nutOf(e, { to: undefined }))))).toBe('fields')
    const badCalldata = hexBytes((e.data as { data: Hex }).data)
    badCalldata[35] = badCalldata[35]! ^ 1
    expect(problemOf(() => verify(withTx(nutOf(e, { data: badCalldata }))))).toBe('data')
  })

  it('refuses init code with an altered runtime byte (code hash) and a non-standard constructor (SSTORE)', () => {
    const e = TEST_ISTHMUS.txs[0]!
    const withTx = (tx: Uint8Array) => [...prefix, ...goodNuts().map((n, i) => (i === 0 ? tx : n))]
    const altered = hexBytes(ECOTONE_L1_BLOCK_CREATION_CODE)
    altered[500] = altered[500]! ^ 0xff
    expect(problemOf(() => verify(withTx(nutOf(e, { data: altered }))))).toBe('code-hash')
    // PUSH1 1 PUSH1 0 SSTORE, then the usual constructor: deploys the same runtime, but also writes storage.
    const sstore = new Uint8Array([0x60, 0x01, 0x60, 0x00, 0x55, ...hexBytes(ECOTONE_L1_BLOCK_CREATION_CODE)])
    expect(problemOf(() => verify(withTx(nutOf(e, { data: sstore }))))).toBe('init-code-structure')
    expect(runtimeOfCreationCode(sstore)).toBeUndefined()
    expect(problemOf(() => verify(withTx(nutOf(e, { data: hexBytes(ECOTONE_L1_BLOCK_CREATION_CODE + '00') }))))).toBe('init-code-structure')
  })

  it('refuses a block whose L1-info or user deposit differs from what derivation computed from L1', () => {
    const altered = userDeposit.slice()
    altered[altered.length - 3] = altered[altered.length - 3]! ^ 1
    expect(problemOf(() => verify([l1Info, altered, ...goodNuts()]))).toBe('prefix')
    expect(problemOf(() => verify([userDeposit, l1Info, ...goodNuts()]))).toBe('prefix')
  })

  it('Jovian: refuses the spec spelling\'s source hash, saying exactly that', () => {
    // The real Jovian table except the deployments' code hashes (npm Ecotone L1Block, as above).
    const j = JOVIAN_UPGRADE.txs.map((t) => (t.data.kind === 'deployment' ? { ...t, data: { ...t.data, codeHash: ECOTONE_L1_BLOCK_CODE_HASH } } : t))
    const nuts = j.map((e, i) => (i === 1 ? nutOf(e, {}, e.otherSpelling!.intent) : nutOf(e)))
    try {
      verifyNodeUpgradeTxs({ node: 'fake', l2BlockNumber: 7, nodeTxs: [...prefix, ...nuts], prefix, groups: [{ fork: 'jovian', expected: j }] })
      throw new Error('accepted')
    } catch (err) {
      expect(err).toBeInstanceOf(UntrustedUpgradeTxError)
      expect((err as UntrustedUpgradeTxError).problem).toBe('other-spelling')
      expect((err as UntrustedUpgradeTxError).message).toContain('"Jovian: L1Block Proxy Update" (as the current spec (specs/protocol/jovian/derivation.md) spells it), not of "Jovian: L1 Block Proxy Update" (as op-node, which produced the chain, spells it)')
    }
  })

  it('with the real Isthmus table, real-shape txs reach the deployment check and stop there (no Isthmus bytecode here)', () => {
    const nuts = ISTHMUS_UPGRADE.txs.map((e) => nutOf(e))
    expect(problemOf(() => verify([...prefix, ...nuts], [{ fork: 'isthmus', expected: ISTHMUS_UPGRADE.txs }]))).toBe('code-hash')
    expect(parseTxDeposit(nuts[7]!).data).toEqual(hexBytes(EIP2935_CREATION_CODE))
  })
})

describe('createNodeUpgradeTxSource', () => {
  const block = (txs: Uint8Array[]): UntrustedL2Block => ({ header: { number: 7n, timestamp: 1000n } as UntrustedL2Block['header'], transactions: txs })
  const source = (txs: Uint8Array[]): L2BlockSource => ({
    label: 'fake-node',
    blockByNumber: async (n) => (n === 7 ? block(txs) : Promise.reject(new Error('no such block'))),
    blockByHash: async () => Promise.reject(new Error('unused')),
    accountProof: async () => Promise.reject(new Error('unused')),
  })

  it('fetches the block, verifies it and executes each deployment', async () => {
    const nuts = goodNuts()
    const got = await createNodeUpgradeTxSource(source([...prefix, ...nuts])).upgradeTransactions({ l2BlockNumber: 7, l2Timestamp: 1000, prefix, groups })
    expect(got.get('isthmus')).toEqual(nuts)
  })

  it('refuses a block at the wrong timestamp', async () => {
    const err = await createNodeUpgradeTxSource(source([...prefix, ...goodNuts()])).upgradeTransactions({ l2BlockNumber: 7, l2Timestamp: 1002, prefix, groups }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UntrustedUpgradeTxError)
  })
})
