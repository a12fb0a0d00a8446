/**
 * The Isthmus and Jovian network-upgrade transactions, described so that a list served by an *untrusted* L2 node can
 * be checked byte for byte (verifyNodeUpgradeTxs.ts). Everything except the contract init code is fixed here (intent →
 * source hash, from, to, gas, calldata, the EIP-2935 init code). A contract deployment's init code is accepted only
 * when it is solc's constructor preamble + runtime code and keccak256(runtime) is the code hash published for it.
 *
 * Sources (final versions; upgrades/PROVENANCE.md has the table):
 * - Isthmus: op-node rollup/derive/isthmus_upgrade_transactions.go; specs/protocol/isthmus/derivation.md; code hashes
 *   from op-e2e/actions/proofs/isthmus_fork_test.go (isthmus{L1Block,GasPriceOracle,OperatorFeeVault}CodeHash, checked
 *   there against a real op-geth) and kona hardforks isthmus.rs `*_CODE_HASH`.
 * - Jovian: op-node rollup/derive/jovian_upgrade_transactions.go (final: 5 txs, gas 447,315 / 1,750,714); code hashes
 *   from kona hardforks jovian.rs `test_jovian_deployment_code_hashes` (deploys the bytes and checks the hash).
 */
import { encodeFunctionData, type Hex } from 'viem'
import { proxyAbi } from '../../../../../contracts-abi/op-stack/Proxy'
import type { OpFork } from '../../config/rollupConfig'
import type { Address } from '../deposits'
import { createdAddress, DEPOSITOR_ACCOUNT } from '../networkUpgradeTxs'
import { OPERATOR_FEE_VAULT, GAS_PRICE_ORACLE, L1_BLOCK } from '../../../../eth/predeploys'

/** What the tx's data must be: exact bytes we compute, or a deployment whose runtime hashes to `codeHash`. */
export type ExpectedUpgradeData = { kind: 'exact'; data: Hex } | { kind: 'deployment'; contract: string; codeHash: Hex }

export interface ExpectedUpgradeTx {
  intent: string
  /** Another spelling of the intent published somewhere (spec vs op-node); a tx carrying it is refused, with a clear message. */
  otherSpelling?: { intent: string; where: string }
  from: Address
  /** undefined = contract creation */
  to: Address | undefined
  gas: bigint
  data: ExpectedUpgradeData
}

export interface VerifiedUpgradeFork {
  fork: OpFork
  txs: readonly ExpectedUpgradeTx[]
}

const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000'

export const ISTHMUS_L1_BLOCK_DEPLOYER: Address = '0x4210000000000000000000000000000000000003'
export const ISTHMUS_GAS_PRICE_ORACLE_DEPLOYER: Address = '0x4210000000000000000000000000000000000004'
export const ISTHMUS_OPERATOR_FEE_VAULT_DEPLOYER: Address = '0x4210000000000000000000000000000000000005'
export const JOVIAN_L1_BLOCK_DEPLOYER: Address = '0x4210000000000000000000000000000000000006'
export const JOVIAN_GAS_PRICE_ORACLE_DEPLOYER: Address = '0x4210000000000000000000000000000000000007'

/** EIP-2935 §"Deployment" (final): the keyless deployer and init code of the history storage contract (→ 0x0000F908…2935). */
export const EIP2935_DEPLOYER: Address = '0x3462413af4609098e1e27a490f554f260213d685'
export const EIP2935_CREATION_CODE: Hex =
  '0x60538060095f395ff33373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500'
/** EIP-2935 / op-service predeploys EIP2935ContractCodeHash. */
export const EIP2935_CODE_HASH: Hex = '0x6e49e66782037c0555897870e29fa5e552daf4719552131a0abce779daec0a5d'

// Runtime code hashes the deployments MUST produce (see file comment for where each is published).
export const ISTHMUS_L1_BLOCK_CODE_HASH: Hex = '0x8e3fe7a416d3e5f3b7be74ddd4e7e58e516fa3f80b67c6d930e3cd7297da4a4b'
export const ISTHMUS_GAS_PRICE_ORACLE_CODE_HASH: Hex = '0x4d195a9d7caf9fb6d4beaf80de252c626c853afd5868c4f4f8d19c9d301c2679'
export const ISTHMUS_OPERATOR_FEE_VAULT_CODE_HASH: Hex = '0x57dc55c9c09ca456fa728f253fe7b895d3e6aae0706104935fe87c7721001971'
export const JOVIAN_L1_BLOCK_CODE_HASH: Hex = '0x5f885ca815d2cf27a203123e50b8ae204fdca910b6995d90b2d7700cbb9240d1'
/** kona jovian.rs; the spec's older draft (monorepo b3299e0d, gas 1,756,783) published 0xa7fd9552…deaf for an earlier GPO. */
export const JOVIAN_GAS_PRICE_ORACLE_CODE_HASH: Hex = '0xe9fc7c96c4db0d6078e3d359d7e8c982c350a513cb2c31121adf5e1e8a446614'

const upgradeTo = (implementation: Address): Hex => encodeFunctionData({ abi: proxyAbi, functionName: 'upgradeTo', args: [implementation] })
const selector = (signature: string): Hex => encodeFunctionData({ abi: [{ type: 'function', name: signature, inputs: [], outputs: [], stateMutability: 'nonpayable' }] as const, functionName: signature })

