/**
 * Errors of the OP Stack withdraw side (forced withdrawal, game choice, prove, resolve, finalize). Each says what the
 * user can do next; a game or a node that does not match what L1 commits to is named.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../errors/EscapeError'

/** The portal or its games are of a kind this version cannot use: said plainly (kind user-action). */
export class OpPortalUnsupportedError extends EscapeError {
  override name = 'OpPortalUnsupportedError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('OpPortalUnsupportedError', OpPortalUnsupportedError)

/**
 * A dispute game whose root claim is not the output root of its L2 block as checked by `source` (the app's own
 * rebuild, or an untrusted L2 node checked against its own header and proofs). The game is refused before anything
 * is signed; another game is used, or one is created.
 */
export class GameRootClaimRefusedError extends EscapeError {
  override name = 'GameRootClaimRefusedError'
  readonly game: `0x${string}`
  constructor(p: { game: `0x${string}`; gameIndex: bigint; l2BlockNumber: bigint; rootClaim: string; expected?: string; source: string; why?: string; cause?: unknown }) {
    super(`Dispute game #${p.gameIndex} (${p.game}) claims an output root for L2 block ${p.l2BlockNumber} that ${p.source} does not confirm; the game is not used.`, {
      kind: 'critical',
      steps: [
        'Nothing was signed. The app tries another game, or offers to create one with the output root it checked.',
        'If the game is wrong, honest challengers should counter it before its clock runs out; a proof against it would be lost.',
        'If you think your source is wrong instead, check it with another L2 node or rebuild the chain from L1.',
      ],
      details: `root claim ${p.rootClaim}${p.expected ? `, ${p.source} gives ${p.expected}` : ''}${p.why ? `; ${p.why}` : ''}`,
      cause: p.cause,
    })
    this.game = p.game
  }
}
registerErrorClass('GameRootClaimRefusedError', GameRootClaimRefusedError)

/** No registered, respected, valid game covers the withdrawal's L2 block (within the bounded search). */
export class NoUsableGameError extends EscapeError {
  override name = 'NoUsableGameError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('NoUsableGameError', NoUsableGameError)

/** A forced-withdrawal request the portal would refuse (checked before building). */
export class ForcedWithdrawalInputError extends EscapeError {
  override name = 'ForcedWithdrawalInputError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('ForcedWithdrawalInputError', ForcedWithdrawalInputError)
