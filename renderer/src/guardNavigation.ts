/**
 * The window never leaves the app. In Electron, main denies navigation and new windows (electron/main/policy);
 * in a browser through the loopback bridge the page enforces the same rule itself: a click on a link that would load
 * another document (another site, another path, a new tab, a download) is cancelled and reported, and the CSP's
 * form-action/frame-src 'none' covers forms and frames. Same-document links (our `#/jobs/...` hashes) pass.
 */
import { EscapeError, registerErrorClass } from '../../shared/errors/EscapeError'

export class NavigationBlockedError extends EscapeError {
  override name = 'NavigationBlockedError'
  constructor(url: string) {
    super('Escape Hatch does not open other pages or sites.', {
      kind: 'user-action',
      steps: ['If you trust the link and need it, copy its address from the technical details into your web browser yourself.'],
      details: `Blocked: ${url.length > 300 ? `${url.slice(0, 300)}…` : url}`,
    })
  }
}
registerErrorClass('NavigationBlockedError', NavigationBlockedError)

export function guardNavigation(doc: Document, onBlocked: (error: NavigationBlockedError) => void): () => void {
  const onClick = (event: MouseEvent) => {
    const target = event.target
    const anchor = target instanceof Element ? target.closest('a[href]') : null
    if (!(anchor instanceof HTMLAnchorElement)) return
    if (isSameDocumentLink(anchor, doc)) return
    event.preventDefault()
    event.stopPropagation()
    onBlocked(new NavigationBlockedError(anchor.href))
  }
  doc.addEventListener('click', onClick, true)
  doc.addEventListener('auxclick', onClick, true)
  return () => {
    doc.removeEventListener('click', onClick, true)
    doc.removeEventListener('auxclick', onClick, true)
  }
}

function isSameDocumentLink(anchor: HTMLAnchorElement, doc: Document): boolean {
  if (anchor.hasAttribute('download')) return false
  const target = anchor.getAttribute('target')
  if (target && target !== '_self') return false
  let url: URL
  try {
    url = new URL(anchor.href, doc.baseURI)
  } catch {
    return false
  }
  const here = new URL(doc.location.href)
  return url.origin === here.origin && url.pathname === here.pathname && url.search === here.search && url.hash !== ''
}
