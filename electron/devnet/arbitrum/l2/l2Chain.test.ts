import { describe, expect, it } from 'vitest'
import { concat, decodeEventLog, decodeFunctionResult, encodeDeployData, encodeFunctionData, erc20Abi, getContractAddress, hexToBytes, keccak256, numberToHex, parseEther, stringToHex, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ARB_SYS_ADDRESS, ARBSYS_CALL_GAS, L2Chain, L2_BASE_FEE, arbSysAbi, depositTransaction, sendHashOf } from './l2Chain'
import { L1_MESSAGE_KIND, type L2IncomingMessage } from './l2Types'
import { sendRootOf } from './sendMerkleTree'
import { readVectorJson } from '../../../../fixtures/vectors'
import { readNitroArtifact } from '../readNitroArtifact'

function vector<T>(name: string): T {
  return readVectorJson<T>(`arbitrum/${name}`)
}

const CHAIN_ID = 412346
const poster: Address = '0x0000000000000000000000000000000000001111'

function deposit(index: bigint, to: Address, value: bigint): L2IncomingMessage {
  return {
    kind: L1_MESSAGE_KIND.EthDeposit,
    poster,
    l1BlockNumber: 10n,
    timestamp: 1000n,
    requestId: numberToHex(index, { size: 32 }),
    l1BaseFee: 1n,
    data: hexToBytes(concat([to, numberToHex(value, { size: 32 })])),
    delayedMessagesRead: index + 1n,
  }
}

/** The Initialize message RollupEventInbox.rollupInitialized delivers: chainId ‖ version ‖ dataCost ‖ chainConfig. */
function initMessage(): L2IncomingMessage {
  const data = hexToBytes(concat([numberToHex(CHAIN_ID, { size: 32 }), '0x01', numberToHex(0, { size: 32 }), stringToHex('{}')]))
  return { kind: L1_MESSAGE_KIND.Initialize, poster, l1BlockNumber: 9n, timestamp: 900n, requestId: numberToHex(0n, { size: 32 }), l1BaseFee: 1n, data, delayedMessagesRead: 1n }
}

function signedTxMessage(raw: Hex): L2IncomingMessage {
  return { kind: L1_MESSAGE_KIND.L2Message, poster, l1BlockNumber: 11n, timestamp: 1010n, requestId: null, l1BaseFee: 0n, data: hexToBytes(concat(['0x04', raw])), delayedMessagesRead: 1n }
}

