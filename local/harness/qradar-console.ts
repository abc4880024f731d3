// A small stand-in for a QRadar console's GET /api/backup_and_restore/restores over HTTPS, with
// its own self-signed certificate: SEC or Basic credentials, the Version header, and Range
// paging with Content-Range as contract 11.4 describes QRadar's. Error bodies are QRadar's own.
// Its `mode` turns it hostile, as a broken console, a proxy or an attacker in its place would be.

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  malformedRange,
  negativeRange,
  type QRadarError,
  unauthorized,
  unknownEndpoint,
  versionInvalid,
} from '../../lib/qradar/errors.ts';

/** QRadar's 401 message for a request with no credentials (contract section 5). */
const NO_CREDENTIALS =
  'No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"';
export const BAD_CREDENTIALS = 'Invalid credentials or token provided.';

export interface SeenRequest {
  readonly range: string | undefined;
  readonly version: string | undefined;
  readonly sec: string | undefined;
  readonly authorization: string | undefined;
}

/**
 * - `drip`: headers at once, then the page one byte every `dripMs`
 * - `endless-401`: a 401 whose body never ends
 * - `ignore-range`: the whole list whatever Range asks, without Content-Range
 * - `lying-total`: pages as asked, but a total of 999999999999999
 * - `moving-total`: pages as asked, the total one larger on every page
 * - `short`: announces `extra` more restores than it has, then answers `[]`
 * - `token-echo`: a 401 whose body repeats the SEC header it was sent
 * - `escapes`: a 500 whose body holds terminal escapes
 * - `not-json`: a 200 HTML page
 * - `fail-after`: pages as asked, then a 503 from page `pages` on (0-based)
 */
export type StandInMode =
  | 'normal'
  | 'drip'
  | 'endless-401'
  | 'ignore-range'
  | 'lying-total'
  | 'moving-total'
  | 'short'
  | 'token-echo'
  | 'redirect-echo'
  | 'escapes'
  | 'not-json'
  | 'fail-after';

export interface ConsoleStandIn {
  /** https://127.0.0.1:PORT */
  readonly origin: string;
  /** The file holding its certificate, for --ca. */
  readonly caFile: string;
  /** The list it serves: each restore's JSON text, as a console writes it. */
  restores: string[];
  /** The SEC token it accepts (change it to rotate). */
  token: string;
  mode: StandInMode;
  /** `drip`: the pause between bytes. */
  dripMs: number;
  /** `short`: how many more it announces than it has. */
  extra: number;
  /** `fail-after`: the pages answered before it fails. */
  pages: number;
  /** Bytes of endless bodies written so far (`endless-401`, `drip`). */
  readonly streamed: { bytes: number };
  /** The most requests it was answering at once. */
  readonly concurrency: { now: number; most: number };
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export interface StandInOptions {
  readonly token: string;
  readonly user: string;
  readonly password: string;
}

const run = promisify(execFile);
const VERSIONS = new Set(['12.0', '20.0', '25.0', '26.0']);
const RANGE = /^items=([0-9]+)-([0-9]+)$/;

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI in `dir`. */
const selfSigned = async (dir: string): Promise<{ key: string; cert: string; certFile: string }> => {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=qradar-console-stand-in',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8'), certFile };
};

