/**
 * Signing costs on this machine: the software Ledger through the real hw-app-eth (APDU framing, chunking, the
 * signer's checks) versus the drill key, and verifying an imported signed file. No goals in the issue; informative.
 */
import { toHex } from 'viem'
import { buildSignedTxFile } from '../shared/signing/buildSignedTxFile'
import { buildUnsignedTxFile, parseUnsignedTxFile } from '../shared/signing/buildUnsignedTxFile'
import type { UnsignedTxRequest } from '../shared/signing/unsignedTxRequest'
import { verifySignedTxFile } from '../shared/signing/verifySignedTxFile'
import { DrillKeySigner } from '../electron/services/signers/drill-key/DrillKeySigner'
import { LedgerDeviceManager } from '../electron/services/signers/ledger/LedgerDeviceManager'
import { LedgerSigner } from '../electron/services/signers/ledger/LedgerSigner'
import { SoftLedgerDeviceSource } from '../electron/services/signers/soft-ledger/softLedgerDeviceSource'
import type { BenchRow } from './types'

const PATH0 = "44'/60'/0'/0/0"
const request: UnsignedTxRequest = {
  type: 'eip1559', chainId: 1, nonce: 1, gas: 500_000n, maxFeePerGas: 30n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n,
  to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 0n, data: toHex(new Uint8Array(1300).fill(0x42)),
}

async function perOp(n: number, f: (i: number) => Promise<unknown>): Promise<number> {
  await f(0) // warm-up
  const t = performance.now()
  for (let i = 1; i <= n; i++) await f(i)
  return (performance.now() - t) / n
}

export default async function (): Promise<BenchRow[]> {
  const source = new SoftLedgerDeviceSource()
  source.plug()
  const manager = new LedgerDeviceManager(source)
  const ledger = new LedgerSigner({ device: manager.device(), kind: 'soft-ledger' })
  const drill = new DrillKeySigner({ devnetChainId: 1 })
  try {
    const softMs = await perOp(20, (i) => ledger.signTransaction({ path: PATH0, request: { ...request, nonce: i } }))
    const drillMs = await perOp(50, (i) => drill.signTransaction({ path: PATH0, request: { ...request, nonce: i } }))
    const from = drill.addressAt(PATH0)
    const { text } = buildUnsignedTxFile({ request, from, path: PATH0, intent: { summary: 'bench' }, createdAt: new Date().toISOString() })
    const { file } = parseUnsignedTxFile(text)
    const signed = await drill.signTransaction({ path: PATH0, request })
    const signedText = buildSignedTxFile({ unsigned: file, signed, signer: { kind: 'drill-key', path: PATH0 }, signedAt: new Date().toISOString() }).text
    const verifyMs = await perOp(50, () => verifySignedTxFile({ text: signedText, request, from, unsignedChecksum: file.checksum }))
    return [
      { name: 'software Ledger sign, EIP-1559 with 1.3 KB data (hw-app-eth, 7 APDUs, incl. config + address checks)', value: round(softMs), unit: 'ms' },
      { name: 'drill key sign, same tx', value: round(drillMs), unit: 'ms' },
      { name: 'verify an imported signed file (schema, checksum, fields, signature)', value: round(verifyMs), unit: 'ms' },
    ]
  } finally {
    await manager.stop()
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100
}
