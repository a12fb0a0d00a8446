import { describe, expect, it } from 'vitest'
import { buildContentSecurityPolicy } from './contentSecurityPolicy'

describe('content security policy', () => {
  it('is strict by default and pinned', () => {
    expect(buildContentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; " +
        "frame-src 'none'; child-src 'none'; worker-src 'none'; manifest-src 'none'; media-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
    )
  })

  it('never allows inline script, eval or remote origins', () => {
    const csp = buildContentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:4567'] })
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
    expect(csp).toContain('connect-src ws://127.0.0.1:4567;')
  })

  it('admits only a loopback WebSocket as an extra connect source', () => {
    for (const source of ['https://evil.com', 'ws://localhost:1', 'ws://127.0.0.1', "'unsafe-inline'", 'ws://127.0.0.1:1; script-src *']) {
      expect(() => buildContentSecurityPolicy({ connectSrc: [source] }), source).toThrow(/loopback WebSocket/)
    }
  })

  it('leaves frame-ancestors out of the meta-tag copy only', () => {
    expect(buildContentSecurityPolicy({ forMetaTag: true })).not.toContain('frame-ancestors')
  })
})
