import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OPENAPI_UI_PATH } from '../openapi/openapi';

/** A Host header as browsers send it: a name or an address, and a port. Anything else: unused. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The page's websocket: ws: and wss: of the host it was loaded from ('self' covers them in CSP
 * level 3 browsers; named for the rest). Only a well-formed Host header is echoed.
 */
function selfAndSockets(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `'self' ws://${host} wss://${host}` : "'self'";
}

/** The strict policy: what the game's page and every other answer get. */
const STRICT: NonNullable<HelmetOptions['contentSecurityPolicy']> = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: [selfAndSockets],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Swagger UI (the operators' API docs, not the game) ships inline styles and data: icons; its
 * scripts are files, so scripts stay as strict as everywhere else.
 */
const API_DOCS: NonNullable<HelmetOptions['contentSecurityPolicy']> = {
  useDefaults: false,
  directives: {
    ...STRICT.directives,
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
  },
};

const headers = (contentSecurityPolicy: HelmetOptions['contentSecurityPolicy']) =>
  helmet({
    contentSecurityPolicy,
    // Browsers heed it only over HTTPS (behind a TLS proxy); this host's name only.
    strictTransportSecurity: { maxAge: 365 * 24 * 3600, includeSubDomains: false },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

/**
 * The response headers of every HTTP answer (helmet): a strict Content-Security-Policy (scripts,
 * styles and connections of this origin only, nothing inline, no plugins, no framing) and the
 * usual hardening headers. The web client needs nothing inline: styles are in styles.css, scripts
 * are modules, and dynamic styles go through the CSSOM, which CSP does not restrict.
 */
export function securityHeaders(): (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void {
  const strict = headers(STRICT);
  const apiDocs = headers(API_DOCS);
  return (req, res, next) => {
    const path = req.url ?? '/';
    const docs = path === OPENAPI_UI_PATH || path.startsWith(`${OPENAPI_UI_PATH}/`);
    (docs ? apiDocs : strict)(req, res, next);
  };
}
