/**
 * @ethereumjs MerkleStateManager with storage writes that propagate errors. Upstream `_modifyContractStorage` runs
 * the trie update inside `new Promise(async …)`: a failed node lookup (a missing witness node) becomes an unhandled
 * rejection and the returned promise never settles. Here the same updates are awaited directly, so a missing node
 * reaches the executor as a classified error.
 *
 * `flush` also applies writes before deletions (per storage trie and in the account trie). A deletion that empties
 * a branch down to one child must read that child to collapse the branch; applied after the block's inserts it
 * collapses only when the final trie really changes shape — which is also what the reference clients' witnesses
 * contain. Applying deletions first would ask for nodes no witness has.
 */
import type { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import { Account, KECCAK256_RLP, bytesToUnprefixedHex, createAddressFromString, unpadBytes, unprefixedHexToBytes, type Address } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { equalBytes } from '../../../eth/bytes'

export class OpStateManager extends MerkleStateManager {
  protected override async _modifyContractStorage(
    address: Address,
    account: Account,
    modifyTrie: (storageTrie: MerklePatriciaTrie, done: () => void) => void,
  ): Promise<void> {
    // Only reached through clearStorage below (synchronous root reset); kept for subclass completeness.
    const storageTrie = this._getStorageTrie(address, account)
    modifyTrie(storageTrie, () => {})
    await this.storeStorageRoot(address, account, storageTrie)
  }

  /**
   * An empty storage trie has no node to read. Upstream relies on the trie swallowing "Missing node in DB" for it;
   * our stores throw a classified error for every missing node instead, so the empty case is answered here.
   */
  override async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    if (key.length !== 32) throw new Error('Storage key must be 32 bytes long')
    if (this._caches?.storage?.get(address, key) === undefined) {
      const account = await this.getAccount(address)
      if (!account) return new Uint8Array(0)
      if (equalBytes(account.storageRoot, KECCAK256_RLP)) {
        this._caches?.storage?.put(address, key, Uint8Array.of(0x80))
        return new Uint8Array(0)
      }
    }
    return super.getStorage(address, key)
  }

  protected override async _writeContractStorage(address: Address, account: Account, key: Uint8Array, value: Uint8Array): Promise<void> {
    if (value.length === 0 && equalBytes(account.storageRoot, KECCAK256_RLP)) return
    const storageTrie = this._getStorageTrie(address, account)
    if (value.length > 0) await storageTrie.put(key, RLP.encode(value))
    else await storageTrie.del(key)
    await this.storeStorageRoot(address, account, storageTrie)
  }

  /**
   * Upstream writes `caches.storage.put(...) ?? await write(...)`; `put` returns undefined, so every SSTORE also went
   * straight to the trie. Here a cached write stays in the cache until flush.
   */
  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    if (key.length !== 32) throw new Error('Storage key must be 32 bytes long')
    if (value.length > 32) throw new Error('Storage value cannot be longer than 32 bytes')
    const account = await this.getAccount(address)
    if (!account) throw new Error('putStorage() called on non-existing account')
    const v = unpadBytes(value)
    if (this._caches?.storage) this._caches.storage.put(address, key, RLP.encode(v))
    else await this._writeContractStorage(address, account, key, v)
  }

  override async clearStorage(address: Address): Promise<void> {
    const account = (await this.getAccount(address)) ?? new Account()
    this._caches?.storage?.clearStorage(address)
    const storageTrie = this._getStorageTrie(address, account)
    storageTrie.root(storageTrie.EMPTY_TRIE_ROOT)
    await this.storeStorageRoot(address, account, storageTrie)
  }

  override async flush(): Promise<void> {
    for (const [addressHex, item] of this._caches?.code?.flush() ?? []) {
      if (item.code === undefined || this.isStoredCode(item.code)) continue
      const address = createAddressFromString(`0x${addressHex}`)
      const codeHash = keccak_256(item.code)
      if (this._prefixCodeHashes) throw new Error('OpStateManager stores code by plain hash')
      await this._getCodeDB().put(codeHash, item.code)
      if ((await this.getAccount(address)) === undefined) await this.putAccount(address, new Account())
      await this.modifyAccountFields(address, { codeHash })
    }
    const storage = this._caches?.storage?.flush() ?? []
    const isDelete = (value: Uint8Array | undefined): boolean => {
      const decoded = RLP.decode(value ?? new Uint8Array(0)) as Uint8Array
      return decoded.length === 0
    }
    // Unchanged slots are decided on the state before any write (a write changes its account's storage root).
    const changed: typeof storage = []
    for (const item of storage) if (!(await this.isStoredSlot(item[0], item[1], item[2]))) changed.push(item)
    const ordered = [...changed.filter((s) => !isDelete(s[2])), ...changed.filter((s) => isDelete(s[2]))]
    for (const [addressHex, keyHex, value] of ordered) {
      const address = createAddressFromString(`0x${addressHex}`)
      const account = await this.getAccount(address)
      if (account) await this._writeContractStorage(address, account, unprefixedHexToBytes(keyHex), RLP.decode(value ?? new Uint8Array(0)) as Uint8Array)
    }
    const accounts = (this._caches?.account?.flush() ?? []).filter(([addressHex, elem]) => !this.isStoredAccount(addressHex, elem.accountRLP))
    for (const [addressHex, elem] of [...accounts.filter((a) => a[1].accountRLP !== undefined), ...accounts.filter((a) => a[1].accountRLP === undefined)]) {
      const key = unprefixedHexToBytes(addressHex)
      if (elem.accountRLP === undefined) await this._trie.del(key)
      else await this._trie.put(key, elem.accountRLP)
    }
  }

  /**
   * Hooks for a subclass that knows which cached entries still hold what the trie holds (entries the caches recorded
   * for reads): flush skips them, as rewriting a value a trie already has leaves its root unchanged. Here: none.
   */
  protected isStoredCode(_code: Uint8Array): boolean {
    return false
  }

  protected async isStoredSlot(_addressHex: string, _keyHex: string, _value: Uint8Array | undefined): Promise<boolean> {
    return false
  }

  protected isStoredAccount(_addressHex: string, _accountRLP: Uint8Array | undefined): boolean {
    return false
  }

  private async storeStorageRoot(address: Address, account: Account, storageTrie: MerklePatriciaTrie): Promise<void> {
    this._storageTries[bytesToUnprefixedHex(address.bytes)] = storageTrie
    account.storageRoot = storageTrie.root()
    await this.putAccount(address, account)
  }
}
