import type { AppInfo } from '../../../../shared/ipc/contract'

export interface GetAppInfoParameters {
  version: string
  platform: NodeJS.Platform
  /** True when the data folder was chosen (ESCAPE_HATCH_HOME or --data-dir) rather than the OS default. */
  customDataDir: boolean
  /** Main can open native file dialogs (Electron); false behind the loopback bridge. */
  fileDialog?: boolean
}

export function createGetAppInfo({ version, platform, customDataDir, fileDialog = false }: GetAppInfoParameters): () => Promise<AppInfo> {
  const info: AppInfo = {
    name: 'Escape Hatch',
    version,
    platform: platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : 'other',
    dataDirKind: customDataDir ? 'custom' : 'os-default',
    ...(fileDialog ? { fileDialog } : {}),
  }
  return async () => info
}
