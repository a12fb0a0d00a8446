/**
 * keccak-256 for the trie and executor. @noble/hashes is the default (pure JS, always available); hash-wasm's
 * WebAssembly keccak is ~8× faster on trie-node-sized inputs, which is what makes large trie builds and block
 * re-execution fast. It needs an async load (WebAssembly instantiation), so callers that care load it once and pass
 * the function in.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import type * as HashWasmModule from 'hash-wasm'
import { toHex } from '../eth/bytes'

type HashWasm = typeof HashWasmModule

export type Keccak256 = (data: Uint8Array) => Uint8Array

export const nobleKeccak256: Keccak256 = keccak_256

let fast: Promise<Keccak256> | undefined

export function loadFastKeccak256(): Promise<Keccak256> {
  fast ??= (async () => {
    // hash-wasm ships UMD as `main`: bundled (out/cli), a dynamic import() of it yields the module under `default`.
    const mod = (await import('hash-wasm')) as HashWasm & { default?: HashWasm }
    const createKeccak = typeof mod.createKeccak === 'function' ? mod.createKeccak : mod.default?.createKeccak
    if (typeof createKeccak !== 'function') throw new Error('hash-wasm has no createKeccak: the package or the bundle is broken')
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
