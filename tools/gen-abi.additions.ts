/**
 * ABI items that mainnet contracts have and the npm artifacts do not (tools/gen-abi.ts merges them in).
 *
 * The npm package @eth-optimism/contracts-bedrock 0.17.3 ships op-contracts v1.4.0 (OptimismPortal2 3.10.0, June 2024),
 * while OP Mainnet and Base run op-contracts v7 (OptimismPortal2 5.6.1, AnchorStateRegistry 3.9.0, FaultDisputeGame
 * 2.4.2, DisputeGameFactory 1.6.1; notes/op-stack.md §3). These entries are copied by hand, in human-readable ABI form,
 * from the Solidity interfaces of ethereum-optimism/optimism (`packages/contracts-bedrock/interfaces/**`), with the
 * user-defined value types replaced by their underlying types (GameType → uint32, Claim/Hash/GameId → bytes32,
 * Timestamp/Duration → uint64, Clock/Position → uint128, GameStatus/BondDistributionMode → uint8).
 * An item whose signature is already in the npm ABI is not added again.
 */
export interface AbiAddition {
  /** The contract name as in tools/gen-abi.ts. */
  contract: string
  /** Where the signatures come from. */
  source: string
  /** Why the app needs them. */
  why: string
  /** Human-readable ABI (viem parseAbi), struct definitions included. */
  signatures: readonly string[]
}

const WITHDRAWAL_TX = 'struct WithdrawalTransaction { uint256 nonce; address sender; address target; uint256 value; uint256 gasLimit; bytes data; }'
const OUTPUT_ROOT_PROOF = 'struct OutputRootProof { bytes32 version; bytes32 stateRoot; bytes32 messagePasserStorageRoot; bytes32 latestBlockhash; }'

