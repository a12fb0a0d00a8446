/**
 * Executes one OP Stack L2 block on @ethereumjs/evm and assembles its header. @ethereumjs/vm has no OP support, so
 * block and transaction processing is written here, following op-revm handler.rs (deposits, fee routing, L1 and
 * operator fees) and op-evm block/mod.rs + kona executor builder (system calls, receipts, header assembly).
 * Spec: specs/protocol/exec-engine.md, deposits.md and the per-fork exec-engine.md files; op-stack notes §1.12, §2.
 */
import { createCustomCommon, Hardfork, Mainnet, type Common, type CustomCrypto } from '@ethereumjs/common'
import { createEVM, type EVM, type EVMMockBlockchainInterface, type EVMResult } from '@ethereumjs/evm'
import { createMPT } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { Caches } from '@ethereumjs/statemanager'
import { ExecutorStateManager } from '../state/ExecutorStateManager'
import type { OpStateManager } from '../state/OpStateManager'
import { Capability, createTxFromRLP, TransactionType, type TypedTransaction } from '@ethereumjs/tx'
import { Account, Address, bytesToUnprefixedHex, eoaCode7702RecoverAuthority, KECCAK256_NULL, ValueEncoding } from '@ethereumjs/util'
import { bytesToHex, hexToBytes, type Address as Hex20, type Hex } from 'viem'
import { buildTrie } from '../../../trie/buildTrie'
import { loadFastKeccak256 } from '../../../trie/keccak'
import { EscapeError } from '../../../errors/EscapeError'
import { activeFork, isForkActive, type OpFork, type RollupConfig } from '../config/rollupConfig'
import { createMptDatabase, type StateNodeStore } from '../state/StateNodeStore'
import { CREATE2_DEPLOYER_CODE, CREATE2_DEPLOYER_CODE_HASH } from './create2DeployerCode'
import { computeNextBaseFee } from './blockFeeParams'
import { BlockExecutionError } from './errors'
import { computeDaFootprint, computeL1Cost, computeOperatorFee, readL1BlockInfo, type L1BlockInfo, type L1CostRules } from './l1Cost'
import { opPrecompiles } from './opPrecompiles'
import { installJumpDestCache, useJumpDestCache } from './jumpDestCache'
import { installSyncSteps, useSyncSteps } from './syncSteps'
import { useFastEipLookup } from './fastCommon'
import { useFastMstore } from './fastMstore'
import { computeOutputRoot } from '../common/computeOutputRoot'
import { bigintToMinimalBytes, u256 } from '../../../eth/bytes'
import { encodeFeeExtraData, ExtraDataError } from '../common/feeExtraData'
import { parseTxDeposit, type TxDeposit } from '../../../eth/TxDeposit'
import { encodeReceipt, type Receipt, type ReceiptLog } from '../../../eth/encodeReceipt'
import { logsBloom } from '../../../eth/logsBloom'
import { EMPTY_REQUESTS_HASH, EMPTY_ROOT_HASH, EMPTY_UNCLES_HASH, decodeHeader, hashHeader, type BlockHeader } from '../../../eth/header'
import * as predeploys from '../../../eth/predeploys'

export interface PayloadAttributes {
  timestamp: bigint
  prevRandao: Hex
  suggestedFeeRecipient: Hex20
  parentBeaconBlockRoot?: Hex | undefined
  /** EIP-2718 encoded transactions; the first is the L1-info deposit. */
  transactions: readonly Hex[]
  gasLimit: bigint
  /** Holocene+: denominator u32 ‖ elasticity u32 (8 bytes). */
  eip1559Params?: Hex | undefined
  /** Jovian+. */
  minBaseFee?: bigint | undefined
}

export interface ExecuteBlockParameters {
  config: RollupConfig
  parent: BlockHeader
  attributes: PayloadAttributes
  /** State (and ancestor headers, for BLOCKHASH) by hash. New nodes are written back into it. */
  store: StateNodeStore
  /** KZG for the point-evaluation precompile (Ecotone+); without it a call to 0x0a fails the block loudly. */
  kzg?: CustomCrypto['kzg']
}

