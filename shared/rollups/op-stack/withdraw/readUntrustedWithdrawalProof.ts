/**
 * The withdrawal's storage proof from an untrusted L2 node: eth_getProof(L2ToL1MessagePasser, [slot], block) at the
 * block whose output root was already checked (checkGameRootClaim), rebuilt into OptimismPortal form (every node its
 * own element, the embedded leaf included: notes §3 pitfall) and verified against the checked message-passer storage
 * root. A proof that does not verify names the node.
 */
import { keccak256, type Hex } from 'viem'
import { z } from 'zod'
import { hexBytes, toHex } from '../../../eth/bytes'
import type { OutputRootProof } from '../common/computeOutputRoot'
import { UntrustedL2DataError } from '../derive/start/errors'
import { buildWithdrawalProof, computeWithdrawalStorageSlot, WithdrawalProofError } from '../proof/withdrawalProof'

/** eth_getProof's storage part for one slot of the message passer, at the block with this hash. */
export interface WithdrawalStorageProofSource {
  readonly label: string
  messagePasserStorageProof(slot: Hex, blockHash: Hex): Promise<{ storageHash: Hex; proof: Hex[] }>
}

const hexBytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/)
const rpcStorageProofSchema = z.object({
  storageHash: hexBytes32,
  storageProof: z.array(z.object({ key: z.string().max(66), proof: z.array(z.string().regex(/^0x([0-9a-fA-F]{2}){1,1024}$/)).max(64) })).length(1),
})

/** eth_getProof's answer (untrusted JSON) → the storage hash and the one slot's proof nodes; shape-checked and bounded. */
export function parseRpcStorageProof(json: unknown, node: string): { storageHash: Hex; proof: Hex[] } {
  const r = rpcStorageProofSchema.safeParse(json)
  if (!r.success) throw new UntrustedL2DataError('malformed', 'The L2 node sent a storage proof that is not valid eth_getProof output.', { node, details: r.error.message.slice(0, 500) })
  return { storageHash: r.data.storageHash.toLowerCase() as Hex, proof: (r.data.storageProof[0]?.proof ?? []) as Hex[] }
}

export async function readUntrustedWithdrawalProof(p: { l2: WithdrawalStorageProofSource; withdrawalHash: Hex; outputRootProof: OutputRootProof }): Promise<Hex[]> {
  const { l2, outputRootProof } = p
  const slot = computeWithdrawalStorageSlot(p.withdrawalHash)
  const answer = await l2.messagePasserStorageProof(slot, outputRootProof.latestBlockhash)
  if (answer.storageHash.toLowerCase() !== outputRootProof.messagePasserStorageRoot.toLowerCase()) {
    throw new UntrustedL2DataError('account-proof', 'The L2 node’s message-passer storage root is not the one in the checked output root.', {
      node: l2.label,
      details: `node says ${answer.storageHash}, output root has ${outputRootProof.messagePasserStorageRoot}`,
    })
  }
  const nodes = new Map(answer.proof.slice(0, 64).map((n) => [keccak256(n), hexBytes(n)]))
  try {
    return buildWithdrawalProof({ withdrawalHash: p.withdrawalHash, messagePasserStorageRoot: outputRootProof.messagePasserStorageRoot, getNode: (h) => nodes.get(toHex(h)) })
  } catch (e) {
    if (e instanceof WithdrawalProofError || (e instanceof Error && e.name === 'TrieProofError')) {
      throw new UntrustedL2DataError('account-proof', `The L2 node’s storage proof for withdrawal ${p.withdrawalHash} does not verify under the checked storage root.`, { node: l2.label, details: (e as Error).message.slice(0, 500), cause: e })
    }
    throw e
  }
}
