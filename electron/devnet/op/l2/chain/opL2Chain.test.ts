import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, createPublicClient, createWalletClient, encodeAbiParameters, encodeFunctionData, getAddress, hexToBytes, http, keccak256, parseEther, parseEventLogs, type Address, type Hex, type TransactionReceipt } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anchorStateRegistryAbi } from '../../../../../contracts-abi/op-stack/AnchorStateRegistry'
import { l1StandardBridgeAbi } from '../../../../../contracts-abi/op-stack/L1StandardBridge'
import { l2ToL1MessagePasserAbi } from '../../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { optimismMintableERC20Abi } from '../../../../../contracts-abi/op-stack/OptimismMintableERC20'
import { optimismPortal2Abi } from '../../../../../contracts-abi/op-stack/OptimismPortal2'
import { weth98Abi } from '../../../../../contracts-abi/op-stack/WETH98'
import { serializeTxDeposit } from '../../../../../shared/eth/TxDeposit'
import { computeOutputRoot } from '../../../../../shared/rollups/op-stack/common/computeOutputRoot'
import { parseRollupConfig } from '../../../../../shared/rollups/op-stack/config/rollupConfig'
import { depositsFromLogs } from '../../../../../shared/rollups/op-stack/derive/deposits'
import { executeBlock } from '../../../../../shared/rollups/op-stack/execute/executeBlock'
import { buildGenesis } from '../../../../../shared/rollups/op-stack/genesis/buildGenesis'
import { parseGenesis } from '../../../../../shared/rollups/op-stack/genesis/parseGenesis'
import { createWitnessStore } from '../../../../../shared/rollups/op-stack/state/createWitnessStore'
import { verifyProof } from '../../../../../shared/trie/verifyProof'
import { decodeHeader } from '../../../../../shared/eth/header'
import { increaseTime, mine } from '../../../timeTravel'
import { startAnvil, type AnvilHandle } from '../../../anvil'
import { startOpL2, type OpL2 } from '../startOpL2'
import { deployOpStackWithL2, type OpL2Devnet } from './deployOpStackWithL2'
import { L2_PREDEPLOYS } from './predeployAddresses'
import { readStorage } from './readState'

let anvil: AnvilHandle
let devnet: OpL2Devnet
let l2: OpL2
let outDir: string
const SEQ_WINDOW = 6

beforeAll(async () => {
  anvil = await startAnvil()
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  devnet = await deployOpStackWithL2({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil, seqWindowSize: SEQ_WINDOW })
  outDir = mkdtempSync(join(tmpdir(), 'op-l2-'))
  l2 = await startOpL2({ l1RpcUrl: anvil.rpcUrl, l1Node: anvil, devnet, outDir })
}, 240_000)
afterAll(async () => {
  await l2?.stop()
  await anvil?.stop()
  if (outDir) rmSync(outDir, { recursive: true, force: true })
})

const l1 = () => createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 })
const l1Wallet = (i: number) => createWalletClient({ account: privateKeyToAccount(anvil.accounts[i]!.privateKey), transport: http(anvil.rpcUrl) })
const user = () => getAddress(anvil.accounts[6]!.address)
const censoredUser = () => getAddress(anvil.accounts[7]!.address)

async function l1Send(i: number, tx: { to: Address; data?: Hex; value?: bigint }): Promise<TransactionReceipt> {
  const hash = await l1Wallet(i).sendTransaction({ ...tx, chain: null })
  const receipt = await l1().waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return receipt
}

/** The L2 deposit txs an L1 receipt's TransactionDeposited logs become (derive/deposits, independent of the chain). */
function expectedDepositHashes(receipt: TransactionReceipt): Hex[] {
  const logs = receipt.logs.map((l) => ({ address: l.address, topics: l.topics as Hex[], data: l.data, logIndex: l.logIndex, transactionIndex: l.transactionIndex, transactionHash: l.transactionHash, blockHash: l.blockHash, blockNumber: Number(l.blockNumber) }))
  return depositsFromLogs(logs, devnet.deployment.contracts.optimismPortal).map((d) => bytesToHex(keccak_256(serializeTxDeposit(d))))
}

async function signL2(i: number, tx: { to: Address; data?: Hex; value?: bigint; nonce: number; gas?: bigint }): Promise<Hex> {
  const account = privateKeyToAccount(anvil.accounts[i]!.privateKey)
  return account.signTransaction({ type: 'eip1559', chainId: l2.chain.chainId, to: tx.to, data: tx.data ?? '0x', value: tx.value ?? 0n, nonce: tx.nonce, gas: tx.gas ?? 200_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 6n })
}

