/**
 * The executor's state manager: OpStateManager (the @ethereumjs MerkleStateManager over the witness trie, with
 * errors that propagate) plus two things upstream does not do, both exact by construction:
 *
 * - Accounts are decoded once per cached RLP. Upstream caches accounts as RLP and decodes them on every
 *   `getAccount` (the EVM asks several times per call frame); here the decoded account is memoized by the cached
 *   RLP object and each caller gets its own copy (callers mutate what they get).
 * - The final flush writes only what changed. Upstream's caches record every read as a cache entry, so its flush
 *   writes every account, slot and code the block merely read back into the tries (re-hashing their paths) for
 *   the same root. Here each first read from the trie is remembered (before the flush nothing writes to a trie:
 *   all writes stay in the caches) and an entry whose value is still that value is skipped: rewriting a value a
 *   trie already holds leaves its root unchanged. A slot is skipped only while its account's storage root is the
 *   root it was read under (a cleared or recreated account's slots are all written).
 */
import { Account, bytesToUnprefixedHex, createAccountFromRLP, createAddressFromString, type Address } from '@ethereumjs/util'
import { equalBytes } from '../../../eth/bytes'
import { OpStateManager } from './OpStateManager'

interface StoredSlot {
  storageRoot: Uint8Array
  value: Uint8Array
}

export class ExecutorStateManager extends OpStateManager {
  private readonly decoded = new WeakMap<Uint8Array, Account>()
  /** First trie read per account (address hex → RLP, null when absent). */
  private readonly storedAccounts = new Map<string, Uint8Array | null>()
  /** First trie read per slot (address hex + key hex → cached RLP value and the storage root it was read under). */
  private readonly storedSlots = new Map<string, StoredSlot>()
  /** Code arrays as read from the code store (the code cache hands out the same object). */
  private readonly storedCode = new WeakSet<Uint8Array>()

  override async getAccount(address: Address): Promise<Account | undefined> {
    const cache = this._caches?.account
    if (cache === undefined) return super.getAccount(address)
    const elem = cache.get(address)
    if (elem !== undefined) {
      const rlp = elem.accountRLP
      if (rlp === undefined) return undefined
      let account = this.decoded.get(rlp)
      if (account === undefined) {
        account = createAccountFromRLP(rlp)
        this.decoded.set(rlp, account)
      }
      return new Account(account.nonce, account.balance, account.storageRoot, account.codeHash)
    }
    const rlp = await this._trie.get(address.bytes)
    const addressHex = bytesToUnprefixedHex(address.bytes)
    if (!this.storedAccounts.has(addressHex)) this.storedAccounts.set(addressHex, rlp)
    const account = rlp !== null ? createAccountFromRLP(rlp) : undefined
    cache.put(address, account)
    return account
  }

  override async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    const cache = this._caches?.storage
    if (cache === undefined || cache.get(address, key) !== undefined) return super.getStorage(address, key)
    const value = await super.getStorage(address, key)
    const read = cache.get(address, key)
    const account = await this.getAccount(address)
    const id = bytesToUnprefixedHex(address.bytes) + bytesToUnprefixedHex(key)
    if (read !== undefined && account !== undefined && !this.storedSlots.has(id)) this.storedSlots.set(id, { storageRoot: account.storageRoot, value: read })
    return value
  }

  override async getCode(address: Address): Promise<Uint8Array> {
    const cached = this._caches?.code?.get(address)
    const code = await super.getCode(address)
    if (cached === undefined && code.length > 0) this.storedCode.add(code)
    return code
  }

  override async flush(): Promise<void> {
    await super.flush()
    // The tries now hold the flushed values: what was read before is no longer "what the trie holds".
    this.storedAccounts.clear()
    this.storedSlots.clear()
  }

  protected override isStoredCode(code: Uint8Array): boolean {
    return this.storedCode.has(code)
  }

  protected override async isStoredSlot(addressHex: string, keyHex: string, value: Uint8Array | undefined): Promise<boolean> {
    const stored = this.storedSlots.get(addressHex + keyHex)
    if (stored === undefined || value === undefined || !equalBytes(stored.value, value)) return false
    const account = await this.getAccount(createAddressFromString(`0x${addressHex}`))
    return account !== undefined && equalBytes(account.storageRoot, stored.storageRoot)
  }

  protected override isStoredAccount(addressHex: string, accountRLP: Uint8Array | undefined): boolean {
    if (!this.storedAccounts.has(addressHex)) return false
    const stored = this.storedAccounts.get(addressHex)!
    if (stored === null) return accountRLP === undefined
    return accountRLP !== undefined && equalBytes(stored, accountRLP)
  }
}
