/**
 * L1 blob base fee from a header's excessBlobGas (EIP-4844 `fake_exponential`), with the update fraction of the L1
 * fork active at the block's timestamp: Cancun, Prague/Osaka (EIP-7691) and the BPO forks (EIP-7892).
 * Fork times and fractions: go-ethereum params/config.go (MainnetChainConfig, SepoliaChainConfig, Default*BlobConfig).
 */
export const MIN_BLOB_BASE_FEE = 1n

export interface BlobScheduleEntry {
  /** L1 timestamp from which this update fraction applies. */
  time: number
  updateFraction: bigint
  name: string
}

export const CANCUN_UPDATE_FRACTION = 3_338_477n
export const PRAGUE_UPDATE_FRACTION = 5_007_716n
export const BPO1_UPDATE_FRACTION = 8_346_193n
export const BPO2_UPDATE_FRACTION = 11_684_671n

/** Known L1 blob schedules by chain id, oldest first. */
export const L1_BLOB_SCHEDULES: Readonly<Record<number, readonly BlobScheduleEntry[]>> = {
  1: [
    { name: 'cancun', time: 1710338135, updateFraction: CANCUN_UPDATE_FRACTION },
    { name: 'prague', time: 1746612311, updateFraction: PRAGUE_UPDATE_FRACTION },
    { name: 'osaka', time: 1764798551, updateFraction: PRAGUE_UPDATE_FRACTION },
    { name: 'bpo1', time: 1765290071, updateFraction: BPO1_UPDATE_FRACTION },
    { name: 'bpo2', time: 1767747671, updateFraction: BPO2_UPDATE_FRACTION },
  ],
  11155111: [
    { name: 'cancun', time: 1706655072, updateFraction: CANCUN_UPDATE_FRACTION },
    { name: 'prague', time: 1741159776, updateFraction: PRAGUE_UPDATE_FRACTION },
    { name: 'osaka', time: 1760427360, updateFraction: PRAGUE_UPDATE_FRACTION },
    { name: 'bpo1', time: 1761017184, updateFraction: BPO1_UPDATE_FRACTION },
    { name: 'bpo2', time: 1761607008, updateFraction: BPO2_UPDATE_FRACTION },
  ],
  // anvil (the embedded devnet's L1) runs Prague or later from genesis; Osaka keeps Prague's fraction. No BPO forks.
  31337: [{ name: 'prague', time: 0, updateFraction: PRAGUE_UPDATE_FRACTION }],
}

/** The update fraction at `l1Timestamp`, or undefined before Cancun. */
export function blobUpdateFraction(schedule: readonly BlobScheduleEntry[], l1Timestamp: number): bigint | undefined {
  let fraction: bigint | undefined
  for (const e of schedule) if (l1Timestamp >= e.time) fraction = e.updateFraction
  return fraction
}

/** EIP-4844 fake_exponential(factor, numerator, denominator). */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n
  let output = 0n
  let accum = factor * denominator
  while (accum > 0n) {
    output += accum
    accum = (accum * numerator) / (denominator * i)
    i += 1n
  }
  return output / denominator
}

export function blobBaseFee(excessBlobGas: bigint, updateFraction: bigint): bigint {
  return fakeExponential(MIN_BLOB_BASE_FEE, excessBlobGas, updateFraction)
}