export const startConsoleStandIn = async ({
  token,
  user,
  password,
}: StandInOptions): Promise<ConsoleStandIn> => {
  const dir = await mkdtemp(join(tmpdir(), 'qradar-console-'));
  const { key, cert, certFile } = await selfSigned(dir);
  const requests: SeenRequest[] = [];
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const standIn = {
    restores: [] as string[],
    token,
    mode: 'normal' as StandInMode,
    dripMs: 50,
    extra: 0,
    pages: 0,
    streamed: { bytes: 0 },
    concurrency: { now: 0, most: 0 },
  };
  const timers = new Set<NodeJS.Timeout>();
  /** Writes `chunk` every `ms` until the connection closes (or `text` runs out). */
  const trickle = (res: import('node:http').ServerResponse, next: () => string | undefined, ms: number) => {
    const timer = setInterval(() => {
      const chunk = next();
      if (chunk === undefined || res.destroyed) {
        clearInterval(timer);
        timers.delete(timer);
        if (!res.destroyed) res.end();
        return;
      }
      standIn.streamed.bytes += Buffer.byteLength(chunk);
      res.write(chunk);
    }, ms);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const server = createServer({ key, cert }, (req, res) => {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const seen: SeenRequest = {
      range: header('range'),
      version: header('version'),
      sec: header('sec'),
      authorization: header('authorization'),
    };
    requests.push(seen);
    const { concurrency } = standIn;
    concurrency.most = Math.max(concurrency.most, ++concurrency.now);
    res.on('close', () => concurrency.now--);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
      res.end(body);
    };
    const fail = (error: QRadarError) => send(error.status, JSON.stringify(error.toBody()));
    const { mode } = standIn;

    if (mode === 'endless-401') {
      res.writeHead(401, { 'Content-Type': 'application/json;charset=UTF-8' });
      trickle(res, () => 'x'.repeat(64 * 1024), 1);
      return;
    }
    if (mode === 'token-echo') {
      return send(
        401,
        JSON.stringify({ code: 18, message: `Invalid token: ${seen.sec ?? seen.authorization}` }),
      );
    }
    if (mode === 'redirect-echo') {
      // A redirect that carries the token onward: never followed, and its location never shown.
      res.writeHead(302, {
        Location: `https://elsewhere.example/?token=${encodeURIComponent(seen.sec ?? '')}`,
      });
      res.end();
      return;
    }
    if (mode === 'escapes') return send(500, '\u001b[2J\u001b[31mconsole on fire\u001b[0m\u0007');
    if (seen.sec === undefined && seen.authorization === undefined) return fail(unauthorized(NO_CREDENTIALS));
    if (seen.sec !== standIn.token && seen.authorization !== basic)
      return fail(unauthorized(BAD_CREDENTIALS));
    if (seen.version !== undefined && !VERSIONS.has(seen.version)) return fail(versionInvalid(seen.version));
    if (req.method !== 'GET' || req.url !== '/api/backup_and_restore/restores') {
      return fail(unknownEndpoint(req.url ?? ''));
    }
    if (mode === 'not-json') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<html><body>Please log in</body></html>');
    }
    if (mode === 'ignore-range') return send(200, `[${standIn.restores.join(',')}]`);
    // This request is the last one seen: the pages before it were answered.
    const pagesServed = requests.length - 1;
    if (mode === 'fail-after' && pagesServed >= standIn.pages) {
      return send(503, '{"code":1000,"message":"The service is unavailable."}');
    }
    const held = standIn.restores.length;
    let [first, last] = [0, held - 1];
    if (seen.range !== undefined) {
      const match = RANGE.exec(seen.range);
      if (!match) return fail(malformedRange());
      [first, last] = [Number(match[1]), Math.min(Number(match[2]), held - 1)];
      if (Number(match[2]) < first) return fail(negativeRange());
    }
    const total =
      mode === 'lying-total'
        ? 999_999_999_999_999
        : mode === 'moving-total'
          ? held + pagesServed + 1
          : mode === 'short'
            ? held + standIn.extra
            : held;
    if (first >= held) return send(200, '[]', { 'Content-Range': `items */${total}` });
    const page = standIn.restores.slice(first, last + 1);
    const body = `[\n${page.join(',\n')}\n]`;
    const headers = {
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Range': `items ${first}-${last}/${total}`,
    };
    if (mode === 'drip') {
      res.writeHead(200, headers);
      let at = 0;
      trickle(res, () => (at < body.length ? body.charAt(at++) : undefined), standIn.dripMs);
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return Object.assign(standIn, {
    origin: `https://127.0.0.1:${port}`,
    caFile: certFile,
    requests,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  });
};
