import { describe, expect, it } from 'vitest'
import { ARBITRUM_ONE } from '../../../../shared/rollups/arbitrum-nitro/networks'
import { arbitrumEscapeParamsSchema, arbitrumEscapeTitle, escapeLegs, legStepName } from './arbitrumEscapeJob'

const TOKEN = '0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' as const
const OTHER = '0x6B175474E89094C44Da98b954EedeAC495271d0F' as const

describe('the multi-asset Arbitrum escape job (issue 16)', () => {
  it('orders its legs ETH first, then the tokens as given; leg 0 keeps the plain step names', () => {
    const legs = escapeLegs({ amountWei: '1000', tokens: [{ l1Token: TOKEN, amount: '5', decimals: 6, symbol: 'USDC' }, { l1Token: OTHER, amount: '7', decimals: 18 }] })
    expect(legs.map((l) => [l.index, l.kind, l.amount])).toEqual([[0, 'eth', 1000n], [1, 'erc20', 5n], [2, 'erc20', 7n]])
    expect(escapeLegs({ amountWei: '0', tokens: [{ l1Token: TOKEN, amount: '5', decimals: 6 }] }).map((l) => [l.index, l.kind])).toEqual([[0, 'erc20']])
    expect([legStepName('sign-l2-tx', 0), legStepName('execute-withdrawal', 2)]).toEqual(['sign-l2-tx', 'execute-withdrawal#2'])
  })

  it('refuses a job that takes nothing out, and a token listed twice', () => {
    expect(() => escapeLegs({ amountWei: '0' })).toThrow(/takes nothing out/)
    expect(() => escapeLegs({ amountWei: '0', tokens: [] })).toThrow(/takes nothing out/)
    expect(() => escapeLegs({ amountWei: '1', tokens: [{ l1Token: TOKEN, amount: '1', decimals: 6 }, { l1Token: TOKEN.toLowerCase() as `0x${string}`, amount: '2', decimals: 6 }] })).toThrow(/listed twice/)
  })

  it('reads the journaled params of jobs from before tokens existed unchanged, and titles a mixed job with every asset', () => {
    const old = { network: ARBITRUM_ONE, account: OTHER, signerPath: "44'/60'/0'/0/0", destination: OTHER, amountWei: '1500000000000000000' }
    expect(arbitrumEscapeParamsSchema.parse(old).tokens).toBeUndefined()
    expect(arbitrumEscapeParamsSchema.safeParse({ ...old, tokens: [{ l1Token: TOKEN, amount: '0', decimals: 6 }] }).success).toBe(false)
    expect(arbitrumEscapeTitle(ARBITRUM_ONE, old.amountWei, [{ l1Token: TOKEN, amount: '2500000', decimals: 6, symbol: 'USDC' }])).toBe('Get 1.5 ETH and 2.5 USDC out of Arbitrum One')
    expect(arbitrumEscapeTitle(ARBITRUM_ONE, '0', [{ l1Token: TOKEN, amount: '1', decimals: 0 }])).toBe(`Get 1 ${TOKEN} out of Arbitrum One`)
  })
})
