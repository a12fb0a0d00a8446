/**
 * Runs a deployment's init code in a fresh, empty EVM (@ethereumjs/evm over an in-memory state, Cancun rules) from its
 * deployer at nonce 0 and returns keccak256 of the code it leaves, and whether it wrote storage. A belt-and-braces check
 * of verifyNodeUpgradeTxs.ts's structural check: the bytes accepted must actually deploy the published code hash.
 */
import { Hardfork, Mainnet, createCustomCommon } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { SimpleStateManager } from '@ethereumjs/statemanager'
import { Address } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { getContractAddress, hexToBytes, type Hex } from 'viem'
import { toHex } from '../../../../eth/bytes'

export interface IsolatedDeployment {
  codeHash: Hex
  address: Hex
  /** The init code ran out of gas, reverted or halted. */
  error?: string
  storageWritten: boolean
}

export async function deployInIsolatedEvm(initCode: Uint8Array, from: Hex, gasLimit: bigint): Promise<IsolatedDeployment> {
  const common = createCustomCommon({ chainId: 1 }, Mainnet, { hardfork: Hardfork.Cancun })
  const stateManager = new SimpleStateManager()
  const evm = await createEVM({ common, stateManager })
  let storageWritten = false
  evm.events?.on('step', (s: { opcode: { name: string } }) => {
    if (s.opcode.name === 'SSTORE') storageWritten = true
  })
  // A deposit's intrinsic gas (21,000 + calldata) is charged by the executor, not the EVM frame: leave it out here.
  const r = await evm.runCall({ caller: new Address(hexToBytes(from)), data: initCode, gasLimit, to: undefined })
  const address = getContractAddress({ from, nonce: 0n }).toLowerCase() as Hex
  const code = await stateManager.getCode(new Address(hexToBytes(address)))
  return {
    codeHash: toHex(keccak_256(code)),
    address,
    ...(r.execResult.exceptionError ? { error: r.execResult.exceptionError.error } : {}),
    storageWritten,
  }
}
