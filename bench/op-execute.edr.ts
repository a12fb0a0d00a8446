/**
 * EDR (revm's Node binding, @nomicfoundation/edr) on the user transactions of the real OP Sepolia blocks, for the
 * op-execute bench. EDR is not a project dependency: set EDR_DIR to a folder where it is installed
 * (`npm install @nomicfoundation/edr` in a scratch folder) to get these rows.
 *
 * EDR is a development node, not a block executor: it cannot take deposit transactions or a given header, so it
 * cannot reproduce OP blocks exactly. What it can run: the blocks' user transactions, in order, in one mined block
 * with the block's timestamp, prevRandao, coinbase and base fee, over the pre-state those transactions touch
 * (accounts, code and slots read from the parent state of the same witness). Per-transaction gas used and status
 * are compared with our exact execution; the time is `evm_mine` alone (best of 3).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Address, bytesToHex as ejsHex } from '@ethereumjs/util'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import type { ExecuteBlockReturnType } from '../shared/rollups/op-stack/execute/executeBlock'
import type { ExecutorVector } from '../shared/rollups/op-stack/execute/parseExecutorVector'
import { plainEvm, plainStateManager } from './op-execute.plain'

export interface EdrBlockResult {
  ms: number
  userTxs: number
  userGas: bigint
  /** User transactions whose gas used and status equal ours. */
  matching: number
}

/* eslint-disable @typescript-eslint/no-explicit-any -- EDR is loaded from EDR_DIR at run time, without its types */
type Edr = any

export function loadEdr(): Edr | undefined {
  const dir = process.env.EDR_DIR
  if (!dir) return undefined
  const require = createRequire(join(dir, 'package.json'))
  const edr = require('@nomicfoundation/edr')
  const manifest = JSON.parse(readFileSync(join(dir, 'node_modules/@nomicfoundation/edr/package.json'), 'utf8')) as { version?: string }
  return { ...edr, version: manifest.version }
}

/** Accounts and slots the block reads (recorded on a plain EVM run), with their parent-state values. */
async function touchedPreState(v: ExecutorVector) {
  const accounts = new Set<string>()
  const slots = new Map<string, Set<Hex>>()
  await plainEvm(v, (sm) => {
    const getAccount = sm.getAccount.bind(sm)
    const getStorage = sm.getStorage.bind(sm)
    sm.getAccount = async (a) => (accounts.add(a.toString()), getAccount(a))
    sm.getStorage = async (a, k) => {
      accounts.add(a.toString())
      const set = slots.get(a.toString()) ?? new Set<Hex>()
      slots.set(a.toString(), set.add(ejsHex(k)))
      return getStorage(a, k)
    }
  })
  const parentState = (await plainStateManager(v)).stateManager
  const out: { address: Hex; balance: bigint; nonce: bigint; code: Uint8Array; storage: [Hex, Hex][] }[] = []
  for (const a of accounts) {
    const address = new Address(hexToBytes(a as Hex))
    const account = await parentState.getAccount(address)
    if (!account) continue
    const storage: [Hex, Hex][] = []
    for (const k of slots.get(a) ?? []) {
      const value = await parentState.getStorage(address, hexToBytes(k))
      if (value.length > 0) storage.push([k, `0x${bytesToHex(value).slice(2).padStart(64, '0')}`])
    }
    out.push({ address: a as Hex, balance: account.balance, nonce: account.nonce, code: await parentState.getCode(address), storage })
  }
  return out
}

export async function runEdrBlock(edr: Edr, context: Edr, v: ExecutorVector, ours: ExecuteBlockReturnType): Promise<EdrBlockResult> {
  const pre = await touchedPreState(v)
  const user = v.attributes.transactions.map((hex, i) => ({ hex, i })).filter(({ hex }) => !hex.startsWith('0x7e'))
  let best = Infinity
  let receipts: { gasUsed: Hex; status: Hex }[] = []
  for (let round = 0; round < 3; round++) {
    const seeded = new Set(pre.map((p) => p.address.toLowerCase()))
    const genesisState = [
      ...(edr.opGenesisState(edr.OpHardfork.Holocene) as { address: Uint8Array }[]).filter((g) => !seeded.has(bytesToHex(g.address))),
      ...pre.map((p) => ({ address: hexToBytes(p.address), balance: p.balance, nonce: p.nonce, code: p.code })),
    ]
    const provider = await context.createProvider(
      edr.OP_CHAIN_TYPE,
      {
        allowBlocksWithSameTimestamp: false,
        allowUnlimitedContractSize: false,
        bailOnCallFailure: false,
        bailOnTransactionFailure: false,
        chainId: BigInt(v.config.l2ChainId),
        coinbase: hexToBytes(v.attributes.suggestedFeeRecipient),
        defaultTransactionGasLimit: v.attributes.gasLimit,
        genesisState,
        hardfork: edr.HOLOCENE,
        initialBaseFeePerGas: ours.header.baseFeePerGas,
        initialParentBeaconBlockRoot: hexToBytes(v.attributes.parentBeaconBlockRoot!),
        minGasPrice: 0n,
        mining: { autoMine: false, blockGasLimit: v.attributes.gasLimit, memPool: { order: edr.MineOrdering.Fifo } },
        network: { genesisBlockGasLimit: v.attributes.gasLimit, genesisBlockTime: v.attributes.timestamp - 100n },
        networkId: BigInt(v.config.l2ChainId),
        observability: {},
        ownedAccounts: [],
        precompileOverrides: [],
      },
      { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
      { subscriptionCallback: () => {} },
      new edr.ContractDecoder(),
    )
    let id = 0
    const rpc = async (method: string, params: unknown[]): Promise<any> => {
      const response = await provider.handleRequest(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
      const data = typeof response.data === 'string' ? JSON.parse(response.data) : response.data
      if (data.error) throw new Error(`EDR ${method}: ${JSON.stringify(data.error)}`)
      return data.result
    }
    for (const p of pre) for (const [k, value] of p.storage) await rpc('hardhat_setStorageAt', [p.address, k, value])
    await rpc('hardhat_setNextBlockBaseFeePerGas', [`0x${ours.header.baseFeePerGas!.toString(16)}`])
    await rpc('hardhat_setPrevRandao', [v.attributes.prevRandao])
    await rpc('evm_setNextBlockTimestamp', [`0x${v.attributes.timestamp.toString(16)}`])
    const hashes: Hex[] = []
    for (const { hex } of user) hashes.push(await rpc('eth_sendRawTransaction', [hex]))
    const t = performance.now()
    await rpc('evm_mine', [])
    best = Math.min(best, performance.now() - t)
    receipts = []
    for (const h of hashes) receipts.push(await rpc('eth_getTransactionReceipt', [h]))
  }
  let userGas = 0n
  let matching = 0
  for (const [k, { i }] of user.entries()) {
    const gas = ours.receipts[i]!.cumulativeGasUsed - (i === 0 ? 0n : ours.receipts[i - 1]!.cumulativeGasUsed)
    userGas += gas
    const r = receipts[k]
    if (r && BigInt(r.gasUsed) === gas && Number(r.status) === ours.receipts[i]!.status) matching++
  }
  return { ms: best, userTxs: user.length, userGas, matching }
}
