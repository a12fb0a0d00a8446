import { describe, expect, it } from 'vitest'
import { builtInNetwork } from '../../../shared/networks/builtInNetworks'
import type { NetworkEntry } from '../../../shared/networks/networkEntry'
import { toNetworkOption } from './networkOptions'

const network = (id: string): NetworkEntry => {
  const entry = builtInNetwork(id)
  if (!entry) throw new Error(`no built-in network ${id}`)
  return entry
}

describe('toNetworkOption (the wizard’s network list, from the registry’s support facts)', () => {
  it('offers the OP Stack escape on standard OP chains', () => {
    for (const id of ['op-mainnet', 'op-sepolia']) {
      const option = toNetworkOption(network(id))
      expect(option).toMatchObject({ stack: 'op-stack', escape: { available: true } })
      expect(option.escape.says).toMatch(/Prove against a dispute game/)
    }
  })

  it('lists Base with its plain "not supported for proving" fact, never as available', () => {
    const base = toNetworkOption(network('base'))
    expect(base.escape.available).toBe(false)
    expect(base.escape.says).toContain('Proving and finalizing on Base are not supported.')
  })

  it('keeps Arbitrum chains available as before', () => {
    expect(toNetworkOption(network('arbitrum-one')).escape.available).toBe(true)
  })
})
