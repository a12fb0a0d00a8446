/**
 * The network-upgrade transactions (NUTs) of each fork, as EIP-2718 0x7E deposits, in the order op-node appends them
 * after the L1-info deposit and the user deposits of the activation block. Constants (deployers, intents, gas limits,
 * EIP system-contract init code) are from specs/protocol/{ecotone,fjord}/derivation.md §"Network Upgrade Automation
 * Transactions" and op-node rollup/derive/{ecotone,fjord}_upgrade_transactions.go (final versions); the contract
 * creation code is generated from npm artifacts (upgrades/PROVENANCE.md).
 *
 * Forks whose deployments exist in no npm artifact are listed in UPGRADES_NOT_BUILT: their activation block fails
 * loudly (upgradeTransactions.ts) rather than being derived wrong.
 */
import { encodeFunctionData, getContractAddress, type Hex } from 'viem'
import { gasPriceOracleAbi } from '../../../../contracts-abi/op-stack/GasPriceOracle'
import { proxyAbi } from '../../../../contracts-abi/op-stack/Proxy'
import type { OpFork } from '../config/rollupConfig'
import { type Address, upgradeDepositSourceHash } from './deposits'
import { ECOTONE_GAS_PRICE_ORACLE_CREATION_CODE, ECOTONE_L1_BLOCK_CREATION_CODE } from './upgrades/ecotoneBytecode'
import { FJORD_GAS_PRICE_ORACLE_CREATION_CODE } from './upgrades/fjordBytecode'
import { GAS_PRICE_ORACLE, L1_BLOCK } from '../../../eth/predeploys'
import { serializeTxDeposit, type TxDeposit } from '../../../eth/TxDeposit'
import { hexBytes } from '../../../eth/bytes'

/** One upgrade deposit as the spec describes it; the source hash is derived from `intent` (domain 2). */
export interface UpgradeDeposit {
  intent: string
  from: Address
  /** undefined = contract creation */
  to: Address | undefined
  gas: bigint
  data: Hex
}

/** The L1-info depositor, the only caller the GasPriceOracle accepts for setEcotone()/setFjord(). */
export const DEPOSITOR_ACCOUNT: Address = '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001'
const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000'

// Deployers are fresh accounts (nonce 0), so each new implementation's address is CREATE(deployer, 0).
export const ECOTONE_L1_BLOCK_DEPLOYER: Address = '0x4210000000000000000000000000000000000000'
export const ECOTONE_GAS_PRICE_ORACLE_DEPLOYER: Address = '0x4210000000000000000000000000000000000001'
export const FJORD_GAS_PRICE_ORACLE_DEPLOYER: Address = '0x4210000000000000000000000000000000000002'
/** EIP-4788 §"Deployment": the keyless deployer of the beacon roots contract and its init code. */
export const EIP4788_DEPLOYER: Address = '0x0b799c86a49deeb90402691f1041aa3af2d3c875'
export const EIP4788_CREATION_CODE: Hex =
  '0x60618060095f395ff33373fffffffffffffffffffffffffffffffffffffffe14604d57602036146024575f5ffd5b5f35801560495762001fff810690815414603c575f5ffd5b62001fff01545f5260205ff35b5f5ffd5b62001fff42064281555f359062001fff015500'

export function createdAddress(deployer: Address): Address {
  return getContractAddress({ from: deployer, nonce: 0n }).toLowerCase() as Address
}

const upgradeTo = (implementation: Address): Hex => encodeFunctionData({ abi: proxyAbi, functionName: 'upgradeTo', args: [implementation] })