describe('devnet L2 state transition', () => {
  it('hashes a deposit exactly like the real Arbitrum One ArbitrumDepositTx', () => {
    const v = vector<{ expected: { l2DepositTx: { from: Address; to: Address; value: string; chainId: number; requestId: Hex; rawTransaction: Hex; hash: Hex } } }>(
      'sdk-tracing-deposit.expected.json',
    ).expected.l2DepositTx
    const tx = depositTransaction(v.chainId, v.requestId, v.from, v.to, BigInt(v.value))
    expect(tx.encoded).toBe(v.rawTransaction)
    expect(tx.hash).toBe(v.hash)
  })

  it('computes the send hash of the real Arbitrum One withdrawal (= its L2ToL1Tx hash topic)', () => {
    const v = vector<{ decodedExecuteTransaction: { l2Sender: Address; to: Address; l2Block: string; l1Block: string; l2Timestamp: string; value: string; data: Hex }; expected: { itemHash: Hex } }>(
      'sdk-tracing-withdraw.expected.json',
    )
    const d = v.decodedExecuteTransaction
    const hash = sendHashOf({ caller: d.l2Sender, destination: d.to, arbBlockNum: BigInt(d.l2Block), ethBlockNum: BigInt(d.l1Block), timestamp: BigInt(d.l2Timestamp), callvalue: BigInt(d.value), data: d.data })
    expect(hash).toBe(v.expected.itemHash)
  })

  it('executes transfers and withdrawEth with the documented gas, and drops invalid transactions', async () => {
    const chain = new L2Chain(CHAIN_ID)
    const user = privateKeyToAccount(generatePrivateKey())
    const dest = privateKeyToAccount(generatePrivateKey()).address
    await expect(new L2Chain(1).applyMessage(initMessage())).rejects.toThrow(/chain 412346/)
    await chain.applyMessage(initMessage())
    await chain.applyMessage(deposit(1n, user.address, parseEther('1')))
    expect(chain.account(user.address).balance).toBe(parseEther('1'))

    const fee = { chainId: CHAIN_ID, maxFeePerGas: L2_BASE_FEE * 10n, maxPriorityFeePerGas: 1n, type: 'eip1559' } as const
    const transfer = await user.signTransaction({ ...fee, nonce: 0, to: dest, value: 100n, gas: 21_000n })
    const b2 = await chain.applyMessage(signedTxMessage(transfer))
    expect(b2.transactions.map((t) => t.hash)).toEqual([keccak256(transfer)])
    expect(b2.receipts[0]?.gasUsed).toBe(21_000n)
    expect(chain.account(dest).balance).toBe(100n)
    expect(chain.account(user.address).balance).toBe(parseEther('1') - 100n - 21_000n * L2_BASE_FEE)

    const replay = await chain.applyMessage(signedTxMessage(transfer))
    expect(replay.transactions).toEqual([]) // wrong nonce: dropped, the block is still produced
    const wrongChain = await user.signTransaction({ ...fee, chainId: 1, nonce: 1, to: dest, value: 1n, gas: 21_000n })
    expect((await chain.applyMessage(signedTxMessage(wrongChain))).transactions).toEqual([])

    const withdraw = await user.signTransaction({
      ...fee,
      nonce: 1,
      to: ARB_SYS_ADDRESS,
      value: parseEther('0.5'),
      gas: 200_000n,
      data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [dest] }),
    })
    const before = chain.account(user.address).balance
    const b = await chain.applyMessage(signedTxMessage(withdraw))
    const receipt = b.receipts[0]
    expect(receipt?.status).toBe('success')
    const calldataGas = hexToBytes(encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [dest] })).reduce((g, byte) => g + (byte === 0 ? 4n : 16n), 0n)
    expect(receipt?.gasUsed).toBe(21_000n + calldataGas + ARBSYS_CALL_GAS)
    expect(chain.account(user.address).balance).toBe(before - parseEther('0.5') - (receipt?.gasUsed ?? 0n) * L2_BASE_FEE)
    const last = receipt?.logs.at(-1)
    if (!last) throw new Error('no logs')
    const event = decodeEventLog({ abi: arbSysAbi, eventName: 'L2ToL1Tx', topics: last.topics as [Hex, ...Hex[]], data: last.data })
    expect(event.args.position).toBe(0n)
    expect(event.args.callvalue).toBe(parseEther('0.5'))
    expect(numberToHex(event.args.hash ?? 0n, { size: 32 })).toBe(chain.sends[0]?.hash)
    expect(b.sendRoot).toBe(sendRootOf([chain.sends[0]?.hash as Hex]))
    expect(b.sendCount).toBe(1n)
    expect(BigInt(b.mixHash.slice(0, 18))).toBe(1n)
    expect(b.extraData).toBe(b.sendRoot)
    expect(keccak256(b.headerRlp)).toBe(b.hash)

    // An ArbSys call with too little gas fails and consumes all of it; an unknown ArbSys selector reverts.
    const starved = await user.signTransaction({ ...fee, nonce: 2, to: ARB_SYS_ADDRESS, value: 1n, gas: 30_000n, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [dest] }) })
    const s = await chain.applyMessage(signedTxMessage(starved))
    expect(s.receipts[0]?.status).toBe('reverted')
    expect(s.receipts[0]?.gasUsed).toBe(30_000n)
    expect(chain.sends.length).toBe(1)
  })

  it('runs contracts on a real EVM: a contract calls ArbSys, and a reverted frame leaves no send behind', async () => {
    const chain = new L2Chain(CHAIN_ID)
    const user = privateKeyToAccount(generatePrivateKey())
    await chain.applyMessage(initMessage())
    await chain.applyMessage(deposit(1n, user.address, parseEther('10')))
    const fee = { chainId: CHAIN_ID, maxFeePerGas: L2_BASE_FEE * 10n, maxPriorityFeePerGas: 0n, type: 'eip1559' } as const
    // Runtime: ArbSys.withdrawEth(CALLER){value: CALLVALUE}; revert if that call failed or if any calldata was given.
    const runtime: Hex = `0x7f25e16063${'00'.repeat(28)}600052336004526020600060246000346064 5af115603e57366 03e57005b600080fd`.replace(/ /g, '') as Hex
    const init: Hex = concat(['0x6043806' + '00b6000396000f3' as Hex, runtime])
    expect(hexToBytes(runtime).length).toBe(0x43)
    const deploy = await user.signTransaction({ ...fee, nonce: 0, gas: 200_000n, data: init })
    const d = await chain.applyMessage(signedTxMessage(deploy))
    const contract = d.receipts[0]?.contractAddress
    expect(d.receipts[0]?.status).toBe('success')
    if (!contract) throw new Error('no contract address')
    expect(await chain.codeAt(contract, d.number)).toBe(runtime)
    expect(await chain.codeAt(ARB_SYS_ADDRESS, d.number)).toBe('0xfe') // as Nitro installs at its precompiles

    const ok = await user.signTransaction({ ...fee, nonce: 1, to: contract, value: parseEther('1'), gas: 200_000n })
    const b = await chain.applyMessage(signedTxMessage(ok))
    expect(b.receipts[0]?.status).toBe('success')
    expect(chain.sends).toHaveLength(1)
    // The send's caller is the contract (msg.sender of the ArbSys call), its destination the user.
    expect(chain.sends[0]).toMatchObject({ caller: contract, destination: user.address, callvalue: parseEther('1'), arbBlockNum: b.number, position: 0n })
    expect(chain.sends[0]?.hash).toBe(sendHashOf(chain.sends[0] as never))
    expect(chain.account(contract).balance).toBe(0n) // ArbSys burned the value
    expect(chain.account(ARB_SYS_ADDRESS).balance).toBe(0n)
    expect(b.sendRoot).toBe(sendRootOf([chain.sends[0]?.hash as Hex]))

    const before = chain.account(user.address).balance
    const reverted = await user.signTransaction({ ...fee, nonce: 2, to: contract, value: parseEther('1'), gas: 200_000n, data: '0x01' })
    const r = await chain.applyMessage(signedTxMessage(reverted))
    expect(r.receipts[0]?.status).toBe('reverted')
    expect(r.receipts[0]?.logs).toEqual([])
    expect(chain.sends).toHaveLength(1) // the send made inside the reverted call is gone
    expect(r.sendCount).toBe(1n)
    expect(chain.account(user.address).balance).toBe(before - (r.receipts[0]?.gasUsed ?? 0n) * L2_BASE_FEE)
    expect(chain.account(user.address).nonce).toBe(3n)

    // eth_call on the EVM: ArbSys views answer with the L2 block number and chain id.
    const arbBlock = await chain.callAt({ from: user.address, to: ARB_SYS_ADDRESS, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'arbBlockNumber' }) }, r.number)
    expect(BigInt(arbBlock.returnData)).toBe(r.number)
    const gas = await chain.estimateGas({ from: user.address, to: contract, value: 1n })
    expect(gas).toBeGreaterThan(21_000n + ARBSYS_CALL_GAS)
    expect((await chain.callAt({ from: user.address, to: contract, value: 1n, gas: gas - 21_000n - 1n }, r.number)).status).toBe('reverted')
  })

  it('runs real Solidity: the nitro-contracts TestToken (OpenZeppelin ERC-20) deploys, transfers and emits Transfer', async () => {
    const artifact = readNitroArtifact('test-helpers/TestToken.sol', 'TestToken')
    const chain = new L2Chain(CHAIN_ID)
    const user = privateKeyToAccount(generatePrivateKey())
    const dest = privateKeyToAccount(generatePrivateKey()).address
    await chain.applyMessage(initMessage())
    await chain.applyMessage(deposit(1n, user.address, parseEther('1')))
    const fee = { chainId: CHAIN_ID, maxFeePerGas: L2_BASE_FEE * 10n, maxPriorityFeePerGas: 0n, type: 'eip1559' } as const
    const deploy = await user.signTransaction({ ...fee, nonce: 0, gas: 3_000_000n, data: encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args: [1000n] }) })
    const d = await chain.applyMessage(signedTxMessage(deploy))
    const token = d.receipts[0]?.contractAddress
    if (!token) throw new Error(`no token deployed (status ${d.receipts[0]?.status})`)
    expect(token).toBe(getContractAddress({ from: user.address, nonce: 0n }))
    const transfer = await user.signTransaction({ ...fee, nonce: 1, to: token, gas: 200_000n, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [dest, 250n] }) })
    const t = await chain.applyMessage(signedTxMessage(transfer))
    expect(t.receipts[0]?.status).toBe('success')
    const log = t.receipts[0]?.logs[0]
    if (!log) throw new Error('no Transfer log')
    expect(decodeEventLog({ abi: erc20Abi, topics: log.topics as [Hex, ...Hex[]], data: log.data }).args).toEqual({ from: user.address, to: dest, value: 250n })
    const balanceOf = async (who: Address, at: bigint) =>
      decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data: (await chain.callAt({ from: user.address, to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [who] }) }, at)).returnData })
    expect(await balanceOf(dest, t.number)).toBe(250n)
    expect(await balanceOf(user.address, t.number)).toBe(750n)
    expect(await balanceOf(dest, d.number)).toBe(0n) // history: the state of an older block
    // A transfer of more than the balance reverts (OpenZeppelin's require), costs gas, moves nothing.
    const tooMuch = await user.signTransaction({ ...fee, nonce: 2, to: token, gas: 200_000n, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [dest, 10_000n] }) })
    const r = await chain.applyMessage(signedTxMessage(tooMuch))
    expect(r.receipts[0]?.status).toBe('reverted')
    expect(await balanceOf(dest, r.number)).toBe(250n)
    expect(keccak256(r.headerRlp)).toBe(r.hash)
    expect(r.stateRoot).not.toBe(t.stateRoot) // the sender's nonce and balance moved
  })

  it('hands a retryable ticket (kind 9) to the onRetryable hook, whose calls run on the EVM as the ticket sender', async () => {
    const seen: bigint[] = []
    const aliased: Address = '0x0000000000000000000000000000000000002222'
    const beneficiary: Address = '0x0000000000000000000000000000000000003333'
    const chain = new L2Chain(CHAIN_ID, {
      onRetryable: async (message, block) => {
        seen.push(block.number)
        expect(message.kind).toBe(L1_MESSAGE_KIND.SubmitRetryable)
        await block.mint(aliased, 1000n)
        // A plain value call from the (aliased) sender, as an auto-redeem would make; no nonce check, no fee.
        const result = await block.call({ from: aliased, to: beneficiary, value: 400n, transactionHash: keccak256('0x01') })
        expect(result.status).toBe('success')
        block.include(depositTransaction(CHAIN_ID, message.requestId as Hex, aliased, beneficiary, 400n), result.status, 21_000n, result.logs)
      },
    })
    await chain.applyMessage(initMessage())
    const ticket: L2IncomingMessage = { ...deposit(1n, beneficiary, 0n), kind: L1_MESSAGE_KIND.SubmitRetryable }
    const b = await chain.applyMessage(ticket)
    expect(seen).toEqual([1n])
    expect(b.transactions).toHaveLength(1)
    expect(chain.account(beneficiary).balance).toBe(400n)
    expect(chain.account(aliased).balance).toBe(600n)
    // Without a hook a ticket makes an empty block.
    const bare = new L2Chain(CHAIN_ID)
    await bare.applyMessage(initMessage())
    expect((await bare.applyMessage(ticket)).transactions).toEqual([])
  })

  it('leaves the chain exactly as it was when building a block fails (state, sends, blocks), so the message can be applied again', async () => {
    const user = privateKeyToAccount(generatePrivateKey())
    let fail = true
    const chain = new L2Chain(CHAIN_ID, {
      onRetryable: async (_message, block) => {
        await block.mint(user.address, 5n)
        await block.call({ from: user.address, to: ARB_SYS_ADDRESS, value: 5n, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [user.address] }), transactionHash: keccak256('0x02') })
        if (fail) throw new Error('hook failed half-way')
      },
    })
    await chain.applyMessage(initMessage())
    const before = chain.latest()
    const ticket: L2IncomingMessage = { ...deposit(1n, user.address, 0n), kind: L1_MESSAGE_KIND.SubmitRetryable }
    await expect(chain.applyMessage(ticket)).rejects.toThrow(/half-way/)
    expect(chain.blocks).toHaveLength(1)
    expect(chain.sends).toHaveLength(0)
    fail = false
    const b = await chain.applyMessage(ticket)
    expect(b.parentHash).toBe(before?.hash)
    expect(chain.sends).toHaveLength(1) // one send, at position 0: the failed attempt left nothing behind
    expect(chain.sends[0]?.position).toBe(0n)
    expect(b.sendCount).toBe(1n)
  })

  it('executes a call to every Cancun precompile, KZG point evaluation included, instead of throwing', async () => {
    const chain = new L2Chain(CHAIN_ID)
    const user = privateKeyToAccount(generatePrivateKey())
    await chain.applyMessage(initMessage())
    await chain.applyMessage(deposit(1n, user.address, parseEther('1')))
    const fee = { chainId: CHAIN_ID, maxFeePerGas: L2_BASE_FEE * 10n, maxPriorityFeePerGas: 0n, type: 'eip1559' } as const
    for (let i = 1; i <= 10; i++) {
      const raw = await user.signTransaction({ ...fee, nonce: i - 1, to: numberToHex(i, { size: 20 }), value: 1n, gas: 100_000n, data: '0x00' })
      const b = await chain.applyMessage(signedTxMessage(raw))
      expect(b.transactions).toHaveLength(1)
    }
    // 0x0a with a 1-byte input is an invalid point-evaluation input: the call fails, the transaction is still mined.
    expect(chain.latest()?.receipts[0]?.status).toBe('reverted')
    expect(chain.executionErrors).toEqual([])
  })
})
