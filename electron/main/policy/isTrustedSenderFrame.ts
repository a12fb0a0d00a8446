/**
 * The sender check for Electron IPC: a request is ours only if it comes from the main frame of our window, while
 * that frame shows our own app:// page. Not a subframe, not a page the window was navigated to, not a frame that
 * is already gone. (Structural types so the rule is tested without Electron.)
 */
import { isAppUrl } from './appOrigin'

export interface FrameIdentity {
  processId: number
  routingId: number
  url: string
  detached?: boolean
}

export function isTrustedSenderFrame(sender: FrameIdentity | null | undefined, windowMainFrame: FrameIdentity): boolean {
  if (!sender || sender.detached) return false
  return sender.processId === windowMainFrame.processId && sender.routingId === windowMainFrame.routingId && isAppUrl(sender.url)
}
