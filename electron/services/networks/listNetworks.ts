/** Every network one can name by id right now (what `escape-hatch networks` prints). */
import { builtInNetworks } from '../../../shared/networks/builtInNetworks'
import type { NetworkEntry } from '../../../shared/networks/networkEntry'
import { readDevnetNetworks } from './devnetNetworks'

export interface NetworkListing {
  networks: NetworkEntry[]
  /** Devnet files that were ignored, and why. */
  notes: string[]
}

/** The built-in networks, then the running devnet's. */
export async function listNetworks(dataDir: string): Promise<NetworkListing> {
  const devnet = await readDevnetNetworks(dataDir)
  return {
    networks: [...builtInNetworks(), ...devnet.flatMap((r) => (r.status === 'running' ? [r.entry] : []))],
    notes: devnet.flatMap((r) => (r.status === 'ignored' ? [r.note] : [])),
  }
}
