import { describe, expect, it } from 'vitest'
import { builtInNetwork } from '../../../../shared/networks/builtInNetworks'
import type { OpStackNetworkEntry } from '../../../../shared/networks/networkEntry'
import { opEscapeBaseStep, opEscapeNetworkEntry, opEscapeNetworkParam, opEscapeParamsSchema, opEscapeStepName, opEscapeTitle, type OpEscapeParams } from './opEscapeJob'

const account = '0x00000000000000000000000000000000000000a1'
const token = (n: number) => `0x${n.toString(16).padStart(40, '0')}`

function params(assets: OpEscapeParams['assets']): unknown {
  return { network: { id: 'op-mainnet', name: 'OP Mainnet' }, account, signerPath: "m/44'/60'/0'/0/0", destination: account, assets, source: { kind: 'l2-node' } }
}

describe('op-escape job parameters', () => {
  it('takes ETH and several tokens, but one ETH amount and each L2 token once', () => {
    expect(opEscapeParamsSchema.safeParse(params([{ kind: 'eth', amountWei: '1' }, { kind: 'erc20', l1Token: token(1), l2Token: token(2), amountWei: '5' }])).success).toBe(true)
    expect(opEscapeParamsSchema.safeParse(params([{ kind: 'eth', amountWei: '1' }, { kind: 'eth', amountWei: '2' }])).success).toBe(false)
    const twice = { kind: 'erc20', l1Token: token(1), l2Token: token(10), amountWei: '5' } as const
    expect(opEscapeParamsSchema.safeParse(params([twice, { ...twice, l2Token: `0x${token(10).slice(2).toUpperCase()}` }])).success).toBe(false)
    expect(opEscapeParamsSchema.safeParse(params([])).success).toBe(false)
    expect(opEscapeParamsSchema.safeParse(params([{ kind: 'eth', amountWei: '0' }])).success).toBe(false)
  })

  it('saves a built-in network by id and any other with its network file, which a resume reads back', () => {
    const op = builtInNetwork('op-mainnet') as OpStackNetworkEntry
    expect(opEscapeNetworkParam(op)).toEqual({ id: 'op-mainnet', name: 'OP Mainnet' })
    expect(opEscapeNetworkEntry({ id: 'op-mainnet', name: 'OP Mainnet' })).toBe(op)
    const custom: OpStackNetworkEntry = { ...op, id: 'my-chain', name: 'My chain', source: 'file' }
    const saved = opEscapeNetworkParam(custom)
    expect(saved.file).toBeDefined()
    const back = opEscapeNetworkEntry(JSON.parse(JSON.stringify(saved)))
    expect(back.rollupConfig.l2ChainId).toBe(10)
    expect(back.l1Addresses.optimismPortal).toBe(op.l1Addresses.optimismPortal)
  })

  it('names proof-round steps per round and titles the job with every asset', () => {
    expect(opEscapeStepName('prove', 1)).toBe('prove')
    expect(opEscapeStepName('prove', 2)).toBe('prove#2')
    expect(opEscapeBaseStep('wait-game#3')).toBe('wait-game')
    expect(opEscapeBaseStep('execute-withdrawal')).toBeUndefined()
    expect(opEscapeTitle({ name: 'OP Mainnet' }, [{ kind: 'eth', amountWei: '1500000000000000000' }, { kind: 'erc20', l1Token: token(1), l2Token: token(2), amountWei: '2000000000000000000', symbol: 'USDC' }])).toBe('Get 1.5 ETH and 2 USDC out of OP Mainnet')
  })
})
