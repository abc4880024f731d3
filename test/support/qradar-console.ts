// A small stand-in for a QRadar console's GET /api/backup_and_restore/restores over HTTPS, with
// its own self-signed certificate: SEC or Basic credentials, the Version header, and Range
// paging with Content-Range as contract 11.4 describes QRadar's. Error bodies are QRadar's own.

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

export interface ConsoleStandIn {
  /** https://127.0.0.1:PORT */
  readonly origin: string;
  /** The file holding its certificate, for --ca. */
  readonly caFile: string;
  /** The list it serves: each restore's JSON text, as a console writes it. */
  restores: string[];
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
  const standIn = { restores: [] as string[] };

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
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
      res.end(body);
    };
    const fail = (error: QRadarError) => send(error.status, JSON.stringify(error.toBody()));

    if (seen.sec === undefined && seen.authorization === undefined) return fail(unauthorized(NO_CREDENTIALS));
    if (seen.sec !== token && seen.authorization !== basic) return fail(unauthorized(BAD_CREDENTIALS));
    if (seen.version !== undefined && !VERSIONS.has(seen.version)) return fail(versionInvalid(seen.version));
    if (req.method !== 'GET' || req.url !== '/api/backup_and_restore/restores') {
      return fail(unknownEndpoint(req.url ?? ''));
    }
    const total = standIn.restores.length;
    let [first, last] = [0, total - 1];
    if (seen.range !== undefined) {
      const match = RANGE.exec(seen.range);
      if (!match) return fail(malformedRange());
      [first, last] = [Number(match[1]), Math.min(Number(match[2]), total - 1)];
      if (Number(match[2]) < first) return fail(negativeRange());
    }
    if (first >= total) return send(200, '[]', { 'Content-Range': `items */${total}` });
    const page = standIn.restores.slice(first, last + 1);
    send(200, `[\n${page.join(',\n')}\n]`, { 'Content-Range': `items ${first}-${last}/${total}` });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return Object.assign(standIn, {
    origin: `https://127.0.0.1:${port}`,
    caFile: certFile,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  });
};
