// The local HTTP edge (contract 11.7) through `npm start`'s stack: each rule here is one that
// serverless offline's own HTTP server broke (paths decoded twice, repeated headers cut to
// one, Range answered by hapi, hapi's route listing and headers on odd paths, CORS echoed to
// every origin). Requests go out through node:http, which sends a path and repeated header
// lines exactly as written; every answer is checked against docs/openapi.json.

import { type OutgoingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNotAllowed, unknownEndpoint } from '../../lib/qradar/errors.ts';
import versions from '../../lib/qradar/versions.json' with { type: 'json' };
import { checkHttpResponse } from '../../local/harness/contract.ts';
import { type LocalStack, startLocalStack } from '../../local/harness/local-stack.ts';
import { errorBody, SECURITY_HEADERS } from '../support/responses.ts';

const SEC = { SEC: 'local-dev-token' };
const RESTORE = '/api/backup_and_restore/restores/1';
const ENDPOINT_PATHS = [
  RESTORE,
  '/api/help/endpoints',
  '/api/help/endpoints/1',
  '/api/help/resources',
  '/api/help/resources/1',
  '/api/help/versions',
  '/api/help/versions/1',
];
const VERSION_COUNT = versions.current.length + versions.deprecated.length;
const ALLOWED_ORIGIN = 'https://console.example';
const OTHER_ORIGIN = 'https://elsewhere.example';

/** Headers an answer of the service may carry: section 7's, its own, and Node's framing. */
const SERVICE_HEADERS = new Set([
  ...Object.keys(SECURITY_HEADERS).map((name) => name.toLowerCase()),
  'allow',
  'content-range',
  'deprecated',
  'content-length',
  'date',
  'connection',
  'keep-alive',
]);

interface Answer {
  readonly status: number;
  /** Lower-case names; a header sent twice would show as a list. */
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
  json(): unknown;
}

/** One request, sent as written, its answer contract-checked. */
const send = (
  stack: LocalStack,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const { port } = new URL(stack.httpUrl);
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        const received = response.headers as Record<string, string | string[]>;
        try {
          checkHttpResponse(
            { method, path },
            {
              statusCode: status,
              headers: Object.fromEntries(
                Object.entries(received).map(([name, value]) => [name, String(value)]),
              ),
              body: text,
            },
          );
        } catch (error) {
          reject(error);
          return;
        }
        resolve({ status, headers: received, body: text, json: () => JSON.parse(text) as unknown });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });

const expectSection7 = (answer: Answer): void => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(answer.headers[name.toLowerCase()], name).toBe(value);
};

const corsHeaders = (answer: Answer): string[] =>
  Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));