export interface ExecuteBlockReturnType {
  header: BlockHeader
  blockHash: Hex
  stateRoot: Hex
  receipts: Receipt[]
  /** Undefined only before Isthmus when the state source (a witness) does not hold the message passer account. */
  messagePasserStorageRoot: Hex | undefined
  /** Output root v0 of the block; undefined when messagePasserStorageRoot is. */
  outputRoot: Hex | undefined
  fork: OpFork
}

const SYSTEM_ADDRESS = new Address(hexToBytes('0xfffffffffffffffffffffffffffffffffffffffe'))
const BEACON_ROOTS_ADDRESS = new Address(hexToBytes('0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02'))
const HISTORY_STORAGE_ADDRESS = new Address(hexToBytes('0x0000F90827F1C53a10cb7A02335B175320002935'))
const CREATE2_DEPLOYER = new Address(hexToBytes('0x13b0D85CcB8bf860b6b79AF3029fCA081AE9beF2'))
const L1_BLOCK = new Address(hexToBytes(predeploys.L1_BLOCK))
const BASE_FEE_VAULT = new Address(hexToBytes(predeploys.BASE_FEE_VAULT))
const L1_FEE_VAULT = new Address(hexToBytes(predeploys.L1_FEE_VAULT))
const OPERATOR_FEE_VAULT = new Address(hexToBytes(predeploys.OPERATOR_FEE_VAULT))
const MESSAGE_PASSER = new Address(hexToBytes(predeploys.L2_TO_L1_MESSAGE_PASSER))
const SYSTEM_CALL_GAS = 30_000_000n

const SUPPORTED: readonly OpFork[] = ['regolith', 'canyon', 'delta', 'ecotone', 'fjord', 'granite', 'holocene', 'isthmus', 'jovian']

/** The @ethereumjs hardfork whose EVM rules an OP fork uses (Bedrock = Paris, Canyon = Shanghai, Ecotone = Cancun,
 * Isthmus = Prague). */
function evmHardfork(config: RollupConfig, t: number): Hardfork {
  if (isForkActive(config, 'isthmus', t)) return Hardfork.Prague
  if (isForkActive(config, 'ecotone', t)) return Hardfork.Cancun
  if (isForkActive(config, 'canyon', t)) return Hardfork.Shanghai
  return Hardfork.Paris
}