describe('devnet OP L2 genesis', () => {
  it('writes a rollup.json and genesis.json from which buildGenesis recomputes the genesis hash and the L1 anchor', async () => {
    const config = parseRollupConfig(JSON.parse(readFileSync(l2.files!.rollupJson, 'utf8')))
    const genesis = parseGenesis(JSON.parse(readFileSync(l2.files!.genesisJson, 'utf8')))
    const built = buildGenesis({ genesis, config })
    expect(built.blockHash).toBe(config.genesis.l2.hash)
    const outputRoot = computeOutputRoot({ stateRoot: built.stateRoot, messagePasserStorageRoot: built.messagePasserStorageRoot, latestBlockhash: built.blockHash })
    const [root, l2Block] = await l1().readContract({ address: devnet.deployment.contracts.anchorStateRegistry, abi: anchorStateRegistryAbi, functionName: 'anchors', args: [0] })
    expect(root).toBe(outputRoot)
    expect(l2Block).toBe(0n)
    expect(l2.chain.genesis().outputRoot).toBe(outputRoot)
    expect(config.genesis.l1.number).toBe(devnet.deployment.startBlock)
  })

  it('holds the real predeploys, wired to the devnet L1 bridge and messenger', () => {
    const root = l2.chain.genesis().stateRoot
    const word = (a: Address) => BigInt(a)
    // L2StandardBridge.otherBridge (slot 4), L2CrossDomainMessenger.otherMessenger (slot 207), factory.bridge (slot 1).
    expect(readStorage(l2.chain.store, root, L2_PREDEPLOYS.l2StandardBridge, '0x04')).toBe(word(devnet.deployment.contracts.l1StandardBridge))
    expect(readStorage(l2.chain.store, root, L2_PREDEPLOYS.l2StandardBridge, '0x03')).toBe(word(L2_PREDEPLOYS.l2CrossDomainMessenger))
    expect(readStorage(l2.chain.store, root, L2_PREDEPLOYS.l2CrossDomainMessenger, `0x${(207).toString(16)}`)).toBe(word(devnet.deployment.contracts.l1CrossDomainMessenger))
    expect(readStorage(l2.chain.store, root, L2_PREDEPLOYS.optimismMintableERC20Factory, '0x01')).toBe(word(L2_PREDEPLOYS.l2StandardBridge))
    // GasPriceOracle isEcotone ‖ isFjord (slot 0, bytes 0 and 1).
    expect(readStorage(l2.chain.store, root, L2_PREDEPLOYS.gasPriceOracle, '0x00')).toBe(0x0101n)
  })
})

