// Cross-origin requests (contract 11.6): only origins on CORS_ALLOWED_ORIGINS get CORS headers,
// always named (never `*`), since the answer allows credentials.
//
// Origins compare exactly, as strings: browsers send the serialized origin (lower-case scheme
// and host, punycode, no default port, no path), and the list must be written the same way,
// which readAllowedOrigins checks at start-up.

export interface Preflight {
  readonly statusCode: 204;
  readonly headers: Record<string, string>;
}

/** Request headers a browser may send cross-origin (the CORS-safelisted ones need no listing). */
const ALLOWED_HEADERS = 'SEC, Version, Range, Authorization, Accept, Content-Type';
const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';
const EXPOSED_HEADERS = 'Content-Range, Deprecated';
/** Seconds a browser may reuse a preflight answer. */
const MAX_AGE = '600';

/**
 * The origins of a CORS_ALLOWED_ORIGINS value: comma-separated, blanks around each and empty
 * entries ignored. Throws a plain Error at start-up for `*` or anything that is not an http(s)
 * origin written as a browser serializes it.
 */
export const readAllowedOrigins = (value: string | undefined): ReadonlySet<string> => {
  const origins = new Set<string>();
  for (const entry of (value ?? '').split(',')) {
    const origin = entry.trim();
    if (origin === '') continue;
    if (origin === '*') {
      throw new Error('CORS_ALLOWED_ORIGINS cannot hold *: credentialed CORS names each origin');
    }
    origins.add(checkOrigin(origin));
  }
  return origins;
};

const checkOrigin = (origin: string): string => {
  const url = URL.parse(origin);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`CORS_ALLOWED_ORIGINS: ${origin} is not an http or https origin (scheme://host[:port])`);
  }
  if (url.origin !== origin) {
    throw new Error(
      `CORS_ALLOWED_ORIGINS: ${origin} is not an origin as browsers send it; write ${url.origin} (no path, lower-case, no default port)`,
    );
  }
  return origin;
};

const isAllowed = (origin: string | undefined, allowed: ReadonlySet<string>): origin is string =>
  origin !== undefined && allowed.has(origin);

/** CORS headers for an ordinary response: none unless the request's Origin is on the list. */
export const corsHeaders = (
  origin: string | undefined,
  allowed: ReadonlySet<string>,
): Record<string, string> =>
  isAllowed(origin, allowed)
    ? {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Expose-Headers': EXPOSED_HEADERS,
        Vary: 'Origin',
      }
    : {};

/**
 * The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) from
 * an allowed origin, before credentials, Version and routing (to paths under /api only: the
 * preflight middleware's check). Undefined for anything else,
 * which then goes through the ordinary flow without CORS headers. `headers` has lower-case names.
 */
export const preflight = (
  method: string,
  headers: Readonly<Record<string, string>>,
  allowed: ReadonlySet<string>,
): Preflight | undefined => {
  const origin = headers['origin'];
  if (method !== 'OPTIONS' || !headers['access-control-request-method'] || !isAllowed(origin, allowed)) {
    return undefined;
  }
  return {
    statusCode: 204,
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': MAX_AGE,
      Vary: 'Origin',
    },
  };
};
