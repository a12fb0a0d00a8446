import { describe, expect, it } from 'vitest'
import { encodeAbiParameters, encodeEventTopics, keccak256, type Hex } from 'viem'
import { l2ToL1MessagePasserAbi } from '../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import { UntrustedL2DataError } from '../derive/start/errors'
import { computeWithdrawalHash } from '../proof/withdrawalProof'
import { findMessagePassed } from './findMessagePassed'
import { messagePasserWithdrawal } from './test-support/l2WithdrawalState'

const w = messagePasserWithdrawal({ n: 3n, sender: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6', target: '0x000000000000000000000000000000000000bEEF', value: 42n, data: '0x1234' })

function log(hash: Hex) {
  return {
    address: L2_TO_L1_MESSAGE_PASSER,
    topics: encodeEventTopics({ abi: l2ToL1MessagePasserAbi, eventName: 'MessagePassed', args: { nonce: w.nonce, sender: w.sender, target: w.target } }) as Hex[],
    data: encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'bytes32' }], [w.value, w.gasLimit, w.data, hash]),
    logIndex: 4,
  }
}

describe('findMessagePassed', () => {
  it('rebuilds the WithdrawalTransaction of a MessagePassed event and checks its hash', () => {
    const other = { ...log(computeWithdrawalHash(w)), address: '0x0000000000000000000000000000000000000001' }
    expect(findMessagePassed({ logs: [other, log(computeWithdrawalHash(w))] })).toEqual([{ withdrawal: w, withdrawalHash: computeWithdrawalHash(w), logIndex: 4 }])
  })
  it('refuses an event whose withdrawal hash is not the hash of its fields, naming the source', () => {
    expect(() => findMessagePassed({ logs: [log(keccak256('0x01'))] }, 'l2.example')).toThrow(UntrustedL2DataError)
    expect(() => findMessagePassed({ logs: [log(keccak256('0x01'))] }, 'l2.example')).toThrow(/\(L2 node l2\.example\)/)
  })
})
