import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeFunctionData, toFunctionSelector, type Abi } from 'viem'
import { GENERATED_DIRS, ROOT, abiItemKey, generateAbiFiles } from './gen-abi'
import { optimismPortal2Abi } from '../contracts-abi/op-stack/OptimismPortal2'
import { anchorStateRegistryAbi } from '../contracts-abi/op-stack/AnchorStateRegistry'
import { rollupUserLogicAbi } from '../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { inboxAbi } from '../contracts-abi/arbitrum-nitro/Inbox'

describe('contracts-abi', () => {
  const files = generateAbiFiles()

  it('is in sync with the npm artifacts (regenerate with `npx tsx tools/gen-abi.ts`)', () => {
    for (const [path, content] of files) {
      expect(readFileSync(join(ROOT, path), 'utf8'), `${path} is stale`).toBe(content)
    }
  })

  it('holds no ABI file the generator does not write', () => {
    for (const dir of GENERATED_DIRS) {
      for (const name of readdirSync(join(ROOT, dir))) {
        if (name.endsWith('.ts') && !name.endsWith('.test.ts')) expect(files.has(`${dir}/${name}`), `${dir}/${name}`).toBe(true)
      }
    }
  })

  it('never lists the same function, event or error twice', () => {
    for (const [path, content] of files) {
      if (!path.endsWith('.ts')) continue
      const abi = JSON.parse(content.slice(content.indexOf('['), content.lastIndexOf(']') + 1)) as Abi
      const keys = abi.map(abiItemKey)
      expect(new Set(keys).size, path).toBe(keys.length)
    }
  })

  it('has both the npm 3.10 portal calls and the mainnet 5.x additions, with the selectors mainnet uses', () => {
    const names = new Set<string>(optimismPortal2Abi.filter((i) => i.type === 'function').map((i) => i.name))
    for (const name of ['proveWithdrawalTransaction', 'finalizeWithdrawalTransaction', 'finalizeWithdrawalTransactionExternalProof', 'checkWithdrawal', 'respectedGameType', 'proofMaturityDelaySeconds', 'disputeGameFinalityDelaySeconds', 'numProofSubmitters', 'proofSubmitters', 'provenWithdrawals', 'anchorStateRegistry', 'superRootsActive', 'depositTransaction']) {
      expect(names.has(name), name).toBe(true)
    }
    const proves = optimismPortal2Abi.filter((i) => i.type === 'function' && i.name === 'proveWithdrawalTransaction')
    expect(proves).toHaveLength(2)
    // The 4-argument prove is unchanged since portal 3.x: its selector must stay the one mainnet calls.
    expect(toFunctionSelector('proveWithdrawalTransaction((uint256,address,address,uint256,uint256,bytes),uint256,(bytes32,bytes32,bytes32,bytes32),bytes[])')).toBe('0x4870496f')
    const data = encodeFunctionData({
      abi: optimismPortal2Abi,
      functionName: 'finalizeWithdrawalTransactionExternalProof',
      args: [{ nonce: 1n, sender: '0x0000000000000000000000000000000000000001', target: '0x0000000000000000000000000000000000000002', value: 0n, gasLimit: 21000n, data: '0x' }, '0x0000000000000000000000000000000000000003'],
    })
    expect(data.slice(0, 10)).toBe('0x43ca1c50')
    expect(anchorStateRegistryAbi.some((i) => i.type === 'function' && i.name === 'isGameClaimValid')).toBe(true)
  })

  it('has the BoLD assertion API and the Inbox entry points', () => {
    const user = new Set<string>((rollupUserLogicAbi as Abi).map((i) => ('name' in i ? i.name : i.type)))
    for (const name of ['stakeOnNewAssertion', 'confirmAssertion', 'latestConfirmed', 'getAssertion', 'AssertionCreated', 'AssertionConfirmed']) expect(user.has(name), name).toBe(true)
    const inbox = new Set<string>((inboxAbi as Abi).map((i) => ('name' in i ? i.name : i.type)))
    for (const name of ['sendL2Message', 'sendL2MessageFromOrigin', 'sendUnsignedTransaction', 'createRetryableTicket', 'depositEth', 'InboxMessageDelivered']) expect(inbox.has(name), name).toBe(true)
  })
})
