import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

/** A network the user named cannot be used: unknown id, unreadable or invalid network file, wrong stack. */
export class NetworkConfigError extends EscapeError {
  override name = 'NetworkConfigError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'user-action', steps: ['Run `escape-hatch networks` to see the networks by id, or give a network file (an OP rollup.json, an Arbitrum Orbit/SDK JSON or an escape-hatch network file).'], ...options })
  }
}
registerErrorClass('NetworkConfigError', NetworkConfigError)
