/**
 * Jump-destination analysis cached by code hash, for the EVMs the executor creates.
 *
 * @ethereumjs/evm redoes `Interpreter._getValidJumpDestinations` for every call frame that jumps: a pass over the
 * whole contract code that allocates an opcode table and converts every PUSH immediate to a BigInt through a hex
 * string. On real OP blocks (the same few large contracts called hundreds of times) that pass was ~26% of the CPU.
 * The result depends only on the code bytes, the EIP-8024 switch and the EVM's opcode table, so it is cached here:
 * the jump table and PUSH values by keccak(code) across blocks, the per-position opcode table per EVM.
 *
 * WHY A PRIVATE OVERRIDE: the library offers no hook for this (no option, no event) and does not export the
 * Interpreter class (package "exports" has only "."), and EVM.runInterpreter constructs it directly, so neither a
 * subclass nor an option can reach it. The method is therefore replaced on the Interpreter prototype, which is found
 * once from a live interpreter (a throwaway EVM running one STOP). The replacement is inert for every EVM that was
 * not passed to `useJumpDestCache` (the bench's plain baseline keeps upstream behaviour). If the library's shape
 * changes (no such method, no `_opcodeMap`), nothing is patched and execution stays exact, only slower;
 * jumpDestCache.test.ts fails in that case so the change is noticed.
 */
import { createEVM, type EVM } from '@ethereumjs/evm'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { toHex } from '../../../eth/bytes'

interface Analysis {
  jumps: Uint8Array
  pushes: Record<number, bigint>
  opcodesCached: unknown[]
}
interface InterpreterLike {
  _evm: EVM
  common: EVM['common']
  _getValidJumpDestinations(code: Uint8Array): Analysis
}
type OpcodeMap = { opcodeInfo: unknown }[]

/** Jump tables and PUSH values by code hash (+ EIP-8024 flag); bounded, cleared when full. */
const MAX_CODES = 4096
const byCodeHash = new Map<string, { jumps: Uint8Array; pushes: Record<number, bigint> }>()
/** Per EVM: analyses by code object (the state cache hands out the same Uint8Array for the same account). */
const perEvm = new WeakMap<EVM, WeakMap<Uint8Array, Analysis>>()

let installed: Promise<boolean> | undefined
/** Full analyses run for registered EVMs (a cache miss by code hash); for tests and the bench. */
let misses = 0

export function jumpDestCacheMisses(): number {
  return misses
}

/** Installs the prototype override once per process; resolves false when the library's shape is not the known one. */
export function installJumpDestCache(): Promise<boolean> {
  installed ??= (async () => {
    const proto = (await interpreterPrototype()) as InterpreterLike | undefined
    if (proto === undefined || typeof proto._getValidJumpDestinations !== 'function') return false
    const original = proto._getValidJumpDestinations
    proto._getValidJumpDestinations = function (this: InterpreterLike, code: Uint8Array): Analysis {
      const byCode = perEvm.get(this._evm)
      if (byCode === undefined) return original.call(this, code)
      const hit = byCode.get(code)
      if (hit !== undefined) return hit
      const analysis = analyse(this, code, original)
      byCode.set(code, analysis)
      return analysis
    }
    return true
  })()
  return installed
}

/** Makes `evm` use the cache (after installJumpDestCache resolved true; otherwise a no-op). */
export function useJumpDestCache(evm: EVM): void {
  if (!perEvm.has(evm)) perEvm.set(evm, new WeakMap())
}

function analyse(interpreter: InterpreterLike, code: Uint8Array, original: (code: Uint8Array) => Analysis): Analysis {
  const keccak = interpreter.common.customCrypto.keccak256 ?? keccak_256
  const key = `${interpreter.common.isActivatedEIP(8024) ? '1' : '0'}${toHex(keccak(code))}`
  const shared = byCodeHash.get(key)
  if (shared === undefined) {
    misses++
    const fresh = original.call(interpreter, code)
    if (byCodeHash.size >= MAX_CODES) byCodeHash.clear()
    byCodeHash.set(key, { jumps: fresh.jumps, pushes: fresh.pushes })
    return fresh
  }
  // Rebuild only the opcode table (cheap: one lookup per byte) for this EVM's opcode map.
  const map = (interpreter._evm as unknown as { _opcodeMap: OpcodeMap })._opcodeMap
  const opcodesCached = new Array<unknown>(code.length)
  for (let i = 0; i < code.length; i++) opcodesCached[i] = map[code[i]!]
  return { jumps: shared.jumps, pushes: shared.pushes, opcodesCached }
}

let prototype: Promise<object | undefined> | undefined

/** The (unexported) Interpreter prototype, found once per process (also used by syncSteps.ts). */
export function interpreterPrototype(): Promise<object | undefined> {
  prototype ??= findInterpreterPrototype()
  return prototype
}

/** The Interpreter prototype, taken from the interpreter that runs one STOP on a throwaway EVM. */
async function findInterpreterPrototype(): Promise<object | undefined> {
  const evm = await createEVM()
  const internal = evm as unknown as { _opcodeMap?: unknown }
  if (!Array.isArray(internal._opcodeMap)) return undefined
  const map = internal._opcodeMap as ({ opHandler: (runState: { interpreter: unknown }, common: unknown) => void } & Record<string, unknown>)[]
  const stop = map[0x00]
  if (stop === undefined || typeof stop.opHandler !== 'function') return undefined
  let found: unknown
  const patched = [...map]
  patched[0x00] = {
    ...stop,
    opHandler: (runState, common) => {
      found = runState.interpreter
      stop.opHandler(runState, common)
    },
  }
  internal._opcodeMap = patched
  await evm.runCode({ code: Uint8Array.of(0x00), gasLimit: 1000n })
  return found === undefined || found === null ? undefined : (Object.getPrototypeOf(found) as object)
}
