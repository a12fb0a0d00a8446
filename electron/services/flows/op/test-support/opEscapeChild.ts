/**
 * Test helper run as a separate process (bundled by flows/test-support/crashAndResume.ts, or `node --import tsx`):
 * resume the OP escape job ESCAPE_JOB_ID in ESCAPE_JOB_DIR against the devnet the parent test owns (its L1 at
 * ESCAPE_L1_URL with chain id ESCAPE_L1_CHAIN_ID, its untrusted L2 node at ESCAPE_L2_URL), dying right after the
 * crash point the environment names (flows/test-support/crashingChild.ts). Exits 0 with the result as JSON on
 * stdout, 4 when the job stopped with a temporary error (resume later), 1 with any other error on stderr.
 *
 * Waiters move the devnet L1 as a drill does (devnetOpDeps.ts): block waits mine blocks, time waits move L1 time,
 * pauses mine a block so the devnet L2 (building on its own timer in the parent) moves on.
 */
import { openL1Gateway } from '../../../l1/openL1Gateway'
import { runChildJob, runCrashingChild } from '../../test-support/crashingChild'
import { runOpEscape } from '../runOpEscape'
import { devnetL2NodeSource, devnetWaiters } from './devnetOpDeps'

async function childMain(): Promise<unknown> {
  const env = process.env
  const l1Url = env.ESCAPE_L1_URL!
  const gateway = await openL1Gateway({ urls: [l1Url], l1ChainId: Number(env.ESCAPE_L1_CHAIN_ID) })
  return runChildJob(({ journal, signer, jobId }) =>
    runOpEscape(jobId, {
      store: journal,
      signer,
      l1: gateway,
      l1Endpoints: [l1Url],
      l2: devnetL2NodeSource(env.ESCAPE_L2_URL!),
      ...devnetWaiters(l1Url, gateway),
      broadcast: { pollIntervalMs: 100 },
      maxPauses: 300,
    }),
  )
}

if (process.env.ESCAPE_JOB_DIR) runCrashingChild(childMain)
