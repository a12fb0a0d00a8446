import { describe, expect, it } from 'vitest'
import { classifySendError } from './classifySendError'

describe('classifySendError', () => {
  it.each([
    ['already known', 'accepted'],
    ['Known transaction: 0xabc', 'accepted'],
    ['nonce too low: next nonce 5, tx nonce 4', 'nonce-too-low'],
    ['replacement transaction underpriced', 'underpriced'],
    ['max fee per gas less than block base fee: address 0x…, maxFeePerGas: 1, baseFee: 7', 'underpriced'],
    ['insufficient funds for gas * price + value: have 0 want 21000', 'insufficient-funds'],
    ['invalid chain id for signer', 'invalid'],
    ['intrinsic gas too low', 'invalid'],
    ['fetch failed', 'unavailable'],
    ['429 Too Many Requests', 'unavailable'],
  ])('%s → %s', (message, outcome) => {
    expect(classifySendError(new Error('RPC Request failed.', { cause: new Error(message) }))).toBe(outcome)
  })
})
