/**
 * OP Stack L2 predeploy addresses (specs/protocol/predeploys.md), named once. Proxies at 0x4200…: the address is the
 * same on every OP Stack chain; the code behind it changes at upgrades.
 */
import type { Hex } from './bytes'

export const GAS_PRICE_ORACLE: Hex = '0x420000000000000000000000000000000000000f'
export const SEQUENCER_FEE_VAULT: Hex = '0x4200000000000000000000000000000000000011'
export const L1_BLOCK: Hex = '0x4200000000000000000000000000000000000015'
export const L2_TO_L1_MESSAGE_PASSER: Hex = '0x4200000000000000000000000000000000000016'
export const BASE_FEE_VAULT: Hex = '0x4200000000000000000000000000000000000019'
export const L1_FEE_VAULT: Hex = '0x420000000000000000000000000000000000001a'
export const OPERATOR_FEE_VAULT: Hex = '0x420000000000000000000000000000000000001b'