export async function executeBlock(parameters: ExecuteBlockParameters): Promise<ExecuteBlockReturnType> {
  const { config, parent, attributes, store } = parameters
  const number = parent.number + 1n
  const fail = (problem: ConstructorParameters<typeof BlockExecutionError>[0], item: string, details: string, cause?: unknown): never => {
    throw new BlockExecutionError(problem, number, item, details, cause)
  }
  try {
    return await run()
  } catch (e) {
    if (e instanceof EscapeError) throw e
    // Anything else escaping the EVM/trie is a bug or an unmodelled input; never report a result for it.
    return fail('execution-failed', 'execution', e instanceof Error ? e.message : String(e), e)
  }

  async function run(): Promise<ExecuteBlockReturnType> {
    const timestamp = attributes.timestamp
    const t = Number(timestamp)
    if (timestamp <= parent.timestamp) fail('invalid-block', 'timestamp', `timestamp ${timestamp} is not after the parent's ${parent.timestamp}`)
    const fork = activeFork(config, t)
    if (!SUPPORTED.includes(fork)) {
      fail('unsupported-fork', fork, `fork ${fork} is active at timestamp ${t}; supported: ${SUPPORTED.join(', ')}`)
    }
    const active = (f: OpFork): boolean => isForkActive(config, f, t)

    // WebAssembly keccak (~8× @noble's on node-sized inputs) for the KECCAK256 opcode, CREATE2 addresses, code
    // hashes and every trie key and node hash: @ethereumjs reads it from customCrypto.keccak256.
    const keccak256 = await loadFastKeccak256()
    const common = createCustomCommon({ chainId: config.l2ChainId, name: `op-${config.l2ChainId}` }, Mainnet, {
      hardfork: evmHardfork(config, t),
      customCrypto: parameters.kzg ? { kzg: parameters.kzg, keccak256 } : { keccak256 },
    })
    useFastEipLookup(common)

    const db = createMptDatabase(store, (hash) => fail('missing-witness-node', `node ${bytesToHex(hash)}`, 'the parent state references a node the store does not have'))
    const trie = await createMPT({ db, root: hexToBytes(parent.stateRoot), useKeyHashing: true, useKeyHashingFunction: keccak256, valueEncoding: ValueEncoding.Bytes })
    // Caches buffer all writes; one outer checkpoint keeps them unflushed until the block ends, so the trie sees only
    // the block's final values (as the reference client does). Flushing per write or per tx would touch trie paths
    // (delete-then-reinsert) that a witness rightly omits.
    const stateManager = new ExecutorStateManager({ trie, common, prefixCodeHashes: false, caches: new Caches() })
    await stateManager.checkpoint()
    const evm = await createEVM({
      common,
      stateManager,
      blockchain: ancestorHeaders(store, parent, fail),
      customPrecompiles: opPrecompiles(common, fork),
    })
    if (await installJumpDestCache()) useJumpDestCache(evm)
    if (await installSyncSteps()) useSyncSteps(evm)
    useFastMstore(evm)

    // ---- header fields known before execution
    let baseFee: bigint
    let extraData: Hex
    try {
      baseFee = computeNextBaseFee(config, parent, t)
      extraData = active('holocene') ? encodeFeeExtraData(config, t, attributes.eip1559Params, attributes.minBaseFee) : '0x'
    } catch (e) {
      if (e instanceof ExtraDataError) return fail('invalid-block', 'extraData', e.message, e)
      throw e
    }
    const coinbase = new Address(hexToBytes(attributes.suggestedFeeRecipient))
    const blockContext = {
      header: {
        number,
        coinbase,
        timestamp,
        difficulty: 0n,
        prevRandao: hexToBytes(attributes.prevRandao),
        gasLimit: attributes.gasLimit,
        baseFeePerGas: baseFee,
        // OP: excessBlobGas is always 0, so BLOBBASEFEE is the minimum, 1.
        getBlobGasPrice: () => 1n,
      },
    }
    if (active('ecotone') && attributes.parentBeaconBlockRoot === undefined) {
      fail('invalid-input', 'parentBeaconBlockRoot', 'Ecotone blocks need the parent beacon block root')
    }

    // ---- pre-execution changes (op-evm apply_pre_execution_changes)
    if (active('canyon') && !isForkActive(config, 'canyon', Number(parent.timestamp))) {
      await deployCreate2Deployer(stateManager)
    }
    if (active('ecotone')) await systemCall(evm, stateManager, BEACON_ROOTS_ADDRESS, hexToBytes(attributes.parentBeaconBlockRoot!), blockContext)
    if (active('isthmus')) await systemCall(evm, stateManager, HISTORY_STORAGE_ADDRESS, hexToBytes(parent.hash ?? hashHeader(parent)), blockContext)

    // ---- transactions
    const receipts: Receipt[] = []
    const rawTxs: Uint8Array[] = []
    let cumulativeGas = 0n
    let daFootprint = 0n
    let l1Info: L1BlockInfo | undefined
    const rules: L1CostRules = active('fjord') ? 'fjord' : active('ecotone') ? 'ecotone' : 'bedrock'

    for (let i = 0; i < attributes.transactions.length; i++) {
      const hex = attributes.transactions[i]!
      if (!/^0x([0-9a-fA-F]{2})+$/.test(hex)) fail('invalid-transaction', `tx ${i}`, 'not hex-encoded bytes')
      const raw = hexToBytes(hex)
      rawTxs.push(raw)
      const txLabel = `tx ${i} (${bytesToHex(keccak256(raw))})`
      const remaining = attributes.gasLimit - cumulativeGas
      let receipt: Receipt
      if (raw[0] === 0x7e) {
        let dep: TxDeposit
        try {
          dep = parseTxDeposit(raw)
        } catch (e) {
          return fail('invalid-transaction', txLabel, e instanceof Error ? e.message : String(e), e)
        }
        // Regolith removed system deposits (specs/protocol/deposits.md §"Execution"): no derived deposit can be one.
        if (dep.isSystemTransaction) fail('invalid-transaction', txLabel, 'system deposit transactions are invalid from Regolith')
        if (dep.gas > remaining) fail('invalid-block', txLabel, `deposit gas ${dep.gas} exceeds the block's remaining gas ${remaining}`)
        receipt = await runDeposit(evm, stateManager, common, dep, blockContext, active('canyon'), coinbase)
      } else {
        if (l1Info === undefined) l1Info = await readL1BlockInfo(async (slot) => readSlot(stateManager, L1_BLOCK, slot), { ecotone: active('ecotone'), isthmus: active('isthmus') })
        receipt = await runUserTx(raw, txLabel, remaining, l1Info)
        if (active('jovian')) {
          daFootprint += computeDaFootprint(raw, l1Info)
          if (daFootprint > attributes.gasLimit) fail('invalid-block', txLabel, `the block's DA footprint ${daFootprint} exceeds the gas limit`)
        }
      }
      cumulativeGas += receipt.cumulativeGasUsed // runDeposit/runUserTx return the tx's own gas here
      receipt.cumulativeGasUsed = cumulativeGas
      receipts.push(receipt)
    }

    // ---- post-execution: roots and header
    await stateManager.commit()
    const stateRoot = bytesToHex(await stateManager.getStateRoot())
    // Before Isthmus the header does not commit to the message passer, and a witness need not contain its account:
    // then the output root is unknown here (not guessed).
    let messagePasserStorageRoot: Hex | undefined
    try {
      const passer = await stateManager.getAccount(MESSAGE_PASSER)
      messagePasserStorageRoot = passer ? bytesToHex(passer.storageRoot) : EMPTY_ROOT_HASH
    } catch (e) {
      if (active('isthmus') || !(e instanceof BlockExecutionError && e.problem === 'missing-witness-node')) throw e
    }
    const index = (i: number): Uint8Array => RLP.encode(bigintToMinimalBytes(BigInt(i)))
    const transactionsRoot = bytesToHex(buildTrie({ keys: rawTxs.map((_, i) => index(i)), values: rawTxs, keccak: keccak256 }).root)
    const encodedReceipts = receipts.map(encodeReceipt)
    const receiptsRoot = bytesToHex(buildTrie({ keys: encodedReceipts.map((_, i) => index(i)), values: encodedReceipts, keccak: keccak256 }).root)
    const bloom = new Uint8Array(256)
    for (const r of receipts) for (let b = 0; b < 256; b++) bloom[b]! |= r.bloom[b]!

    const header: BlockHeader = {
      parentHash: parent.hash ?? hashHeader(parent),
      sha3Uncles: EMPTY_UNCLES_HASH,
      miner: attributes.suggestedFeeRecipient.toLowerCase() as Hex20,
      stateRoot,
      transactionsRoot,
      receiptsRoot,
      logsBloom: bytesToHex(bloom),
      difficulty: 0n,
      number,
      gasLimit: attributes.gasLimit,
      gasUsed: cumulativeGas,
      timestamp,
      extraData,
      mixHash: attributes.prevRandao,
      nonce: '0x0000000000000000',
      baseFeePerGas: baseFee,
    }
    if (active('canyon')) header.withdrawalsRoot = active('isthmus') ? messagePasserStorageRoot! : EMPTY_ROOT_HASH
    if (active('ecotone')) {
      header.blobGasUsed = active('jovian') ? daFootprint : 0n
      header.excessBlobGas = 0n
      header.parentBeaconBlockRoot = attributes.parentBeaconBlockRoot
    }
    if (active('isthmus')) header.requestsHash = EMPTY_REQUESTS_HASH
    const blockHash = hashHeader(header)
    const outputRoot = messagePasserStorageRoot === undefined ? undefined : computeOutputRoot({ stateRoot, messagePasserStorageRoot, latestBlockhash: blockHash })
    return { header, blockHash, stateRoot, receipts, messagePasserStorageRoot, outputRoot, fork }

    // Non-deposit transaction: validation and fees per op-revm handler.rs.
    async function runUserTx(raw: Uint8Array, txLabel: string, remaining: bigint, info: L1BlockInfo): Promise<Receipt> {
      let tx: TypedTransaction
      try {
        tx = createTxFromRLP(raw, { common }) as TypedTransaction
      } catch (e) {
        return fail('invalid-transaction', txLabel, `cannot decode: ${e instanceof Error ? e.message : String(e)}`, e)
      }
      if (tx.type === TransactionType.BlobEIP4844) fail('invalid-transaction', txLabel, 'blob transactions (type 3) are invalid on OP Stack L2s')
      if (tx.type === TransactionType.EOACodeEIP7702 && !active('isthmus')) fail('invalid-transaction', txLabel, 'set-code transactions (type 4) need Isthmus')
      let caller: Address
      try {
        caller = tx.getSenderAddress()
      } catch (e) {
        return fail('invalid-transaction', txLabel, 'invalid signature', e)
      }
      if (tx.gasLimit > remaining) fail('invalid-block', txLabel, `gas limit ${tx.gasLimit} exceeds the block's remaining gas ${remaining}`)
      const intrinsic = tx.getIntrinsicGas()
      const floor = common.isActivatedEIP(7623) ? calldataFloorGas(tx) : 0n
      if (tx.gasLimit < (intrinsic > floor ? intrinsic : floor)) fail('invalid-transaction', txLabel, `gas limit ${tx.gasLimit} is below the intrinsic gas ${intrinsic}`)
      const maxFee = tx.supports(Capability.EIP1559FeeMarket) ? (tx as unknown as { maxFeePerGas: bigint }).maxFeePerGas : (tx as unknown as { gasPrice: bigint }).gasPrice
      if (maxFee < baseFee) fail('invalid-transaction', txLabel, `max fee ${maxFee} is below the base fee ${baseFee}`)
      const priorityFee = tx.supports(Capability.EIP1559FeeMarket)
        ? min((tx as unknown as { maxPriorityFeePerGas: bigint }).maxPriorityFeePerGas, maxFee - baseFee)
        : maxFee - baseFee
      if (tx.supports(Capability.EIP1559FeeMarket) && (tx as unknown as { maxPriorityFeePerGas: bigint }).maxPriorityFeePerGas > maxFee) {
        fail('invalid-transaction', txLabel, 'max priority fee exceeds max fee')
      }
      const gasPrice = baseFee + priorityFee

      await evm.journal.cleanup()
      const from = (await stateManager.getAccount(caller)) ?? new Account()
      if (from.nonce !== tx.nonce) fail('invalid-transaction', txLabel, `nonce ${tx.nonce}, account nonce ${from.nonce}`)
      // EIP-3607, relaxed by EIP-7702: a sender may carry a delegation designator, but no other code.
      if (!equal(from.codeHash, KECCAK256_NULL) && !isDelegation(await stateManager.getCode(caller))) {
        fail('invalid-transaction', txLabel, 'the sender has code (EIP-3607)')
      }

      const l1Cost = computeL1Cost(raw, info, rules)
      const jovian = active('jovian')
      const operatorFeeMax = active('isthmus') ? computeOperatorFee(tx.gasLimit, info, jovian) : 0n
      const upfront = tx.gasLimit * maxFee + tx.value + l1Cost + operatorFeeMax
      if (from.balance < upfront) fail('invalid-transaction', txLabel, `sender balance ${from.balance} is below the maximum cost ${upfront}`)
      from.balance -= tx.gasLimit * gasPrice + l1Cost + operatorFeeMax
      await evm.journal.putAccount(caller, from)

      warm(evm, caller, tx.to, coinbase)
      if (tx.supports(Capability.EIP2930AccessLists)) {
        for (const [address, keys] of (tx as unknown as { accessList: [Uint8Array, Uint8Array[]][] }).accessList) {
          const a = bytesToUnprefixedHex(address)
          evm.journal.addAlwaysWarmAddress(a, true)
          for (const key of keys) evm.journal.addAlwaysWarmSlot(a, bytesToUnprefixedHex(key), true)
        }
      }

      // EIP-7702: the sender's nonce is bumped before the authorizations are applied (a self-sponsored
      // authorization must carry nonce + 1), so here and not inside runCall.
      let authRefund = 0n
      const setCode = tx.type === TransactionType.EOACodeEIP7702
      if (setCode) {
        from.nonce += 1n
        await evm.journal.putAccount(caller, from)
        authRefund = await applyAuthorizations(evm, stateManager, BigInt(config.l2ChainId), (tx as unknown as { authorizationList: Uint8Array[][] }).authorizationList)
      }

      const result = await evm.runCall({
        block: blockContext as never,
        gasPrice,
        caller,
        origin: caller,
        gasLimit: tx.gasLimit - intrinsic,
        to: tx.to,
        value: tx.value,
        data: tx.data,
        skipNonceIncrement: setCode,
      })
      let gasUsed = intrinsic + result.execResult.executionGasUsed
      const refund = (result.execResult.gasRefund ?? 0n) + authRefund
      const maxRefund = gasUsed / 5n
      gasUsed -= refund < maxRefund ? refund : maxRefund
      if (gasUsed < floor) gasUsed = floor

      const operatorFee = active('isthmus') ? computeOperatorFee(gasUsed, info, jovian) : 0n
      await addBalance(evm, stateManager, caller, (tx.gasLimit - gasUsed) * gasPrice + (operatorFeeMax - operatorFee))
      await addBalance(evm, stateManager, coinbase, gasUsed * priorityFee)
      await addBalance(evm, stateManager, BASE_FEE_VAULT, gasUsed * baseFee)
      await addBalance(evm, stateManager, L1_FEE_VAULT, l1Cost)
      if (active('isthmus')) await addBalance(evm, stateManager, OPERATOR_FEE_VAULT, operatorFee)
      await finishTx(evm, stateManager, common, result)
      return makeReceipt(tx.type, result, gasUsed)
    }
  }
}

