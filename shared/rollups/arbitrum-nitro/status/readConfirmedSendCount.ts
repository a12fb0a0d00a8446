/**
 * How many sends the confirmed state has: the `size` to ask NodeInterface.constructOutboxProof for. It is not on L1
 * (notes §3.4): the assertion commits to the L2 block hash and the sendRoot; the count lives in that block's header
 * (`MixDigest[0:8] = sendCount`, `Extra = sendRoot`, go-ethereum core/types/arb_types.go HeaderInfo). So the header
 * is fetched from the untrusted L2 node by the confirmed block hash, hashed here (keccak of the RLP of the fields the
 * node returned), and used only if that hash is the one confirmed on L1 and its sendRoot is the confirmed sendRoot.
 *
 * A node that does not have the block is "unavailable" (the caller falls back to the send list, which needs no
 * count); a header that does not hash to the confirmed block hash gives an "unverified" count (see the type); a
 * header whose send root differs from the confirmed one is a lie, named loudly.
 */
import { BaseError, BlockNotFoundError, hexToBigInt, type Hex, type PublicClient } from 'viem'
import { z } from 'zod'
import { ArbUntrustedDataError } from '../errors'
import { ZERO_ROOT, type ConfirmedAssertion } from './readConfirmedAssertion'
import { hashHeader, type BlockHeader } from '../../../eth/header'

export type ConfirmedSendCount =
  | { status: 'verified'; sendCount: bigint; l2BlockNumber: bigint | undefined }
  /**
   * The node's header did not hash to the confirmed block hash. That is either a lie or a header field set this
   * version does not know (the exact ArbOS header encoding is not pinned by any offline vector, notes §3.4). The count
   * is then only a hint: the Outbox itself never uses it — it checks the proof against a confirmed root — and so does
   * verifyOutboxProof, so a wrong count can only make the proof fail, never pass. Refusing instead would stop every
   * real user if our encoding were off.
   */
  | { status: 'unverified'; sendCount: bigint; reason: string }
  | { status: 'unavailable'; reason: string }

const hex = (bytes?: number) => z.string().regex(bytes === undefined ? /^0x([0-9a-fA-F]{2})*$/ : new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`)) as z.ZodType<Hex>
const quantity = z.bigint().nonnegative()
const optionalQuantity = z.union([quantity, z.string().regex(/^0x[0-9a-fA-F]{1,64}$/).transform((v) => hexToBigInt(v as Hex))]).nullish()

/** The header fields as viem formats them (the hash covers exactly the optional fields the node returned). */
const headerSchema = z.object({
  parentHash: hex(32),
  sha3Uncles: hex(32),
  miner: hex(20),
  stateRoot: hex(32),
  transactionsRoot: hex(32),
  receiptsRoot: hex(32),
  logsBloom: hex(256),
  difficulty: quantity,
  number: quantity,
  gasLimit: quantity,
  gasUsed: quantity,
  timestamp: quantity,
  extraData: hex().refine((v) => v.length <= 2 + 2 * 1024, 'extraData too long'),
  mixHash: hex(32),
  nonce: hex(8),
  baseFeePerGas: quantity,
  withdrawalsRoot: hex(32).nullish(),
  blobGasUsed: optionalQuantity,
  excessBlobGas: optionalQuantity,
  parentBeaconBlockRoot: hex(32).nullish(),
  requestsHash: hex(32).nullish(),
})

export async function readConfirmedSendCount(
  l2: Pick<PublicClient, 'getBlock'>,
  confirmed: Pick<ConfirmedAssertion, 'l2BlockHash' | 'sendRoot'>,
  source: string,
): Promise<ConfirmedSendCount> {
  // The genesis assertion: no sends (a zero root is no keccak).
  if (confirmed.sendRoot === ZERO_ROOT) return { status: 'verified', sendCount: 0n, l2BlockNumber: undefined }
  let block: unknown
  try {
    block = await l2.getBlock({ blockHash: confirmed.l2BlockHash })
  } catch (error) {
    if (error instanceof BaseError && error.walk((e) => e instanceof BlockNotFoundError)) {
      return { status: 'unavailable', reason: `${source} does not have the confirmed L2 block ${confirmed.l2BlockHash}` }
    }
    throw error
  }
  const parsed = headerSchema.safeParse(block)
  if (!parsed.success) {
    throw new ArbUntrustedDataError(`${source} returned a malformed header for the confirmed L2 block.`, {
      details: `${confirmed.l2BlockHash}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    })
  }
  const h = parsed.data
  const header: BlockHeader = {
    ...h,
    withdrawalsRoot: h.withdrawalsRoot ?? undefined,
    blobGasUsed: h.blobGasUsed ?? undefined,
    excessBlobGas: h.excessBlobGas ?? undefined,
    parentBeaconBlockRoot: h.parentBeaconBlockRoot ?? undefined,
    requestsHash: h.requestsHash ?? undefined,
  }
  let hash: Hex
  try {
    hash = hashHeader(header)
  } catch (cause) {
    throw new ArbUntrustedDataError(`${source} returned a header for the confirmed L2 block that cannot be encoded.`, { cause })
  }
  // Arbitrum HeaderInfo: Extra = sendRoot, MixDigest[0:8] = sendCount.
  if (h.extraData.toLowerCase() !== confirmed.sendRoot.toLowerCase()) {
    throw new ArbUntrustedDataError(`The confirmed L2 block's header carries another send root than the one confirmed on L1.`, {
      details: `header extraData ${h.extraData}, confirmed sendRoot ${confirmed.sendRoot}`,
    })
  }
  const sendCount = hexToBigInt(h.mixHash.slice(0, 18) as Hex)
  if (sendCount === 0n) throw new ArbUntrustedDataError('The confirmed L2 block says it has no sends, but its send root is not zero.', { details: confirmed.l2BlockHash })
  if (hash.toLowerCase() !== confirmed.l2BlockHash.toLowerCase()) {
    return {
      status: 'unverified',
      sendCount,
      reason: `The header ${source} returned for the confirmed L2 block does not hash to the block hash confirmed on L1 (confirmed ${confirmed.l2BlockHash}, header hashes to ${hash})`,
    }
  }
  return { status: 'verified', sendCount, l2BlockNumber: h.number }
}
