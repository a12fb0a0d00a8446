// `arb decode-batch --network … --l1-rpc …` on an AnyTrust batch: the committee keyset is read from the devnet's real
// SequencerInbox (the rollup owner commits it with setValidKeyset, as on Nova) and the certificate's BLS signature is
// verified against it; a forged signature is refused naming the batch; a batch from before the keyset was committed
// (--l1-block) is refused because the SequencerInbox did not hold that keyset valid there.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { bytesToHex, encodeFunctionData, hexToBytes, parseAbi, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sequencerInboxAbi } from '../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { encodeDasCertificate, MIN_DAS_CERT_LIFETIME_SECONDS } from '../../../shared/rollups/arbitrum-nitro/anytrust/dasCertificate'
import { dasTreeHash } from '../../../shared/rollups/arbitrum-nitro/anytrust/dasTreeHash'
import { encodeBatchHeader } from '../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'
import { makeTestCommittee } from '../../services/flows/arbitrum/test-support/dasCommittee'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-l1keyset-'))
const committee = makeTestCommittee([11n, 22n, 33n, 44n], 2n)
const header = { minTimestamp: 0n, maxTimestamp: 1_696_253_835n, minL1Block: 0n, maxL1Block: 18_263_190n, afterDelayedMessagesRead: 0n }
const fields = { dataHash: dasTreeHash(new TextEncoder().encode('a batch the committee stored')), timeout: header.maxTimestamp + MIN_DAS_CERT_LIFETIME_SECONDS, version: 1 }
/** UpgradeExecutorMock (nitro-contracts mocks): the rollup owner's call-through. */
const upgradeExecutorAbi = parseAbi(['function executeCall(address target, bytes targetCallData) payable'])
let devnet: Devnet
let networkFile: string
let committedAt: bigint

function batchFile(name: string, signature: Hex): string {
  const cert = encodeDasCertificate({ keysetHash: committee.keysetHash, ...fields, signersMask: 0b1011n, signature })
  const file = path.join(home, name)
  fs.writeFileSync(file, bytesToHex(new Uint8Array([...encodeBatchHeader(header), ...hexToBytes(cert)])))
  return file
}

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  const network = devnet.arbitrum!.network
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...network, l2RpcUrl: undefined }))
  const deployer = privateKeyToAccount(devnet.anvil.accounts[DEVNET_ROLES.deployer]!.privateKey as Hex)
  const hash = await devnetWalletClient(devnet.l1.rpcUrl, deployer).writeContract({
    address: devnet.arbitrum!.extraContracts.upgradeExecutor, abi: upgradeExecutorAbi, functionName: 'executeCall', chain: null,
    args: [network.contracts.sequencerInbox, encodeFunctionData({ abi: sequencerInboxAbi, functionName: 'setValidKeyset', args: [bytesToHex(committee.keysetBytes)] })],
  })
  const receipt = await devnetPublicClient(devnet.l1.rpcUrl).waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  committedAt = receipt.blockNumber
}, 180_000)
afterAll(async () => {
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function cli(file: string, ...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(
    ['arb', 'decode-batch', file, '--format', 'sequencer-message', '--network', networkFile, '--l1-rpc', devnet.l1.rpcUrl, ...argv],
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal,
  )
  return { code, stdout, stderr }
}

describe('arb decode-batch: certificate checked against the keyset committed on L1 (devnet SequencerInbox)', () => {
  it('3 of 4 members signed: verified against the committed keyset', async () => {
    const r = await cli(batchFile('good.hex', committee.sign(fields, [0, 1, 3])), '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { dasSignature: Record<string, unknown>; dataOnL1: boolean }
    expect(out.dataOnL1).toBe(false)
    expect(out.dasSignature).toMatchObject({ checked: true, against: 'l1', keysetHash: committee.keysetHash, keysetCreationBlock: committedAt.toString(), signers: 3, committee: 4 })
  })

  it('a forged signature (member 2 signed, the mask names member 3) is refused naming the batch', async () => {
    const r = await cli(batchFile('forged.hex', committee.sign(fields, [0, 1, 2])))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('The AnyTrust certificate of forged.hex has a BLS signature that does not verify against the 3 committee key(s) it names; it was refused.')
  })

  it('at an L1 block before the keyset was committed: refused, the SequencerInbox did not hold it valid', async () => {
    const r = await cli(batchFile('good.hex', committee.sign(fields, [0, 1, 3])), '--l1-block', String(committedAt - 1n))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`does not hold valid at L1 block ${committedAt - 1n}`)
  })
})