const DELEGATION_PREFIX = Uint8Array.of(0xef, 0x01, 0x00)
const SECP256K1_N_HALF = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n
/** PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST (EIP-7702), refunded when the authority already exists. */
const AUTH_EXISTING_ACCOUNT_REFUND = 12_500n

function isDelegation(code: Uint8Array): boolean {
  return code.length === 23 && code[0] === 0xef && code[1] === 0x01 && code[2] === 0x00
}

/**
 * EIP-7702 §"Behavior": applies each valid authorization (chain id 0 or ours, nonce < 2^64-1, low-s signature,
 * authority without code or already delegated, matching nonce) by setting the delegation designator and bumping the
 * authority's nonce; invalid ones are skipped. Returns the refund for authorities that already existed.
 */
async function applyAuthorizations(evm: EVM, stateManager: OpStateManager, chainId: bigint, list: Uint8Array[][]): Promise<bigint> {
  let refund = 0n
  const big = (b: Uint8Array | undefined): bigint => (b === undefined || b.length === 0 ? 0n : BigInt(bytesToHex(b)))
  for (const auth of list) {
    const [chainIdB, addressB, nonceB, yParityB, , sB] = auth
    const authChainId = big(chainIdB)
    if (authChainId !== 0n && authChainId !== chainId) continue
    const nonce = big(nonceB)
    if (nonce >= 0xffffffffffffffffn) continue
    if (big(yParityB) > 1n || big(sB) > SECP256K1_N_HALF) continue
    let authority: Address
    try {
      authority = eoaCode7702RecoverAuthority(auth as never)
    } catch {
      continue
    }
    evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(authority.bytes))
    const account = await stateManager.getAccount(authority)
    const code = account ? await stateManager.getCode(authority) : new Uint8Array(0)
    if (code.length > 0 && !isDelegation(code)) continue
    if ((account?.nonce ?? 0n) !== nonce) continue
    if (account !== undefined) refund += AUTH_EXISTING_ACCOUNT_REFUND
    const target = addressB ?? new Uint8Array(20)
    const designator = target.every((b) => b === 0) ? new Uint8Array(0) : new Uint8Array([...DELEGATION_PREFIX, ...target])
    await stateManager.putCode(authority, designator)
    const updated = (await stateManager.getAccount(authority)) ?? new Account()
    updated.nonce += 1n
    await evm.journal.putAccount(authority, updated)
  }
  return refund
}

