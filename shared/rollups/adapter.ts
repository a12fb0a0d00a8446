/**
 * The RollupAdapter, read side (DESIGN.md "The RollupAdapter"; issue 11 item 7): the same three verbs for every
 * stack, the shape the app's diagnosis screen and `escape-hatch status` use.
 * - `describe(network)`: the contracts and the parameters read live from L1 (never from a config file);
 * - `findWithdrawals(network, account)`: the account's exits in flight (withdrawals, and on Arbitrum the delayed
 *   messages it sent through the inbox), each checked against L1 as far as the stack allows;
 * - `status(network, item)`: where it stands — a stage (string union), what blocks it in plain words, its deadlines
 *   (shared/deadlines) and the single next action.
 * Implementations: arbitrum-nitro/adapter.ts, op-stack/adapter.ts. The write side (buildForcedTx, buildProof,
 * buildExitTxs) is built on the job engine.
 */
import type { Address } from 'viem'
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'
import type { Deadline, L1Clock, NextAction } from '../deadlines/deadline'

export type RollupStack = 'arbitrum-nitro' | 'op-stack'

export interface NetworkDescription {
  stack: RollupStack
  name: string
  l1ChainId: number
  l2ChainId: number
  contracts: Record<string, Address>
  /** Read live from L1 at `l1Block` (delays, windows, periods, …), by their contract names. */
  parameters: Record<string, bigint | boolean>
  l1Block: bigint
  l1Clock: L1Clock
}

export interface FoundWithdrawals<Item> {
  items: Item[]
  /** What was searched, and what could not be (no L2 RPC, a lying node, a bounded range), in plain words. */
  notes: string[]
  /** The L1 block the search is pinned to. */
  l1Block: bigint
}

/** A named date in a status: what happens then, and whether it has passed on L1. */
export interface StatusDeadline {
  what: string
  deadline: Deadline
  /** true once L1 time (the head) has reached it. */
  passed: boolean
}

export interface ExitStatus<Stage extends string = string, Action extends string = string> {
  stage: Stage
  /** What stands in the way, in plain words; undefined when nothing does. */
  blocker: string | undefined
  deadlines: StatusDeadline[]
  /** The one thing to do or wait for next, with its earliest date; undefined when the exit is done. */
  nextAction: NextAction<Action> | undefined
  /** The L1 block (and clock) this status was read at. */
  l1Clock: L1Clock
}

export interface RollupAdapter<Network, Item, Stage extends string = string, Action extends string = string> {
  stack: RollupStack
  describe(network: Network): Promise<NetworkDescription>
  findWithdrawals(network: Network, account: Address): Promise<FoundWithdrawals<Item>>
  status(network: Network, item: Item): Promise<ExitStatus<Stage, Action>>
}

/** A stack (or a verb of it) this version cannot read yet: said plainly, never a made-up status. */
export class StackNotSupportedError extends EscapeError {
  override name = 'StackNotSupportedError'
  constructor(shortMessage: string, options: Omit<EscapeErrorOptions, 'kind'> = {}) {
    super(shortMessage, { ...options, kind: 'user-action' })
  }
}
registerErrorClass('StackNotSupportedError', StackNotSupportedError)
