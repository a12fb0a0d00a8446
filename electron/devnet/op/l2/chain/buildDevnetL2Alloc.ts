/**
 * The devnet L2's genesis alloc, built the way the OP monorepo's L2Genesis.s.sol builds a real chain's: the predeploy
 * contracts are the REAL ones (`@eth-optimism/contracts-bedrock` 0.17.3 creation code, constructors run), placed
 * behind ERC-1967 `Proxy`s at the 0x4200… predeploy addresses with implementations at 0xc0d3…, and initialised by
 * running their own `initialize(...)` through the proxy. Nothing is written by hand into contract storage: every slot
 * is what the contracts' code wrote, read back from the EVM after the run.
 *
 * Why proxies (and not the code directly at 0x4200…): that is how every OP Stack chain's genesis looks, so storage
 * layouts, the EIP-1967 slots and the delegatecall paths a withdrawal proof or a witness walks are the real ones.
 * The L2 ProxyAdmin at 0x…0018 is the one exception: it holds its code directly (owner = the devnet owner), as the
 * admin of every proxy; nothing on the escape path goes through it.
 *
 * Wiring (what makes the bridge and the messenger work end to end):
 * - L2CrossDomainMessenger.initialize(L1CrossDomainMessenger) → otherMessenger = the devnet's L1 messenger;
 * - L2StandardBridge.initialize(L1StandardBridge) → otherBridge = the devnet's L1 bridge (messenger is the predeploy);
 * - OptimismMintableERC20Factory.initialize(L2StandardBridge);
 * - GasPriceOracle.setEcotone() and setFjord() from the depositor account (the forks are active from genesis);
 * - L1Block is left empty: the first block's L1-info deposit fills it, as on every chain;
 * - fee vaults with the devnet owner as recipient (withdrawal network L1);
 * - the EIP-4788 beacon-roots contract, deployed by its keyless deployer (Ecotone is active from genesis);
 * - one OptimismMintableERC20, created by the factory for the devnet's L1 token: balances come only from real
 *   deposits through the L1StandardBridge (so the L1 bridge's `deposits` accounting matches and withdrawals finalise).
 */
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { SimpleStateManager } from '@ethereumjs/statemanager'
import { Account, Address as EjsAddress, bigIntToBytes, setLengthLeft } from '@ethereumjs/util'
import { bytesToHex, encodeAbiParameters, encodeDeployData, encodeFunctionData, getAddress, hexToBytes, type Abi, type Address, type Hex } from 'viem'
import { gasPriceOracleAbi } from '../../../../../contracts-abi/op-stack/GasPriceOracle'
import { l2CrossDomainMessengerAbi } from '../../../../../contracts-abi/op-stack/L2CrossDomainMessenger'
import { l2StandardBridgeAbi } from '../../../../../contracts-abi/op-stack/L2StandardBridge'
import { optimismMintableERC20FactoryAbi } from '../../../../../contracts-abi/op-stack/OptimismMintableERC20Factory'
import { proxyAbi } from '../../../../../contracts-abi/op-stack/Proxy'
import { proxyAdminAbi } from '../../../../../contracts-abi/op-stack/ProxyAdmin'
import { createdAddress, DEPOSITOR_ACCOUNT, EIP4788_CREATION_CODE, EIP4788_DEPLOYER } from '../../../../../shared/rollups/op-stack/derive/networkUpgradeTxs'
import { readBedrockArtifact } from '../../readBedrockArtifact'
import { OpL2GenesisError } from './errors'
import { L2_PREDEPLOYS, implementationAddress } from './predeployAddresses'

export interface DevnetL2AllocParameters {
  l2ChainId: number
  /** Owner of the L2 ProxyAdmin and recipient of the fee vaults. */
  owner: Address
  l1: {
    l1StandardBridge: Address
    l1CrossDomainMessenger: Address
    /** The L1 ERC-20 the genesis token represents (its `remoteToken`). */
    token: Address
  }
  token: { name: string; symbol: string }
  /** L2 ETH at genesis (accounts that need gas before any deposit; the escape user is funded by real deposits). */
  prefund?: Readonly<Record<Address, bigint>>
}

