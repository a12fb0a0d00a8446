/**
 * The description of one Arbitrum Nitro chain as the app needs it: its L1 and L2 chain ids and the L1 contracts
 * that hold its inbox, batches, assertions and withdrawals. The devnet writes a manifest in this shape, and custom
 * Orbit chains are loaded from a config file in this shape (validated; every field is untrusted input).
 *
 * Live parameters (delayBlocks, delay buffer, confirm period) are deliberately NOT part of this: they are read from
 * L1 every time (see readArbitrumParameters.ts), because a config file or a built-in default can be stale.
 */
import { z } from 'zod'
import { getAddress, isAddress, type Address } from 'viem'

/** A 20-byte hex address; accepted in any case, returned checksummed. */
export const address = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), { message: 'Expected a 0x-prefixed 20-byte hex address' })
  .transform((value) => getAddress(value) as Address)

export const arbitrumNetworkSchema = z.object({
  kind: z.literal('arbitrum-nitro'),
  name: z.string(),
  l1ChainId: z.number().int().positive(),
  l2ChainId: z.number().int().positive(),
  contracts: z.object({
    rollup: address,
    bridge: address,
    inbox: address,
    sequencerInbox: address,
    outbox: address,
    challengeManager: address.optional(),
  }),
  l2RpcUrl: z.string().url().optional(),
  /**
   * The token bridge's entry point on L1 (ERC-20 exits): every other gateway address is read from it on L1
   * (readTokenExitRoute), never listed here. Absent: the chain's token bridge is unknown and only ETH can leave.
   */
  tokenBridge: z.object({ l1GatewayRouter: address }).optional(),
  /** L2 block number of the first Nitro message (L2 block = genesis + message index; notes §1.5). */
  l2GenesisBlock: z.number().int().nonnegative().optional(),
  /** An L1 block at or before the rollup's deployment: where log scans may start. */
  l1StartBlock: z.number().int().nonnegative().optional(),
  /**
   * AnyTrust chains: where the committee's data can be asked for (untrusted; every answer is checked against the
   * certificate on L1). REST endpoints, and/or a URL serving a list of them, one per line (nitro's online-url-list).
   */
  dasRestEndpoints: z.array(z.string().url().refine((u) => /^https?:\/\//.test(u), 'an http(s) URL')).max(32).optional(),
  dasRestUrlList: z.string().url().refine((u) => /^https?:\/\//.test(u), 'an http(s) URL').optional(),
})

export type ArbitrumNetwork = z.infer<typeof arbitrumNetworkSchema>
