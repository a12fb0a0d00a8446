/**
 * keccak-256 for the trie and executor. @noble/hashes is the default (pure JS, always available); hash-wasm's
 * WebAssembly keccak is ~8× faster on trie-node-sized inputs, which is what makes large trie builds and block
 * re-execution fast. It needs an async load (WebAssembly instantiation), so callers that care load it once and pass
 * the function in.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { toHex } from '../eth/bytes'

export type Keccak256 = (data: Uint8Array) => Uint8Array

export const nobleKeccak256: Keccak256 = keccak_256

let fast: Promise<Keccak256> | undefined

export function loadFastKeccak256(): Promise<Keccak256> {
  fast ??= (async () => {
    const { createKeccak } = await import('hash-wasm')
    const hasher = await createKeccak(256)
    // One hasher serves every call: calls are synchronous, so they never interleave.
    const fn: Keccak256 = (data) => {
      hasher.init()
      hasher.update(data)
      return hasher.digest('binary')
    }
    if (toHex(fn(new Uint8Array(0))) !== '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470') {
      throw new Error('hash-wasm keccak256 self-test failed')
    }
    return fn
  })()
  return fast
}
