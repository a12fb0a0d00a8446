import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../shared/errors/EscapeError'

/** No anvil binary for this platform: the optional npm package was not installed. */
export class AnvilMissingError extends EscapeError {
  override name = 'AnvilMissingError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'user-action', ...options })
  }
}
registerErrorClass('AnvilMissingError', AnvilMissingError)

/** The port asked for is already taken by another process. */
export class AnvilPortInUseError extends EscapeError {
  override name = 'AnvilPortInUseError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'user-action', ...options })
  }
}
registerErrorClass('AnvilPortInUseError', AnvilPortInUseError)

/** anvil did not come up (exited during start, or never answered). */
export class AnvilStartError extends EscapeError {
  override name = 'AnvilStartError'
}
registerErrorClass('AnvilStartError', AnvilStartError)

/** anvil exited while the devnet was in use; names the step that found out. */
export class AnvilCrashedError extends EscapeError {
  override name = 'AnvilCrashedError'
}
registerErrorClass('AnvilCrashedError', AnvilCrashedError)

/** A devnet JSON-RPC call (time travel, mining, snapshot) failed; names the step. */
export class DevnetRpcError extends EscapeError {
  override name = 'DevnetRpcError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'temporary', ...options })
  }
}
registerErrorClass('DevnetRpcError', DevnetRpcError)
