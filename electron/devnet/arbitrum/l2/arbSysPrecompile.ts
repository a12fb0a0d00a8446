import { EVMError, type EVM, type ExecResult, type PrecompileInput } from '@ethereumjs/evm'
import type { Message } from '@ethereumjs/evm'
import { Account, Address as EjsAddress } from '@ethereumjs/util'
import {
  bytesToHex,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionResult,
  getAddress,
  hexToBigInt,
  hexToBytes,
  parseAbi,
  zeroHash,
  type Address,
  type Hex,
} from 'viem'
import type { L2Send } from './l2Types'
import type { SendMerkleAccumulator } from './sendMerkleTree'
import { sendHashOf } from './sendHash'

/**
 * ArbSys (0x64) emulated as an @ethereumjs/evm precompile for the devnet L2 (nitro precompiles/ArbSys.go, notes
 * §3.1). Served: `withdrawEth`, `sendTxToL1` (the call value is burned, the send hash appended to the send Merkle
 * accumulator, `SendMerkleUpdate` and `L2ToL1Tx` emitted), `arbBlockNumber`, `arbChainID`, `arbOSVersion`. Any other
 * selector reverts, as an unknown method of a Nitro precompile does.
 *
 * A precompile does not see its caller or call value, so the emulator follows the EVM's message frames
 * (beforeMessage / afterMessage): each frame collects the sends made inside it, a frame that fails drops them, and a
 * successful one hands them to its parent — exactly the sends of the state that survives, as ArbOS's accumulator
 * (kept in ArbOS storage, so reverted with it) does.
 */
export const ARB_SYS_ADDRESS: Address = '0x0000000000000000000000000000000000000064'
/** Fixed execution gas charged for an ArbSys send (a devnet constant, not ArbOS's metering). */
export const ARBSYS_CALL_GAS = 50_000n
/** Fixed execution gas for ArbSys views. */
export const ARBSYS_VIEW_GAS = 700n

export const arbSysAbi = parseAbi([
  'function withdrawEth(address destination) payable returns (uint256)',
  'function sendTxToL1(address destination, bytes data) payable returns (uint256)',
  'event L2ToL1Tx(address caller, address indexed destination, uint256 indexed hash, uint256 indexed position, uint256 arbBlockNum, uint256 ethBlockNum, uint256 timestamp, uint256 callvalue, bytes data)',
  'event SendMerkleUpdate(uint256 indexed reserved, bytes32 indexed hash, uint256 indexed position)',
  // Views after the events: tests and callers index the events at [2] and [3].
  'function arbBlockNumber() view returns (uint256)',
  'function arbChainID() view returns (uint256)',
  'function arbOSVersion() view returns (uint256)',
])

export interface ArbSysBlockContext {
  /** The L2 block number (arbBlockNumber). */
  number: bigint
  l1BlockNumber: bigint
  timestamp: bigint
  chainId: number
  arbOSVersion: bigint
  transactionHash: Hex
}

interface Frame {
  caller: Address
  value: bigint
  isStatic: boolean
  sends: L2Send[]
}

export class ArbSysEmulator {
  private frames: Frame[] = []
  private context: ArbSysBlockContext | undefined
  private committedSends: L2Send[] = []

  /**
   * @param accumulator the chain's committed accumulator (read only here: sends of a running transaction are
   *   appended by the chain once the transaction is done).
   */
  constructor(private readonly accumulator: () => SendMerkleAccumulator) {}

  /** Follow the EVM's message frames. Call once per EVM. */
  attach(evm: EVM): void {
    evm.events.on('beforeMessage', (message: Message) => {
      this.frames.push({ caller: getAddress(message.caller.toString()), value: message.value, isStatic: message.isStatic, sends: [] })
    })
    evm.events.on('afterMessage', (result) => {
      const frame = this.frames.pop()
      if (!frame || result.execResult.exceptionError !== undefined) return
      const parent = this.frames[this.frames.length - 1]
      if (parent) parent.sends.push(...frame.sends)
      else this.committedSends.push(...frame.sends)
    })
  }

  /** Start a transaction (or an eth_call) in this block context. */
  begin(context: ArbSysBlockContext): void {
    this.context = context
    this.frames = []
    this.committedSends = []
  }

  /** The sends of the transaction that survived (in order); resets the emulator. */
  finish(): L2Send[] {
    const sends = this.committedSends
    this.context = undefined
    this.frames = []
    this.committedSends = []
    return sends
  }

