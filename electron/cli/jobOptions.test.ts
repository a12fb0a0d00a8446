// The CLI's wording of the engine's signer guards: what `arb escape`, `jobs resume` and `jobs bump-fee` print.
import { describe, expect, it } from 'vitest'
import { EscapeError } from '../../shared/errors/EscapeError'
import { ARBITRUM_ONE } from '../../shared/rollups/arbitrum-nitro/networks'
import { UsageError } from './command'
import { checkJobSignerForNetwork } from './jobOptions'

const mainnet = ARBITRUM_ONE
const devnet = { ...mainnet, l1ChainId: 31337, l2ChainId: 412346 }

function thrown(f: () => void): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

describe('checkJobSignerForNetwork', () => {
  it('a drill key missing a chain of the escape is a usage error naming the flag to add', () => {
    const error = thrown(() => checkJobSignerForNetwork('drill-key', devnet, {}))
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).message).toBe('the drill key signs only for the devnet chain ids it is given; this escape signs on chains 31337 and 412346: add --devnet-chain-id 412346')
    expect(thrown(() => checkJobSignerForNetwork('drill-key', devnet, { 'devnet-chain-id': ['31337', '412346'] }))).toBeUndefined()
    expect(thrown(() => checkJobSignerForNetwork('drill-key', devnet, { 'allow-any-chain': true }))).toBeUndefined()
  })

  it('a drill signer on a network settling on Ethereum mainnet is refused, pointing at --signer ledger or file', () => {
    const error = thrown(() => checkJobSignerForNetwork('soft-ledger', mainnet, {}))
    expect(error).toBeInstanceOf(EscapeError)
    expect(error).not.toBeInstanceOf(UsageError)
    expect((error as EscapeError).shortMessage).toBe('The Software Ledger (drills and tests) is for drills; it is refused on a network settling on Ethereum mainnet.')
    expect((error as EscapeError).steps).toEqual(['Use your Ledger (--signer ledger) or an air-gapped machine (--signer file).'])
    expect(thrown(() => checkJobSignerForNetwork('ledger', mainnet, {}))).toBeUndefined()
  })
})
