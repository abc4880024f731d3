// A live QRadar console's GET /api/backup_and_restore/restores, read page by page with
// `Range: items=x-y` (Content-Range says how many there are), sending `Version` and the
// caller's SEC token or Basic credentials, over TLS that is always verified. A page is at
// most a few hundred restores: it is read whole, then split like a file's array.

import { request } from 'node:https';
import { recordsOf, type SourceRecord } from './records.ts';

export const RESTORES_PATH = '/api/backup_and_restore/restores';

export type Credentials = { readonly sec: string } | { readonly user: string; readonly password: string };

export interface ConsoleSource {
  /** The console's address: https://host[:port]. */
  readonly origin: string;
  readonly credentials: Credentials;
  /** The QRadar API version to ask for (the `Version` header). */
  readonly version: string;
  readonly pageSize: number;
  /** PEM certificates to trust besides the system's: a console's own certificate. */
  readonly ca?: string | Buffer;
  /** Per page, connection to last byte. */
  readonly timeoutMs?: number;
}

/** A failure worth telling the user as it is: the console's own answer, or why it could not be reached. */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
}

/** A page's size cap: far above any page of restores, so a runaway answer cannot fill memory. */
const MAX_PAGE_BYTES = 64 * 2 ** 20;
const MAX_ERROR_BYTES = 64 * 2 ** 10;

export interface ContentRange {
  /** First and last item of the page; absent when the range started past the end. */
  readonly first?: number;
  readonly last?: number;
  readonly total: number;
}

const RANGE = /^items\s+(?:(\d{1,15})-(\d{1,15})|\*)\/(\d{1,15})$/;

// `items x-y/TOTAL`, or `items *` then `/TOTAL` when the range began past the end (contract 11.4).
/** The Content-Range of a list's page; undefined for anything else. */
export const parseContentRange = (header: string | undefined): ContentRange | undefined => {
  const match = RANGE.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, first, last, total] = match;
  return first === undefined || last === undefined
    ? { total: Number(total) }
    : { first: Number(first), last: Number(last), total: Number(total) };
};

const authorization = (credentials: Credentials): Record<string, string> =>
  'sec' in credentials
    ? { SEC: credentials.sec }
    : {
        Authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`,
      };

/** Certificate failures Node reports by code: the ones --ca answers. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

const reachError = (origin: string, error: unknown): ConsoleError => {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) {
    // Node's own hint (Node's --use-system-ca) is not the way here: --ca is.
    const reason = message.split(';')[0];
    return new ConsoleError(
      `cannot verify ${origin}'s certificate: ${reason} (${code}); for a console's own certificate, pass it with --ca FILE`,
    );
  }
  return new ConsoleError(`cannot read from ${origin}: ${message}`);
};

/** What a console says when it refuses: QRadar's error body, or the start of whatever it sent. */
const refusal = (status: number, body: string): ConsoleError => {
  try {
    const error = JSON.parse(body) as {
      code?: unknown;
      message?: unknown;
      http_response?: { message?: unknown };
    };
    if (typeof error.message === 'string') {
      const code = typeof error.code === 'number' ? ` (QRadar code ${error.code})` : '';
      return new ConsoleError(`the console answered ${status}${code}: ${error.message}`);
    }
  } catch {
    // Not QRadar's JSON: a proxy's page, say.
  }
  return new ConsoleError(`the console answered ${status}: ${body.slice(0, 200).trim() || '(no body)'}`);
};

interface Page {
  readonly body: string;
  readonly range: ContentRange | undefined;
}

/** One GET of items first..last. */
const getPage = (source: ConsoleSource, first: number, last: number): Promise<Page> =>
  new Promise((resolve, reject) => {
    const url = new URL(RESTORES_PATH, source.origin);
    const req = request(
      url,
      {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          Version: source.version,
          Range: `items=${first}-${last}`,
          ...authorization(source.credentials),
        },
        ...(source.ca === undefined ? {} : { ca: source.ca }),
        rejectUnauthorized: true,
        timeout: source.timeoutMs ?? 60_000,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const ok = status === 200 || status === 206;
        const limit = ok ? MAX_PAGE_BYTES : MAX_ERROR_BYTES;
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (part: Buffer) => {
          size += part.length;
          if (size > limit) {
            if (ok) req.destroy(new ConsoleError(`a page from the console is larger than ${limit} bytes`));
            return;
          }
          parts.push(part);
        });
        res.on('error', (error) =>
          reject(error instanceof ConsoleError ? error : reachError(source.origin, error)),
        );
        res.on('end', () => {
          const body = Buffer.concat(parts).toString('utf8');
          if (status >= 300 && status < 400) {
            // Never followed: the credentials would go wherever it points.
            reject(
              new ConsoleError(
                `the console answered ${status} (to ${res.headers.location ?? 'nowhere'}); redirects are not followed`,
              ),
            );
          } else if (!ok) {
            reject(refusal(status, body));
          } else {
            resolve({ body, range: parseContentRange(res.headers['content-range']) });
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(
        new ConsoleError(`${source.origin} did not answer within ${(source.timeoutMs ?? 60_000) / 1000} s`),
      ),
    );
    req.on('error', (error) =>
      reject(error instanceof ConsoleError ? error : reachError(source.origin, error)),
    );
    req.end();
  });

/**
 * Every restore the console lists, page after page, numbered by place in the list. `onTotal`
 * hears the list's length as soon as a Content-Range tells it. Throws ConsoleError.
 */
export async function* consoleRecords(
  source: ConsoleSource,
  onTotal?: (total: number) => void,
): AsyncGenerator<SourceRecord> {
  let start = 0;
  let total: number | undefined;
  while (total === undefined || start < total) {
    const page = await getPage(source, start, start + source.pageSize - 1);
    if (page.range !== undefined && page.range.total !== total) {
      total = page.range.total;
      onTotal?.(total);
    }
    let count = 0;
    for await (const record of recordsOf([page.body], { arrayOnly: true, firstPosition: start + 1 })) {
      count++;
      yield record;
    }
    // An empty page ends the list; so does a short one when no Content-Range says more.
    if (count === 0 || (page.range === undefined && count < source.pageSize)) break;
    start += count;
  }
}
