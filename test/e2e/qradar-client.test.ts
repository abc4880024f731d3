// The service as IBM's own sample clients use it: a Python standard-library client
// (test/e2e/python/qradar_client.py) over HTTPS, through a loopback TLS terminator this test
// starts in front of the local stack, verifying the terminator's own certificate.

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../lib/auth/registry.ts';
import { localClient } from '../../local/dynalite.ts';
import { checkHttpResponse } from '../../local/harness/contract.ts';
import { type LocalStack, startLocalStack } from '../../local/harness/local-stack.ts';

const run = promisify(execFile);
const SEC_TOKEN = 'python-client-token';
const USER = { name: 'py-backup', password: 'correct horse: battery staple' };

let stack: LocalStack;
let terminator: Server;
let folder: string;
let steps: Record<
  string,
  {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    text: string;
    ids?: number[];
    pages?: number;
  }
>;

/** A self-signed certificate for 127.0.0.1, made with the openssl command line. */
const certificate = async (dir: string) => {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { key: await readFile(key), cert: await readFile(cert), certFile: cert };
};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'qradar-client-'));
  stack = await startLocalStack({ SEC_TOKEN });
  const store = localClient(/DynamoDB:\s+(\S+)/.exec(stack.output())?.[1] ?? '');
  await registerUser(store, 'authorized_users', {
    username: USER.name,
    capabilities: ['BACKUP'],
    password: USER.password,
  });
  store.destroy();
  const { key, cert, certFile } = await certificate(folder);
  const target = new URL(stack.httpUrl);
  // TLS in front, plain TCP to the stack behind: what a load balancer or API Gateway's edge does.
  terminator = createServer({ key, cert }, (tls) => {
    const plain = connect(Number(target.port), target.hostname);
    tls.pipe(plain).pipe(tls);
    plain.on('error', () => tls.destroy());
    tls.on('error', () => plain.destroy());
  }).listen(0, '127.0.0.1');
  await once(terminator, 'listening');
  const { port } = terminator.address() as AddressInfo;
  const { stdout } = await run(
    'python3',
    ['test/e2e/python/qradar_client.py', `https://127.0.0.1:${port}`, certFile],
    {
      env: {
        ...process.env,
        QRADAR_SEC_TOKEN: SEC_TOKEN,
        QRADAR_USER: USER.name,
        QRADAR_PASSWORD: USER.password,
      },
    },
  );
  steps = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: string } & (typeof steps)[string])
      .map(({ step, ...rest }) => [step, rest]),
  );
});
afterAll(async () => {
  terminator?.close();
  await stack?.stop();
  await rm(folder, { recursive: true, force: true });
});

const stepOf = (name: string, method = 'GET', path = '/api/help/versions') => {
  const found = steps[name];
  if (found === undefined) throw new Error(`the client printed no step ${name}`);
  checkHttpResponse({ method, path }, { statusCode: found.status, headers: found.headers, body: found.text });
  return found;
};

describe("a QRadar client written as IBM's samples are", () => {
  it('checks its set-up through /api/help/versions with a filter', () => {
    const { status, headers, body } = stepOf('versions');
    expect(status).toBe(200);
    expect(body).toEqual([expect.objectContaining({ version: '26.0', deprecated: false, removed: false })]);
    expect(headers['Content-Range']).toBe('items 0-0/1');
  });

  it('reads a restore with SEC, Version and a routine Range header, Longs exact', () => {
    const { status, headers, text } = stepOf('restore-sec', 'GET', '/api/backup_and_restore/restores/1');
    expect(status).toBe(200);
    expect(text).toMatch(/^\{"id":9007199254740993,"host_id":-?[0-9]+,"status":"[A-Z_]+"\}$/);
    expect(headers['Content-Range']).toBeUndefined();
    expect(headers['Deprecated']).toBeUndefined();
  });

  it('reads a restore with Basic credentials, and a deprecated Version says so', () => {
    const { status, headers, body } = stepOf('restore-basic', 'GET', '/api/backup_and_restore/restores/6');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 6, status: 'SUCCESS' });
    expect(headers['Deprecated']).toBe('true');
  });

  it('pages through the whole list with Range until Content-Range says it is done', () => {
    const LIST = '/api/backup_and_restore/restores';
    const { ids, pages } = steps['list-all'] ?? {};
    // The seven sample restores, newest first, in pages of three.
    expect(pages).toBe(3);
    expect(ids).toEqual(['6', '5', '4', '3', '2', '1', '9007199254740993']);
    expect(stepOf('list-page-0', 'GET', LIST).headers['Content-Range']).toBe('items 0-2/7');
    expect(stepOf('list-page-1', 'GET', LIST).headers['Content-Range']).toBe('items 3-5/7');
    const last = stepOf('list-page-2', 'GET', LIST);
    expect(last.headers['Content-Range']).toBe('items 6-6/7');
    // Python's int keeps every digit of the Long above 2^53.
    expect(last.text).toBe('[{"id":9007199254740993,"status":"IN_PROGRESS","time_initiated":1767225600000}]');
  });

  it("sorts with an unencoded + (a space once decoded) and reads QRadar's code 1018", () => {
    const LIST = '/api/backup_and_restore/restores';
    expect(stepOf('list-plus', 'GET', LIST).text).toBe(
      '[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6},{"id":9007199254740993}]',
    );
    expect(stepOf('list-bad-sort', 'GET', LIST)).toMatchObject({ status: 422, body: { code: 1018 } });
  });

  it('reads the code of a 404, a 405 and a 422 from their JSON bodies', () => {
    expect(stepOf('not-found', 'GET', '/api/siem/offenses')).toMatchObject({
      status: 404,
      body: { code: 4 },
    });
    const notAllowed = stepOf('not-allowed', 'DELETE', '/api/backup_and_restore/restores/1');
    expect(notAllowed).toMatchObject({ status: 405, body: { code: 5 } });
    expect(notAllowed.headers['Allow']).toBe('GET, HEAD');
    expect(stepOf('removed-version')).toMatchObject({ status: 422, body: { code: 2 } });
  });
});
