import { afterEach, describe, expect, it } from 'vitest'
import { guardNavigation, type NavigationBlockedError } from './guardNavigation'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const f of cleanups.splice(0)) f()
  document.body.replaceChildren()
})

function clickLink(attributes: Record<string, string>): { blocked: NavigationBlockedError[]; defaultPrevented: boolean } {
  const blocked: NavigationBlockedError[] = []
  cleanups.push(guardNavigation(document, (e) => blocked.push(e)))
  const a = document.createElement('a')
  for (const [k, v] of Object.entries(attributes)) a.setAttribute(k, v)
  const span = document.createElement('span')
  a.append(span)
  document.body.append(a)
  const event = new MouseEvent('click', { bubbles: true, cancelable: true })
  span.dispatchEvent(event)
  return { blocked, defaultPrevented: event.defaultPrevented }
}

describe('guardNavigation', () => {
  it('lets same-document hash links through', () => {
    expect(clickLink({ href: '#/jobs/arb-escape-1' })).toEqual({ blocked: [], defaultPrevented: false })
  })

  it('blocks links that would load another document, and says which', () => {
    const cases: Record<string, string>[] = [
      { href: 'https://example.com/steal' },
      { href: '/other-page' },
      { href: '?token=other' },
      { href: '#/jobs/x', target: '_blank' },
      { href: '#/jobs/x', download: 'x' },
      { href: 'javascript:alert(1)' },
    ]
    for (const attributes of cases) {
      const { blocked, defaultPrevented } = clickLink(attributes)
      expect(defaultPrevented, JSON.stringify(attributes)).toBe(true)
      expect(blocked).toHaveLength(1)
      expect(blocked[0]!.shortMessage).toBe('Escape Hatch does not open other pages or sites.')
      for (const f of cleanups.splice(0)) f()
    }
    expect(clickLink({ href: 'https://example.com/steal' }).blocked[0]!.details).toBe('Blocked: https://example.com/steal')
  })
})
