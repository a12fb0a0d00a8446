import { createMPT } from '@ethereumjs/mpt'
import { Caches } from '@ethereumjs/statemanager'
import { Account, createAddressFromString, MapDB } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { ExecutorStateManager } from './ExecutorStateManager'
import { OpStateManager } from './OpStateManager'

const A = createAddressFromString('0x00000000000000000000000000000000000000aa')
const B = createAddressFromString('0x00000000000000000000000000000000000000bb')
const C = createAddressFromString('0x00000000000000000000000000000000000000cc')
const slot = (n: number): Uint8Array => {
  const k = new Uint8Array(32)
  k[31] = n
  return k
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** A parent state: A with two slots, B with code, C absent. */
async function parentState(): Promise<{ db: MapDB<string, string | Uint8Array>; root: Uint8Array }> {
  const db = new MapDB<string, string | Uint8Array>()
  const trie = await createMPT({ db, useKeyHashing: true })
  const sm = new OpStateManager({ trie, prefixCodeHashes: false, caches: new Caches() })
  await sm.putAccount(A, new Account(1n, 100n))
  await sm.putStorage(A, slot(1), Uint8Array.of(1))
  await sm.putStorage(A, slot(2), Uint8Array.of(2))
  await sm.putAccount(B, new Account(0n, 5n))
  await sm.putCode(B, Uint8Array.of(0x60, 0x00, 0x00))
  return { db, root: await sm.getStateRoot() }
}

type Ops = (sm: OpStateManager) => Promise<void>

/** Runs `ops` inside one checkpoint (as the executor does) and returns the post-state root. */
async function rootAfter(Manager: typeof OpStateManager, ops: Ops): Promise<string> {
  const { db, root } = await parentState()
  const fresh = await createMPT({ db, root, useKeyHashing: true })
  const sm = new Manager({ trie: fresh, prefixCodeHashes: false, caches: new Caches() })
  await sm.checkpoint()
  await ops(sm)
  await sm.commit()
  return hex(await sm.getStateRoot())
}

const scenarios: [string, Ops][] = [
  ['reads only (accounts, slots, code, an absent account)', async (sm) => {
    await sm.getAccount(A)
    await sm.getStorage(A, slot(1))
    await sm.getStorage(A, slot(3))
    await sm.getCode(B)
    await sm.getAccount(C)
  }],
  ['a read slot rewritten with its value next to a changed one', async (sm) => {
    await sm.getStorage(A, slot(1))
    await sm.getStorage(A, slot(2))
    await sm.putStorage(A, slot(2), Uint8Array.of(2))
    await sm.putStorage(A, slot(1), Uint8Array.of(9))
  }],
  ['storage cleared, then a read slot written back with its old value', async (sm) => {
    expect(hex(await sm.getStorage(A, slot(1)))).toBe('01')
    await sm.clearStorage(A)
    await sm.putStorage(A, slot(1), Uint8Array.of(1))
  }],
  ['account deleted and recreated, then a read slot written back with its old value', async (sm) => {
    await sm.getStorage(A, slot(1))
    await sm.getStorage(A, slot(2))
    await sm.deleteAccount(A)
    await sm.putAccount(A, new Account(0n, 1n))
    await sm.putStorage(A, slot(1), Uint8Array.of(1))
  }],
  ['a read account changed back to its read value, another deleted', async (sm) => {
    const a = (await sm.getAccount(A))!
    a.balance += 1n
    await sm.putAccount(A, a)
    a.balance -= 1n
    await sm.putAccount(A, a)
    await sm.getCode(B)
    await sm.deleteAccount(B)
  }],
  ['code replaced on a read contract', async (sm) => {
    await sm.getCode(B)
    await sm.putCode(B, Uint8Array.of(0x60, 0x01, 0x00))
  }],
]

describe('ExecutorStateManager (skips unchanged writes, memoized account decoding)', () => {
  it.each(scenarios)('gives the same post-state root as OpStateManager: %s', async (_name, ops) => {
    expect(await rootAfter(ExecutorStateManager, ops)).toBe(await rootAfter(OpStateManager, ops))
  })

  it('changes the root where the state changed (the scenarios are not all no-ops)', async () => {
    const { root } = await parentState()
    expect(await rootAfter(ExecutorStateManager, scenarios[0]![1])).toBe(hex(root))
    for (const [, ops] of scenarios.slice(1)) expect(await rootAfter(ExecutorStateManager, ops)).not.toBe(hex(root))
  })

  it('hands out copies: mutating a returned account does not change state', async () => {
    const { db, root } = await parentState()
    const sm = new ExecutorStateManager({ trie: await createMPT({ db, root, useKeyHashing: true }), prefixCodeHashes: false, caches: new Caches() })
    const a = (await sm.getAccount(A))!
    a.balance = 7n
    expect((await sm.getAccount(A))!.balance).toBe(100n)
    expect((await sm.getAccount(A))!.balance).toBe(100n)
  })
})
