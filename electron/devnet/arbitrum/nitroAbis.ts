import { getAbiItem, parseAbi } from 'viem'

/**
 * The slices of the nitro-contracts 3.2.0 ABIs the devnet L2 (sequencer, L1 follower, validator) uses, typed `as
 * const` for viem. Every fragment is checked against the npm artifact's ABI in nitroAbis.test.ts, so a drift fails
 * the suite. (contracts-abi/arbitrum-nitro is the app's copy; this one belongs to the devnet.)
 */
const structs = [
  'struct GlobalState { bytes32[2] bytes32Vals; uint64[2] u64Vals; }',
  'struct AssertionState { GlobalState globalState; uint8 machineStatus; bytes32 endHistoryRoot; }',
  'struct ConfigData { bytes32 wasmModuleRoot; uint256 requiredStake; address challengeManager; uint64 confirmPeriodBlocks; uint64 nextInboxPosition; }',
  'struct BeforeStateData { bytes32 prevPrevAssertionHash; bytes32 sequencerBatchAcc; ConfigData configData; }',
  'struct AssertionInputs { BeforeStateData beforeStateData; AssertionState beforeState; AssertionState afterState; }',
  'struct TimeBounds { uint64 minTimestamp; uint64 maxTimestamp; uint64 minBlockNumber; uint64 maxBlockNumber; }',
] as const

export const sequencerInboxAbi = parseAbi([
  ...structs,
  'event SequencerBatchDelivered(uint256 indexed batchSequenceNumber, bytes32 indexed beforeAcc, bytes32 indexed afterAcc, bytes32 delayedAcc, uint256 afterDelayedMessagesRead, TimeBounds timeBounds, uint8 dataLocation)',
  'event SequencerBatchData(uint256 indexed batchSequenceNumber, bytes data)',
  'event InboxMessageDelivered(uint256 indexed messageNum, bytes data)',
  'function addSequencerL2BatchFromOrigin(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount)',
  'function addSequencerL2BatchFromBlobs(uint256 sequenceNumber, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount)',
  'function addSequencerL2Batch(uint256 sequenceNumber, bytes data, uint256 afterDelayedMessagesRead, address gasRefunder, uint256 prevMessageCount, uint256 newMessageCount)',
  'function forceInclusion(uint256 _totalDelayedMessagesRead, uint8 kind, uint64[2] l1BlockAndTime, uint256 baseFeeL1, address sender, bytes32 messageDataHash)',
  'function totalDelayedMessagesRead() view returns (uint256)',
  'function batchCount() view returns (uint256)',
  'function maxTimeVariation() view returns (uint256, uint256, uint256, uint256)',
])

export const bridgeAbi = parseAbi([
  'event MessageDelivered(uint256 indexed messageIndex, bytes32 indexed beforeInboxAcc, address inbox, uint8 kind, address sender, bytes32 messageDataHash, uint256 baseFeeL1, uint64 timestamp)',
  'function delayedMessageCount() view returns (uint256)',
  'function sequencerMessageCount() view returns (uint256)',
  'function sequencerReportedSubMessageCount() view returns (uint256)',
  'function delayedInboxAccs(uint256) view returns (bytes32)',
  'function sequencerInboxAccs(uint256) view returns (bytes32)',
])

export const inboxAbi = parseAbi([
  'event InboxMessageDelivered(uint256 indexed messageNum, bytes data)',
  'event InboxMessageDeliveredFromOrigin(uint256 indexed messageNum)',
  'function depositEth() payable returns (uint256)',
  'function sendL2Message(bytes messageData) returns (uint256)',
  'function sendL2MessageFromOrigin(bytes messageData) returns (uint256)',
])

export const rollupAbi = parseAbi([
  ...structs,
  'event AssertionCreated(bytes32 indexed assertionHash, bytes32 indexed parentAssertionHash, AssertionInputs assertion, bytes32 afterInboxBatchAcc, uint256 inboxMaxCount, bytes32 wasmModuleRoot, uint256 requiredStake, address challengeManager, uint64 confirmPeriodBlocks)',
  'event AssertionConfirmed(bytes32 indexed assertionHash, bytes32 blockHash, bytes32 sendRoot)',
  'function latestConfirmed() view returns (bytes32)',
  'function isStaked(address staker) view returns (bool)',
  'function baseStake() view returns (uint256)',
  'function stakeToken() view returns (address)',
  'function minimumAssertionPeriod() view returns (uint256)',
  'function confirmPeriodBlocks() view returns (uint64)',
  'function stakeOnNewAssertion(AssertionInputs assertion, bytes32 expectedAssertionHash)',
  'function newStakeOnNewAssertion(uint256 tokenAmount, AssertionInputs assertion, bytes32 expectedAssertionHash, address _withdrawalAddress)',
  'function confirmAssertion(bytes32 assertionHash, bytes32 prevAssertionHash, AssertionState confirmState, bytes32 winningEdgeId, ConfigData prevConfig, bytes32 inboxAcc)',
  'function computeAssertionHash(bytes32 prevAssertionHash, AssertionState state, bytes32 inboxAcc) pure returns (bytes32)',
])

export const outboxAbi = parseAbi([
  'function executeTransaction(bytes32[] proof, uint256 index, address l2Sender, address to, uint256 l2Block, uint256 l1Block, uint256 l2Timestamp, uint256 value, bytes data)',
  'function roots(bytes32) view returns (bytes32)',
  'function isSpent(uint256 index) view returns (bool)',
  'function calculateItemHash(address l2Sender, address to, uint256 l2Block, uint256 l1Block, uint256 l2Timestamp, uint256 value, bytes data) pure returns (bytes32)',
])

export const wethAbi = parseAbi([
  'function deposit() payable',
  'function approve(address spender, uint256 amount) returns (bool)',
  'function balanceOf(address) view returns (uint256)',
])

export const sequencerBatchDeliveredEvent = getAbiItem({ abi: sequencerInboxAbi, name: 'SequencerBatchDelivered' })
export const sequencerBatchDataEvent = getAbiItem({ abi: sequencerInboxAbi, name: 'SequencerBatchData' })
export const messageDeliveredEvent = getAbiItem({ abi: bridgeAbi, name: 'MessageDelivered' })
export const inboxMessageDeliveredEvent = getAbiItem({ abi: inboxAbi, name: 'InboxMessageDelivered' })
export const inboxMessageDeliveredFromOriginEvent = getAbiItem({ abi: inboxAbi, name: 'InboxMessageDeliveredFromOrigin' })
export const assertionCreatedEvent = getAbiItem({ abi: rollupAbi, name: 'AssertionCreated' })
export const assertionConfirmedEvent = getAbiItem({ abi: rollupAbi, name: 'AssertionConfirmed' })
