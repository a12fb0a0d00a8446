import { describe, expect, it } from 'vitest'
import { toFunctionSelector, toEventSelector, type Abi, type AbiEvent, type AbiFunction } from 'viem'
import { bridgeAbi, inboxAbi, outboxAbi, rollupAbi, sequencerInboxAbi, wethAbi } from './nitroAbis'
import { readNitroArtifact } from './readNitroArtifact'

function selectors(abi: Abi): Set<string> {
  const out = new Set<string>()
  for (const item of abi) {
    if (item.type === 'function') out.add(`f:${item.name}:${toFunctionSelector(item as AbiFunction)}`)
    if (item.type === 'event') out.add(`e:${item.name}:${toEventSelector(item as AbiEvent)}`)
  }
  return out
}

describe('devnet ABI fragments match the nitro-contracts 3.2.0 artifacts', () => {
  const cases: [string, Abi, string, string][] = [
    ['SequencerInbox', sequencerInboxAbi, 'bridge/SequencerInbox.sol', 'SequencerInbox'],
    ['Bridge', bridgeAbi, 'bridge/Bridge.sol', 'Bridge'],
    ['Inbox', inboxAbi, 'bridge/Inbox.sol', 'Inbox'],
    ['RollupUserLogic', rollupAbi, 'rollup/RollupUserLogic.sol', 'RollupUserLogic'],
    ['Outbox', outboxAbi, 'bridge/Outbox.sol', 'Outbox'],
    ['TestWETH9', wethAbi, 'mocks/TestWETH9.sol', 'TestWETH9'],
  ]
  for (const [name, fragment, source, contract] of cases) {
    it(name, () => {
      const real = selectors(readNitroArtifact(source, contract).abi)
      for (const s of selectors(fragment)) expect(real.has(s), `${name} ${s}`).toBe(true)
    })
  }
})
