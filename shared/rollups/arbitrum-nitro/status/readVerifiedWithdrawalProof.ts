/**
 * A verified Outbox proof for one withdrawal, fetched the cheapest way the untrusted L2 node allows, with the same
 * trust either way: the proof, applied to the send hash recomputed from the withdrawal's own fields, must reach the
 * sendRoot of the confirmed assertion on L1 (verifyOutboxProof). Nothing the node says is used before that.
 *
 * Preferred: NodeInterface.constructOutboxProof(size, leaf) (notes §3.5) with size = the sendCount of the confirmed L2
 * block (its header checked against the confirmed block hash, readConfirmedSendCount). That is one header and one
 * eth_call whatever the chain's size. The alternative, the full send list (every L2ToL1Tx log since L2 block 0,
 * verifySendList), is hundreds of thousands of logs on Arbitrum One, and public RPCs rate-limit eth_getLogs.
 *
 * Fallback: the full send list, when the node cannot serve NodeInterface (no eth_call, an Orbit chain's RPC that
 * blocks it, a non-Nitro node, a node without the log archive) or does not have the confirmed block's header. It
 * needs no sendCount (it scans prefixes for the confirmed root) and ends in the same verifyOutboxProof gate.
 */
import type { Hex } from 'viem'
import { ArbUntrustedDataError } from '../errors'
import type { ArbL2Client } from '../l1Client'
import { buildSendTree } from '../proof/buildSendTree'
import { calculateSendHash, type L2ToL1Send } from '../proof/calculateSendHash'
import { verifyOutboxProof, type VerifiedOutboxProof } from '../proof/verifyOutboxProof'
import { verifySendList, type VerifiedSendList } from '../proof/verifySendList'
import { ZERO_ROOT, type ConfirmedAssertion } from './readConfirmedAssertion'
import { readConfirmedSendCount } from './readConfirmedSendCount'
import { readL2Sends } from './readL2Sends'
import { readNodeInterfaceProof } from './readNodeInterfaceProof'

export type WithdrawalProofMethod = 'node-interface' | 'send-list'

export interface ReadVerifiedWithdrawalProofParameters {
  l2: ArbL2Client
  /** The withdrawal as the L2 node reported it (the L2ToL1Tx log of the user's own transaction). Untrusted. */
  send: L2ToL1Send & { position: bigint }
  /** The confirmed assertion; its block hash is needed only when `size` is not given. */
  confirmed: Pick<ConfirmedAssertion, 'sendRoot'> & { l2BlockHash?: Hex | undefined }
  /** The confirmed sendCount when it is already a fact (journaled from a verified read); otherwise read from the header. */
  size?: bigint
  /** How the L2 node is named in errors. */
  source: string
  /** The node's full send list, verified; pass a memoised one when proving several withdrawals. Default: read it now. */
  readVerifiedSendList?: () => Promise<VerifiedSendList>
  onProgress?: (message: string) => void
}

export type VerifiedWithdrawalProof =
  | ({ status: 'proven'; method: WithdrawalProofMethod; size: bigint; fallbackReason: string | undefined } & VerifiedOutboxProof)
  /** The withdrawal is not under the confirmed root (yet): `size` sends are (a fact, from a verified header or list). */
  | { status: 'not-confirmed-yet'; method: WithdrawalProofMethod; size: bigint }

export async function readVerifiedWithdrawalProof(params: ReadVerifiedWithdrawalProofParameters): Promise<VerifiedWithdrawalProof> {
  const { l2, send, confirmed, source } = params
  const index = send.position
  if (confirmed.sendRoot === ZERO_ROOT) return { status: 'not-confirmed-yet', method: 'node-interface', size: 0n }

  let size = params.size
  // A size from a header that hashed to the confirmed block (or journaled from one) is a fact; one the node merely
  // reports is a hint: the proof is checked against the confirmed root either way, but a hint never decides that a
  // withdrawal is "not confirmed yet".
  let sizeIsFact = size !== undefined
  let fallbackReason: string | undefined
  if (size === undefined && confirmed.l2BlockHash === undefined) fallbackReason = 'The confirmed L2 block is not known'
  else if (size === undefined && confirmed.l2BlockHash !== undefined) {
    const count = await readConfirmedSendCount(l2, { sendRoot: confirmed.sendRoot, l2BlockHash: confirmed.l2BlockHash }, source)
    if (count.status === 'verified') {
      size = count.sendCount
      sizeIsFact = true
    } else if (count.status === 'unverified') {
      size = count.sendCount
      params.onProgress?.(`${count.reason}; using the send count ${source} reports (${count.sendCount}) — the proof is still checked against the send root confirmed on L1.`)
    } else fallbackReason = count.reason
  }
  if (size !== undefined) {
    if (index >= size && sizeIsFact) return { status: 'not-confirmed-yet', method: 'node-interface', size }
    if (index >= size) fallbackReason = `${source} reports only ${size} confirmed withdrawals, and that count could not be checked`
    else {
      const answer = await readNodeInterfaceProof(l2, { size, leaf: index, source })
      if (answer.status === 'answered') {
        const proven = verifyOutboxProof({ send, index, size, answer, confirmedSendRoot: confirmed.sendRoot, source })
        return { status: 'proven', method: 'node-interface', size, fallbackReason: undefined, ...proven }
      }
      fallbackReason = answer.reason
    }
  }

  params.onProgress?.(`${fallbackReason}; reading the full list of withdrawals instead (slow on a large chain).`)
  const verified = await (params.readVerifiedSendList ?? (async () => verifySendList({ sends: await readL2Sends(l2), confirmedSendRoot: confirmed.sendRoot, source })))()
  if (size !== undefined && sizeIsFact && verified.size !== size) {
    throw new ArbUntrustedDataError(`The send list of ${source} matches the confirmed root at ${verified.size} sends, but the confirmed block says ${size}.`)
  }
  if (index >= verified.size) return { status: 'not-confirmed-yet', method: 'send-list', size: verified.size }
  const listed = verified.sends[Number(index)]
  const sendHash = calculateSendHash(send)
  if (!listed || listed.sendHash !== sendHash) {
    throw new ArbUntrustedDataError(`${source} lists another withdrawal at position ${index} than the one in your transaction's receipt.`, {
      details: `listed ${listed?.sendHash}, receipt ${sendHash}`,
    })
  }
  const tree = buildSendTree(verified.sends.map((s) => s.sendHash), index)
  const proven = verifyOutboxProof({
    send,
    index,
    size: verified.size,
    answer: { send: listed.sendHash, root: tree.root, proof: tree.proof ?? [] },
    confirmedSendRoot: confirmed.sendRoot,
    source,
  })
  return { status: 'proven', method: 'send-list', size: verified.size, fallbackReason, ...proven }
}