describe('devnet OP L2 sequencing', () => {
  it('includes an L1 deposit (portal.depositTransaction) in the next L2 block, with the L2 hash derivation computes', async () => {
    const receipt = await l1Send(6, { to: devnet.deployment.contracts.optimismPortal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [user(), parseEther('2'), 100_000n, false, '0x'] }), value: parseEther('2') })
    const [hash] = expectedDepositHashes(receipt)
    const blocks = await l2.tick()
    const hit = l2.chain.transaction(hash!)
    expect(hit).toBeDefined()
    expect(hit!.tx.deposit).toBe(true)
    expect(hit!.tx.receipt.status).toBe(1)
    expect(hit!.block.l1Origin.number).toBe(receipt.blockNumber)
    expect(hit!.block.sequenceNumber).toBe(0n)
    // The first block on that origin: no earlier block built in this tick has it.
    expect(blocks.filter((b) => b.l1Origin.number === receipt.blockNumber)[0]!.hash).toBe(hit!.block.hash)
    const proof = await l2.chain.proof(user(), [], l2.chain.head().number)
    expect(proof!.balance).toBe(parseEther('2'))
    // The L1-info deposit ran on the real L1Block: its number/timestamp slot holds the block's origin.
    expect(hit!.block.transactions[0]!.receipt.status).toBe(1)
    const slot0 = readStorage(l2.chain.store, hit!.block.stateRoot, L2_PREDEPLOYS.l1Block, '0x00')
    expect(slot0 & 0xffffffffffffffffn).toBe(receipt.blockNumber)
  })

  it('refuses invalid pool transactions with a reason', async () => {
    const nonce = Number((await l2.chain.proof(user(), [], l2.chain.head().number))!.nonce)
    const account = privateKeyToAccount(anvil.accounts[6]!.privateKey)
    const base = { type: 'eip1559' as const, to: user(), nonce, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n }
    const wrongChain = await account.signTransaction({ ...base, chainId: 1 })
    expect(await l2.chain.submitTransaction(wrongChain)).toMatchObject({ accepted: false, reason: 'wrong-chain-id' })
    const tooRich = await account.signTransaction({ ...base, chainId: l2.chain.chainId, value: parseEther('1000') })
    expect(await l2.chain.submitTransaction(tooRich)).toMatchObject({ accepted: false, reason: 'insufficient-funds' })
    const lowGas = await account.signTransaction({ ...base, chainId: l2.chain.chainId, gas: 20_000n })
    expect(await l2.chain.submitTransaction(lowGas)).toMatchObject({ accepted: false, reason: 'intrinsic-gas' })
    if (nonce > 0) {
      const stale = await account.signTransaction({ ...base, chainId: l2.chain.chainId, nonce: nonce - 1 })
      expect(await l2.chain.submitTransaction(stale)).toMatchObject({ accepted: false, reason: 'nonce-too-low' })
    }
    expect(await l2.chain.submitTransaction('0x7e01')).toMatchObject({ accepted: false, reason: 'deposit-not-allowed' })
    expect(await l2.chain.submitTransaction('0x02zz' as Hex)).toMatchObject({ accepted: false, reason: 'malformed' })
    expect(l2.chain.pendingCount).toBe(0)
  })

  it('mints the bridged ERC-20 through a real L1StandardBridge deposit (messenger and bridge wiring)', async () => {
    const amount = parseEther('0.5')
    await l1Send(6, { to: devnet.l1Token, data: encodeFunctionData({ abi: weth98Abi, functionName: 'deposit' }), value: amount })
    await l1Send(6, { to: devnet.l1Token, data: encodeFunctionData({ abi: weth98Abi, functionName: 'approve', args: [devnet.deployment.contracts.l1StandardBridge, amount] }) })
    const receipt = await l1Send(6, { to: devnet.deployment.contracts.l1StandardBridge, data: encodeFunctionData({ abi: l1StandardBridgeAbi, functionName: 'depositERC20', args: [devnet.l1Token, devnet.l2Token, amount, 200_000, '0x'] }) })
    const [hash] = expectedDepositHashes(receipt)
    await l2.tick()
    const hit = l2.chain.transaction(hash!)
    expect(hit?.tx.receipt.status).toBe(1)
    const balanceSlot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [user(), 0n]))
    expect(readStorage(l2.chain.store, l2.chain.head().stateRoot, devnet.l2Token, balanceSlot)).toBe(amount)
    const mint = parseEventLogs({ abi: optimismMintableERC20Abi, eventName: 'Mint', logs: hit!.tx.receipt.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(t)) as [Hex, ...Hex[]], data: bytesToHex(l.data), blockHash: null, blockNumber: null, logIndex: null, transactionHash: null, transactionIndex: null, removed: false })) })
    expect(mint).toHaveLength(1)
  })

  it('includes an L2 transfer and an initiateWithdrawal (MessagePassed) with receipts; proofs verify against the block', async () => {
    const recipient = getAddress(anvil.accounts[8]!.address)
    const start = l2.chain.head()
    const nonce = Number((await l2.chain.proof(user(), [], start.number))!.nonce)
    const transfer = await signL2(6, { to: recipient, value: parseEther('0.25'), nonce, gas: 21_000n })
    const withdraw = await signL2(6, { to: L2_PREDEPLOYS.l2ToL1MessagePasser, value: parseEther('0.5'), nonce: nonce + 1, data: encodeFunctionData({ abi: l2ToL1MessagePasserAbi, functionName: 'initiateWithdrawal', args: [user(), 100_000n, '0x'] }) })
    expect(await l2.chain.submitTransaction(transfer)).toMatchObject({ accepted: true })
    expect(await l2.chain.submitTransaction(withdraw)).toMatchObject({ accepted: true })
    expect(await l2.chain.submitTransaction(transfer)).toMatchObject({ accepted: false, reason: 'already-known' })
    const [block] = (await l2.chain.buildBlock()) ? [l2.chain.head()] : []
    expect(block!.transactions.map((t) => t.hash)).toEqual(expect.arrayContaining([keccak256(transfer), keccak256(withdraw)]))
    const w = l2.chain.transaction(keccak256(withdraw))!.tx
    expect(w.receipt.status).toBe(1)
    expect(w.deposit).toBe(false)
    const passed = parseEventLogs({ abi: l2ToL1MessagePasserAbi, eventName: 'MessagePassed', logs: w.receipt.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(t)) as [Hex, ...Hex[]], data: bytesToHex(l.data), blockHash: null, blockNumber: null, logIndex: null, transactionHash: null, transactionIndex: null, removed: false })) })
    expect(passed).toHaveLength(1)
    const withdrawalHash = passed[0]!.args.withdrawalHash
    expect(l2.chain.transaction(keccak256(transfer))!.tx.receipt.status).toBe(1)
    expect((await l2.chain.proof(recipient, [], block!.number))!.balance).toBe(parseEther('0.25'))

    // sentMessages[withdrawalHash] (slot 0 mapping) proven against the block's state root and message passer root.
    const slot = keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [withdrawalHash, 0n]))
    const proof = (await l2.chain.proof(L2_PREDEPLOYS.l2ToL1MessagePasser, [slot], block!.number))!
    expect(proof.storageHash).toBe(block!.messagePasserStorageRoot)
    const account = verifyProof({ root: hexToBytes(block!.stateRoot), key: keccak_256(hexToBytes(L2_PREDEPLOYS.l2ToL1MessagePasser)), proof: proof.accountProof.map((n) => hexToBytes(n)) })
    expect(account).not.toBeNull()
    const value = verifyProof({ root: hexToBytes(proof.storageHash), key: keccak_256(hexToBytes(slot)), proof: proof.storageProof[0]!.proof.map((n) => hexToBytes(n)) })
    expect(value).not.toBeNull()
    expect(proof.storageProof[0]!.value).toBe(1n)
    expect(block!.outputRoot).toBe(computeOutputRoot({ stateRoot: block!.stateRoot, messagePasserStorageRoot: block!.messagePasserStorageRoot, latestBlockhash: block!.hash }))
    // A proof from another block's root does not verify.
    expect(() => verifyProof({ root: hexToBytes(start.stateRoot), key: keccak_256(hexToBytes(L2_PREDEPLOYS.l2ToL1MessagePasser)), proof: proof.accountProof.map((n) => hexToBytes(n)) })).toThrow()
  })

  it('evicts a pool tx the executor refuses (no funds left for its L1 fee) and builds the block without it', async () => {
    const poor = privateKeyToAccount(anvil.accounts[9]!.privateKey)
    const fee = 10n ** 10n
    const exact = 21_000n * fee // enough for gas * maxFee, nothing for the L1 data fee
    await l1Send(9, { to: devnet.deployment.contracts.optimismPortal, value: exact })
    await l2.tick()
    expect((await l2.chain.proof(poor.address, [], l2.chain.head().number))!.balance).toBe(exact)
    const nonce = Number((await l2.chain.proof(poor.address, [], l2.chain.head().number))!.nonce)
    const refused = await poor.signTransaction({ type: 'eip1559', chainId: l2.chain.chainId, to: user(), value: 0n, nonce, gas: 21_000n, maxFeePerGas: fee, maxPriorityFeePerGas: 1n })
    expect(await l2.chain.submitTransaction(refused)).toMatchObject({ accepted: true })
    const okNonce = Number((await l2.chain.proof(user(), [], l2.chain.head().number))!.nonce)
    const fine = await signL2(6, { to: poor.address, value: 1n, nonce: okNonce, gas: 21_000n })
    expect(await l2.chain.submitTransaction(fine)).toMatchObject({ accepted: true })
    const block = (await l2.chain.buildBlock())!
    expect(block.transactions.map((t) => t.hash)).toContain(keccak256(fine))
    expect(l2.chain.transaction(keccak256(refused))).toBeUndefined()
    expect(l2.chain.pendingCount).toBe(0)
  })

  it('serves a witness from which the block re-executes statelessly to the same hash', async () => {
    const block = [...Array(Number(l2.chain.head().number)).keys()].map((i) => l2.chain.block(BigInt(i + 1))!).find((b) => b.transactions.length > b.depositCount)!
    const witness = (await l2.chain.executionWitness(block.number))!
    expect(witness.headers.length).toBeGreaterThan(0)
    const entries: Record<string, string> = {}
    for (const v of [...witness.state, ...witness.codes, ...witness.headers]) entries[keccak256(v)] = v
    const parent = decodeHeader(hexToBytes(witness.headers.find((h) => keccak256(h) === block.header.parentHash)!))
    const again = await executeBlock({
      config: l2.chain.rollupConfig,
      parent: { ...parent, hash: block.header.parentHash },
      store: createWitnessStore({ blockNumber: block.number, witness: entries }),
      attributes: { timestamp: block.header.timestamp, prevRandao: block.header.mixHash, suggestedFeeRecipient: block.header.miner, parentBeaconBlockRoot: block.header.parentBeaconBlockRoot, transactions: block.transactions.map((t) => t.raw), gasLimit: block.header.gasLimit, eip1559Params: `0x${block.header.extraData.slice(4)}` as Hex },
    })
    expect(again.blockHash).toBe(block.hash)
  })
})

