/**
 * Test helper run as a separate process (bundled by flows/test-support/crashAndResume.ts, or `node --import tsx`):
 * resume the Arbitrum escape job ESCAPE_JOB_ID in ESCAPE_JOB_DIR (L1 at ESCAPE_L1_URL, the devnet L2 at
 * ESCAPE_L2_URL), dying right after the crash point the environment names (flows/test-support/crashingChild.ts).
 * Exits 3 when it needs the devnet validator to confirm an assertion (the parent test owns the devnet L2), 0 with
 * the result on stdout when the job is done, 4/1 on a temporary/other error.
 */
import { mine } from '../../../../devnet/timeTravel'
import { devnetPublicClient } from '../../../../devnet/devnetClients'
import { runChildJob, runCrashingChild } from '../../test-support/crashingChild'
import { runArbitrumEscape } from '../runArbitrumEscape'

/** The exit code of a child that needs the parent to confirm an assertion on the devnet L2. */
export const NEEDS_CONFIRMATION = 3

async function childMain(): Promise<unknown> {
  const env = process.env
  const l1 = devnetPublicClient(env.ESCAPE_L1_URL!)
  const l2 = devnetPublicClient(env.ESCAPE_L2_URL!)
  return runChildJob(({ journal, signer, jobId }) =>
    runArbitrumEscape(jobId, {
      store: journal,
      signer,
      l1,
      l2,
      waitForL1Block: async (block) => {
        const head = await l1.getBlockNumber()
        if (head < block) await mine(env.ESCAPE_L1_URL!, block - head, 12)
      },
      // The parent owns the devnet L2: it confirms the assertion and starts the next child.
      waitForConfirmation: async () => process.exit(NEEDS_CONFIRMATION),
      pause: () => new Promise((r) => setTimeout(r, 100)),
      broadcast: { pollIntervalMs: 100 },
      maxPauses: 300,
    }),
  )
}

if (process.env.ESCAPE_JOB_DIR) runCrashingChild(childMain)
