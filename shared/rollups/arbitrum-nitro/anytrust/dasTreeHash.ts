/**
 * The AnyTrust data hash (nitro daprovider/anytrust/tree/tree.go): the data is cut into 64 KiB bins, each leaf is
 * keccak(0xfe ‖ keccak(bin)), pairs are keccak(0xff ‖ left ‖ right ‖ uint32be(size under them)) with an odd one
 * carried up, and the root's first (most significant) bit is flipped. The SequencerInbox computes the same hash for a
 * keyset (`keccak(0xfe ‖ keccak(keysetBytes)) ^ (1 << 255)`, one leaf), so this is also the keyset hash.
 */
import { bytesToHex, concatBytes, hexToBytes, keccak256, type Hex } from 'viem'

export const DAS_BIN_SIZE = 64 * 1024
const LEAF = 0xfe
const NODE = 0xff

function keccakBytes(data: Uint8Array): Uint8Array {
  return keccak256(data, 'bytes')
}

function flipFirstBit(hash: Uint8Array): Hex {
  const out = hash.slice()
  out[0] = (out[0] as number) ^ 0x80
  return bytesToHex(out)
}

export function dasTreeHash(data: Uint8Array): Hex {
  if (data.length === 0) return flipFirstBit(keccakBytes(concatBytes([Uint8Array.of(LEAF), keccakBytes(new Uint8Array())])))
  let layer: { hash: Uint8Array; size: number }[] = []
  for (let start = 0; start < data.length; start += DAS_BIN_SIZE) {
    const bin = data.subarray(start, Math.min(start + DAS_BIN_SIZE, data.length))
    layer.push({ hash: keccakBytes(concatBytes([Uint8Array.of(LEAF), keccakBytes(bin)])), size: bin.length })
  }
  while (layer.length > 1) {
    const next: typeof layer = []
    for (let i = 0; i + 1 < layer.length; i += 2) {
      const size = layer[i]!.size + layer[i + 1]!.size
      const sizeBytes = new Uint8Array(4)
      new DataView(sizeBytes.buffer).setUint32(0, size)
      next.push({ hash: keccakBytes(concatBytes([Uint8Array.of(NODE), layer[i]!.hash, layer[i + 1]!.hash, sizeBytes])), size })
    }
    if (layer.length % 2 === 1) next.push(layer[layer.length - 1]!)
    layer = next
  }
  return flipFirstBit(layer[0]!.hash)
}

/** A version-0 certificate's flat keccak hash as the single-leaf tree hash DAS servers also index it by (tree.FlatHashToTreeHash). */
export function flatHashToTreeHash(flat: Hex): Hex {
  return flipFirstBit(keccakBytes(concatBytes([Uint8Array.of(LEAF), hexToBytes(flat)])))
}