  /** The precompile function for `customPrecompiles`. */
  readonly precompile = async (input: PrecompileInput): Promise<ExecResult> => {
    const frame = this.frames[this.frames.length - 1]
    const ctx = this.context
    if (!frame || !ctx) return revert(input.gasLimit, 'ArbSys called outside a transaction')
    let call: ReturnType<typeof decodeFunctionData<typeof arbSysAbi>>
    try {
      call = decodeFunctionData({ abi: arbSysAbi, data: bytesToHex(input.data) })
    } catch {
      return revert(0n, 'unknown ArbSys method')
    }
    const view = (value: bigint): ExecResult => {
      if (frame.value > 0n) return revert(ARBSYS_VIEW_GAS, 'non-payable ArbSys method called with value')
      if (input.gasLimit < ARBSYS_VIEW_GAS) return outOfGas(input.gasLimit)
      return { executionGasUsed: ARBSYS_VIEW_GAS, returnValue: hexToBytes(encodeAbiParameters([{ type: 'uint256' }], [value])) }
    }
    switch (call.functionName) {
      case 'arbBlockNumber':
        return view(ctx.number)
      case 'arbChainID':
        return view(BigInt(ctx.chainId))
      case 'arbOSVersion':
        return view(ctx.arbOSVersion)
      case 'withdrawEth':
      case 'sendTxToL1': {
        if (input.gasLimit < ARBSYS_CALL_GAS) return outOfGas(input.gasLimit)
        // A send writes ArbOS state: refused in a static context, as Nitro's precompile wrapper does.
        if (frame.isStatic) return revert(ARBSYS_CALL_GAS, 'ArbSys send in a static call')
        const destination = getAddress(call.args[0])
        const data: Hex = call.functionName === 'sendTxToL1' ? call.args[1] : '0x'
        // Position = the accumulator's size with the sends of this transaction still alive (a reverted frame's
        // sends are gone, so a later send takes its place, as ArbOS's reverted storage would).
        const working = this.accumulator().clone()
        for (const f of [{ sends: this.committedSends }, ...this.frames]) for (const s of f.sends) working.append(s.hash)
        const send: L2Send = {
          hash: zeroHash,
          position: BigInt(working.size),
          caller: frame.caller,
          destination,
          arbBlockNum: ctx.number,
          ethBlockNum: ctx.l1BlockNumber,
          timestamp: ctx.timestamp,
          callvalue: frame.value,
          data,
          transactionHash: ctx.transactionHash,
        }
        send.hash = sendHashOf(send)
        const logs: [Uint8Array, Uint8Array[], Uint8Array][] = []
        const arbSys = hexToBytes(ARB_SYS_ADDRESS)
        for (const event of working.append(send.hash)) {
          const topics = encodeEventTopics({
            abi: arbSysAbi,
            eventName: 'SendMerkleUpdate',
            args: { reserved: 0n, hash: event.hash, position: (BigInt(event.level) << 192n) | BigInt(event.leaf) },
          }) as Hex[]
          logs.push([arbSys, topics.map((t) => hexToBytes(t)), new Uint8Array(0)])
        }
        const topics = encodeEventTopics({ abi: arbSysAbi, eventName: 'L2ToL1Tx', args: { destination, hash: hexToBigInt(send.hash), position: send.position } }) as Hex[]
        const eventData = encodeAbiParameters(
          [{ type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }],
          [send.caller, send.arbBlockNum, send.ethBlockNum, send.timestamp, send.callvalue, send.data],
        )
        logs.push([arbSys, topics.map((t) => hexToBytes(t)), hexToBytes(eventData)])
        // ArbSys burns the value the call brought (nitro ArbSys.go SendTxToL1: BurnBalance of the precompile).
        if (frame.value > 0n) {
          const evm = input._EVM as EVM
          const at = new EjsAddress(arbSys)
          const account = (await evm.stateManager.getAccount(at)) ?? new Account()
          account.balance -= frame.value
          await evm.journal.putAccount(at, account)
        }
        frame.sends.push(send)
        return {
          executionGasUsed: ARBSYS_CALL_GAS,
          returnValue: hexToBytes(encodeFunctionResult({ abi: arbSysAbi, functionName: call.functionName, result: send.position })),
          logs,
        }
      }
    }
    return revert(0n, 'unknown ArbSys method')
  }
}

function outOfGas(gasLimit: bigint): ExecResult {
  return { returnValue: new Uint8Array(0), executionGasUsed: gasLimit, exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS) }
}

function revert(gas: bigint, _why: string): ExecResult {
  return { returnValue: new Uint8Array(0), executionGasUsed: gas, exceptionError: new EVMError(EVMError.errorMessages.REVERT) }
}
