/**
 * Test support: a viem client whose every JSON-RPC request is answered by a function — for tests that replay real
 * recorded node answers (SDK fixtures) without a server. Here because viem clients are built only in services/l1
 * and the devnet (viemClientsOnlyInGateway.test.ts).
 */
import { createPublicClient, custom, type PublicClient } from 'viem'

export function replayRpcClient(answer: (method: string, params: unknown[]) => Promise<unknown> | unknown): PublicClient {
  return createPublicClient({
    transport: custom({
      request: async ({ method, params }: { method: string; params?: unknown }) => answer(method, (params as unknown[] | undefined) ?? []),
    }),
  })
}
