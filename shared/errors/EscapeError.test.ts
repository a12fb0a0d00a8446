import { describe, expect, it } from 'vitest'
import { EscapeError, deserializeError, registerErrorClass, serializeError, toEscapeError, oneLine } from './EscapeError'

class OutputRootMismatchError extends EscapeError {
  override name = 'OutputRootMismatchError'
}
registerErrorClass('OutputRootMismatchError', OutputRootMismatchError)

describe('EscapeError', () => {
  it('composes message from shortMessage, steps and details', () => {
    const e = new EscapeError('The output root on L1 does not match.', { steps: ['Try another L2 RPC.'], details: 'block 123' })
    expect(e.message).toBe('The output root on L1 does not match.\n\n- Try another L2 RPC.\n\nDetails: block 123')
    expect(e.kind).toBe('critical')
  })

  it('round-trips through serialization as the registered subclass, with its cause chain', () => {
    const e = new OutputRootMismatchError('Roots differ.', { steps: ['Rebuild from L1.'], kind: 'user-action', cause: new TypeError('inner') })
    const wire = JSON.parse(JSON.stringify(serializeError(e)))
    const back = deserializeError(wire)
    expect(back).toBeInstanceOf(OutputRootMismatchError)
    expect(back).toBeInstanceOf(EscapeError)
    expect(back.name).toBe('OutputRootMismatchError')
    expect(back.shortMessage).toBe('Roots differ.')
    expect(back.steps).toEqual(['Rebuild from L1.'])
    expect(back.kind).toBe('user-action')
    expect((back.cause as EscapeError).shortMessage).toBe('inner')
  })

  it('unknown names rehydrate as EscapeError and keep the name', () => {
    const back = deserializeError({ name: 'SomethingNew', shortMessage: 'x', steps: [], kind: 'temporary' })
    expect(back).toBeInstanceOf(EscapeError)
    expect(back.name).toBe('SomethingNew')
  })

  it('wraps foreign errors and non-errors', () => {
    const wrapped = toEscapeError(new Error('socket hang up'), 'The L1 RPC did not answer.', { steps: ['Check the URL.'], kind: 'temporary' })
    expect(oneLine(wrapped)).toBe('The L1 RPC did not answer. Next: Check the URL.')
    expect(serializeError(42).shortMessage).toBe('42')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(serializeError(cyclic).name).toBe('NonError')
  })

  it('bounds cause chains', () => {
    let e: unknown = new Error('root')
    for (let i = 0; i < 50; i++) e = new EscapeError(`level ${i}`, { cause: e })
    let depth = 0
    for (let s = serializeError(e); s.cause; s = s.cause) depth++
    expect(depth).toBeLessThanOrEqual(8)
  })
})
