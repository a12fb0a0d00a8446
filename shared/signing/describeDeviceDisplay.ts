/**
 * What a Ledger's Ethereum app will show for a request, computed before the device is asked, so the UI can show the
 * same values and ask the user to compare them. For a request with calldata we never resolve clear-signing metadata
 * (no call to Ledger's CDN), so the device blind-signs and shows the hash of the unsigned payload.
 */
import { formatEther, getAddress, type Hex } from 'viem'
import { maxFeeOf, signingHashOf, type UnsignedTxRequest } from './unsignedTxRequest'

export interface DeviceDisplayField {
  label: string
  value: string
}

export interface DeviceDisplay {
  /** 'clear': the device shows what the tx does (plain transfer). 'blind': it only shows a hash for calldata. */
  mode: 'clear' | 'blind'
  /** keccak256 of the unsigned payload: what the device signs, shown as "Transaction hash" when blind signing. */
  signingHash: Hex
  /** The screens, in order, as the user will see them. */
  fields: DeviceDisplayField[]
  /** What to tell the user before the device asks. */
  instruction: string
}

export function describeDeviceDisplay(request: UnsignedTxRequest): DeviceDisplay {
  const signingHash = signingHashOf(request)
  const blind = request.data !== '0x'
  const fields: DeviceDisplayField[] = [
    { label: 'Amount', value: `${formatEther(request.value)} ETH` },
    { label: 'Address', value: request.to === null ? 'Contract creation' : getAddress(request.to) },
    { label: 'Network', value: `chain ID ${request.chainId}` },
    { label: 'Max fees', value: `${formatEther(maxFeeOf(request))} ETH` },
  ]
  if (blind) fields.push({ label: 'Transaction hash', value: signingHash })
  const instruction = blind
    ? `Your Ledger will warn that it cannot decode this transaction (blind signing). Check that the hash it shows is ${signingHash} and that the address is ${fields[1]?.value ?? ''} before you approve.`
    : `Check the amount, address and network on your Ledger before you approve.`
  return { mode: blind ? 'blind' : 'clear', signingHash, fields, instruction }
}
