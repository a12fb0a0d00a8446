/**
 * The main window's options. Every security-relevant webPreference is set explicitly (not left to Electron's
 * defaults, which have changed between versions): context isolation, the renderer sandbox, no Node in the page or its
 * workers or subframes, no <webview>, web security on, no insecure content, no experimental or Blink features.
 */
import type { BrowserWindowConstructorOptions } from 'electron'

export interface BuildWindowOptionsParameters {
  preloadPath: string
  /** DevTools only when not packaged. */
  devTools: boolean
}

export function buildWindowOptions({ preloadPath, devTools }: BuildWindowOptionsParameters): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    title: 'Escape Hatch',
    show: false,
    backgroundColor: '#0f1419',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools,
    },
  }
}