/** A header's comma-separated names, as a set. */
const names = (value: string | string[] | undefined): Set<string> =>
  new Set(
    String(value ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );

describe('the default stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('requests reach the function as an HTTP API delivers them', () => {
    it('decodes the path once: %252B1 is the id %2B1, refused with code 11', async () => {
      const answer = await send(stack, 'GET', '/api/backup_and_restore/restores/%252B1', SEC);
      expect(answer.status).toBe(422);
      expect(answer.json()).toEqual(errorBody(422, 11, /from %2B1 to /));
      expectSection7(answer);
    });

    it('joins a repeated SEC header with ",", which names no service: 401', async () => {
      const once = await send(stack, 'GET', RESTORE, SEC);
      expect(once.status).toBe(200);
      const twice = await send(stack, 'GET', RESTORE, { SEC: [SEC.SEC, SEC.SEC] });
      expect(twice.status).toBe(401);
      expect(twice.json()).toEqual(errorBody(401, 18));
      expectSection7(twice);
    });

    it('joins a repeated fields parameter with ","', async () => {
      const answer = await send(stack, 'GET', `${RESTORE}?fields=id&fields=status`, SEC);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ id: 1, status: 'PENDING' });
    });

    it('leaves Range to the function: a restore ignores it, with no Content-Range or Accept-Ranges', async () => {
      const answer = await send(stack, 'GET', RESTORE, { ...SEC, Range: 'items=0-49' });
      expect(answer.status).toBe(200);
      expect((answer.json() as { id: number }).id).toBe(1);
      expect(answer.headers['content-range']).toBeUndefined();
      expect(answer.headers['accept-ranges']).toBeUndefined();
      expectSection7(answer);
    });

    it('leaves Range to the function: a help list is sliced, with Content-Range', async () => {
      const answer = await send(stack, 'GET', '/api/help/versions', { ...SEC, Range: 'items=1-2' });
      expect(answer.status).toBe(200);
      expect((answer.json() as { id: number }[]).map(({ id }) => id)).toEqual([2, 3]);
      expect(answer.headers['content-range']).toBe(`items 1-2/${VERSION_COUNT}`);
      expect(answer.headers['accept-ranges']).toBeUndefined();
    });
  });

  describe("nothing of a local server's own reaches a caller", () => {
    it.each([
      ['/api', ''],
      ['/api/', '/'],
      ['/api/backup_and_restore/restores/', '/backup_and_restore/restores/'],
      ['/api/x/../help/versions', '/x/../help/versions'],
      ['/api/backup_and_restore/restores/1%2F2', '/backup_and_restore/restores/1/2'],
      ['/api//help/versions', '//help/versions'],
      ['/api/nothing?fields=id', '/nothing'],
    ])('%s: 404 code 4, with the service headers only', async (path, relative) => {
      const answer = await send(stack, 'GET', path, SEC);
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual(unknownEndpoint(relative).toBody());
      expectSection7(answer);
      for (const name of Object.keys(answer.headers)) expect(SERVICE_HEADERS, name).toContain(name);
    });

    it("prints no route listing of serverless offline's HTTP server, not even its frame", () => {
      expect(stack.output()).toContain('Ready:');
      expect(stack.output()).not.toMatch(/[┌│└]/);
    });

    it('answers an unknown path 404 code 4 for every method', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await send(stack, method, '/api/backup_and_restore/backups', SEC);
        expect(answer.status, method).toBe(404);
        expect(answer.json()).toEqual(unknownEndpoint('/backup_and_restore/backups').toBody());
        expectSection7(answer);
      }
    });

    it('checks credentials first: 401 without any, on an unknown path and with any method', async () => {
      for (const [method, path] of [
        ['GET', '/api/nothing'],
        ['POST', RESTORE],
        ['DELETE', '/api/help/versions'],
      ] as const) {
        const answer = await send(stack, method, path);
        expect(answer.status, `${method} ${path}`).toBe(401);
        expect(answer.json()).toEqual(errorBody(401, 18));
        expectSection7(answer);
      }
    });
  });

  describe('methods', () => {
    it.each([RESTORE, '/api/help/versions'])('HEAD %s answers as GET does, without a body', async (path) => {
      const get = await send(stack, 'GET', path, SEC);
      const head = await send(stack, 'HEAD', path, SEC);
      expect(get.body).not.toBe('');
      expect(head.status).toBe(get.status);
      expect(head.body).toBe('');
      const { 'content-length': _, date: __, ...headHeaders } = head.headers;
      const { 'content-length': ___, date: ____, ...getHeaders } = get.headers;
      expect(headHeaders).toEqual(getHeaders);
      expectSection7(head);
    });

    it('answers every other method on every endpoint path 405 code 5, Allow: GET, HEAD', async () => {
      for (const path of ENDPOINT_PATHS) {
        for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) {
          const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{"id":2}' : undefined;
          const answer = await send(stack, method, path, SEC, body);
          expect(answer.status, `${method} ${path}`).toBe(405);
          expect(answer.headers['allow']).toBe('GET, HEAD');
          const template = path.slice('/api'.length).replace(/\/1$/, '/{id}');
          expect(answer.json()).toEqual(methodNotAllowed(method, template).toBody());
          expectSection7(answer);
        }
      }
    });
  });

  describe('no CORS without CORS_ALLOWED_ORIGINS', () => {
    it.each([ALLOWED_ORIGIN, OTHER_ORIGIN])('answers %s no CORS header, preflight or not', async (origin) => {
      const preflight = await send(stack, 'OPTIONS', '/api/help/versions', {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'sec',
      });
      expect(preflight.status).toBe(401);
      expect(corsHeaders(preflight)).toEqual([]);
      const get = await send(stack, 'GET', '/api/help/versions', { ...SEC, Origin: origin });
      expect(get.status).toBe(200);
      expect(corsHeaders(get)).toEqual([]);
      expect(get.headers['vary']).toBeUndefined();
    });
  });
});

