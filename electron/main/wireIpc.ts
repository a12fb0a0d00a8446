/**
 * Connects one window to the router: an ipcMain.handle per invoke channel of the contract, the sender-frame check,
 * and event delivery with webContents.send. A reload starts a new router session, so events are held again until the
 * new page says it is ready.
 */
import { ipcMain, type BrowserWindow, type WebFrameMain } from 'electron'
import { invokeNames, ipcInvokes } from '../../shared/ipc/contract'
import type { IpcRouter, IpcSession } from '../services/ipc/createIpcRouter'
import { isTrustedSenderFrame } from './policy/isTrustedSenderFrame'

export function wireIpc(router: IpcRouter, window: BrowserWindow): () => void {
  const contents = window.webContents
  const open = (): IpcSession<WebFrameMain | null> =>
    router.openSession<WebFrameMain | null>({
      isTrustedSender: (frame) => !contents.isDestroyed() && isTrustedSenderFrame(frame, contents.mainFrame),
      deliver: (channel, payload) => {
        if (!contents.isDestroyed()) contents.send(channel, payload)
      },
    })
  let session = open()

  const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
    if (!details.isMainFrame || details.isSameDocument) return
    session.close()
    session = open()
  }
  contents.on('did-start-navigation', onNavigation)

  for (const name of invokeNames) {
    const { channel } = ipcInvokes[name]
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (event.sender !== contents) return session.handle(channel, payload, null)
      return session.handle(channel, payload, event.senderFrame)
    })
  }

  return () => {
    for (const name of invokeNames) ipcMain.removeHandler(ipcInvokes[name].channel)
    if (!contents.isDestroyed()) contents.off('did-start-navigation', onNavigation)
    session.close()
  }
}
