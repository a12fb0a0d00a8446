import { describe, expect, it } from 'vitest'
import { checkCustomDerivationPath, derivationPathSchema, formatDerivationPath, HARDENED_OFFSET, legacyPath, ledgerLivePath, normalizeDerivationPath, parseDerivationPath, presetPaths } from './derivationPaths'

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

describe('checkCustomDerivationPath (the Ledger screen’s custom path)', () => {
  it('accepts Ethereum paths in any usual spelling, canonical form back', () => {
    expect(checkCustomDerivationPath(" m/44'/60'/0'/0/6 ")).toEqual({ ok: true, path: "44'/60'/0'/0/6" })
    expect(checkCustomDerivationPath('44h/60H/2h/0/0')).toEqual({ ok: true, path: "44'/60'/2'/0/0" })
  })

  it('warns, but accepts, a path outside 44\'/60\'', () => {
    const other = checkCustomDerivationPath("44'/61'/0'/0/0")
    expect(other).toMatchObject({ ok: true, path: "44'/61'/0'/0/0" })
    expect(other.ok && other.warning).toMatch(/does not start with 44'\/60'/)
  })

  it('refuses in plain words what is not a path', () => {
    const problem = (input: string) => {
      const r = checkCustomDerivationPath(input)
      return r.ok ? undefined : r.problem
    }
    expect(problem('')).toBe("Type a derivation path like 44'/60'/0'/0/0.")
    expect(problem('m/')).toBe("Type a derivation path like 44'/60'/0'/0/0.")
    expect(problem("44'/60'/x/0")).toBe('"x" is not a level of a path. A path is numbers separated by "/", each followed by \' when hardened, like 44\'/60\'/0\'/0/0.')
    expect(problem("44''/60'")).toMatch(/^"44''" is not a level/)
    expect(problem('2147483648/0/0')).toMatch(/^"2147483648" is not a level/)
    expect(problem('1/2/3/4/5/6/7/8/9/10/11')).toBe('A path has at most 10 levels; this one has 11.')
    expect(problem("44'/60'")).toMatch(/too short for an account/)
    expect(problem('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toMatch(/is not a level of a path/)
  })
})