/** isthmus/derivation.md §"Network upgrade automation transactions"; op-node IsthmusNetworkUpgradeTransactions (8 txs). */
export const ISTHMUS_UPGRADE: VerifiedUpgradeFork = {
  fork: 'isthmus',
  txs: [
    { intent: 'Isthmus: L1 Block Deployment', from: ISTHMUS_L1_BLOCK_DEPLOYER, to: undefined, gas: 425_000n, data: { kind: 'deployment', contract: 'Isthmus L1Block', codeHash: ISTHMUS_L1_BLOCK_CODE_HASH } },
    { intent: 'Isthmus: Gas Price Oracle Deployment', from: ISTHMUS_GAS_PRICE_ORACLE_DEPLOYER, to: undefined, gas: 1_625_000n, data: { kind: 'deployment', contract: 'Isthmus GasPriceOracle', codeHash: ISTHMUS_GAS_PRICE_ORACLE_CODE_HASH } },
    { intent: 'Isthmus: Operator Fee Vault Deployment', from: ISTHMUS_OPERATOR_FEE_VAULT_DEPLOYER, to: undefined, gas: 500_000n, data: { kind: 'deployment', contract: 'Isthmus OperatorFeeVault', codeHash: ISTHMUS_OPERATOR_FEE_VAULT_CODE_HASH } },
    { intent: 'Isthmus: L1 Block Proxy Update', from: ZERO_ADDRESS, to: L1_BLOCK, gas: 50_000n, data: { kind: 'exact', data: upgradeTo(createdAddress(ISTHMUS_L1_BLOCK_DEPLOYER)) } },
    { intent: 'Isthmus: Gas Price Oracle Proxy Update', from: ZERO_ADDRESS, to: GAS_PRICE_ORACLE, gas: 50_000n, data: { kind: 'exact', data: upgradeTo(createdAddress(ISTHMUS_GAS_PRICE_ORACLE_DEPLOYER)) } },
    { intent: 'Isthmus: Operator Fee Vault Proxy Update', from: ZERO_ADDRESS, to: OPERATOR_FEE_VAULT, gas: 50_000n, data: { kind: 'exact', data: upgradeTo(createdAddress(ISTHMUS_OPERATOR_FEE_VAULT_DEPLOYER)) } },
    { intent: 'Isthmus: Gas Price Oracle Set Isthmus', from: DEPOSITOR_ACCOUNT, to: GAS_PRICE_ORACLE, gas: 90_000n, data: { kind: 'exact', data: selector('setIsthmus') } },
    { intent: 'Isthmus: EIP-2935 Contract Deployment', from: EIP2935_DEPLOYER, to: undefined, gas: 250_000n, data: { kind: 'exact', data: EIP2935_CREATION_CODE } },
  ],
}

// op-node (what produced the chain) spells "L1 Block" / "Gas Price Oracle"; the current spec jovian/derivation.md writes
// "L1Block" / "GasPriceOracle" for the first four intents (source hashes 0x98faf23b…, 0x08447273…, 0xd939cca6…, 0x46b597e2…).
const SPEC = 'the current spec (specs/protocol/jovian/derivation.md)'

/** op-node JovianNetworkUpgradeTransactions (final: DA-footprint L1Block + operator-fee-fix GasPriceOracle, 5 txs). */
export const JOVIAN_UPGRADE: VerifiedUpgradeFork = {
  fork: 'jovian',
  txs: [
    { intent: 'Jovian: L1 Block Deployment', otherSpelling: { intent: 'Jovian: L1Block Deployment', where: SPEC }, from: JOVIAN_L1_BLOCK_DEPLOYER, to: undefined, gas: 447_315n, data: { kind: 'deployment', contract: 'Jovian L1Block', codeHash: JOVIAN_L1_BLOCK_CODE_HASH } },
    { intent: 'Jovian: L1 Block Proxy Update', otherSpelling: { intent: 'Jovian: L1Block Proxy Update', where: SPEC }, from: ZERO_ADDRESS, to: L1_BLOCK, gas: 50_000n, data: { kind: 'exact', data: upgradeTo(createdAddress(JOVIAN_L1_BLOCK_DEPLOYER)) } },
    { intent: 'Jovian: Gas Price Oracle Deployment', otherSpelling: { intent: 'Jovian: GasPriceOracle Deployment', where: SPEC }, from: JOVIAN_GAS_PRICE_ORACLE_DEPLOYER, to: undefined, gas: 1_750_714n, data: { kind: 'deployment', contract: 'Jovian GasPriceOracle', codeHash: JOVIAN_GAS_PRICE_ORACLE_CODE_HASH } },
    { intent: 'Jovian: Gas Price Oracle Proxy Update', otherSpelling: { intent: 'Jovian: GasPriceOracle Proxy Update', where: SPEC }, from: ZERO_ADDRESS, to: GAS_PRICE_ORACLE, gas: 50_000n, data: { kind: 'exact', data: upgradeTo(createdAddress(JOVIAN_GAS_PRICE_ORACLE_DEPLOYER)) } },
    { intent: 'Jovian: Gas Price Oracle Set Jovian', from: DEPOSITOR_ACCOUNT, to: GAS_PRICE_ORACLE, gas: 90_000n, data: { kind: 'exact', data: selector('setJovian') } },
  ],
}

export const VERIFIED_UPGRADE_FORKS: Partial<Record<OpFork, VerifiedUpgradeFork>> = { isthmus: ISTHMUS_UPGRADE, jovian: JOVIAN_UPGRADE }
