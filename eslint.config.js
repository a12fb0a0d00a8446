// Lint is where the architecture's boundaries are enforced (DESIGN.md §Layout), not code review.
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])))]
const nodeOnlyPackages = ['ws', 'c-kzg', '@ledgerhq/hw-transport-node-hid', 'node-hid', 'usb', 'tsx', '@foundry-rs/*']

const noNodeImports = {
  paths: [...nodeBuiltins.map((name) => ({ name, message: 'This folder must stay free of Node built-ins (DESIGN.md §Layout). Put I/O behind a port and implement it in electron/services.' }))],
  patterns: [
    { group: ['node:*'], message: 'Node built-ins are not allowed here (DESIGN.md §Layout).' },
    { group: nodeOnlyPackages, message: 'Node-only package: implement behind a port in electron/services.' },
  ],
}
// A regex, not a gitignore-style group: `electron/*` would also match relative paths like ../electron/services.
const noElectron = { regex: '^electron(/|$)', message: 'Only electron/main and electron/preload may import electron.' }
const noReact = { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'], message: 'shared/ is the pure domain: no UI libraries.' }

// Electron-side layer rules. Regexes on the import specifier: a path segment, so relative paths from any depth match.
const noDevnet = { regex: '(^|/)devnet(/|$)', message: 'Only the drill wiring (electron/services/drill) and tests may import electron/devnet.' }
const noBroadcast = { regex: '(^|/)broadcast(/|$)', message: 'Signers must not import the broadcaster (put shared pieces below both, e.g. electron/services/journal).' }
const noFlows = { regex: '(^|/)flows(/|$)', message: 'Signers must not import flows (put shared pieces below both, e.g. electron/services/journal).' }
const commandMessage = 'One CLI command must not import another: move the shared piece to electron/cli/ (CLI-only) or electron/services/ (engine).'
const noOtherCommand = [
  { regex: '^\\./', message: commandMessage },
  { regex: '^\\.\\./commands(/|$)', message: commandMessage },
]

// DOM and Node globals that would make shared/ impure. TypeScript's lib setting catches most; lint catches the rest
// (e.g. a `declare` or an any-typed global).
const impureGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'fetch', 'XMLHttpRequest', 'WebSocket', 'process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate']
  .map((name) => ({ name, message: `shared/ is pure: no ${name}. Pass what you need through a port.` }))

// ── Layer direction inside shared/ (DESIGN.md "The engine: layers"; issue 11 item 2, shared side) ──────────────────
// Lowest first: shared/eth ← shared/l1, trie, errors, journal, signing ← shared/rollups/<stack> (a stack never imports
// the other; inside op-stack, derive/ never imports execute/ or proof/). Production files only: tests may wire stages
// together. Flat config keeps, per file and rule, only the LAST matching block's options, so every block here repeats
// the purity restrictions of shared/ (node built-ins, electron, react) before adding its own; lint-boundaries.test.ts
// proves both still bite in each folder.
const sharedPurity = [...noNodeImports.patterns, noElectron, noReact]
const layerRule = (...forbidden) => ({ 'no-restricted-imports': ['error', { paths: noNodeImports.paths, patterns: [...sharedPurity, ...forbidden] }] })
const ethIsTheBottom = { regex: '^\\.\\./', message: 'shared/eth is the bottom layer: it imports only shared/eth and packages (DESIGN.md "The engine: layers").' }
const l1BelowRollups = { regex: '^(\\.\\./)+rollups(/|$)', message: 'shared/l1 sits below the rollups: move what both need to shared/eth.' }
const notOpStack = { regex: '^(\\.\\./)+(rollups/)?op-stack(/|$)', message: 'A stack never imports the other stack: move what both need to shared/eth.' }
const notArbitrum = { regex: '^(\\.\\./)+(rollups/)?arbitrum-nitro(/|$)', message: 'A stack never imports the other stack: move what both need to shared/eth.' }
const deriveBelowExecuteAndProof = { regex: '^(\\.\\./)+(op-stack/)?(execute|proof)(/|$)', message: 'derive/ runs before execute/ and proof/ and must not import them: move what both need to shared/eth or op-stack/common.' }
const sharedLayerBlocks = [
  { files: ['shared/eth/**/*.ts'], rules: layerRule(ethIsTheBottom) },
  { files: ['shared/l1/**/*.ts'], rules: layerRule(l1BelowRollups) },
  { files: ['shared/rollups/arbitrum-nitro/**/*.ts'], rules: layerRule(notOpStack) },
  { files: ['shared/rollups/op-stack/**/*.ts'], rules: layerRule(notArbitrum) },
  { files: ['shared/rollups/op-stack/derive/**/*.ts'], rules: layerRule(notArbitrum, deriveBelowExecuteAndProof) },
].map((block) => ({ ...block, ignores: ['**/*.test.ts', '**/*.bench.ts', '**/test-support/**'] }))
// ── end of the shared/ layer rules ─────────────────────────────────────────────────────────────────────────────────

export default tseslint.config(
  { ignores: ['.scratch/**', 'node_modules/**', 'out/**', 'dist/**', 'e2e/artifacts/**', 'bench/results/**', 'tools/lint-fixtures/**', 'contracts-abi/generated/**/*.json'] },
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: "ExportAllDeclaration[source.value=/^\\./]", message: 'No barrel re-exports (STYLE.md): import from the file that defines the thing.' }],
    },
  },
  {
    files: ['shared/**/*.ts', 'contracts-abi/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.bench.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: noNodeImports.paths, patterns: [...noNodeImports.patterns, noElectron, noReact] }],
      'no-restricted-globals': ['error', ...impureGlobals],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: noNodeImports.paths, patterns: [...noNodeImports.patterns, noElectron] }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    ignores: ['renderer/src/bridge.ts', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-properties': ['error', { object: 'window', property: 'escapeHatch', message: 'Only renderer/src/bridge.ts touches window.escapeHatch.' }],
    },
  },
  {
    files: ['electron/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts', 'e2e/**/*.ts', 'bin/**/*.mjs', 'fixtures/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron, noReact] }],
    },
  },
  // --- Electron-side layer rules (issue 11) ------------------------------------------------------------------------
  // In flat config the LAST matching block's no-restricted-imports replaces the earlier ones for a file, so each block
  // below repeats the general electron restrictions (noElectron, noReact) and, inside electron/services, noDevnet.
  // Tests and test-support are exempt (they start devnets and drive several commands); tools/lint-boundaries.test.ts
  // proves every rule, old and new.
  {
    // Services do not start or reach into the devnet; the drill wiring (electron/services/drill) is the one place
    // that does. The flows it runs stay devnet-free.
    files: ['electron/services/**/*.ts'],
    ignores: ['electron/services/drill/**', '**/*.test.ts', '**/*.bench.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron, noReact, noDevnet] }],
    },
  },
  {
    // Signers sit below the broadcaster and the flows: a signer signs, it does not send or run a job.
    files: ['electron/services/signers/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.bench.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron, noReact, noDevnet, noBroadcast, noFlows] }],
    },
  },
  {
    // Front ends are thin: a CLI command is not a library for another command. What two commands share lives in
    // electron/cli/ (CLI-only) or electron/services/ (engine). index.ts, the registry of commands, is exempt.
    files: ['electron/cli/commands/**/*.ts'],
    ignores: ['electron/cli/commands/index.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noElectron, noReact, ...noOtherCommand] }],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noReact] }],
    },
  },
  ...sharedLayerBlocks,
)
