import { createEVM } from '@ethereumjs/evm'
import { describe, expect, it } from 'vitest'
import { useFastMstore } from './fastMstore'

const push32 = (hex: string): number[] => [0x7f, ...Buffer.from(hex.padStart(64, '0'), 'hex')]
const push2 = (n: number): number[] => [0x61, n >> 8, n & 0xff]

/** MSTOREs of several words at several offsets (aligned, unaligned, overlapping, expanding memory), then RETURN of
 * the whole region; and a last MSTORE so far out that memory expansion runs out of gas. */
function program(words: string[], offsets: number[], size: number): Uint8Array {
  const code: number[] = []
  for (const [i, w] of words.entries()) code.push(...push32(w), ...push2(offsets[i]!), 0x52)
  code.push(...push2(size), ...push2(0), 0xf3)
  return Uint8Array.from(code)
}

async function run(code: Uint8Array, fast: boolean, gasLimit = 1_000_000n) {
  const evm = await createEVM()
  if (fast) expect(useFastMstore(evm)).toBe(true)
  const r = await evm.runCode({ code, gasLimit })
  return { error: r.exceptionError?.error, out: Buffer.from(r.returnValue).toString('hex'), gas: r.executionGasUsed }
}

describe('fast MSTORE handler', () => {
  it('writes the same bytes with the same gas as upstream', async () => {
    const words = ['ff'.repeat(32), '2a', '0123456789abcdef'.repeat(4), '80' + '00'.repeat(31), '1', 'deadbeef'.repeat(8), '0']
    const offsets = [0, 32, 5, 63, 200, 1000, 1010]
    const code = program(words, offsets, 1100)
    const upstream = await run(code, false)
    expect(upstream.error).toBeUndefined()
    expect(upstream.out.slice(0, 10)).toBe('ff'.repeat(5))
    expect(await run(code, true)).toEqual(upstream)
  })

  it('fails the same way when memory expansion runs out of gas or the stack is short', async () => {
    const far = Uint8Array.from([...push32('1'), 0x63, 0x00, 0xff, 0xff, 0xff, 0x52]) // offset 2^24 - 1
    expect(await run(far, true, 100_000n)).toEqual(await run(far, false, 100_000n))
    const short = Uint8Array.from([0x60, 0x01, 0x52])
    expect(await run(short, true)).toEqual(await run(short, false))
    expect((await run(short, true)).error).toBe('stack underflow')
  })

  it('leaves other EVMs on the upstream handler', async () => {
    const a = await createEVM()
    const b = await createEVM()
    useFastMstore(a)
    const map = (evm: unknown) => (evm as { _opcodeMap: { opHandler: unknown }[] })._opcodeMap
    expect(map(a)[0x52]!.opHandler).not.toBe(map(b)[0x52]!.opHandler)
    expect(map(a)[0x51]!.opHandler).toBe(map(b)[0x51]!.opHandler)
  })
})
