/**
 * The wizard's endpoint check, before anything is planned: can each endpoint be reached, is it on the network's chain,
 * and do the L1 endpoints agree on the chain (the same block hash at the lowest head among them)? Each problem is one
 * plain sentence naming the endpoint by its host; the escape itself re-checks everything through the L1 gateway.
 */
import type { EndpointChecksView } from '../../../shared/ipc/escapeSchemas'
import type { NetworkEntry } from '../../../shared/networks/networkEntry'
import { createEndpointClient } from '../l1/endpointClients'
import { l1ChainName, toNetworkOption } from './networkOptions'

type EndpointCheck = EndpointChecksView['endpoints'][number]

export interface CheckEndpointsParameters {
  network: NetworkEntry
  l1Urls: readonly string[]
  l2Url?: string
  timeoutMs?: number
}

export async function checkEndpoints(p: CheckEndpointsParameters): Promise<EndpointChecksView> {
  const timeoutMs = p.timeoutMs ?? 8_000
  const l1 = [...new Set(p.l1Urls)].map((url) => createEndpointClient(url, { retryCount: 0, timeoutMs }))
  const checks = await Promise.all(
    l1.map(async (ep): Promise<EndpointCheck & { hashAt?: (block: bigint) => Promise<string> }> => {
      try {
        const [chainId, head] = await Promise.all([ep.client.getChainId(), ep.client.getBlockNumber()])
        if (chainId !== p.network.l1ChainId) {
          return { label: ep.label, role: 'l1', ok: false, chainId, head: head.toString(), problem: `${ep.label} is on ${l1ChainName(chainId)}, but ${p.network.name} settles on ${l1ChainName(p.network.l1ChainId)}.` }
        }
        return { label: ep.label, role: 'l1', ok: true, chainId, head: head.toString(), hashAt: async (block) => (await ep.client.getBlock({ blockNumber: block })).hash ?? '' }
      } catch {
        return { label: ep.label, role: 'l1', ok: false, problem: `${ep.label} did not answer (check the address, your connection, or try another endpoint).` }
      }
    }),
  )
  const reachable = checks.filter((c) => c.ok && c.head !== undefined)
  let l1Agree = reachable.length > 0 && reachable.length === checks.length
  let agreement = reachable.length === 0 ? 'No L1 endpoint answered on the right chain.' : ''
  if (reachable.length > 0) {
    const lowest = reachable.map((c) => BigInt(c.head!)).reduce((a, b) => (a < b ? a : b))
    const hashes = await Promise.all(reachable.map(async (c) => ({ c, hash: await c.hashAt!(lowest).catch(() => '') })))
    const first = hashes[0]!.hash
    const odd = hashes.filter((h) => h.hash !== first || h.hash === '')
    if (odd.length > 0) {
      l1Agree = false
      for (const { c } of odd) {
        c.ok = false
        c.problem = `${c.label} disagrees with ${hashes[0]!.c.label} about L1 block ${lowest}: they are not on the same chain (or one is lying or stale).`
      }
      agreement = `The L1 endpoints disagree at block ${lowest}. Remove the one you do not trust, or add a third to see which is right.`
    } else {
      agreement =
        reachable.length === checks.length
          ? `${reachable.length === 1 ? 'One L1 endpoint' : `All ${reachable.length} L1 endpoints`} on ${l1ChainName(p.network.l1ChainId)}${reachable.length > 1 ? `, agreeing on block ${lowest}` : ` (head ${lowest}); a second endpoint lets the app cross-check it`}.`
          : `The L1 endpoints that answered agree at block ${lowest}; fix or remove the others.`
    }
  }
  const endpoints: EndpointCheck[] = checks.map(({ hashAt: _h, ...c }) => c)
  const l2Url = p.l2Url ?? (p.network.stack === 'arbitrum-nitro' ? p.network.arbitrum.l2RpcUrl : undefined)
  if (l2Url) {
    const ep = createEndpointClient(l2Url, { retryCount: 0, timeoutMs })
    try {
      const [chainId, head] = await Promise.all([ep.client.getChainId(), ep.client.getBlockNumber()])
      endpoints.push(
        chainId === p.network.l2ChainId
          ? { label: ep.label, role: 'l2', ok: true, chainId, head: head.toString() }
          : { label: ep.label, role: 'l2', ok: false, chainId, head: head.toString(), problem: `${ep.label} is on chain ${chainId}, not ${p.network.name} (chain ${p.network.l2ChainId}).` },
      )
    } catch {
      endpoints.push({ label: ep.label, role: 'l2', ok: false, problem: `The L2 node ${ep.label} did not answer. It is optional for a diagnosis; an escape needs one to read your L2 balance and nonce.` })
    }
  }
  return { network: toNetworkOption(p.network), endpoints, l1Agree, agreement }
}
