/**
 * Synchronous opcode steps for the EVMs the executor creates.
 *
 * @ethereumjs/evm's `Interpreter.runStep` is an `async` function, so every opcode — ADD, PUSH1, DUP2 alike —
 * allocates a promise and resumes through the microtask queue, and its run loop awaits it. On real OP blocks that
 * per-step machinery (and the garbage it makes) is a large share of the interpreter's time. Most opcodes need none
 * of it: a fixed gas fee and a synchronous handler. For those, the step below does exactly what upstream `runStep`
 * does on that path — charge the fixed fee (out-of-gas traps as upstream), advance the program counter, run the
 * handler — without the async frame. Every other step (dynamic gas, async handler, invalid opcode, a pending
 * EIP-7928 call result, step listeners, DEBUG, the profiler) goes to upstream
 * `runStep` unchanged. The run loop's `await` of a non-promise keeps the same ordering.
 *
 * WHY A PROTOTYPE OVERRIDE: as for jumpDestCache.ts, the library has no hook for this and does not export the
 * Interpreter. The override is inert for EVMs not passed to `useSyncSteps` (the bench's plain baseline keeps
 * upstream behaviour). If the library's shape changes (no `runStep`), nothing is patched: exact, only slower;
 * syncSteps.test.ts fails so the change is noticed.
 */
import type { EVM } from '@ethereumjs/evm'
import { interpreterPrototype } from './jumpDestCache'

interface OpcodeInfo {
  feeBigInt: bigint
  dynamicGas: boolean
  isAsync: boolean
  isInvalid: boolean
}
interface OpEntry {
  opcodeInfo: OpcodeInfo
  opHandler: (runState: unknown, common: unknown) => void
}
interface RunState {
  opCode: number
  programCounter: number
  eip7928PostTargetCallOog?: unknown
  env: { accessWitness?: { commit(): void } }
}
interface InterpreterLike {
  _evm: EVM & { DEBUG: boolean; _opcodeMap: OpEntry[] }
  _runState: RunState
  common: EVM['common']
  profilerOpts?: { enabled?: boolean }
  useGas(amount: bigint, context: OpcodeInfo): void
  runStep(opcodeObj?: OpEntry): Promise<void> | void
}

const registered = new WeakSet<EVM>()
let installed: Promise<boolean> | undefined

/** Installs the override once per process; resolves false when the library's shape is not the known one. */
export function installSyncSteps(): Promise<boolean> {
  installed ??= (async () => {
    const proto = (await interpreterPrototype()) as InterpreterLike | undefined
    if (proto === undefined || typeof proto.runStep !== 'function' || typeof proto.useGas !== 'function') return false
    const original = proto.runStep
    proto.runStep = function (this: InterpreterLike, opcodeObj?: OpEntry): Promise<void> | void {
      const evm = this._evm
      if (!registered.has(evm)) return original.call(this, opcodeObj)
      const runState = this._runState
      const entry = opcodeObj ?? evm._opcodeMap[runState.opCode]!
      const info = entry.opcodeInfo
      if (
        info.dynamicGas ||
        info.isAsync ||
        info.isInvalid ||
        runState.eip7928PostTargetCallOog !== undefined ||
        this.profilerOpts?.enabled === true ||
        evm.DEBUG ||
        evm.events.listenerCount('step') > 0
      ) {
        return original.call(this, opcodeObj)
      }
      this.useGas(info.feeBigInt, info)
      runState.programCounter++
      entry.opHandler(runState, this.common)
      runState.env.accessWitness?.commit()
    }
    return true
  })()
  return installed
}

/**
 * Makes `evm` take synchronous steps (after installSyncSteps resolved true; otherwise a no-op). Not for an EVM whose
 * rules charge code-chunk gas per step (EIP-6800/7864, stateless Verkle/binary-trie forks): those stay upstream.
 * The executor's Common never changes hardfork while a block runs, so this is decided once.
 */
export function useSyncSteps(evm: EVM): void {
  if (evm.common.isActivatedEIP(6800) || evm.common.isActivatedEIP(7864)) return
  registered.add(evm)
}
