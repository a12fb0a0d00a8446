// Tests build/electron-builder.config.cjs; it sits here because the unit suite (vitest.config.ts) does not include build/.
import { createRequire } from 'node:module'
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const config = require('../../build/electron-builder.config.cjs') as Record<string, unknown> & { electronFuses: Record<string, boolean> }
const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; main: string }

describe('electron-builder config', () => {
  it('flips the fuses that keep the packaged app from running foreign code', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    })
    expect(config.asar).toBe(true)
  })

  it('targets AppImage, deb, dmg and nsis', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb'])
    expect((config.mac as { target: string[] }).target).toEqual(['dmg'])
    expect((config.win as { target: string[] }).target).toEqual(['nsis'])
  })

  it('packages the built bundles and keeps electron a devDependency (electron-builder refuses it otherwise)', () => {
    expect(pkg.dependencies).not.toHaveProperty('electron')
    expect(pkg.devDependencies).toHaveProperty('electron')
    expect(pkg.main).toBe('out/main/index.js')
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**']))
    for (const file of [(config.mac as { entitlements: string }).entitlements, (config.linux as { icon: string }).icon]) expect(fs.existsSync(new URL(`../../${file}`, import.meta.url))).toBe(true)
  })
})
