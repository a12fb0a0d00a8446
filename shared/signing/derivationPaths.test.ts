import { describe, expect, it } from 'vitest'
import { derivationPathSchema, formatDerivationPath, HARDENED_OFFSET, legacyPath, ledgerLivePath, normalizeDerivationPath, parseDerivationPath, presetPaths } from './derivationPaths'

describe('derivation paths', () => {
  it('builds the Ledger Live and legacy presets', () => {
    expect(ledgerLivePath(0)).toBe("44'/60'/0'/0/0")
    expect(ledgerLivePath(4)).toBe("44'/60'/4'/0/0")
    expect(legacyPath(4)).toBe("44'/60'/0'/4")
    expect(presetPaths('legacy', 2, 2)).toEqual(["44'/60'/0'/2", "44'/60'/0'/3"])
    expect(() => ledgerLivePath(-1)).toThrow(RangeError)
    expect(() => ledgerLivePath(HARDENED_OFFSET)).toThrow(RangeError)
  })

  it('parses, formats and normalises custom paths', () => {
    expect(parseDerivationPath("m/44'/60'/0'/0/1")).toEqual([44 + HARDENED_OFFSET, 60 + HARDENED_OFFSET, HARDENED_OFFSET, 0, 1])
    expect(formatDerivationPath(parseDerivationPath('44h/60H/1h/0/0'))).toBe("44'/60'/1'/0/0")
    expect(normalizeDerivationPath(' m/44h/60h/0h/0/0 ')).toBe("44'/60'/0'/0/0")
    for (const bad of ['', 'm/', "44'/60'/x", "44''/60", '2147483648/0', '1/2/3/4/5/6/7/8/9/10/11', '-1']) expect(() => parseDerivationPath(bad)).toThrow(RangeError)
    expect(derivationPathSchema.parse("m/44h/60h/0h/0")).toBe("44'/60'/0'/0")
    expect(derivationPathSchema.safeParse('../../etc').success).toBe(false)
  })
})
