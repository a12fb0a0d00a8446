// electron-builder configuration (`npm run package`). CommonJS because electron-builder loads it with require().
//
// Packaging downloads the Electron distribution for each target; that is not possible offline. With a local
// distribution (an unpacked Electron of the version in package.json), set ESCAPE_HATCH_ELECTRON_DIST to its folder.
//
// Fuses are flipped in the packaged binary (electron-builder's electronFuses, which runs @electron/fuses):
// the app cannot be turned into a plain Node runtime, cannot be given NODE_OPTIONS or --inspect, loads code only
// from its own app.asar, and that asar's integrity is checked at load (macOS and Windows), so a user's
// money-moving code cannot be swapped after install without breaking the signature.

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.escapehatch.app',
  productName: 'Escape Hatch',
  executableName: 'escape-hatch',
  copyright: 'Escape Hatch contributors',
  directories: { output: 'dist', buildResources: 'build' },
  // The bundles from `electron-vite build` plus production dependencies (electron-builder adds node_modules).
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json', '!**/*.map'],
  asar: true,
  // Native modules must be unpacked to be loadable; they are still covered by code signing.
  asarUnpack: ['**/*.node'],
  electronDist: process.env.ESCAPE_HATCH_ELECTRON_DIST || undefined,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    // Pages are served from app://, never file://, so file: gets no extra powers.
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Finance',
    synopsis: 'Get your money out of an Ethereum rollup using L1 alone',
    icon: 'build/icon.png',
  },
  deb: {
    // node-hid (Ledger) needs libusb and libudev at run time.
    depends: ['libusb-1.0-0', 'libudev1'],
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.finance',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    icon: 'build/icon.png',
  },
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  publish: null,
}

module.exports = config