/** Deposit transaction (Regolith+), op-revm handler.rs: mint survives failure, nonce always bumps, no fees. */
async function runDeposit(
  evm: EVM,
  stateManager: OpStateManager,
  common: Common,
  dep: TxDeposit,
  blockContext: unknown,
  canyon: boolean,
  coinbase: Address,
): Promise<Receipt> {
  const caller = new Address(hexToBytes(dep.from))
  await evm.journal.cleanup()
  const account = (await stateManager.getAccount(caller)) ?? new Account()
  const depositNonce = account.nonce
  if (dep.mint > 0n) {
    account.balance += dep.mint
  }
  await evm.journal.putAccount(caller, account)

  const to = dep.to ? new Address(hexToBytes(dep.to)) : undefined
  const intrinsic = depositIntrinsicGas(common, dep)
  const halted = intrinsic > dep.gas || account.balance < dep.value
  let result: EVMResult | undefined
  let gasUsed: bigint
  if (!halted) {
    // Same warm set as any transaction (revm load_accounts): precompiles, caller, target, coinbase (EIP-3651).
    warm(evm, caller, to, coinbase)
    await evm.journal.checkpoint()
    try {
      result = await evm.runCall({
        block: blockContext as never,
        gasPrice: 0n,
        caller,
        origin: caller,
        gasLimit: dep.gas - intrinsic,
        to,
        value: dep.value,
        data: dep.data,
      })
      await evm.journal.commit()
    } catch (e) {
      await evm.journal.revert()
      throw e
    }
    gasUsed = intrinsic + result.execResult.executionGasUsed
    const refund = result.execResult.gasRefund ?? 0n
    const maxRefund = gasUsed / 5n
    gasUsed -= refund < maxRefund ? refund : maxRefund
    await finishTx(evm, stateManager, common, result)
  } else {
    // Halted deposit: only the mint and the nonce bump persist; all gas counts as used (Regolith, non-system).
    const acc = (await stateManager.getAccount(caller)) ?? new Account()
    acc.nonce += 1n
    await evm.journal.putAccount(caller, acc)
    gasUsed = dep.gas
    await evm.journal.cleanup()
    stateManager.originalStorageCache.clear()
  }
  const receipt = makeReceipt(0x7e, result, gasUsed)
  receipt.depositNonce = depositNonce
  if (canyon) receipt.depositReceiptVersion = 1n
  return receipt
}

