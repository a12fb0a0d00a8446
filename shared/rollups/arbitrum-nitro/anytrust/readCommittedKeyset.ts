/**
 * The committee keyset a certificate names, as committed on L1 (issue 16 item 3). The SequencerInbox records valid
 * keysets (`setValidKeyset` emits SetValidKeyset(keysetHash, keysetBytes) and stores its creation block) and refuses a
 * DAS batch whose keyset is not valid when it is posted. Here: the keyset must be valid at the batch's L1 block, its
 * bytes are taken from the SetValidKeyset log of its creation block and must hash (dasTreeHash) to the keyset hash,
 * and the certificate's signers must be enough for it (fewer non-signers than assumedHonest).
 *
 * Given the certificate's signature (and where it came from), the committee's aggregated BLS signature is verified
 * against that keyset too (verifyDasSignature): ArbOS ignores a batch whose signature does not verify, so such a
 * certificate, or one with too few signers, is refused naming its source.
 */
import { hexToBytes, type Hex } from 'viem'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import type { DasCertificate } from '../derive/sequencerMessage'
import { ArbUntrustedDataError } from '../errors'
import type { ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'
import { decodeDasKeyset, enoughSigners, type DasKeyset } from './dasKeyset'
import { dasTreeHash } from './dasTreeHash'
import { verifyDasSignature } from './verifyDasSignature'

export interface CommittedKeyset {
  keysetHash: Hex
  keyset: DasKeyset
  /** L1 block of the SetValidKeyset that committed it. */
  creationBlock: bigint
  /** Whether the certificate's signers mask is enough for this keyset. */
  enoughSigners: boolean
  /** 'verified' when the certificate's signed fields and signature were given and hold (otherwise this throws). */
  signature: 'verified' | 'not-given'
}

export async function readCommittedKeyset(
  l1: ArbL1Client,
  network: ArbitrumNetwork,
  cert: Pick<DasCertificate, 'keysetHash' | 'signersMask'> & Partial<Pick<DasCertificate, 'dataHash' | 'timeout' | 'version' | 'signature'>>,
  batchL1Block: bigint,
  /** Where the certificate came from (named when its signature is refused). */
  source = 'this batch',
): Promise<CommittedKeyset> {
  const address = network.contracts.sequencerInbox
  const valid = await l1.readContract({ address, abi: sequencerInboxAbi, functionName: 'isValidKeysetHash', args: [cert.keysetHash], blockNumber: batchL1Block })
  if (!valid) {
    throw new ArbUntrustedDataError(`The certificate names keyset ${cert.keysetHash}, which the ${network.name} SequencerInbox does not hold valid at L1 block ${batchL1Block}.`, {
      steps: ['Check that the batch and the network match; the SequencerInbox refuses DAS batches with an unknown keyset.'],
    })
  }
  const creationBlock = await l1.readContract({ address, abi: sequencerInboxAbi, functionName: 'getKeysetCreationBlock', args: [cert.keysetHash], blockNumber: batchL1Block })
  const logs = await l1.getLogs({ address, event: setValidKeysetEvent, args: { keysetHash: cert.keysetHash }, fromBlock: creationBlock, toBlock: creationBlock })
  const bytes = logs.map((l) => l.args.keysetBytes).find((b): b is Hex => b !== undefined && dasTreeHash(hexToBytes(b)).toLowerCase() === cert.keysetHash.toLowerCase())
  if (bytes === undefined) {
    throw new ArbUntrustedDataError(`No SetValidKeyset log at L1 block ${creationBlock} carries keyset ${cert.keysetHash}.`, {
      steps: ['Your L1 endpoints may be missing logs; try another L1 endpoint.'],
    })
  }
  const keyset = decodeDasKeyset(hexToBytes(bytes))
  if (!keyset) throw new ArbUntrustedDataError(`Keyset ${cert.keysetHash} committed on L1 does not decode as a committee keyset.`)
  const { dataHash, timeout, version, signature } = cert
  const checkable = dataHash !== undefined && timeout !== undefined && version !== undefined && signature !== undefined
  if (checkable) {
    verifyDasSignature({ certificate: { keysetHash: cert.keysetHash, signersMask: cert.signersMask, dataHash, timeout, version, signature }, keyset, source })
  }
  return { keysetHash: cert.keysetHash, keyset, creationBlock, enoughSigners: enoughSigners(keyset, cert.signersMask), signature: checkable ? 'verified' : 'not-given' }
}

const setValidKeysetEvent = sequencerInboxAbi.find((i) => i.type === 'event' && i.name === 'SetValidKeyset') as Extract<(typeof sequencerInboxAbi)[number], { type: 'event'; name: 'SetValidKeyset' }>
