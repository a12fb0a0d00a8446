/**
 * The port through which main asks the user where a file goes or which file to open: Electron's native dialogs in
 * the app (electron/main/createElectronFileDialog.ts); absent behind the loopback bridge, where the window offers a
 * path field instead. What it answers is a path the user picked, still untrusted: writers check it
 * (writeFileAtChosenPath.ts) as they check a typed one.
 */
export interface ChooseFileOptions {
  /** The dialog's title, e.g. "Save the drill report". */
  title: string
  /** Save dialogs: the suggested file name (no folder). */
  defaultName?: string
  /** e.g. [{ name: 'HTML report', extensions: ['html'] }] */
  filters?: { name: string; extensions: string[] }[]
}

export interface FileDialog {
  /** The path the user chose to save to, or undefined when they cancelled. */
  chooseSavePath(options: ChooseFileOptions): Promise<string | undefined>
  /** The file the user chose to open, or undefined when they cancelled. */
  chooseOpenPath(options: ChooseFileOptions): Promise<string | undefined>
}
