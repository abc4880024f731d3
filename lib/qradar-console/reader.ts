// A live QRadar console's GET /api/backup_and_restore/restores, read page by page with
// `Range: items=x-y`, sending `Version` and the caller's SEC token or Basic credentials, over
// TLS that is always verified. A console is hostile until checked: each page has a deadline
// from connection to last byte and a size cap whatever its status, must be the page asked for
// (its Content-Range names it, its body holds exactly that many records, the list's total
// stays the same), and the whole read has a deadline of its own. A page is at most a few
// thousand restores: it is read whole, split like a file's array, checked, then handed on.

import { request } from 'node:https';
import { printable, repeatsSecret } from '../observability/printable.ts';
import { InputError, recordsOf, type SourceRecord } from './records.ts';

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
  /** Per page, connection to last byte. Default 60 s. */
  readonly pageTimeoutMs?: number;
  /** When the whole list must have been read (Date.now() ms); none: pages' own deadlines only. */
  readonly deadline?: number;
  /** The longest list read; a console announcing more is refused. Default 1,000,000. */
  readonly maxRecords?: number;
  /** How to trust a console's own certificate, for the message when it cannot be verified. */
  readonly caHint?: string;
  /** Hears each request sent. */
  readonly onPage?: () => void;
}

/** A failure worth telling the user as it is: the console's own answer, or why it could not be reached. */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
  /** The console's HTTP status, when it answered with an error. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** A page's size cap: far above any page of restores, so a runaway answer cannot fill memory. */
const MAX_PAGE_BYTES = 64 * 2 ** 20;
/** An error's: enough for any QRadar error body or proxy page. */
const MAX_ERROR_BYTES = 64 * 2 ** 10;
const DEFAULT_PAGE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RECORDS = 1_000_000;

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

/** What must never be printed: the token, or the password and the Basic value made of it. */
export const secretsOf = (credentials: Credentials): string[] =>
  'sec' in credentials
    ? [credentials.sec]
    : [credentials.password, authorization(credentials)['Authorization']?.slice('Basic '.length) ?? ''];

/** Certificate failures Node reports by code: the ones --ca answers. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

const reachError = (origin: string, error: unknown, caHint = '--ca FILE'): ConsoleError => {
  if (error instanceof ConsoleError) return error;
  const code = (error as { code?: unknown }).code;
  const message = printable(error instanceof Error ? error.message : String(error));
  if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) {
    // Node's own hint (Node's --use-system-ca) is not the way here: --ca is.
    const reason = message.split(';')[0];
    return new ConsoleError(
      `cannot verify ${origin}'s certificate: ${reason} (${code}); for a console's own certificate, pass it with ${caHint}`,
    );
  }
  return new ConsoleError(`cannot read from ${origin}: ${message}`);
};

/** What a console says when it refuses: QRadar's error body, or the start of whatever it sent. */
const refusal = (status: number, body: string, secrets: readonly string[], cut: boolean): ConsoleError => {
  // A console (or a proxy) that echoes the request would print the credentials: never.
  if (repeatsSecret(body, secrets)) {
    return new ConsoleError(
      `the console answered ${status}; its answer repeats the credentials sent, so it is not shown`,
      status,
    );
  }
  try {
    const error = JSON.parse(body) as { code?: unknown; message?: unknown };
    if (typeof error.message === 'string') {
      const code = typeof error.code === 'number' ? ` (QRadar code ${error.code})` : '';
      return new ConsoleError(
        `the console answered ${status}${code}: ${printable(error.message.slice(0, 500))}`,
        status,
      );
    }
  } catch {
    // Not QRadar's JSON: a proxy's page, say (or an answer cut at the cap).
  }
  const start = printable(body.slice(0, 200).trim()) || '(no body)';
  return new ConsoleError(
    `the console answered ${status}: ${start}${cut ? ` (an answer over ${MAX_ERROR_BYTES} bytes, cut)` : ''}`,
    status,
  );
};

interface Page {
  readonly body: string;
  readonly range: ContentRange | undefined;
}

