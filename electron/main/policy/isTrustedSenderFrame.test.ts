import { describe, expect, it } from 'vitest'
import { isTrustedSenderFrame } from './isTrustedSenderFrame'

const main = { processId: 4, routingId: 1, url: 'app://escape-hatch/index.html' }

describe('isTrustedSenderFrame', () => {
  it('accepts only the window main frame showing our page', () => {
    expect(isTrustedSenderFrame({ ...main, url: 'app://escape-hatch/index.html#/jobs/a' }, main)).toBe(true)
    expect(isTrustedSenderFrame(null, main)).toBe(false)
    expect(isTrustedSenderFrame(undefined, main)).toBe(false)
    expect(isTrustedSenderFrame({ ...main, routingId: 2 }, main)).toBe(false) // a subframe
    expect(isTrustedSenderFrame({ ...main, processId: 5 }, main)).toBe(false) // another renderer process
    expect(isTrustedSenderFrame({ ...main, url: 'https://evil.example/' }, main)).toBe(false) // navigated away
    expect(isTrustedSenderFrame({ ...main, detached: true }, main)).toBe(false)
  })
})
