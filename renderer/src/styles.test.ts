/** The focus ring must stand out: at least 3:1 against every background it is drawn on (WCAG 2.2, 1.4.11). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const css = readFileSync(join(__dirname, 'styles.css'), 'utf8')
const variable = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css)?.[1]

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

describe('focus ring', () => {
  it('is at least 3:1 against the page, the cards and the dark header', () => {
    const focus = variable('focus')!
    const header = /\.app-header\s*{[^}]*background:\s*(#[0-9a-fA-F]{6})/.exec(css)![1]!
    for (const background of [variable('bg')!, variable('surface')!, header]) expect(contrast(focus, background)).toBeGreaterThanOrEqual(3)
  })
})
