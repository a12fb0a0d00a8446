/**
 * Errors raised by the IPC boundary itself (not by the handlers behind it). They live in shared/ so that both sides
 * register them: the router serialises them by name, the renderer re-hydrates them as the same classes.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

/** A request named a channel the contract does not have. */
export class IpcUnknownChannelError extends EscapeError {
  override name = 'IpcUnknownChannelError'
  constructor(channel: string, options: Omit<EscapeErrorOptions, 'steps' | 'kind'> = {}) {
    super('The app received a request for an action it does not have.', {
      ...options,
      kind: 'critical',
      steps: [
        'Restart Escape Hatch. If this keeps happening, the window may be running code that is not part of this app: reinstall it from the official release.',
      ],
      details: `Unknown channel: ${printable(channel)}`,
    })
  }
}
registerErrorClass('IpcUnknownChannelError', IpcUnknownChannelError)

/** A request or event payload did not match its schema. `issues` is the schema's list, one line per issue. */
export class IpcInvalidPayloadError extends EscapeError {
  override name = 'IpcInvalidPayloadError'
  constructor(channel: string, direction: 'request' | 'response' | 'event', issues: readonly string[], options: Omit<EscapeErrorOptions, 'steps' | 'kind' | 'details'> = {}) {
    super(
      direction === 'request'
        ? 'The app received a malformed request and refused it.'
        : `The app received a malformed ${direction} and did not use it.`,
      {
        ...options,
        kind: 'critical',
        steps: [
          'Nothing was changed. Go back and try again.',
          'If this keeps happening, restart Escape Hatch and report the details below.',
        ],
        details: [`Channel: ${printable(channel)} (${direction})`, ...issues].join('\n'),
      },
    )
  }
}
registerErrorClass('IpcInvalidPayloadError', IpcInvalidPayloadError)

/** The sender is not our own app page (another frame, a foreign origin, or a connection without the run's token). */
export class IpcUntrustedSenderError extends EscapeError {
  override name = 'IpcUntrustedSenderError'
  constructor(options: Omit<EscapeErrorOptions, 'steps' | 'kind'> = {}) {
    super('The request did not come from the Escape Hatch window, so it was refused.', {
      ...options,
      kind: 'critical',
      steps: ['Use the Escape Hatch window itself. If you opened a link or another page, close it and restart the app.'],
    })
  }
}
registerErrorClass('IpcUntrustedSenderError', IpcUntrustedSenderError)

/** The channel to the app service is gone (the bridge process stopped, or the window is closing). */
export class IpcDisconnectedError extends EscapeError {
  override name = 'IpcDisconnectedError'
  constructor(options: Omit<EscapeErrorOptions, 'steps' | 'kind'> = {}) {
    super('The window lost its connection to the Escape Hatch service.', {
      ...options,
      kind: 'temporary',
      steps: ['Restart Escape Hatch. Your jobs are saved on disk and continue where they stopped.'],
    })
  }
}
registerErrorClass('IpcDisconnectedError', IpcDisconnectedError)

/** Channel names come from the other side: show them, but never let them flood a message. */
function printable(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?')
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean
}