function makeReceipt(type: number, result: EVMResult | undefined, gasUsed: bigint): Receipt {
  const ok = result !== undefined && result.execResult.exceptionError === undefined
  const logs: ReceiptLog[] = ok
    ? (result.execResult.logs ?? []).map(([address, topics, data]) => ({ address, topics, data }))
    : []
  // cumulativeGasUsed holds this tx's gas until the caller accumulates it.
  return { type, status: ok ? 1 : 0, cumulativeGasUsed: gasUsed, logs, bloom: logsBloom(logs) }
}

function depositIntrinsicGas(common: Common, dep: TxDeposit): bigint {
  let gas = 21_000n
  let zeros = 0n
  for (const b of dep.data) if (b === 0) zeros++
  const nonZeros = BigInt(dep.data.length) - zeros
  gas += zeros * 4n + nonZeros * 16n
  if (dep.to === undefined) {
    gas += 32_000n
    if (common.isActivatedEIP(3860)) gas += 2n * ((BigInt(dep.data.length) + 31n) / 32n)
  }
  return gas
}

/** EIP-7623 floor: 21000 + 10 * (zeros + 4 * nonzeros). */
function calldataFloorGas(tx: TypedTransaction): bigint {
  let tokens = 0n
  for (const b of tx.data) tokens += b === 0 ? 1n : 4n
  return 21_000n + 10n * tokens
}

