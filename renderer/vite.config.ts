/**
 * The renderer's Vite setup. `rendererPlugins` is shared with electron.vite.config.ts (the Electron build); this
 * file's default export is the loopback-bridge build: the same app plus the bridge client entry, into
 * out/bridge-renderer, which electron/bridge serves. Paths are relative to the repo root (scripts run from there).
 */
import react from '@vitejs/plugin-react'
import { defineConfig, type PluginOption } from 'vite'
import { buildContentSecurityPolicy } from '../shared/ipc/contentSecurityPolicy'

/** Writes the app's CSP into index.html as a meta tag, so the page is locked down whoever serves it. */
function cspMetaTag(): PluginOption {
  return {
    name: 'escape-hatch:csp-meta',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: buildContentSecurityPolicy({ forMetaTag: true }) }, injectTo: 'head-prepend' },
    ],
  }
}

export function rendererPlugins(): PluginOption[] {
  return [react(), cspMetaTag()]
}

export const BRIDGE_CLIENT_ENTRY = 'bridge-client'

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the same build works under app://escape-hatch/ and http://127.0.0.1:<port>/.
  base: './',
  plugins: rendererPlugins(),
  logLevel: 'warn',
  build: {
    outDir: '../out/bridge-renderer',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      input: { index: 'renderer/index.html', [BRIDGE_CLIENT_ENTRY]: 'renderer/src/bridgeClient/installBridgeClient.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === BRIDGE_CLIENT_ENTRY ? `${BRIDGE_CLIENT_ENTRY}.js` : 'assets/[name]-[hash].js') },
    },
  },
})
