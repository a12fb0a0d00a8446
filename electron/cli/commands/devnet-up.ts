import { EscapeError } from '../../../shared/errors/EscapeError'
import { isAddress, type Address } from 'viem'
import { DEVNET_L2_DESCRIPTION, startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { startDevnet, type DevnetStack } from '../../devnet/devnet'
import {
  clearDevnetState,
  devnetStateDir,
  isProcessAlive,
  readDevnetProcessState,
  writeDevnetProcessState,
} from '../../devnet/devnetProcessState'
import { writeDevnetNetworks } from '../../devnet/writeDevnetNetworks'
import { startDevnetOpL2, type DevnetOpL2 } from '../../devnet/op/l2/startDevnetOpL2'
import { createOpL2Switches } from '../../devnet/op/l2/types'
import { devnetOpL2Dir } from '../../devnet/devnetProcessState'
import { devnetNetworksDir } from '../../services/networks/devnetNetworks'
import { usageError, type Command } from '../command'

const STACKS: Record<string, DevnetStack[]> = { op: ['op'], arbitrum: ['arbitrum'], both: ['op', 'arbitrum'] }

/**
 * `escape-hatch devnet up`: start anvil with the real rollup contracts, print where it is, serve until interrupted.
 *
 * The ready message is written to stdout as soon as the devnet is up (one JSON line with --json), because the
 * command's result is only printed when it returns, and `up` returns only when stopped (SIGINT/SIGTERM, or
 * `escape-hatch devnet down`); the result then printed says it stopped.
 */
export const devnetUpCommand: Command = {
  path: ['devnet', 'up'],
  summary: 'Start the embedded devnet (anvil L1 with the real OP Stack and/or Arbitrum contracts) and serve until stopped.',
  description:
    'Starts anvil on 127.0.0.1 (Prague, the standard test mnemonic), deploys the requested stacks from the npm artifacts, ' +
    'writes <data dir>/devnet/manifest.json, process.json and one network file per stack (networks/devnet-op.json, devnet-arbitrum.json: --network devnet-op / devnet-arbitrum), prints the L1 RPC URL, beacon URL and manifest, and runs ' +
    'until interrupted (Ctrl-C) or `escape-hatch devnet down`. With --json the ready message is one JSON line on stdout.\n' +
    'With the OP stack it also starts the devnet OP L2 (our own executor over a genesis with the real predeploys and a WETH on the standard bridge; ' +
    'sequencer, batcher, proposer creating dispute games, L2 JSON-RPC) and writes its rollup.json and genesis.json into <data dir>/devnet/op-l2 ' +
    '(their paths and the L2 RPC URL are also in networks/devnet-op.json). ' +
    'With the Arbitrum stack it also starts the devnet Arbitrum L2 (sequencer, batch poster, validator) and prints its RPC URL. ' +
    DEVNET_L2_DESCRIPTION +
    ' Its RPC also answers devnet_* control methods (devnet_setCensored, devnet_postBatch, devnet_postAndConfirmAssertion, …).',
  options: {
    stack: { type: 'string', description: 'Which rollups to deploy: op, arbitrum or both.', default: 'both', valueName: 'op|arbitrum|both' },
    port: { type: 'string', description: 'L1 RPC port on 127.0.0.1 (default: a free port).', valueName: 'PORT' },
    censor: { type: 'string', multiple: true, description: 'Make the devnet L2 sequencers (OP and Arbitrum) censor this L2 address.', valueName: 'ADDRESS' },
    'batch-mode': { type: 'string', description: 'How the devnet L2s post batches on L1, calldata or blob.', default: 'calldata', valueName: 'MODE' },
  },
  async run(ctx) {
    const stackName = typeof ctx.options.stack === 'string' ? ctx.options.stack : 'both'
    const stacks = STACKS[stackName]
    if (!stacks) usageError(`--stack must be op, arbitrum or both, not "${stackName}"`)
    let port: number | undefined
    if (typeof ctx.options.port === 'string') {
      port = Number(ctx.options.port)
      if (!Number.isInteger(port) || port < 1 || port > 65535) usageError(`--port must be a port number, not "${ctx.options.port}"`)
    }
    const censor = (Array.isArray(ctx.options.censor) ? ctx.options.censor : []).map((a) => {
      if (!isAddress(a)) usageError(`--censor needs an address, not "${a}"`)
      return a as Address
    })
    const batchMode = ctx.options['batch-mode']
    if (batchMode !== 'calldata' && batchMode !== 'blob') usageError('--batch-mode must be calldata or blob')
    const stateDir = devnetStateDir(ctx.dataDir)
    const running = readDevnetProcessState(stateDir)
    if (running && isProcessAlive(running.pid)) {
      throw new EscapeError(`A devnet is already running (pid ${running.pid}, L1 ${running.rpcUrl}).`, {
        kind: 'user-action',
        steps: ['Use it (its manifest is in ' + stateDir + '), or stop it first: escape-hatch devnet down'],
      })
    }
    clearDevnetState(stateDir)

    const devnet = await startDevnet({ stacks, stateDir, port, opL2: true, signal: ctx.signal, onProgress: ctx.progress })
    let l2: ArbitrumDevnet | undefined
    let opL2: DevnetOpL2 | undefined
    let stopped = false
    const stop = async () => {
      if (stopped) return
      stopped = true
      await opL2?.stop()
      await l2?.stop()
      await devnet.stop()
      clearDevnetState(stateDir)
    }
    try {
      if (devnet.opL2) {
        ctx.progress('Starting the devnet OP L2 (sequencer, batcher, proposer, L2 RPC)…')
        opL2 = await startDevnetOpL2({
          anvil: devnet.anvil,
          l2: devnet.opL2,
          outDir: devnetOpL2Dir(stateDir),
          dataAvailability: batchMode === 'blob' ? 'blobs' : 'calldata',
          switches: createOpL2Switches({ censored: new Set(censor) }),
          followL1: { intervalMs: 1000 },
          onError: (error, where) => ctx.progress(`OP L2 ${where}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} (retried with the next block)`),
        })
      }
      if (devnet.arbitrum) {
        ctx.progress('Starting the devnet Arbitrum L2 (an EVM with emulated ArbSys, not ArbOS)…')
        l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum, batchMode, censor })
      }
      const startedAt = new Date().toISOString()
      writeDevnetProcessState(stateDir, { pid: process.pid, anvilPid: devnet.anvil.pid, rpcUrl: devnet.l1.rpcUrl, beaconUrl: devnet.l1.beaconUrl, stacks, startedAt })
      // `--network devnet-op` / `devnet-arbitrum` (and `escape-hatch networks`) find these while this process runs.
      const opFiles = opL2?.l2.files
      const opL2Info = opL2 && devnet.opL2 && opFiles ? { rpcUrl: opL2.rpcUrl, chainId: opL2.l2.chain.chainId, rollupJson: opFiles.rollupJson, genesisJson: opFiles.genesisJson, censored: censor, l1Token: devnet.opL2.l1Token, l2Token: devnet.opL2.l2Token } : undefined
      const networkPaths = await writeDevnetNetworks({
        networksDir: devnetNetworksDir(ctx.dataDir),
        manifest: devnet.manifest,
        ...(opL2Info && devnet.opL2 ? { opL2: { rollupConfig: devnet.opL2.genesis.rollupConfig, rpcUrl: opL2Info.rpcUrl, rollupJson: opL2Info.rollupJson, genesisJson: opL2Info.genesisJson } } : {}),
        arbitrum: l2?.network,
        servedBy: { pid: process.pid, startedAt },
      })
      const arbitrumL2 = l2 ? { rpcUrl: l2.l2RpcUrl, chainId: l2.l2ChainId, censored: censor, batchMode, simulation: DEVNET_L2_DESCRIPTION } : undefined
      const ready = { status: 'ready', rpcUrl: devnet.l1.rpcUrl, beaconUrl: devnet.l1.beaconUrl, chainId: devnet.l1.chainId, manifestPath: devnet.manifestPath, networkPaths, manifest: devnet.manifest, opL2: opL2Info, arbitrumL2 }
      if (ctx.json) {
        process.stdout.write(`${JSON.stringify(ready)}\n`)
      } else {
        process.stdout.write(
          [
            `Devnet ready (${stacks.join(' + ')}).`,
            `L1 RPC:    ${devnet.l1.rpcUrl}  (chain id ${devnet.l1.chainId})`,
            `Beacon:    ${devnet.l1.beaconUrl}`,
            `Manifest:  ${devnet.manifestPath}`,
            `Networks:  ${stacks.map((s) => (s === 'op' ? 'devnet-op' : 'devnet-arbitrum')).join(', ')} (use with --network; see \`escape-hatch networks\`)`,
            ...(opL2Info
              ? [
                  `OP L2 RPC: ${opL2Info.rpcUrl}  (chain id ${opL2Info.chainId}; ${censor.length > 0 ? `censoring ${censor.join(', ')}` : 'censoring nobody'}; WETH on L1 ${opL2Info.l1Token}, on L2 ${opL2Info.l2Token})`,
                  `OP L2 files: ${opL2Info.rollupJson}, ${opL2Info.genesisJson}`,
                ]
              : []),
            ...(arbitrumL2 ? [`Arbitrum L2 RPC: ${arbitrumL2.rpcUrl}  (chain id ${arbitrumL2.chainId}; ${censor.length > 0 ? `censoring ${censor.join(', ')}` : 'censoring nobody'})`, `  ${DEVNET_L2_DESCRIPTION}`] : []),
            JSON.stringify(devnet.manifest, null, 2),
            'Serving until Ctrl-C or `escape-hatch devnet down`.',
            '',
          ].join('\n'),
        )
      }

      // anvil's handles do not hold the event loop (so scripts that forget stop() still exit); this command must.
      const keepAlive = setInterval(() => undefined, 1 << 30)
      try {
        const outcome = await new Promise<'stopped' | 'crashed'>((resolve) => {
          if (ctx.signal.aborted) resolve('stopped')
          ctx.signal.addEventListener('abort', () => resolve('stopped'), { once: true })
          void devnet.anvil.exited.then(() => resolve('crashed'))
        })
        if (outcome === 'crashed') devnet.anvil.assertRunning('serve the devnet')
      } finally {
        clearInterval(keepAlive)
      }
      await stop()
      ctx.progress('Devnet stopped.')
      return { json: { status: 'stopped', rpcUrl: devnet.l1.rpcUrl, anvilPid: devnet.anvil.pid }, text: 'Devnet stopped.' }
    } finally {
      await stop()
    }
  },
}