function warm(evm: EVM, caller: Address, to: Address | undefined, coinbase: Address | undefined): void {
  for (const [address] of evm.precompiles) evm.journal.addAlwaysWarmAddress(address)
  evm.journal.addAlwaysWarmAddress(caller.toString())
  if (to) evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(to.bytes))
  if (coinbase && evm.common.isActivatedEIP(3651)) evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(coinbase.bytes))
}

async function addBalance(evm: EVM, stateManager: OpStateManager, address: Address, amount: bigint): Promise<void> {
  const account = (await stateManager.getAccount(address)) ?? new Account()
  account.balance += amount
  await evm.journal.putAccount(address, account)
}

/** Self-destruct cleanup (EIP-6780 from Cancun), touched-empty-account removal (EIP-161), per-tx caches. */
async function finishTx(evm: EVM, stateManager: OpStateManager, common: Common, result: EVMResult): Promise<void> {
  const destructed = result.execResult.selfdestruct
  if (destructed) {
    for (const addressHex of destructed.keys()) {
      if (common.isActivatedEIP(6780) && !result.execResult.createdAddresses?.has(addressHex)) continue
      await evm.journal.deleteAccount(new Address(hexToBytes(addressHex as Hex)))
    }
  }
  await evm.journal.cleanup()
  stateManager.originalStorageCache.clear()
}

