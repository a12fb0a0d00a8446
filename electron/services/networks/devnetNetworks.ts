/**
 * The running devnet's networks: `escape-hatch devnet up` writes one network file per stack it runs
 * (`<data dir>/devnet/networks/devnet-op.json`, `devnet-arbitrum.json`, with the serving process's pid). They are
 * listed only while that process runs; the files of a devnet that died without cleaning up are ignored, with a note.
 */
import { join } from 'node:path'
import { DEVNET_NETWORK_IDS, type NetworkEntry } from '../../../shared/networks/networkEntry'
import { MAX_NETWORK_FILE_BYTES, parseNetworkFile } from '../../../shared/networks/networkFile'
import { isDevnetServerAlive } from './processLiveness'
import { readUserTextFile } from '../files/readUserFile'

/** The folder of the devnet's network files, inside the devnet state folder (`<data dir>/devnet`). */
export const DEVNET_NETWORKS_FOLDER = 'networks'

export function devnetNetworksDir(dataDir: string): string {
  return join(dataDir, 'devnet', DEVNET_NETWORKS_FOLDER)
}

export function devnetNetworkFile(dataDir: string, id: string): string {
  return join(devnetNetworksDir(dataDir), `${id}.json`)
}

export type DevnetNetworkReading =
  | { id: string; status: 'running'; entry: NetworkEntry }
  | { id: string; status: 'absent' }
  /** A file is there but cannot be used: its devnet is gone, or it is not a valid devnet network file. */
  | { id: string; status: 'ignored'; note: string }

export async function readDevnetNetwork(dataDir: string, id: string, isAlive: (pid: number) => boolean = isDevnetServerAlive): Promise<DevnetNetworkReading> {
  const path = devnetNetworkFile(dataDir, id)
  let text: string
  try {
    text = await readUserTextFile(path, { what: 'network file', maxBytes: MAX_NETWORK_FILE_BYTES })
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') return { id, status: 'absent' }
    return { id, status: 'ignored', note: `${path} was ignored: ${(error as Error).message.split('\n')[0]}` }
  }
  try {
    const { entry, devnet } = parseNetworkFile(text, path)
    if (!devnet || entry.id !== id) return { id, status: 'ignored', note: `${path} was ignored: it is not the devnet's own ${id} network file.` }
    if (!isAlive(devnet.pid)) {
      return { id, status: 'ignored', note: `${id} was ignored: the devnet that wrote it (pid ${devnet.pid}, started ${devnet.startedAt}) is no longer running. Start one with \`escape-hatch devnet up\`.` }
    }
    return { id, status: 'running', entry }
  } catch (error) {
    return { id, status: 'ignored', note: `${path} was ignored: ${(error as Error).message.split('\n')[0]}` }
  }
}

/** Both devnet networks, in a fixed order (OP, then Arbitrum). */
export async function readDevnetNetworks(dataDir: string, isAlive?: (pid: number) => boolean): Promise<DevnetNetworkReading[]> {
  return Promise.all(Object.values(DEVNET_NETWORK_IDS).map((id) => readDevnetNetwork(dataDir, id, isAlive)))
}
