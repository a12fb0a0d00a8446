/**
 * The trusted start of a mid-chain derivation, read from L1: the AnchorStateRegistry's anchor root or a finalized
 * dispute game (shared readL1Anchor.ts), with every contract read pinned to one L1 block (the `finalized` head
 * unless a block is given) and sent to *every* L1 endpoint through the L1 gateway; answers must be identical
 * (DESIGN.md: L1 is trusted as far as the user's endpoints agree).
 */
import { BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError, type Address, type PublicClient } from 'viem'
import type { L1BlockHeader, L1Source } from '../../../shared/l1/L1Source'
import { DerivationStartError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { readAnchorRoot, readFinalizedGameRoot, type L1Anchor, type L1ContractReader } from '../../../shared/rollups/op-stack/derive/start/readL1Anchor'
import { openL1Gateway, type L1Gateway } from '../l1/openL1Gateway'

export interface ReadStartAnchorParameters {
  rpcUrls: readonly string[]
  /** Header source agreed by all endpoints (createViemL1Source). */
  l1: Pick<L1Source, 'getHeader'>
  portal: Address
  start: { kind: 'anchor' } | { kind: 'game'; game: Address }
  /** Pin to this L1 block instead of the finalized head (tests, reproducing a support case). */
  atL1Block?: number
  /** The rollup's L1 chain: every endpoint must be on it. */
  l1ChainId: number
}

export interface StartAnchorReading {
  anchor: L1Anchor
  l1Block: { number: number; hash: string; timestamp: number }
}

/** Contract reads at one block, sent to every endpoint and compared (the gateway's readContract). */
export function createPinnedL1Reader(gateway: Pick<L1Gateway, 'readContract'>, blockNumber: bigint): L1ContractReader {
  return {
    async read(call) {
      return gateway.readContract({ ...call, blockNumber } as Parameters<PublicClient['readContract']>[0])
    },
    isRevert(error) {
      return error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ContractFunctionZeroDataError) !== null
    },
  }
}

export async function readStartAnchor(p: ReadStartAnchorParameters): Promise<StartAnchorReading> {
  const header: L1BlockHeader = await p.l1.getHeader(p.atL1Block ?? 'finalized')
  const reader = createPinnedL1Reader(await openL1Gateway({ urls: p.rpcUrls, l1ChainId: p.l1ChainId, label: "the rollup's L1" }), BigInt(header.number))
  let anchor: L1Anchor
  try {
    anchor = p.start.kind === 'anchor' ? await readAnchorRoot(reader, p.portal) : await readFinalizedGameRoot(reader, { portal: p.portal, game: p.start.game, l1Timestamp: header.timestamp })
  } catch (e) {
    // A revert the shared reader did not expect: the portal (or what it points to) is not the contract this rollup
    // config describes at that block — wrong config, an L1 node that is not synced, or contracts not yet finalized.
    if (!reader.isRevert(e)) throw e
    throw new DerivationStartError(`The rollup's L1 contracts (portal ${p.portal}) did not answer as expected at L1 block ${header.number}.`, {
      kind: 'user-action',
      steps: [
        'Check that the rollup config (or --network) is the chain you mean and that your L1 endpoints are on its L1 and synced.',
        'If the chain was deployed very recently, wait until its contracts are in a finalized L1 block.',
        'Or start from the rollup genesis, which reads no anchor.',
      ],
      details: e instanceof BaseError ? e.shortMessage : String(e),
      cause: e,
    })
  }
  return { anchor, l1Block: { number: header.number, hash: header.hash, timestamp: header.timestamp } }
}