export const abiAdditions: readonly AbiAddition[] = [
  {
    contract: 'OptimismPortal2',
    source:
      'ethereum-optimism/optimism packages/contracts-bedrock/interfaces/L1/IOptimismPortal2.sol @ 0d53f92330f300b6768185111cd1c2228556f01a (portal 4.x/5.x line: ETHLockbox, AnchorStateRegistry, super roots); Types.SuperRootProof from src/libraries/Types.sol',
    why: 'Read the portal of a current chain: its AnchorStateRegistry and lockbox, whether super roots are active; prove against a super-root game; decode the custom errors the portal reverts with since 4.x.',
    signatures: [
      WITHDRAWAL_TX,
      OUTPUT_ROOT_PROOF,
      'struct OutputRootWithChainId { uint256 chainId; bytes32 root; }',
      'struct SuperRootProof { bytes1 version; uint64 timestamp; OutputRootWithChainId[] outputRoots; }',
      'function anchorStateRegistry() view returns (address)',
      'function ethLockbox() view returns (address)',
      'function superRootsActive() view returns (bool)',
      'function initVersion() view returns (uint8)',
      'function proveWithdrawalTransaction(WithdrawalTransaction _tx, address _disputeGameProxy, uint256 _outputRootIndex, SuperRootProof _superRootProof, OutputRootProof _outputRootProof, bytes[] _withdrawalProof)',
      'event ETHMigrated(address indexed lockbox, uint256 ethBalance)',
      'event PortalMigrated(address oldLockbox, address newLockbox, address oldAnchorStateRegistry, address newAnchorStateRegistry)',
      'error OptimismPortal_Unauthorized()',
      'error OptimismPortal_AlreadyFinalized()',
      'error OptimismPortal_BadTarget()',
      'error OptimismPortal_CallPaused()',
      'error OptimismPortal_CalldataTooLarge()',
      'error OptimismPortal_GasEstimation()',
      'error OptimismPortal_GasLimitTooLow()',
      'error OptimismPortal_ImproperDisputeGame()',
      'error OptimismPortal_InvalidDisputeGame()',
      'error OptimismPortal_InvalidMerkleProof()',
      'error OptimismPortal_InvalidOutputRootProof()',
      'error OptimismPortal_InvalidProofTimestamp()',
      'error OptimismPortal_InvalidRootClaim()',
      'error OptimismPortal_NoReentrancy()',
      'error OptimismPortal_ProofNotOldEnough()',
      'error OptimismPortal_Unproven()',
      'error OptimismPortal_InvalidOutputRootIndex()',
      'error OptimismPortal_InvalidSuperRootProof()',
      'error OptimismPortal_InvalidOutputRootChainId()',
      'error OptimismPortal_WrongProofMethod()',
      'error OptimismPortal_MigratingToSameRegistry()',
      'error Encoding_EmptySuperRoot()',
      'error Encoding_InvalidSuperRootVersion()',
      'error ReinitializableBase_ZeroInitVersion()',
    ],
  },
  {
    contract: 'AnchorStateRegistry',
    source: 'ethereum-optimism/optimism packages/contracts-bedrock/interfaces/dispute/IAnchorStateRegistry.sol @ 0973cabbb40d232639c28a45c2b8300ccf835498 (ASR 3.x)',
    why: 'Since portal 4.x the ASR decides which games count: respected type, retirement, blacklist, finality delay, and the anchor root a new game must build on.',
    signatures: [
      'function anchorGame() view returns (address)',
      'function getAnchorRoot() view returns (bytes32, uint256)',
      'function getStartingAnchorRoot() view returns ((bytes32 root, uint256 l2SequenceNumber))',
      'function disputeGameBlacklist(address) view returns (bool)',
      'function disputeGameFinalityDelaySeconds() view returns (uint256)',
      'function isGameBlacklisted(address _game) view returns (bool)',
      'function isGameProper(address _game) view returns (bool)',
      'function isGameRegistered(address _game) view returns (bool)',
      'function isGameResolved(address _game) view returns (bool)',
      'function isGameRespected(address _game) view returns (bool)',
      'function isGameRetired(address _game) view returns (bool)',
      'function isGameFinalized(address _game) view returns (bool)',
      'function isGameClaimValid(address _game) view returns (bool)',
      'function paused() view returns (bool)',
      'function respectedGameType() view returns (uint32)',
      'function retirementTimestamp() view returns (uint64)',
      'function superchainConfig() view returns (address)',
      'function initVersion() view returns (uint8)',
      'event AnchorUpdated(address indexed game)',
      'event DisputeGameBlacklisted(address indexed disputeGame)',
      'event RespectedGameTypeSet(uint32 gameType)',
      'event RetirementTimestampSet(uint256 timestamp)',
      'error AnchorStateRegistry_InvalidAnchorGame()',
      'error AnchorStateRegistry_Unauthorized()',
    ],
  },
  {
    contract: 'FaultDisputeGame',
    source:
      'ethereum-optimism/optimism packages/contracts-bedrock/interfaces/dispute/IFaultDisputeGame.sol @ 270eb37f34b93c3bc2e68adbf43dc57e0317de99 and interfaces/dispute/IDisputeGame.sol @ 3bfc87f8a84e84629acede78e229788e5abdfa26 (FDG 1.3+/2.x)',
    why: 'Games on current chains: bond distribution (normal/refund mode), closeGame before claimCredit, whether the game type was respected at creation, the generic l2SequenceNumber.',
    signatures: [
      'function bondDistributionMode() view returns (uint8)',
      'function closeGame()',
      'function normalModeCredit(address) view returns (uint256)',
      'function refundModeCredit(address) view returns (uint256)',
      'function hasUnlockedCredit(address) view returns (bool)',
      'function wasRespectedGameTypeWhenCreated() view returns (bool)',
      'function gameCreator() pure returns (address creator_)',
      'function l2SequenceNumber() pure returns (uint256 l2SequenceNumber_)',
      'function startingOutputRoot() view returns (bytes32 root, uint256 l2SequenceNumber)',
      'function rootClaimByChainId(uint256 _chainId) view returns (bytes32 rootClaim_)',
      'event GameClosed(uint8 bondDistributionMode)',
      'error InvalidBondDistributionMode()',
      'error GameNotFinalized()',
      'error GameNotResolved()',
      'error ReservedGameType()',
      'error GamePaused()',
      'error BadExtraData()',
    ],
  },
  {
    contract: 'DisputeGameFactory',
    source: 'ethereum-optimism/optimism packages/contracts-bedrock/interfaces/dispute/IDisputeGameFactory.sol @ 3097125ab38f76230b2c81776132e7973d047392 (DGF 1.2+)',
    why: 'Current factories keep per-type constructor args (gameArgs) for clone-with-immutable-args games.',
    signatures: [
      'function gameArgs(uint32) view returns (bytes)',
      'function setImplementation(uint32 _gameType, address _impl, bytes _args)',
      'function setImplementationArgs(uint32 _gameType, bytes _args)',
      'event ImplementationArgsSet(uint32 indexed gameType, bytes args)',
      'error GameAlreadyExists(bytes32 uuid)',
      'error IncorrectBondAmount()',
      'error NoImplementation(uint32 gameType)',
    ],
  },
  {
    contract: 'SystemConfig',
    source:
      'ethereum-optimism/optimism packages/contracts-bedrock/interfaces/L1/ISystemConfig.sol @ 0d53f92330f300b6768185111cd1c2228556f01a; minBaseFee/daFootprintGasScalar (Jovian) as declared in the SystemConfig interfaces of base/contracts scripts',
    why: 'Read the fee parameters current L2s derive with (Holocene EIP-1559 params, Isthmus operator fee, Jovian min base fee and DA footprint) and the chain id.',
    signatures: [
      'function eip1559Denominator() view returns (uint32)',
      'function eip1559Elasticity() view returns (uint32)',
      'function operatorFeeConstant() view returns (uint64)',
      'function operatorFeeScalar() view returns (uint32)',
      'function minBaseFee() view returns (uint64)',
      'function daFootprintGasScalar() view returns (uint16)',
      'function l2ChainId() view returns (uint256)',
      'function paused() view returns (bool)',
      'function superchainConfig() view returns (address)',
      'function initVersion() view returns (uint8)',
    ],
  },
]