/** One GET of items first..last, within `timeoutMs` from connection to last byte. */
const getPage = (source: ConsoleSource, first: number, last: number, timeoutMs: number): Promise<Page> =>
  new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (error: unknown) => settle(() => reject(reachError(source.origin, error, source.caHint)));
    source.onPage?.();
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
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const ok = status === 200 || status === 206;
        const limit = ok ? MAX_PAGE_BYTES : MAX_ERROR_BYTES;
        const parts: Buffer[] = [];
        let size = 0;
        const finish = (cut: boolean) => {
          let body: string;
          try {
            body = new TextDecoder('utf-8', { fatal: !cut }).decode(Buffer.concat(parts));
          } catch {
            return fail(
              new ConsoleError(`the console answered ${status} with a body that is not UTF-8 text`),
            );
          }
          if (status >= 300 && status < 400) {
            // Never followed: the credentials would go wherever it points.
            const sent = String(res.headers.location ?? 'nowhere').slice(0, 200);
            const location = repeatsSecret(sent, secretsOf(source.credentials))
              ? 'a location repeating the credentials'
              : printable(sent);
            return fail(
              new ConsoleError(
                `the console answered ${status} (to ${location}); redirects are not followed`,
                status,
              ),
            );
          }
          if (!ok) return fail(refusal(status, body, secretsOf(source.credentials), cut));
          settle(() => resolve({ body, range: parseContentRange(res.headers['content-range']) }));
        };
        res.on('data', (part: Buffer) => {
          size += part.length;
          if (size <= limit) {
            parts.push(part);
            return;
          }
          if (ok) {
            req.destroy(new ConsoleError(`a page from the console is larger than ${limit} bytes`));
            return;
          }
          // An error body that never ends: what came is enough to say what it was.
          parts.push(part.subarray(0, part.length - (size - limit)));
          finish(true);
          req.destroy();
        });
        res.on('error', fail);
        res.on('end', () => finish(false));
      },
    );
    // The whole page, however slowly it trickles in: connection, headers and every byte.
    const timer = setTimeout(
      () =>
        req.destroy(
          new ConsoleError(
            `${source.origin} did not send the page items=${first}-${last} within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
    req.on('error', fail);
    req.end();
  });

/** The page's Content-Range when it is the page asked for and the list's total holds; throws otherwise. */
const checkPage = (
  source: ConsoleSource,
  asked: { readonly first: number; readonly last: number },
  range: ContentRange | undefined,
  count: number,
  total: number | undefined,
): ContentRange => {
  const answer = `its answer to Range: items=${asked.first}-${asked.last}`;
  if (range === undefined) {
    throw new ConsoleError(
      `${answer} has no Content-Range (items x-y/TOTAL): the console does not page its list, so it cannot be read whole`,
    );
  }
  if (total !== undefined && range.total !== total) {
    throw new ConsoleError(
      `the console's list changed while it was read: ${total} restores, then ${range.total}; read it again`,
    );
  }
  const maxRecords = source.maxRecords ?? DEFAULT_MAX_RECORDS;
  if (range.total > maxRecords) {
    throw new ConsoleError(
      `the console announces ${range.total} restores, more than the ${maxRecords} read at most`,
    );
  }
  if (range.first === undefined || range.last === undefined) {
    if (asked.first < range.total) {
      throw new ConsoleError(
        `the console announced ${range.total} restores but ${answer} holds none from ${asked.first} on: the list is incomplete`,
      );
    }
    if (count > 0)
      throw new ConsoleError(`${answer} says items */${range.total} but holds ${count} restores`);
    return range;
  }
  const shown = `items ${range.first}-${range.last}/${range.total}`;
  if (
    range.first !== asked.first ||
    range.last < range.first ||
    range.last > asked.last ||
    range.last >= range.total
  ) {
    throw new ConsoleError(`${answer} is another page (Content-Range: ${shown})`);
  }
  // Spec 11.4: a page is cut short only by the list's end.
  if (range.last < asked.last && range.last !== range.total - 1) {
    throw new ConsoleError(`${answer} stops short of the page without reaching the list's end (${shown})`);
  }
  const expected = range.last - range.first + 1;
  if (count !== expected) {
    throw new ConsoleError(
      `${answer} (Content-Range: ${shown}) holds ${count} restores, not ${expected}: the list is incomplete`,
    );
  }
  return range;
};

/**
 * Every restore the console lists, page after page, numbered by place in the list. `onTotal`
 * hears the list's length from the first page. Ends normally only once the whole list the
 * console announced has been read; throws ConsoleError otherwise, after the records of the
 * pages read whole so far.
 */
export async function* consoleRecords(
  source: ConsoleSource,
  onTotal?: (total: number) => void,
): AsyncGenerator<SourceRecord> {
  const pageTimeoutMs = source.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  let start = 0;
  let total: number | undefined;
  do {
    const asked = { first: start, last: start + source.pageSize - 1 };
    let timeoutMs = pageTimeoutMs;
    if (source.deadline !== undefined) {
      const left = source.deadline - Date.now();
      if (left <= 0) {
        throw new ConsoleError(
          `the console's list was not read in the time a pass has (${start} of ${total ?? '?'} restores read)`,
        );
      }
      timeoutMs = Math.min(timeoutMs, left);
    }
    const page = await getPage(source, asked.first, asked.last, timeoutMs);
    const records: SourceRecord[] = [];
    try {
      for await (const record of recordsOf([page.body], { arrayOnly: true, firstPosition: start + 1 }))
        records.push(record);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new ConsoleError(
        `${`its answer to Range: items=${asked.first}-${asked.last}`} is not a list of restores: ${printable(error.message)}`,
      );
    }
    const range = checkPage(source, asked, page.range, records.length, total);
    if (total === undefined) {
      total = range.total;
      onTotal?.(total);
    }
    yield* records;
    start += records.length;
  } while (start < total);
}
