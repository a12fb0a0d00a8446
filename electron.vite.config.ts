/**
 * The three Electron bundles. `npm run build` runs this offline (no Electron binary needed):
 * - main: ESM, dependencies left external (they ship in the asar's node_modules);
 * - preload: one self-contained CommonJS file, because sandboxed preloads cannot load ESM or node_modules;
 * - renderer: the same Vite setup as the bridge build (renderer/vite.config.ts), without the bridge client.
 */
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { rendererPlugins } from './renderer/vite.config'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: rendererPlugins(),
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
})
