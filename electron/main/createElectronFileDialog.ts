/**
 * The file-dialog port (services/files/fileDialog.ts) over Electron's native dialogs, attached to the app's window
 * (modal) when it has one. Thin on purpose: what the user picks is checked by the writer like any other path.
 */
import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { FileDialog } from '../services/files/fileDialog'

export function createElectronFileDialog(dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>, window: () => BrowserWindow | undefined): FileDialog {
  return {
    async chooseSavePath({ title, defaultName, filters }) {
      const options: SaveDialogOptions = { title, properties: ['createDirectory', 'showOverwriteConfirmation'], ...(defaultName ? { defaultPath: defaultName } : {}), ...(filters ? { filters } : {}) }
      const parent = window()
      const { canceled, filePath } = await (parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options))
      return canceled || !filePath ? undefined : filePath
    },
    async chooseOpenPath({ title, filters }) {
      const options: OpenDialogOptions = { title, properties: ['openFile'], ...(filters ? { filters } : {}) }
      const parent = window()
      const { canceled, filePaths } = await (parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options))
      return canceled ? undefined : filePaths[0]
    },
  }
}
