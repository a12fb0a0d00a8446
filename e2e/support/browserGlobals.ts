/**
 * Shapes of the browser globals that page-side code (the functions given to page.evaluate) uses. The Node project
 * (tsconfig.node.json) has no DOM lib, and adding it would leak DOM globals into all Node code, so those functions
 * start with `const page = globalThis as unknown as BrowserGlobals` and use only what is declared here.
 */
export interface BrowserElement {
  tagName: string
  id: string
  textContent: string | null
  getAttribute(name: string): string | null
  append(...nodes: BrowserElement[]): void
  prepend(...nodes: BrowserElement[]): void
}

export interface BrowserAnchor extends BrowserElement {
  href: string
}
export interface BrowserForm extends BrowserElement {
  action: string
  method: string
  submit(): void
}
export interface BrowserFrame extends BrowserElement {
  src: string
}

export interface BrowserDocument {
  activeElement: BrowserElement | null
  body: BrowserElement
  querySelector(selector: string): BrowserElement | null
  createElement(tag: 'a'): BrowserAnchor
  createElement(tag: 'form'): BrowserForm
  createElement(tag: 'iframe'): BrowserFrame
  addEventListener(type: 'securitypolicyviolation', listener: (event: { effectiveDirective: string }) => void): void
}

export interface BrowserSocket {
  onopen: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number }) => void) | null
  send(data: string): void
  close(): void
}

export interface BrowserGlobals {
  document: BrowserDocument
  location: { search: string; host: string }
  WebSocket: new (url: string) => BrowserSocket
  getComputedStyle(element: BrowserElement): { outlineStyle: string }
  open(url: string): unknown
  escapeHatch?: Record<string, unknown>
}
