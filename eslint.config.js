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
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noReact] }],
    },
  },
  ...sharedLayerBlocks,
)