export interface AllocAccount {
  balance: bigint
  nonce: bigint
  code: Hex
  /** 32-byte slot → 32-byte value (non-zero values only). */
  storage: Record<Hex, Hex>
}

export interface DevnetL2Alloc {
  accounts: Map<Address, AllocAccount>
  /** The OptimismMintableERC20 on the standard bridge for `l1.token`. */
  l2Token: Address
}

/** ERC-1967 slots (Proxy.sol / Constants.sol). */
const IMPLEMENTATION_SLOT: Hex = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'
const ADMIN_SLOT: Hex = '0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103'
/** The account that runs the constructors in the isolated EVM; never part of the alloc. */
const GENESIS_DEPLOYER = getAddress('0x4200000000000000000000000000000000000abc')

const ejs = (a: Address): EjsAddress => new EjsAddress(hexToBytes(a))

export async function buildDevnetL2Alloc(p: DevnetL2AllocParameters): Promise<DevnetL2Alloc> {
  const common = createCustomCommon({ chainId: p.l2ChainId }, Mainnet, { hardfork: Hardfork.Cancun })
  const state = new SimpleStateManager()
  const evm = await createEVM({ common, stateManager: state })
  const touched = new Map<string, Set<Hex>>() // address → slots written
  const note = (address: Address, slot: Hex): void => {
    const key = address.toLowerCase()
    let slots = touched.get(key)
    if (!slots) touched.set(key, (slots = new Set()))
    slots.add(slot)
  }
  evm.events!.on('step', (s: { opcode: { name: string }; stack: bigint[]; address: EjsAddress }) => {
    if (s.opcode.name !== 'SSTORE') return
    const key = s.stack[s.stack.length - 1]!
    note(s.address.toString() as Address, bytesToHex(setLengthLeft(bigIntToBytes(key), 32)))
  })
  const keep = new Set<string>()

  const run = async (what: string, caller: Address, to: Address | undefined, data: Hex): Promise<Address | undefined> => {
    const r = await evm.runCall({ caller: ejs(caller), ...(to ? { to: ejs(to) } : {}), data: hexToBytes(data), gasLimit: 30_000_000n, gasPrice: 0n, ...(to ? { skipNonceIncrement: true } : {}) })
    if (r.execResult.exceptionError) {
      throw new OpL2GenesisError(`Building the devnet L2 genesis failed: ${what}.`, `${r.execResult.exceptionError.error}; return data ${bytesToHex(r.execResult.returnValue)}`)
    }
    return r.createdAddress ? (getAddress(r.createdAddress.toString()) as Address) : undefined
  }
  /** Runs a constructor and moves the runtime code (and storage the constructor wrote) to `at`. */
  const deployAt = async (what: string, at: Address, creation: Hex): Promise<void> => {
    const tmp = await run(`deploy ${what}`, GENESIS_DEPLOYER, undefined, creation)
    if (!tmp) throw new OpL2GenesisError(`Building the devnet L2 genesis failed: deploy ${what}.`, 'no contract was created')
    const code = await state.getCode(ejs(tmp))
    await putCode(at, code)
    for (const slot of touched.get(tmp.toLowerCase()) ?? []) {
      const v = await state.getStorage(ejs(tmp), hexToBytes(slot))
      if (v.length > 0) await setSlot(at, slot, bytesToHex(setLengthLeft(v, 32)))
    }
    await state.deleteAccount(ejs(tmp))
    touched.delete(tmp.toLowerCase())
  }
  const putCode = async (at: Address, code: Uint8Array): Promise<void> => {
    if ((await state.getAccount(ejs(at))) === undefined) await state.putAccount(ejs(at), new Account())
    await state.putCode(ejs(at), code)
    keep.add(at.toLowerCase())
  }
  const setSlot = async (at: Address, slot: Hex, value: Hex): Promise<void> => {
    await state.putStorage(ejs(at), hexToBytes(slot), hexToBytes(value))
    note(at, slot)
  }
  const word = (a: Address): Hex => encodeAbiParameters([{ type: 'address' }], [a])
  const artifact = (name: string): Hex => readBedrockArtifact(name).bytecode
  const deployData = (name: string, abi: Abi, args: readonly unknown[]): Hex => encodeDeployData({ abi, bytecode: artifact(name), args } as Parameters<typeof encodeDeployData>[0])

  // 1. The L2 ProxyAdmin (code directly at its predeploy address), then one Proxy per predeploy.
  await deployAt('ProxyAdmin', L2_PREDEPLOYS.proxyAdmin, deployData('ProxyAdmin', proxyAdminAbi, [p.owner]))
  const feeVaultArgs = encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }, { type: 'uint8' }], [p.owner, 0n, 0])
  const implementations: [keyof typeof L2_PREDEPLOYS, string, Hex][] = [
    ['l2ToL1MessagePasser', 'L2ToL1MessagePasser', artifact('L2ToL1MessagePasser')],
    ['l2CrossDomainMessenger', 'L2CrossDomainMessenger', artifact('L2CrossDomainMessenger')],
    ['l2StandardBridge', 'L2StandardBridge', artifact('L2StandardBridge')],
    ['optimismMintableERC20Factory', 'OptimismMintableERC20Factory', artifact('OptimismMintableERC20Factory')],
    ['l1Block', 'L1Block', artifact('L1Block')],
    ['gasPriceOracle', 'GasPriceOracle', artifact('GasPriceOracle')],
    ['sequencerFeeVault', 'SequencerFeeVault', `${artifact('SequencerFeeVault')}${feeVaultArgs.slice(2)}`],
    ['baseFeeVault', 'BaseFeeVault', `${artifact('BaseFeeVault')}${feeVaultArgs.slice(2)}`],
    ['l1FeeVault', 'L1FeeVault', `${artifact('L1FeeVault')}${feeVaultArgs.slice(2)}`],
  ]
  const proxyCode = deployData('Proxy', proxyAbi, [L2_PREDEPLOYS.proxyAdmin])
  for (const [key, name, creation] of implementations) {
    const proxy = L2_PREDEPLOYS[key]
    const impl = implementationAddress(proxy)
    await deployAt(`${name} implementation`, impl, creation)
    await deployAt(`${name} proxy`, proxy, proxyCode)
    // Proxy.upgradeTo from the admin: the proxy's own code writes the implementation slot.
    await run(`${name}: upgradeTo`, L2_PREDEPLOYS.proxyAdmin, proxy, encodeFunctionData({ abi: proxyAbi, functionName: 'upgradeTo', args: [impl] }))
  }

  // 2. Initialisers, through the proxies (a non-admin caller reaches the implementation).
  await run('L2CrossDomainMessenger.initialize', GENESIS_DEPLOYER, L2_PREDEPLOYS.l2CrossDomainMessenger, encodeFunctionData({ abi: l2CrossDomainMessengerAbi, functionName: 'initialize', args: [p.l1.l1CrossDomainMessenger] }))
  await run('L2StandardBridge.initialize', GENESIS_DEPLOYER, L2_PREDEPLOYS.l2StandardBridge, encodeFunctionData({ abi: l2StandardBridgeAbi, functionName: 'initialize', args: [p.l1.l1StandardBridge] }))
  await run('OptimismMintableERC20Factory.initialize', GENESIS_DEPLOYER, L2_PREDEPLOYS.optimismMintableERC20Factory, encodeFunctionData({ abi: optimismMintableERC20FactoryAbi, functionName: 'initialize', args: [L2_PREDEPLOYS.l2StandardBridge] }))
  await run('GasPriceOracle.setEcotone', DEPOSITOR_ACCOUNT, L2_PREDEPLOYS.gasPriceOracle, encodeFunctionData({ abi: gasPriceOracleAbi, functionName: 'setEcotone' }))
  await run('GasPriceOracle.setFjord', DEPOSITOR_ACCOUNT, L2_PREDEPLOYS.gasPriceOracle, encodeFunctionData({ abi: gasPriceOracleAbi, functionName: 'setFjord' }))

  // 3. The EIP-4788 beacon roots contract, from its keyless deployer at nonce 0 (EIP-4788 §"Deployment").
  const beaconRoots = await run('the EIP-4788 beacon roots contract', EIP4788_DEPLOYER, undefined, EIP4788_CREATION_CODE)
  if (!beaconRoots || beaconRoots.toLowerCase() !== createdAddress(EIP4788_DEPLOYER)) throw new OpL2GenesisError('Building the devnet L2 genesis failed: the beacon roots contract is not at its EIP-4788 address.', String(beaconRoots))
  keep.add(beaconRoots.toLowerCase())

  // 4. The bridged token, created by the factory (CREATE2 from the factory, as a user's call would).
  const before = new Set(touched.keys())
  await run('OptimismMintableERC20Factory.createOptimismMintableERC20', GENESIS_DEPLOYER, L2_PREDEPLOYS.optimismMintableERC20Factory, encodeFunctionData({ abi: optimismMintableERC20FactoryAbi, functionName: 'createOptimismMintableERC20', args: [p.l1.token, p.token.name, p.token.symbol] }))
  const created = [...touched.keys()].filter((a) => !before.has(a) && !keep.has(a))
  const l2Token = await findCreatedToken(state, created)
  keep.add(l2Token.toLowerCase())

  // 5. Prefunded accounts.
  for (const [address, balance] of Object.entries(p.prefund ?? {})) {
    const a = ejs(address as Address)
    const account = (await state.getAccount(a)) ?? new Account()
    account.balance = balance
    await state.putAccount(a, account)
    keep.add(address.toLowerCase())
  }

  // Read the alloc back.
  const accounts = new Map<Address, AllocAccount>()
  for (const address of [...keep].sort()) {
    const a = ejs(address as Address)
    const account = await state.getAccount(a)
    if (!account) continue
    const storage: Record<Hex, Hex> = {}
    for (const slot of [...(touched.get(address) ?? [])].sort()) {
      const v = await state.getStorage(a, hexToBytes(slot))
      if (v.length > 0 && v.some((b) => b !== 0)) storage[slot] = bytesToHex(setLengthLeft(v, 32))
    }
    accounts.set(getAddress(address), { balance: account.balance, nonce: account.nonce, code: bytesToHex(await state.getCode(a)), storage })
  }
  checkProxies(accounts, implementations.map(([key]) => L2_PREDEPLOYS[key]))
  return { accounts, l2Token }

  async function findCreatedToken(sm: SimpleStateManager, candidates: string[]): Promise<Address> {
    for (const c of candidates) if ((await sm.getCode(ejs(c as Address))).length > 0) return getAddress(c)
    throw new OpL2GenesisError('Building the devnet L2 genesis failed: the factory created no token.', candidates.join(', '))
  }

  function checkProxies(all: Map<Address, AllocAccount>, proxies: Address[]): void {
    for (const proxy of proxies) {
      const s = all.get(getAddress(proxy))?.storage ?? {}
      if (s[IMPLEMENTATION_SLOT] !== word(implementationAddress(proxy)) || s[ADMIN_SLOT] !== word(L2_PREDEPLOYS.proxyAdmin)) {
        throw new OpL2GenesisError(`Building the devnet L2 genesis failed: the proxy at ${proxy} does not point at its implementation.`, JSON.stringify(s))
      }
    }
  }
}

