/**
 * The devnet L2's genesis: the alloc (buildDevnetL2Alloc: real predeploys, initialised), written as an op-geth
 * genesis.json, and its block, state and output root computed by the project's own buildGenesis — the same function
 * derivation uses for any chain — so the rollup.json's genesis hash and the AnchorStateRegistry's starting anchor are
 * what a full rebuild recomputes.
 *
 * Forks: the devnet L2 runs Bedrock through Holocene from genesis, NOT Isthmus/Jovian. The npm L1Block (0.17.3,
 * version 1.4.1-beta.1) has `setL1BlockValuesEcotone` but no Isthmus/Jovian setter: with those forks active every
 * L1-info deposit would revert and the L1 fee parameters would never be set. No traceable Isthmus/Jovian bytecode is
 * available offline (derive/upgradeTransactions.ts says the same), so the devnet stops at the last fork its real
 * contracts support. Output roots, withdrawals and proofs are the same in Holocene and Jovian.
 */
import { bytesToHex, getAddress, type Address, type Hex } from 'viem'
import { devnetRollupConfig, type OpDevnetDescription } from '../../../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import type { RollupConfig } from '../../../../../shared/rollups/op-stack/config/rollupConfig'
import { encodeFeeExtraData } from '../../../../../shared/rollups/op-stack/common/feeExtraData'
import { computeOutputRoot } from '../../../../../shared/rollups/op-stack/common/computeOutputRoot'
import { buildGenesis } from '../../../../../shared/rollups/op-stack/genesis/buildGenesis'
import { parseGenesis, type Genesis } from '../../../../../shared/rollups/op-stack/genesis/parseGenesis'
import type { BlockHeader } from '../../../../../shared/eth/header'
import { buildDevnetL2Alloc, type DevnetL2AllocParameters } from './buildDevnetL2Alloc'

/** Forks the devnet L2 runs (see the module comment). */
export const DEVNET_L2_LAST_FORK = 'holocene'

const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`

export interface DevnetL2GenesisParameters extends DevnetL2AllocParameters {
  deployment: OpDevnetDescription
  /** The L1 block derivation starts at (SystemConfig.startBlock); the L2 genesis time is its timestamp. */
  l1Start: { number: number; hash: Hex; timestamp: bigint }
  /** L2 block gas limit (the SystemConfig's). */
  gasLimit: bigint
  seqWindowSize?: number
}

export interface DevnetL2Genesis {
  /** op-geth genesis.json (what `genesis.json` holds). */
  json: Record<string, unknown>
  genesis: Genesis
  rollupConfig: RollupConfig
  header: BlockHeader
  blockHash: Hex
  stateRoot: Hex
  messagePasserStorageRoot: Hex
  outputRoot: Hex
  l2Token: Address
  /** Every trie node and contract code of the genesis state, by hash (seeds the chain's state store). */
  nodes: Map<Hex, Uint8Array>
}

/** devnetRollupConfig with the forks after DEVNET_L2_LAST_FORK unscheduled. */
export function devnetL2RollupConfig(deployment: OpDevnetDescription, genesis: { l1: { hash: Hex; number: number }; l2: { hash: Hex; number: number }; l2Time: number }, seqWindowSize?: number): RollupConfig {
  const c = devnetRollupConfig(deployment, genesis, seqWindowSize === undefined ? {} : { seqWindowSize })
  return { ...c, forks: { ...c.forks, isthmus: undefined, jovian: undefined, karst: undefined } }
}

export async function buildDevnetL2Genesis(p: DevnetL2GenesisParameters): Promise<DevnetL2Genesis> {
  const alloc = await buildDevnetL2Alloc(p)
  const l2Time = Number(p.l1Start.timestamp)
  const provisional = devnetL2RollupConfig(p.deployment, { l1: { hash: p.l1Start.hash, number: p.l1Start.number }, l2: { hash: ZERO_HASH, number: 0 }, l2Time }, p.seqWindowSize)
  const json: Record<string, unknown> = {
    config: {
      chainId: p.l2ChainId,
      // For readers: the schedule the rollup.json carries (times are L2 timestamps; all forks from genesis).
      optimism: { lastFork: DEVNET_L2_LAST_FORK, eip1559Elasticity: provisional.eip1559?.elasticity, eip1559DenominatorCanyon: provisional.eip1559?.denominatorCanyon },
    },
    nonce: '0x0',
    timestamp: `0x${p.l1Start.timestamp.toString(16)}`,
    extraData: encodeFeeExtraData(provisional, l2Time, undefined, undefined),
    gasLimit: `0x${p.gasLimit.toString(16)}`,
    difficulty: '0x0',
    mixHash: ZERO_HASH,
    coinbase: '0x4200000000000000000000000000000000000011',
    number: '0x0',
    gasUsed: '0x0',
    parentHash: ZERO_HASH,
    baseFeePerGas: '0x3b9aca00',
    alloc: Object.fromEntries(
      [...alloc.accounts].map(([address, a]) => [
        address,
        {
          ...(a.balance > 0n ? { balance: `0x${a.balance.toString(16)}` } : {}),
          ...(a.nonce > 0n ? { nonce: `0x${a.nonce.toString(16)}` } : {}),
          ...(a.code !== '0x' ? { code: a.code } : {}),
          ...(Object.keys(a.storage).length > 0 ? { storage: a.storage } : {}),
        },
      ]),
    ),
  }
  const genesis = parseGenesis(json)
  const nodes = new Map<Hex, Uint8Array>()
  const built = buildGenesis({ genesis, config: provisional, onNode: (h, n) => nodes.set(bytesToHex(h), n), onCode: (h, c) => nodes.set(bytesToHex(h), c) })
  const rollupConfig = devnetL2RollupConfig(p.deployment, { l1: { hash: p.l1Start.hash, number: p.l1Start.number }, l2: { hash: built.blockHash, number: 0 }, l2Time }, p.seqWindowSize)
  const outputRoot = computeOutputRoot({ stateRoot: built.stateRoot, messagePasserStorageRoot: built.messagePasserStorageRoot, latestBlockhash: built.blockHash })
  return {
    json,
    genesis,
    rollupConfig,
    header: { ...built.header, hash: built.blockHash },
    blockHash: built.blockHash,
    stateRoot: built.stateRoot,
    messagePasserStorageRoot: built.messagePasserStorageRoot,
    outputRoot,
    l2Token: getAddress(alloc.l2Token),
    nodes,
  }
}
