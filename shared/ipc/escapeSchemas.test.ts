import { describe, expect, it } from 'vitest'
import { DiagnoseRequestSchema, parseUserAddress, PreviewEscapeRequestSchema } from './escapeSchemas'

const USER = '0x976EA74026E726554dB657fA54763abd0C3a0aa9'

describe('parseUserAddress (the destination rule of the app and the CLI)', () => {
  it('accepts a checksummed address, and an all-lower-case one (shown back checksummed)', () => {
    expect(parseUserAddress(USER)).toEqual({ ok: true, address: USER })
    expect(parseUserAddress(USER.toLowerCase())).toEqual({ ok: true, address: USER })
  })
  it('refuses a mixed-case address whose checksum is wrong, and a malformed one, in plain words', () => {
    expect(parseUserAddress(USER.replace('EA7', 'Ea7'))).toMatchObject({ ok: false, problem: expect.stringContaining('wrong checksum') })
    expect(parseUserAddress('0x1234')).toMatchObject({ ok: false, problem: 'An address is 0x followed by 40 hexadecimal characters (0-9, a-f).' })
  })
})

describe('escape request schemas', () => {
  const base = { network: { id: 'devnet-arbitrum' }, l1Urls: ['https://eth.example/v3/key'], signer: 'soft-ledger', amountEth: '1.5', destination: USER }
  it('take amounts as ETH text with at most 18 decimals, and only http(s) RPC URLs', () => {
    expect(PreviewEscapeRequestSchema.safeParse(base).success).toBe(true)
    expect(PreviewEscapeRequestSchema.safeParse({ ...base, amountEth: '1.0000000000000000001' }).success).toBe(false)
    expect(PreviewEscapeRequestSchema.safeParse({ ...base, l1Urls: ['file:///etc/passwd'] }).success).toBe(false)
    expect(PreviewEscapeRequestSchema.safeParse({ ...base, destination: USER.replace('EA7', 'Ea7') }).success).toBe(false)
    expect(PreviewEscapeRequestSchema.safeParse({ ...base, network: { id: 'devnet-arbitrum', file: '/x.json' } }).success).toBe(false)
  })
  it('diagnose only an address or a 32-byte hash: a private key (64 hex + more) or a phrase is refused', () => {
    const d = { network: { id: 'arbitrum-one' }, l1Urls: ['https://eth.example'] }
    expect(DiagnoseRequestSchema.safeParse({ ...d, query: USER }).success).toBe(true)
    expect(DiagnoseRequestSchema.safeParse({ ...d, query: `0x${'ab'.repeat(32)}` }).success).toBe(true)
    expect(DiagnoseRequestSchema.safeParse({ ...d, query: 'test test test test test test test test test test test junk' }).success).toBe(false)
  })
})
