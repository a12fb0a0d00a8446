/**
 * What the devnet sequencer reads from its own L1 (anvil): the head, and per L1 block its header and the logs
 * derivation turns into L2 inputs — the portal's TransactionDeposited and the SystemConfig's ConfigUpdate. The devnet
 * trusts its own anvil (like devnetClients); the app never reads L1 through this.
 */
import type { Address, Hex, PublicClient } from 'viem'
import type { L1BlockHeader, L1Log } from '../../../../../shared/l1/L1Source'
import type { EpochData } from '../../../../../shared/rollups/op-stack/derive/buildPayloadAttributes'
import { OpL2SequencerError } from './errors'

export interface L1EpochSource {
  /** The latest L1 block: number and timestamp. */
  head(): Promise<{ number: number; timestamp: number }>
  /** Header and derivation logs of L1 block `number` (undefined when it does not exist yet). */
  epoch(number: number): Promise<EpochData | undefined>
}

export function devnetL1Epochs(client: PublicClient, addresses: { optimismPortal: Address; systemConfig: Address }): L1EpochSource {
  const cache = new Map<number, EpochData>()
  const wrap = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f()
    } catch (cause) {
      throw new OpL2SequencerError(`The devnet L2 sequencer could not read ${what} from its L1.`, { kind: 'temporary', cause })
    }
  }
  return {
    async head() {
      const b = await wrap('the L1 head', () => client.getBlock({ blockTag: 'latest' }))
      return { number: Number(b.number), timestamp: Number(b.timestamp) }
    },
    async epoch(number) {
      const hit = cache.get(number)
      if (hit) return hit
      const block = await wrap(`L1 block ${number}`, async () => {
        try {
          return await client.getBlock({ blockNumber: BigInt(number) })
        } catch (e) {
          if (e instanceof Error && e.name === 'BlockNotFoundError') return undefined
          throw e
        }
      })
      if (!block) return undefined
      const header: L1BlockHeader = {
        number,
        hash: block.hash,
        parentHash: block.parentHash,
        timestamp: Number(block.timestamp),
        baseFeePerGas: block.baseFeePerGas ?? null,
        excessBlobGas: block.excessBlobGas ?? null,
        blobGasUsed: block.blobGasUsed ?? null,
        mixHash: block.mixHash,
        parentBeaconBlockRoot: (block as { parentBeaconBlockRoot?: Hex }).parentBeaconBlockRoot ?? null,
        gasLimit: block.gasLimit,
      }
      const raw = await wrap(`the deposit and config logs of L1 block ${number}`, () => client.getLogs({ blockHash: block.hash, address: [addresses.optimismPortal, addresses.systemConfig] }))
      const logs: L1Log[] = raw.map((l) => ({
        address: l.address,
        topics: [...l.topics] as Hex[],
        data: l.data,
        logIndex: Number(l.logIndex),
        transactionIndex: Number(l.transactionIndex),
        transactionHash: l.transactionHash,
        blockHash: l.blockHash,
        blockNumber: Number(l.blockNumber),
      }))
      const epoch: EpochData = { header, logs }
      cache.set(number, epoch)
      return epoch
    },
  }
}