describe(`a stack with CORS_ALLOWED_ORIGINS=${ALLOWED_ORIGIN}`, () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ CORS_ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const preflight = (path: string, origin: string) =>
    send(stack, 'OPTIONS', path, {
      Origin: origin,
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'sec,version,range',
    });

  it.each([RESTORE, '/api/help/versions', '/api/nothing', '/api/'])(
    'answers a preflight from the allowed origin to %s: 204, the origin named',
    async (path) => {
      const answer = await preflight(path, ALLOWED_ORIGIN);
      expect(answer.status).toBe(204);
      expect(answer.body).toBe('');
      expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
      const allowed = names(answer.headers['access-control-allow-headers']);
      for (const name of ['sec', 'version', 'range', 'authorization', 'accept'])
        expect(allowed).toContain(name);
      expect(allowed).not.toContain('*');
      expect(names(answer.headers['access-control-allow-methods'])).toContain('get');
    },
  );

  it.each(['/', '/apix', '/api_doc'])(
    'takes a preflight from the allowed origin to %s, outside /api/, through the ordinary flow',
    async (path) => {
      const answer = await preflight(path, ALLOWED_ORIGIN);
      expect(answer.status).not.toBe(204);
      expect(answer.headers['access-control-allow-methods']).toBeUndefined();
    },
  );

  it('answers a preflight from any other origin with no CORS header: the ordinary flow', async () => {
    const answer = await preflight(RESTORE, OTHER_ORIGIN);
    expect(answer.status).toBe(401);
    expect(corsHeaders(answer)).toEqual([]);
    expectSection7(answer);
  });

  it('takes an OPTIONS without Access-Control-Request-Method through the ordinary flow', async () => {
    const anonymous = await send(stack, 'OPTIONS', '/api/help/versions', { Origin: ALLOWED_ORIGIN });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toEqual(errorBody(401, 18));
    const known = await send(stack, 'OPTIONS', '/api/help/versions', { ...SEC, Origin: ALLOWED_ORIGIN });
    expect(known.status).toBe(405);
    expect(known.headers['allow']).toBe('GET, HEAD');
    expectSection7(known);
  });

  it('names the allowed origin on its requests and exposes Content-Range and Deprecated', async () => {
    for (const [headers, status] of [
      [{ ...SEC, Version: '12.0' }, 200],
      [{}, 401],
    ] as const) {
      const answer = await send(stack, 'GET', '/api/help/versions', { ...headers, Origin: ALLOWED_ORIGIN });
      expect(answer.status).toBe(status);
      if (status === 200) expect(answer.headers['deprecated']).toBe('true');
      expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
      const exposed = names(answer.headers['access-control-expose-headers']);
      expect(exposed).toContain('content-range');
      expect(exposed).toContain('deprecated');
      expectSection7(answer);
    }
  });

  it('gives a request from any other origin no CORS header', async () => {
    const answer = await send(stack, 'GET', RESTORE, { ...SEC, Origin: OTHER_ORIGIN });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer)).toEqual([]);
  });
});
