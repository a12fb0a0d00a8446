/**
 * A broadcaster process for the crash-resume test. It does what a flow does on every start: resume the step from the
 * journal; only if nothing live is journaled, sign with the software Ledger and send. With `--crash <point>` it
 * stops at that point (prints CRASH-POINT and hangs) so the test can SIGKILL it there.
 *
 *   node --import tsx crashingSender.ts --journal DIR --job ID --rpc URL --to ADDR --crash after-journal|after-send|none
 */
import { parseArgs } from 'node:util'
import { parseEther, parseGwei, type Address } from 'viem'
import { JournalStore } from '../../journal/JournalStore'
import { LedgerDeviceManager } from '../../signers/ledger/LedgerDeviceManager'
import { LedgerSigner } from '../../signers/ledger/LedgerSigner'
import { SoftLedgerDevice } from '../../signers/soft-ledger/SoftLedgerTransport'
import { SoftLedgerDeviceSource } from '../../signers/soft-ledger/softLedgerDeviceSource'
import { resumeJournaled } from '../resumeJournaled'
import { sendJournaled } from '../sendJournaled'
import { devnetPublicClient } from '../../../devnet/devnetClients'

const { values } = parseArgs({
  options: { journal: { type: 'string' }, job: { type: 'string' }, rpc: { type: 'string' }, to: { type: 'string' }, crash: { type: 'string', default: 'none' } },
})
const { journal, job, rpc, to, crash } = values as { journal: string; job: string; rpc: string; to: Address; crash: string }
const STEP = 'withdraw'
const PATH = "44'/60'/0'/0/0"

function hangAt(point: string): () => Promise<void> {
  return async () => {
    if (crash !== point) return
    process.stdout.write(`CRASH-POINT ${point}\n`)
    await new Promise(() => setInterval(() => undefined, 1_000)) // wait for SIGKILL
  }
}

const store = await JournalStore.open(journal)
const options = { store, jobId: job, step: STEP, endpoints: [rpc], pollIntervalMs: 50 }
const resumed = await resumeJournaled(options)
if (resumed) {
  process.stdout.write(`RESULT ${JSON.stringify({ resumed: true, signatures: 0, hash: resumed.hash, status: resumed.status })}\n`)
} else {
  const device = new SoftLedgerDevice()
  const source = new SoftLedgerDeviceSource()
  source.plug(device)
  const manager = new LedgerDeviceManager(source)
  const signer = new LedgerSigner({ device: manager.device(), kind: 'soft-ledger' })
  const client = devnetPublicClient(rpc)
  const from = device.addressAt(PATH)
  const nonce = await client.getTransactionCount({ address: from, blockTag: 'pending' })
  const signed = await signer.signTransaction({
    path: PATH,
    request: { type: 'eip1559', chainId: await client.getChainId(), nonce, gas: 21_000n, maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1'), to, value: parseEther('1'), data: '0x' },
  })
  const result = await sendJournaled({ ...options, signed, hooks: { afterJournal: hangAt('after-journal'), afterSend: hangAt('after-send') } })
  const signatures = device.prompts.filter((p) => p.kind === 'sign-transaction').length
  process.stdout.write(`RESULT ${JSON.stringify({ resumed: false, signatures, hash: result.hash, status: result.status })}\n`)
  await manager.stop()
}
store.close()
