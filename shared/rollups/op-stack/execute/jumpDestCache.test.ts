import { createEVM } from '@ethereumjs/evm'
import { describe, expect, it } from 'vitest'
import { installJumpDestCache, jumpDestCacheMisses, useJumpDestCache } from './jumpDestCache'

// PUSH1 0x08 JUMP, then data bytes that look like JUMPDESTs inside a PUSH2, then JUMPDEST at 8:
// PUSH1 1 PUSH1 0 SSTORE... kept simple: returns 32 bytes holding 0x2a when the jump lands.
// 0: 60 08   PUSH1 8
// 2: 56      JUMP
// 3: 61 5b5b PUSH2 0x5b5b (not jump destinations)
// 6: 00      STOP
// 7: 00      STOP
// 8: 5b      JUMPDEST
// 9: 60 2a 60 00 52 60 20 60 00 f3   MSTORE 0x2a at 0, RETURN 32 bytes
const CODE = Uint8Array.from([0x60, 0x08, 0x56, 0x61, 0x5b, 0x5b, 0x00, 0x00, 0x5b, 0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3])
// Same, jumping into the PUSH2 data (offset 4): must fail as an invalid jump, cached or not.
const BAD = Uint8Array.from([0x60, 0x04, 0x56, 0x61, 0x5b, 0x5b, 0x00, 0x00, 0x5b, 0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3])

async function run(code: Uint8Array, cached: boolean) {
  const evm = await createEVM()
  if (cached) useJumpDestCache(evm)
  const r = await evm.runCode({ code, gasLimit: 100_000n })
  return { error: r.exceptionError?.error, out: Buffer.from(r.returnValue).toString('hex'), gas: r.executionGasUsed }
}

describe('jump-destination cache (private @ethereumjs/evm override)', () => {
  it('installs: the library still has the Interpreter shape the override relies on', async () => {
    // Fails when @ethereumjs/evm renames _getValidJumpDestinations or _opcodeMap: then the cache is silently off
    // (results stay exact, execution is slower) and jumpDestCache.ts must be revisited.
    expect(await installJumpDestCache()).toBe(true)
  })

  it('gives the same results as upstream, first call and cached, for valid and invalid jumps', async () => {
    expect(await installJumpDestCache()).toBe(true)
    const plainOk = await run(CODE, false)
    const plainBad = await run(BAD, false)
    expect(plainOk.error).toBeUndefined()
    expect(plainOk.out.endsWith('2a')).toBe(true)
    expect(plainBad.error).toMatch(/^invalid JUMP/)
    for (let i = 0; i < 3; i++) {
      expect(await run(CODE, true)).toEqual(plainOk)
      expect(await run(BAD, true)).toEqual(plainBad)
    }
  })

  it('serves repeat calls from the cache: one analysis per code hash, across EVMs and code copies', async () => {
    expect(await installJumpDestCache()).toBe(true)
    const unique = Uint8Array.from([...CODE, 0x00, 0x01]) // a code hash no other test uses
    const before = jumpDestCacheMisses()
    for (let i = 0; i < 3; i++) {
      const evm = await createEVM()
      useJumpDestCache(evm)
      const r = await evm.runCode({ code: unique.slice(), gasLimit: 100_000n })
      expect(r.exceptionError).toBeUndefined()
    }
    expect(jumpDestCacheMisses() - before).toBe(1)
    // An EVM not registered keeps upstream behaviour and does not touch the cache.
    await run(Uint8Array.from([...CODE, 0x00, 0x02]), false)
    expect(jumpDestCacheMisses() - before).toBe(1)
  })
})