/** A system call (EIP-4788 / EIP-2935 style): from the system address, no gas accounting, skipped without code. */
async function systemCall(evm: EVM, stateManager: OpStateManager, to: Address, data: Uint8Array, blockContext: unknown): Promise<void> {
  const code = await stateManager.getCode(to)
  if (code.length === 0) return
  const systemBefore = await stateManager.getAccount(SYSTEM_ADDRESS)
  await evm.journal.cleanup()
  await evm.runCall({ block: blockContext as never, caller: SYSTEM_ADDRESS, origin: SYSTEM_ADDRESS, to, data, gasLimit: SYSTEM_CALL_GAS, skipNonceIncrement: true, gasPrice: 0n })
  await evm.journal.cleanup()
  // The system address is only a caller: it must not appear in state because of the call.
  if (systemBefore === undefined && (await stateManager.getAccount(SYSTEM_ADDRESS)) !== undefined) await stateManager.deleteAccount(SYSTEM_ADDRESS)
  stateManager.originalStorageCache.clear()
}

/** Canyon's irregular state change: the create2Deployer code is set without running any transaction
 * (op-geth EnsureCreate2Deployer; a no-op when the right code is already there). */
async function deployCreate2Deployer(stateManager: OpStateManager): Promise<void> {
  const account = await stateManager.getAccount(CREATE2_DEPLOYER)
  if (account && bytesToHex(account.codeHash) === CREATE2_DEPLOYER_CODE_HASH) return
  await stateManager.putCode(CREATE2_DEPLOYER, hexToBytes(CREATE2_DEPLOYER_CODE))
}

async function readSlot(stateManager: OpStateManager, address: Address, slot: bigint): Promise<bigint> {
  const v = await stateManager.getStorage(address, u256(slot))
  return v.length === 0 ? 0n : BigInt(bytesToHex(v))
}

/** BLOCKHASH source: ancestor headers by hash from the store (witnesses carry them), walked from the parent. */
function ancestorHeaders(store: StateNodeStore, parent: BlockHeader, fail: (p: 'missing-witness-node', item: string, details: string) => never): EVMMockBlockchainInterface {
  const chain: EVMMockBlockchainInterface = {
    async getBlock(n: number) {
      let header = parent
      let hash = parent.hash ?? hashHeader(parent)
      while (header.number > BigInt(n)) {
        const raw = store.get(hexToBytes(header.parentHash))
        if (!raw) return fail('missing-witness-node', `header ${header.parentHash}`, `BLOCKHASH(${n}) needs ancestor headers`)
        hash = header.parentHash
        header = decodeHeader(raw)
      }
      const h = hexToBytes(hash)
      return { hash: () => h } as never
    },
    async putBlock() {},
    shallowCopy() {
      return chain
    },
  }
  return chain
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
