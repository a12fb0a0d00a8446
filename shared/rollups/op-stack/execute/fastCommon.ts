/**
 * A Common whose `isActivatedEIP` answers from a Set instead of `Array.includes` over the ~60 activated EIPs.
 *
 * @ethereumjs/evm asks it several times per opcode (EIP-6800/7864 checks in every `runStep`, two more in every PUSH):
 * about 3% of the executor's CPU on real OP blocks went to that linear scan. The answer is the same by construction:
 * the Set is rebuilt whenever Common replaces its activated-EIP list (a hardfork or EIP change assigns a new array).
 */
import type { Common } from '@ethereumjs/common'

export function useFastEipLookup(common: Common): void {
  const internal = common as unknown as { _activatedEIPsCache?: unknown }
  // Unknown library shape: leave the upstream method (slower, same answers).
  if (!Array.isArray(internal._activatedEIPsCache)) return
  let source = internal._activatedEIPsCache as number[]
  let active = new Set(source)
  common.isActivatedEIP = (eip: number): boolean => {
    const current = internal._activatedEIPsCache as number[]
    if (current !== source) {
      source = current
      active = new Set(current)
    }
    return active.has(eip)
  }
}
