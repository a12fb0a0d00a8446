/**
 * Ledger's JS packages, loaded through CommonJS. Their ESM builds (lib-es/) use extensionless relative imports that
 * plain Node and tsx cannot resolve (notes/tooling.md §2 Pitfalls), so every module here goes through
 * createRequire; types come from the packages' own declarations.
 */
import { createRequire } from 'node:module'
import type TransportType from '@ledgerhq/hw-transport'
import type { TransportError as TransportErrorType, TransportStatusError as TransportStatusErrorType } from '@ledgerhq/hw-transport'
import type EthType from '@ledgerhq/hw-app-eth'
import type TransportNodeHidType from '@ledgerhq/hw-transport-node-hid'

const require = createRequire(import.meta.url)

interface TransportModule {
  default: typeof TransportType
  TransportError: typeof TransportErrorType
  TransportStatusError: typeof TransportStatusErrorType
}

const transportModule = require('@ledgerhq/hw-transport') as TransportModule

export const Transport = transportModule.default
export type Transport = TransportType
export const TransportError = transportModule.TransportError
export const TransportStatusError = transportModule.TransportStatusError

export type Eth = EthType
export function loadEth(): typeof EthType {
  return (require('@ledgerhq/hw-app-eth') as { default: typeof EthType }).default
}

/** node-hid is a native module: load it only when a real device is wanted, never in tests of the software Ledger. */
export function loadTransportNodeHid(): typeof TransportNodeHidType {
  return (require('@ledgerhq/hw-transport-node-hid') as { default: typeof TransportNodeHidType }).default
}
