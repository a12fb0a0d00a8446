/**
 * MSTORE without the hex round trip, for the EVMs the executor creates.
 *
 * @ethereumjs/evm's MSTORE handler turns the 256-bit word into bytes through a hex string and a left-pad copy
 * (`setLengthLeft(bigIntToBytes(word), 32)`): three allocations per MSTORE, the most frequent memory opcode, and
 * on real OP blocks ~4% of the executor's CPU plus the garbage. Here the word is written big-endian as four 64-bit
 * limbs into a reused 32-byte buffer that Memory.write copies, which is the same 32 bytes at the same offset. Gas
 * (static fee and memory expansion) stays with upstream's handlers: only the handler of this EVM's opcode table
 * entry is replaced, in a copy of the table, so other EVMs (the bench's plain baseline) are untouched. If the
 * library's table has another shape, nothing is replaced (exact, only slower; fastMstore.test.ts fails).
 */
import type { EVM } from '@ethereumjs/evm'

interface RunState {
  stack: { popN(n: number): bigint[] }
  memory: { write(offset: number, size: number, value: Uint8Array): void }
}
interface OpEntry {
  opcodeInfo?: { name?: string }
  opHandler?: (runState: RunState, common: unknown) => void
}

const word = new Uint8Array(32)
const view = new DataView(word.buffer)

function mstore(runState: RunState): void {
  const [offset, value] = runState.stack.popN(2) as [bigint, bigint]
  // setBigUint64 keeps the low 64 bits of its argument (ToBigUint64).
  view.setBigUint64(0, value >> 192n)
  view.setBigUint64(8, value >> 128n)
  view.setBigUint64(16, value >> 64n)
  view.setBigUint64(24, value)
  runState.memory.write(Number(offset), 32, word)
}

/** Gives `evm` the fast MSTORE handler; returns false (and changes nothing) when the opcode table is not the known shape. */
export function useFastMstore(evm: EVM): boolean {
  const internal = evm as unknown as { _opcodeMap?: unknown }
  if (!Array.isArray(internal._opcodeMap)) return false
  const map = internal._opcodeMap as (OpEntry | undefined)[]
  const entry = map[0x52]
  if (entry?.opcodeInfo?.name !== 'MSTORE' || typeof entry.opHandler !== 'function') return false
  const patched = [...map]
  patched[0x52] = { ...entry, opHandler: mstore }
  internal._opcodeMap = patched
  return true
}
