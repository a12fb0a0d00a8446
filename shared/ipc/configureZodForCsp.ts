/**
 * Import this first (for its effect) in every page-side entry: the renderer, the bridge client and the preload.
 *
 * Zod compiles fast object parsers with `new Function`, probing for eval support when an object schema is created.
 * Our CSP forbids eval and requires Trusted Types, so the probe is blocked and reported as a violation on every
 * load. Jitless parsing is plenty fast for IPC-sized payloads. It must run before any schema module is evaluated,
 * hence a side-effect module imported ahead of the others.
 */
import { z } from 'zod'

z.config({ jitless: true })
