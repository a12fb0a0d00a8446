import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { EscapeError, deserializeError, serializeError } from '../../../shared/errors/EscapeError'
import { IpcInvalidPayloadError } from '../../../shared/ipc/errors'
import { ErrorPanel } from './ErrorPanel'

afterEach(cleanup)

describe('ErrorPanel', () => {
  it('shows the short message and the steps, with details folded away', () => {
    const error = new EscapeError('The output root on L1 does not match the L2 node.', {
      kind: 'critical',
      steps: ['Try another L2 RPC.', 'Or rebuild from L1.'],
      details: 'block 123',
      cause: new TypeError('socket hang up'),
    })
    let dismissed = 0
    render(<ErrorPanel error={error} context="Checking the withdrawal" onDismiss={() => dismissed++} />)
    const panel = screen.getByRole('alert', { name: 'The output root on L1 does not match the L2 node.' })
    expect(panel.textContent).toContain('Stopped · Checking the withdrawal')
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Try another L2 RPC.', 'Or rebuild from L1.'])
    const details = panel.querySelector('details')!
    expect(details.open).toBe(false)
    expect(details.querySelector('pre')!.textContent).toBe(
      'EscapeError: The output root on L1 does not match the L2 node.\n  block 123\nCaused by: TypeError: socket hang up',
    )
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(dismissed).toBe(1)
  })

  it('shows a re-hydrated error the same way, and is not an alert when it is a recorded past failure', () => {
    const error = deserializeError(serializeError(new IpcInvalidPayloadError('jobs:get', 'request', ['jobId: expected a job id'])))
    render(<ErrorPanel error={error} live={false} level={2} />)
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('The app received a malformed request and refused it.')
    expect(screen.getByRole('region').querySelector('pre')!.textContent).toContain('IpcInvalidPayloadError: The app received a malformed request and refused it.\n  Channel: jobs:get (request)\n  jobId: expected a job id')
  })
})