describe('devnet OP L2 censorship', () => {
  it("never includes a censored address's L2 tx, but includes its forced deposit", async () => {
    // Fund the censored user on L2 through a deposit first (its own L1 deposit, before the censorship starts).
    await l1Send(7, { to: devnet.deployment.contracts.optimismPortal, value: parseEther('1') })
    await l2.tick()
    l2.switches.censored.add(censoredUser().toLowerCase())
    const nonce = Number((await l2.chain.proof(censoredUser(), [], l2.chain.head().number))!.nonce)
    const tx = await signL2(7, { to: L2_PREDEPLOYS.l2ToL1MessagePasser, value: parseEther('0.1'), nonce, data: encodeFunctionData({ abi: l2ToL1MessagePasserAbi, functionName: 'initiateWithdrawal', args: [censoredUser(), 100_000n, '0x'] }) })
    expect(await l2.chain.submitTransaction(tx)).toMatchObject({ accepted: true })
    for (let i = 0; i < 3; i++) {
      await mine(anvil.rpcUrl, 1, 2)
      await l2.tick()
    }
    expect(l2.chain.transaction(keccak256(tx))).toBeUndefined()
    expect(l2.chain.pendingCount).toBeGreaterThan(0)
    // The forced withdrawal: an L1 deposit calling initiateWithdrawal from the censored address.
    const receipt = await l1Send(7, { to: devnet.deployment.contracts.optimismPortal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [L2_PREDEPLOYS.l2ToL1MessagePasser, parseEther('0.1'), 200_000n, false, encodeFunctionData({ abi: l2ToL1MessagePasserAbi, functionName: 'initiateWithdrawal', args: [censoredUser(), 100_000n, '0x'] })] }), value: parseEther('0.1') })
    const [hash] = expectedDepositHashes(receipt)
    await l2.tick()
    const hit = l2.chain.transaction(hash!)
    expect(hit?.tx.receipt.status).toBe(1)
    expect(hit!.tx.from).toBe(censoredUser())
    expect(l2.chain.transaction(keccak256(tx))).toBeUndefined()
    l2.switches.censored.clear()
  })

  it('follows L1 time travel: ten minutes on L1 become ten minutes of L2 blocks on the next tick', async () => {
    const before = l2.chain.head()
    await increaseTime(anvil.rpcUrl, 600)
    await mine(anvil.rpcUrl, 1, 1)
    const t0 = performance.now()
    const built = await l2.tick()
    const ms = performance.now() - t0
    const l1Head = await l1().getBlock({ blockTag: 'latest' })
    expect(built.length).toBeGreaterThanOrEqual(280) // 600 s / 2 s, less what the L2 was already ahead
    expect(l2.chain.head().header.timestamp).toBeGreaterThanOrEqual(l1Head.timestamp)
    expect(l2.chain.head().l1Origin.number).toBe(l1Head.number)
    expect(l2.chain.head().number - before.number).toBe(BigInt(built.length))
    console.log(`time travel: ${built.length} deposit-only L2 blocks in ${Math.round(ms)} ms (${(built.length / (ms / 1000)).toFixed(0)} blocks/s), node store ${l2.chain.store.size} entries`)
  }, 180_000)

  it('with the sequencer down, builds nothing until the sequencing window elapses, then only deposit blocks', async () => {
    l2.switches.sequencerDown = true
    try {
      const head = l2.chain.head()
      const receipt = await l1Send(6, { to: devnet.deployment.contracts.optimismPortal, value: parseEther('0.01') })
      const [hash] = expectedDepositHashes(receipt)
      expect(await l2.tick()).toHaveLength(0)
      expect(l2.chain.head().hash).toBe(head.hash)
      await mine(anvil.rpcUrl, SEQ_WINDOW + 2, 2)
      const forced = await l2.tick()
      expect(forced.length).toBeGreaterThan(0)
      expect(forced.every((b) => b.forcedByDerivation && b.transactions.length === b.depositCount)).toBe(true)
      expect(l2.chain.transaction(hash!)?.tx.receipt.status).toBe(1)
    } finally {
      l2.switches.sequencerDown = false
    }
  })
})

