// The native dialogs behind the file-dialog port, with Electron's dialog module replaced by a recording fake.
import { describe, expect, it } from 'vitest'
import type { BrowserWindow, Dialog } from 'electron'
import { createElectronFileDialog } from './createElectronFileDialog'

function fakeDialog(answer: { canceled: boolean; filePath?: string; filePaths?: string[] }) {
  const calls: unknown[][] = []
  const dialog = {
    showSaveDialog: async (...args: unknown[]) => (calls.push(['save', ...args]), { canceled: answer.canceled, filePath: answer.filePath ?? '' }),
    showOpenDialog: async (...args: unknown[]) => (calls.push(['open', ...args]), { canceled: answer.canceled, filePaths: answer.filePaths ?? [] }),
  } as unknown as Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>
  return { dialog, calls }
}

describe('createElectronFileDialog', () => {
  it('asks with a modal save dialog on the app window, and answers the chosen path', async () => {
    const window = { id: 1 } as unknown as BrowserWindow
    const { dialog, calls } = fakeDialog({ canceled: false, filePath: '/home/u/drill.html' })
    const port = createElectronFileDialog(dialog, () => window)
    expect(await port.chooseSavePath({ title: 'Save the drill report', defaultName: 'drill.html', filters: [{ name: 'HTML report', extensions: ['html'] }] })).toBe('/home/u/drill.html')
    expect(calls).toEqual([
      ['save', window, { title: 'Save the drill report', properties: ['createDirectory', 'showOverwriteConfirmation'], defaultPath: 'drill.html', filters: [{ name: 'HTML report', extensions: ['html'] }] }],
    ])
  })

  it('answers undefined when the user cancels, and works without a window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: true, filePath: '/ignored', filePaths: ['/ignored'] })
    const port = createElectronFileDialog(dialog, () => undefined)
    expect(await port.chooseSavePath({ title: 't' })).toBeUndefined()
    expect(await port.chooseOpenPath({ title: 'Open a signed file' })).toBeUndefined()
    expect(calls).toEqual([
      ['save', { title: 't', properties: ['createDirectory', 'showOverwriteConfirmation'] }],
      ['open', { title: 'Open a signed file', properties: ['openFile'] }],
    ])
  })

  it('opens one file', async () => {
    const { dialog } = fakeDialog({ canceled: false, filePaths: ['/home/u/signed.json'] })
    expect(await createElectronFileDialog(dialog, () => undefined).chooseOpenPath({ title: 'o' })).toBe('/home/u/signed.json')
  })
})
