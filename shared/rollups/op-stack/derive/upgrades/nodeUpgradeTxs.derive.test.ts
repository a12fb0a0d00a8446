/**
 * Derivation across an Isthmus activation block whose NUTs come from a fake (in-memory) L2 node. The node's block is
 * what an honest node holds: the L1-info deposit and the user deposit derived from L1, then the 8 Isthmus NUTs (built
 * with the npm Ecotone L1Block as the deployed code, under a test fork table with that code hash; the real Isthmus
 * bytecode is not available here).
 */
import { describe, expect, it } from 'vitest'
import { createNodeDecompressor } from '../../../../../electron/services/l1/createNodeDecompressor'
import { upgradeDepositSourceHash } from '../deposits'
import { deriveL2Blocks } from '../deriveL2Blocks'
import { UnsupportedChainFeatureError } from '../errors'
import type { L2BlockSource, UntrustedL2Block } from '../start/L2BlockSource'
import { SyntheticL1, T0, depositLog, syntheticConfig } from '../test-support/syntheticL1'
import { ECOTONE_L1_BLOCK_CREATION_CODE } from './ecotoneBytecode'
import { UntrustedUpgradeTxError } from './errors'
import { createNodeUpgradeTxSource, type UpgradeTxSource } from './fetchNodeUpgradeTxs'
import { ISTHMUS_UPGRADE, type VerifiedUpgradeFork } from './verifiedUpgradeForks'
import { serializeTxDeposit } from '../../../../eth/TxDeposit'
import { hexBytes } from '../../../../eth/bytes'

const decompressor = createNodeDecompressor()
const TEST_ISTHMUS: VerifiedUpgradeFork = {
  fork: 'isthmus',
  txs: ISTHMUS_UPGRADE.txs.map((t) => (t.data.kind === 'deployment' ? { ...t, data: { ...t.data, codeHash: '0xc88a313aa75dc4fbf0b6850d9f9ae41e04243b7008cf3eadb29256d4a71c1dfd' } } : t)),
}
const nuts = TEST_ISTHMUS.txs.map((e) =>
  serializeTxDeposit({ sourceHash: upgradeDepositSourceHash(e.intent), from: e.from, to: e.to, mint: 0n, value: 0n, gas: e.gas, isSystemTransaction: false, data: hexBytes(e.data.kind === 'exact' ? e.data.data : ECOTONE_L1_BLOCK_CREATION_CODE) }),
)

function setup() {
  // No batches: empty blocks (sequencing window) up to and past the Isthmus activation block at T0 + 12 (L2 block 6,
  // L1 origin 1, which carries a user deposit).
  const config = syntheticConfig({ seq_window_size: 4, isthmus_time: T0 + 12, jovian_time: undefined, karst_time: undefined })
  const l1 = new SyntheticL1(12)
  l1.addLog(1, depositLog('0x00000000000000000000000000000000000000aa', '0x00000000000000000000000000000000000000bb', 5n, 21000n))
  return { config, l1 }
}

/** What the L1-derived prefix of block 6 is (captured from derivation itself, as an honest node would hold it). */
async function prefixOfActivationBlock(): Promise<Uint8Array[]> {
  const { config, l1 } = setup()
  let prefix: Uint8Array[] = []
  const tap: UpgradeTxSource = {
    label: 'tap',
    upgradeTransactions: async (req) => {
      prefix = [...req.prefix]
      throw new Error('captured')
    },
  }
  await deriveL2Blocks({ config, l1, decompressor, toL1Block: 11, upgradeTxSource: tap }).catch(() => undefined)
  return prefix
}

function fakeNode(block6: Uint8Array[]): L2BlockSource {
  const block = (n: number, txs: Uint8Array[]): UntrustedL2Block => ({ header: { number: BigInt(n), timestamp: BigInt(T0 + 2 * n) } as UntrustedL2Block['header'], transactions: txs })
  return {
    label: 'http://127.0.0.1/fake-l2',
    blockByNumber: async (n) => block(n, n === 6 ? block6 : []),
    blockByHash: async () => Promise.reject(new Error('unused')),
    accountProof: async () => Promise.reject(new Error('unused')),
  }
}

describe('deriveL2Blocks across an Isthmus activation block with NUTs from an untrusted L2 node', () => {
  it('puts the verified NUTs after the L1-info deposit and the user deposit; no other block gets any', async () => {
    const prefix = await prefixOfActivationBlock()
    expect(prefix).toHaveLength(2)
    const { config, l1 } = setup()
    const { blocks } = await deriveL2Blocks({ config, l1, decompressor, toL1Block: 11, upgradeTxSource: createNodeUpgradeTxSource(fakeNode([...prefix, ...nuts]), { isthmus: TEST_ISTHMUS }) })
    const b6 = blocks.find((b) => b.ref.number === 6)!
    expect(b6.ref.timestamp).toBe(T0 + 12)
    expect(b6.attributes.transactions).toEqual([...prefix, ...nuts])
    expect(b6.depositCount).toBe(10)
    for (const b of blocks) if (b !== b6) expect(b.attributes.transactions.length).toBeLessThanOrEqual(2)
  })

  it('refuses a node that altered the user deposit', async () => {
    const prefix = await prefixOfActivationBlock()
    const altered = prefix[1]!.slice()
    altered[altered.length - 1] = altered[altered.length - 1]! ^ 1
    const { config, l1 } = setup()
    const err = await deriveL2Blocks({ config, l1, decompressor, toL1Block: 11, upgradeTxSource: createNodeUpgradeTxSource(fakeNode([prefix[0]!, altered, ...nuts]), { isthmus: TEST_ISTHMUS }) }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UntrustedUpgradeTxError)
    expect((err as UntrustedUpgradeTxError).problem).toBe('prefix')
  })

  it('with the real Isthmus constants the node\'s (non-Isthmus) deployment is refused; without a node the error says what to do', async () => {
    const prefix = await prefixOfActivationBlock()
    const { config, l1 } = setup()
    const err = await deriveL2Blocks({ config, l1, decompressor, toL1Block: 11, upgradeTxSource: createNodeUpgradeTxSource(fakeNode([...prefix, ...nuts])) }).catch((e: unknown) => e)
    expect((err as UntrustedUpgradeTxError).problem).toBe('code-hash')
    const s2 = setup()
    const none = await deriveL2Blocks({ config: s2.config, l1: s2.l1, decompressor, toL1Block: 11 }).catch((e: unknown) => e)
    expect(none).toBeInstanceOf(UnsupportedChainFeatureError)
    expect((none as UnsupportedChainFeatureError).details).toContain('give --l2-rpc URL (an untrusted L2 node is enough')
  })
})
