// The engine's signer opening (used by the CLI and the app): the guards of a job's signer, the drill key taking the
// chain ids the job saved, and the air-gapped signer taking the job's export folder. Real signers, a real journal.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { recoverTransactionAddress, type TransactionSerialized } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { afterAll, describe, expect, it } from 'vitest'
import { ARBITRUM_ONE } from '../../../shared/rollups/arbitrum-nitro/networks'
import { DrillKeyChainRefusedError } from '../../../shared/signing/errors'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { toJobParams, type ArbitrumEscapeParams } from '../flows/arbitrum/arbitrumEscapeJob'
import { JobPausedError } from '../journal/JobPausedError'
import { JournalStore } from '../journal/JournalStore'
import { DRILL_MNEMONIC } from '../signers/drill-key/DrillKeySigner'
import { FileSigner } from '../signers/file/FileSigner'
import { arbitrumJobSignerParams } from './jobSignerParams'
import { checkSignerForNetwork, openJobSigner, SignerNotAllowedError } from './openJobSigner'

const dir = mkdtempSync(join(tmpdir(), 'eh-open-signer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const mainnet = ARBITRUM_ONE
const devnet = { ...mainnet, name: 'devnet', l1ChainId: 31337, l2ChainId: 412346 }
const account = mnemonicToAccount(DRILL_MNEMONIC)
const params = (network: typeof devnet, signer?: ArbitrumEscapeParams['signer']): ArbitrumEscapeParams => ({
  network, account: account.address, signerPath: "44'/60'/0'/0/0", destination: account.address, amountWei: '1', ...(signer ? { signer } : {}),
})
const request = (chainId: number): UnsignedTxRequest => ({
  type: 'eip1559', chainId, nonce: 0, gas: 21_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, to: account.address, value: 1n, data: '0x',
})

describe('checkSignerForNetwork', () => {
  it('refuses the drill signers on a network settling on Ethereum mainnet, not the Ledger or the file signer', () => {
    for (const kind of ['soft-ledger', 'drill-key'] as const) {
      const error = (() => {
        try {
          checkSignerForNetwork(kind, mainnet, { allowAnyChain: true })
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(SignerNotAllowedError)
      expect((error as SignerNotAllowedError).missingChainIds).toEqual([])
      expect((error as SignerNotAllowedError).kind).toBe('user-action')
    }
    expect(() => checkSignerForNetwork('ledger', mainnet, {})).not.toThrow()
    expect(() => checkSignerForNetwork('file', mainnet, {})).not.toThrow()
  })

  it('wants the drill key allowed both chains of the escape (or allowAnyChain)', () => {
    const error = (() => {
      try {
        checkSignerForNetwork('drill-key', devnet, {})
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(SignerNotAllowedError)
    expect((error as SignerNotAllowedError).missingChainIds).toEqual([412346])
    expect(() => checkSignerForNetwork('drill-key', devnet, { devnetChainIds: [31337, 412346] })).not.toThrow()
    expect(() => checkSignerForNetwork('drill-key', devnet, { allowAnyChain: true })).not.toThrow()
  })
})

describe('openJobSigner', () => {
  it('opens the drill key for the chain ids the job saved: it signs on both, and refuses any other', async () => {
    const store = await JournalStore.open(join(dir, 'jobs'))
    try {
      const opened = await openJobSigner({
        kind: 'drill-key', store, jobId: 'j', params: arbitrumJobSignerParams(params(devnet, { kind: 'drill-key', devnetChainIds: [31337, 412346] })), defaultExportDir: dir, resumeCommand: () => 'resume',
      })
      try {
        for (const chainId of [31337, 412346]) {
          const signed = await opened.signer.signTransaction({ path: "44'/60'/0'/0/0", request: request(chainId) })
          expect(await recoverTransactionAddress({ serializedTransaction: signed.raw as TransactionSerialized })).toBe(account.address)
        }
        await expect(opened.signer.signTransaction({ path: "44'/60'/0'/0/0", request: request(1) })).rejects.toBeInstanceOf(DrillKeyChainRefusedError)
      } finally {
        await opened.release()
      }
      // Without the saved chain ids the guard refuses before anything is opened.
      await expect(openJobSigner({ kind: 'drill-key', store, jobId: 'j', params: arbitrumJobSignerParams(params(devnet)), defaultExportDir: dir, resumeCommand: () => 'resume' })).rejects.toBeInstanceOf(SignerNotAllowedError)
    } finally {
      store.close()
    }
  })

  it('opens the air-gapped signer on the job: it exports to the job\'s folder unless another is given', async () => {
    const store = await JournalStore.open(join(dir, 'jobs'))
    try {
      for (const [exportDir, expected] of [[undefined, join(dir, 'saved')], [join(dir, 'given'), join(dir, 'given')]] as const) {
        const job = await store.createJob({ kind: 'arb-escape', title: 'test', params: toJobParams(params(mainnet, { kind: 'file', exportDir: join(dir, 'saved') })) })
        const opened = await openJobSigner({ kind: 'file', store, jobId: job.id, params: arbitrumJobSignerParams(params(mainnet, { kind: 'file', exportDir: join(dir, 'saved') })), exportDir, defaultExportDir: dir, resumeCommand: () => 'resume' })
        try {
          expect(opened.signer).toBeInstanceOf(FileSigner)
          const pause = await opened.signer.signTransaction({ path: "44'/60'/0'/0/0", request: request(1) }).catch((e: unknown) => e)
          expect(pause).toBeInstanceOf(JobPausedError)
          expect((pause as JobPausedError).files).toHaveLength(1)
          expect(dirname((pause as JobPausedError).files[0]!)).toBe(expected)
        } finally {
          await opened.release()
        }
      }
    } finally {
      store.close()
    }
  })
})