/** ecotone/derivation.md §"Network Upgrade Automation Transactions" (6 deposits). */
export const ECOTONE_UPGRADE_DEPOSITS: readonly UpgradeDeposit[] = [
  { intent: 'Ecotone: L1 Block Deployment', from: ECOTONE_L1_BLOCK_DEPLOYER, to: undefined, gas: 375_000n, data: ECOTONE_L1_BLOCK_CREATION_CODE },
  { intent: 'Ecotone: Gas Price Oracle Deployment', from: ECOTONE_GAS_PRICE_ORACLE_DEPLOYER, to: undefined, gas: 1_000_000n, data: ECOTONE_GAS_PRICE_ORACLE_CREATION_CODE },
  { intent: 'Ecotone: L1 Block Proxy Update', from: ZERO_ADDRESS, to: L1_BLOCK, gas: 50_000n, data: upgradeTo(createdAddress(ECOTONE_L1_BLOCK_DEPLOYER)) },
  { intent: 'Ecotone: Gas Price Oracle Proxy Update', from: ZERO_ADDRESS, to: GAS_PRICE_ORACLE, gas: 50_000n, data: upgradeTo(createdAddress(ECOTONE_GAS_PRICE_ORACLE_DEPLOYER)) },
  { intent: 'Ecotone: Gas Price Oracle Set Ecotone', from: DEPOSITOR_ACCOUNT, to: GAS_PRICE_ORACLE, gas: 80_000n, data: encodeFunctionData({ abi: gasPriceOracleAbi, functionName: 'setEcotone' }) },
  // Gas 0x3d090 as EIP-4788 defines it.
  { intent: 'Ecotone: beacon block roots contract deployment', from: EIP4788_DEPLOYER, to: undefined, gas: 250_000n, data: EIP4788_CREATION_CODE },
]

/** fjord/derivation.md §"Network Upgrade Automation Transactions" (3 deposits; setFjord gas 90,000 in the final spec/op-node). */
export const FJORD_UPGRADE_DEPOSITS: readonly UpgradeDeposit[] = [
  { intent: 'Fjord: Gas Price Oracle Deployment', from: FJORD_GAS_PRICE_ORACLE_DEPLOYER, to: undefined, gas: 1_450_000n, data: FJORD_GAS_PRICE_ORACLE_CREATION_CODE },
  { intent: 'Fjord: Gas Price Oracle Proxy Update', from: ZERO_ADDRESS, to: GAS_PRICE_ORACLE, gas: 50_000n, data: upgradeTo(createdAddress(FJORD_GAS_PRICE_ORACLE_DEPLOYER)) },
  { intent: 'Fjord: Gas Price Oracle Set Fjord', from: DEPOSITOR_ACCOUNT, to: GAS_PRICE_ORACLE, gas: 90_000n, data: encodeFunctionData({ abi: gasPriceOracleAbi, functionName: 'setFjord' }) },
]

/** Upgrade deposits are never system transactions and carry no mint or value. */
export function toDepositTx(d: UpgradeDeposit): TxDeposit {
  return { sourceHash: upgradeDepositSourceHash(d.intent), from: d.from, to: d.to, mint: 0n, value: 0n, gas: d.gas, isSystemTransaction: false, data: hexBytes(d.data) }
}

export const NETWORK_UPGRADE_DEPOSITS: Partial<Record<OpFork, readonly UpgradeDeposit[]>> = {
  ecotone: ECOTONE_UPGRADE_DEPOSITS,
  fjord: FJORD_UPGRADE_DEPOSITS,
}

/** The EIP-2718 bytes of each fork's upgrade transactions (built forks only). */
export const NETWORK_UPGRADE_TXS: Partial<Record<OpFork, () => Uint8Array[]>> = {
  ecotone: () => ECOTONE_UPGRADE_DEPOSITS.map((d) => serializeTxDeposit(toDepositTx(d))),
  fjord: () => FJORD_UPGRADE_DEPOSITS.map((d) => serializeTxDeposit(toDepositTx(d))),
}

export interface UpgradeNotBuilt {
  /** The deployment(s) whose bytecode this app does not have. */
  missing: string
  why: string
}

/** Forks with upgrade transactions this version cannot build exactly, and why (upgrades/PROVENANCE.md). */
export const UPGRADES_NOT_BUILT: Partial<Record<OpFork, UpgradeNotBuilt>> = {
  isthmus: {
    missing: 'the Isthmus L1Block, GasPriceOracle and OperatorFeeVault deployments',
    why: 'their creation bytecode is in no published npm version of @eth-optimism/contracts-bedrock (the last, 0.17.3, predates Isthmus and has no OperatorFeeVault), and this app only deploys bytecode it can trace to an npm artifact matching the spec code hash',
  },
  jovian: {
    missing: 'the Jovian L1Block (1.7.0) and GasPriceOracle (1.6.0) deployments',
    why: 'their creation bytecode is in no published npm version of @eth-optimism/contracts-bedrock (the last is 0.17.3), and this app only deploys bytecode it can trace to an npm artifact matching the spec code hash',
  },
  karst: {
    missing: 'the Karst network-upgrade bundle (karst_nut_bundle.json)',
    why: 'the bundle ships only in the Optimism monorepo, not in any npm package, so its transactions cannot be reproduced here',
  },
}
