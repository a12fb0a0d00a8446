/**
 * OP precompile rules on top of @ethereumjs/evm's: P256VERIFY at 0x100 from Fjord (RIP-7212 gas 3450), and input
 * size limits on bn256Pairing (Granite, Jovian, Karst) and the BLS12-381 MSM/pairing precompiles (Isthmus, Jovian).
 * An over-limit input fails like an out-of-gas halt (op-revm precompiles.rs). Spec: specs/protocol/precompiles.md,
 * {fjord,granite,isthmus,jovian}/exec-engine.md.
 */
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { getActivePrecompiles, type CustomPrecompile, type ExecResult, type PrecompileFunc, type PrecompileInput } from '@ethereumjs/evm'
import { EVMError } from '@ethereumjs/evm'
import type { Common } from '@ethereumjs/common'
import type { OpFork } from '../config/rollupConfig'

const P256_GAS = 3450n
const ADDR = (n: number): `0x${string}` => `0x${n.toString(16).padStart(40, '0')}`

function outOfGas(gasLimit: bigint): ExecResult {
  return { returnValue: new Uint8Array(0), executionGasUsed: gasLimit, exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS) }
}

function limited(original: PrecompileFunc, maxInput: number): PrecompileFunc {
  return (input: PrecompileInput) => (input.data.length > maxInput ? outOfGas(input.gasLimit) : original(input))
}

let p256: PrecompileFunc | undefined
function p256Verify(): PrecompileFunc {
  if (!p256) {
    const osaka = createCustomCommon({}, Mainnet, { hardfork: Hardfork.Osaka })
    const fn = getActivePrecompiles(osaka).get(ADDR(0x100).slice(2))
    if (!fn) throw new Error('@ethereumjs/evm has no P256VERIFY precompile')
    p256 = fn
  }
  const inner = p256
  // Same verification as EIP-7951, charged at RIP-7212's 3450 gas.
  return (input: PrecompileInput) => {
    if (input.gasLimit < P256_GAS) return outOfGas(input.gasLimit)
    const r = inner({ ...input, gasLimit: input.gasLimit > 6900n ? input.gasLimit : 6900n }) as ExecResult
    return { ...r, executionGasUsed: P256_GAS }
  }
}

const order: OpFork[] = ['bedrock', 'regolith', 'canyon', 'delta', 'ecotone', 'fjord', 'granite', 'holocene', 'isthmus', 'jovian', 'karst']
const atLeast = (fork: OpFork, than: OpFork): boolean => order.indexOf(fork) >= order.indexOf(than)

export function opPrecompiles(common: Common, fork: OpFork): CustomPrecompile[] {
  const active = getActivePrecompiles(common)
  const get = (n: number): PrecompileFunc => {
    const fn = active.get(ADDR(n).slice(2))
    if (!fn) throw new Error(`precompile ${ADDR(n)} is not active`)
    return fn
  }
  const out: CustomPrecompile[] = []
  if (atLeast(fork, 'fjord')) out.push({ address: ADDR(0x100), function: p256Verify() })
  if (atLeast(fork, 'granite')) {
    const limit = atLeast(fork, 'karst') ? 57_600 : atLeast(fork, 'jovian') ? 81_984 : 112_687
    out.push({ address: ADDR(0x08), function: limited(get(0x08), limit) })
  }
  if (atLeast(fork, 'isthmus')) {
    const jovian = atLeast(fork, 'jovian')
    out.push({ address: ADDR(0x0c), function: limited(get(0x0c), jovian ? 288_960 : 513_760) })
    out.push({ address: ADDR(0x0e), function: limited(get(0x0e), jovian ? 278_784 : 488_448) })
    out.push({ address: ADDR(0x0f), function: limited(get(0x0f), jovian ? 156_672 : 235_008) })
  }
  return out
}
