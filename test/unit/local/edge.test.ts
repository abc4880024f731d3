// The local HTTP edge (local/edge.ts): route selection as API Gateway's HTTP API selects,
// the payload 2.0 event it builds, what it writes back, and the routes it reads from
// serverless.yml. The event and answer are seen through a stub Lambda invoke endpoint.

import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type OutgoingHttpHeaders, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESPONSE_HEADERS } from '../../../lib/http/answer.ts';
import {
  deliveredPath,
  type EdgeRoute,
  edgePort,
  MAX_BODY_BYTES,
  readRoutes,
  selectRoute,
  startEdge,
} from '../../../local/edge.ts';

/** A route from its key, as serverless.yml would declare it ("GET /a/{id}", "$default"). */
const route = (routeKey: string, functionName = routeKey): EdgeRoute => {
  if (routeKey === '$default') return { method: 'ANY', segments: [], routeKey, functionName };
  const [method = '', path = ''] = routeKey.split(' ');
  return { method, segments: path.split('/').slice(1), routeKey, functionName };
};

const selectedKey = (routes: readonly EdgeRoute[], method: string, path: string) =>
  selectRoute(routes, method, path)?.route.routeKey;

describe('readRoutes', () => {
  it("reads serverless.yml's httpApi routes, with each function's deployed name", async () => {
    // The list reaches its own function, a restore its, anything else under /api the api function;
    // one trailing slash is ignored, as an HTTP API ignores it (the list's function then answers
    // 404 code 4 for the path it does not serve).
    const served = await readRoutes('serverless.yml', 'dev');
    for (const [method, path, name] of [
      ['GET', '/api/backup_and_restore/restores', 'listRestores'],
      ['POST', '/api/backup_and_restore/restores', 'listRestores'],
      ['GET', '/api/backup_and_restore/restores/7', 'getRestore'],
      ['GET', '/api/backup_and_restore/restores/', 'listRestores'],
      ['GET', '/api/backup_and_restore', 'api'],
    ] as const) {
      expect(selectRoute(served, method, path)?.route.functionName, path).toBe(`qradar-restores-dev-${name}`);
    }
    expect(await readRoutes('serverless.yml', 'dev')).toEqual([
      {
        method: 'ANY',
        segments: ['api', 'backup_and_restore', 'restores', '{id}'],
        routeKey: 'ANY /api/backup_and_restore/restores/{id}',
        functionName: 'qradar-restores-dev-getRestore',
      },
      {
        method: 'ANY',
        segments: ['api', 'backup_and_restore', 'restores'],
        routeKey: 'ANY /api/backup_and_restore/restores',
        functionName: 'qradar-restores-dev-listRestores',
      },
      { method: 'ANY', segments: [], routeKey: '$default', functionName: 'qradar-restores-dev-api' },
      {
        method: 'GET',
        segments: ['api_doc'],
        routeKey: 'GET /api_doc',
        functionName: 'qradar-restores-dev-apiDoc',
      },
      {
        method: 'GET',
        segments: ['api_doc', '{asset}'],
        routeKey: 'GET /api_doc/{asset}',
        functionName: 'qradar-restores-dev-apiDoc',
      },
      {
        method: 'GET',
        segments: ['favicon.ico'],
        routeKey: 'GET /favicon.ico',
        functionName: 'qradar-restores-dev-apiDoc',
      },
    ]);
  });

  describe('on a file of its own', () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'edge-routes-'));
    });
    afterAll(async () => {
      await rm(folder, { recursive: true, force: true });
    });
    const routesOf = async (functions: string) => {
      const file = join(folder, 'serverless.yml');
      await writeFile(file, `service: s\nfunctions:\n${functions}`);
      return readRoutes(file, 'prod');
    };

    it('takes the short form, a * method, CloudFormation tags and functions without routes', async () => {
      const routes = await routesOf(`
  a:
    events:
      - httpApi: 'post /items/{id}'
      - httpApi: { method: '*', path: /items }
  b:
    events:
      - sqs: { arn: !GetAtt Queue.Arn }
  c: {}
`);
      expect(routes.map(({ routeKey, functionName }) => `${routeKey} -> ${functionName}`)).toEqual([
        'POST /items/{id} -> s-prod-a',
        'ANY /items -> s-prod-a',
      ]);
    });

    it('refuses a route it cannot read', async () => {
      await expect(routesOf("  a:\n    events:\n      - httpApi: 'GET'\n")).rejects.toThrow(
        /httpApi route "GET" of a: not METHOD \/path/,
      );
    });
  });
});

describe('selectRoute: the most specific route, as an HTTP API selects it', () => {
  // The example of API Gateway's documentation ("Routing API requests"), plus $default.
  const routes = [
    route('GET /pets/dog/1'),
    route('GET /pets/dog/{id}'),
    route('GET /pets/{proxy+}'),
    route('ANY /{proxy+}'),
    route('$default'),
  ];

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', undefined],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
    ['GET', '/', '$default', undefined],
    // One trailing slash is left out of the match, as an HTTP API (and serverless offline) does.
    ['GET', '/pets/dog/1/', 'GET /pets/dog/1', undefined],
    ['GET', '/pets/dog/2/', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/dog/2//', 'GET /pets/{proxy+}', { proxy: 'dog/2/' }],
    ['GET', '/pets/dog/', 'GET /pets/{proxy+}', { proxy: 'dog' }],
  ])('%s %s: %s', (method, path, key, pathParameters) => {
    expect(selectRoute(routes, method, path)).toEqual({
      route: expect.objectContaining({ routeKey: key }),
      pathParameters,
    });
  });

  it('prefers a literal segment to a parameter, and a parameter to a greedy tail, whatever the order', () => {
    const keys = ['GET /a/{proxy+}', 'GET /a/{x}/c', 'GET /a/b/{y}', 'GET /a/b/c'];
    for (const order of [keys, [...keys].reverse()]) {
      const shuffled = order.map((key) => route(key));
      expect(selectedKey(shuffled, 'GET', '/a/b/c')).toBe('GET /a/b/c');
      expect(selectedKey(shuffled, 'GET', '/a/b/d')).toBe('GET /a/b/{y}');
      expect(selectedKey(shuffled, 'GET', '/a/z/c')).toBe('GET /a/{x}/c');
      expect(selectedKey(shuffled, 'GET', '/a/z/d')).toBe('GET /a/{proxy+}');
    }
  });

  it('prefers a route of the method to ANY on the same path', () => {
    for (const order of [
      [route('ANY /a'), route('GET /a')],
      [route('GET /a'), route('ANY /a')],
    ]) {
      expect(selectedKey(order, 'GET', '/a')).toBe('GET /a');
      expect(selectedKey(order, 'DELETE', '/a')).toBe('ANY /a');
    }
  });

  it('falls back to $default last, and to nothing without one', () => {
    const some = [route('GET /a/{id}'), route('ANY /b/{proxy+}')];
    for (const [method, path] of [
      ['POST', '/a/1'], // the method
      ['GET', '/a//'], // a parameter takes no empty segment, even before a trailing slash
      ['GET', '/a/1//'], // one trailing slash is left out of the match, not two
      ['GET', '/b'], // a greedy tail needs a segment
      ['GET', '/A/1'], // paths are case-sensitive
    ] as const) {
      expect(selectedKey([...some, route('$default')], method, path), path).toBe('$default');
      expect(selectRoute(some, method, path), path).toBeUndefined();
    }
  });

  it('hands every path to some route or $default, never throwing (property)', () => {
    const candidates = [...routes, route('GET /a/{id}'), route('HEAD /{x}/{y}')];
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'PATCH'),
        fc.array(fc.string(), { maxLength: 5 }),
        (method, segments) => {
          const path = `/${segments.join('/')}`;
          const selected = selectRoute(candidates, method, path);
          expect(selected).toBeDefined();
          const chosen = selected?.route;
          if (chosen === undefined || chosen.routeKey === '$default') return;
          expect([method, 'ANY']).toContain(chosen.method);
          // Its parameters, put back in the route's path, give the request's path (but for
          // one trailing slash, which the match leaves out).
          const rebuilt = chosen.segments.map((part) =>
            part.startsWith('{') ? (selected?.pathParameters?.[part.replace(/[{}+]/g, '')] ?? '') : part,
          );
          expect([path, `${path}/`]).toContain(`/${rebuilt.join('/')}/`);
        },
      ),
    );
  });
});

describe('deliveredPath: the rawPath an HTTP API delivers', () => {
  it.each([
    ['/api/backup_and_restore/restores/%252B1?fields=id', '/api/backup_and_restore/restores/%2B1'],
    ['/api/x/../help/versions', '/api/x/../help/versions'],
    ['//api/help', '//api/help'],
    ['/api/a%2Fb', '/api/a/b'],
    ['/api/%E2%9C%93', '/api/✓'],
    ['/api/100%', '/api/100%'],
    ['http://localhost:3000/api/help?x=1', '/api/help'],
    ['http://localhost:3000', '/'],
  ])('%s: %s', (target, path) => {
    expect(deliveredPath(target)).toBe(path);
  });

  it('decodes any encoded path exactly once, the query left out (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), fc.string(), (segments, query) => {
        const target = `/${segments.map(encodeURIComponent).join('/')}?${encodeURIComponent(query)}`;
        expect(deliveredPath(target)).toBe(`/${segments.join('/')}`);
      }),
    );
  });

  it('takes any target without throwing (property)', () => {
    fc.assert(
      fc.property(fc.string(), (target) => {
        expect(typeof deliveredPath(`/${target}`)).toBe('string');
      }),
    );
  });
});

/** What the stub Lambda endpoint received, and what it answers next. */
interface Invocation {
  readonly url: string;
  readonly event: Record<string, unknown>;
}

describe('the edge, in front of a stub Lambda invoke endpoint', () => {
  let lambda: Server;
  let edge: Server;
  let invocations: Invocation[] = [];
  let answer: { status: number; headers: Record<string, string>; body: string } = {
    status: 200,
    headers: {},
    body: '{}',
  };

  beforeAll(async () => {
    lambda = createServer(async (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      invocations.push({
        url: incoming.url ?? '',
        event: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
      });
      outgoing.writeHead(answer.status, answer.headers).end(answer.body);
    }).listen(0, '127.0.0.1');
    await once(lambda, 'listening');
    edge = await startEdge({
      port: 0,
      lambdaUrl: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
      routes: [
        route('ANY /items/{id}', 'fn-items'),
        route('GET /files/{path+}', 'fn-files'),
        route('$default', 'fn-default'),
      ],
    });
  });
  afterAll(async () => {
    edge?.close();
    lambda?.close();
  });
  beforeEach(() => {
    invocations = [];
    answer = {
      status: 200,
      headers: {},
      body: JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' }),
    };
  });

  /** A request sent as written (repeated header lines included) to the edge. */
  const send = (method: string, path: string, headers: OutgoingHttpHeaders = {}, body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port: edgePort(edge), method, path, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const onlyEvent = (): Record<string, unknown> => {
    expect(invocations).toHaveLength(1);
    return invocations[0]?.event ?? {};
  };

  it("invokes the selected route's function with a payload 2.0 event", async () => {
    await send('GET', '/items/%252B1?fields=id&fields=status&q=a%20b', {
      SEC: ['one', 'two'],
      'X-Mixed-Case': 'v',
      Cookie: ['a=1; b=2', 'c=3'],
      'User-Agent': 'edge-test',
    });
    expect(invocations[0]?.url).toBe('/2015-03-31/functions/fn-items/invocations');
    const event = onlyEvent();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /items/{id}',
      rawPath: '/items/%2B1',
      rawQueryString: 'fields=id&fields=status&q=a%20b',
      cookies: ['a=1', 'b=2', 'c=3'],
      queryStringParameters: { fields: 'id,status', q: 'a b' },
      pathParameters: { id: '%2B1' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'ANY /items/{id}',
        stage: '$default',
        http: { method: 'GET', path: '/items/%2B1', protocol: 'HTTP/1.1', userAgent: 'edge-test' },
      },
    });
    const headers = event['headers'] as Record<string, string>;
    expect(headers).toMatchObject({ sec: 'one,two', 'x-mixed-case': 'v', 'user-agent': 'edge-test' });
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(headers['cookie']).toBeUndefined();
    expect(event['body']).toBeUndefined();
  });

  it("names its own domain, never the caller's Host: a Function URL's would be decoded again", async () => {
    await send('GET', '/items/%252B1', { Host: 'abc.lambda-url.us-east-1.on.aws' });
    const event = onlyEvent();
    expect((event['requestContext'] as { domainName: string }).domainName).toBe(
      'local.execute-api.localhost',
    );
    expect(event['rawPath']).toBe('/items/%2B1');
  });

  it('leaves out what a request does not have: cookies, query, path parameters', async () => {
    await send('GET', '/anything/else');
    const event = onlyEvent();
    expect(event).toMatchObject({ routeKey: '$default', rawPath: '/anything/else', rawQueryString: '' });
    for (const key of ['cookies', 'queryStringParameters', 'pathParameters'])
      expect(event, key).not.toHaveProperty(key);
  });

  it('gives a greedy parameter the rest of the path', async () => {
    await send('GET', '/files/a/b%20c.txt');
    expect(onlyEvent()).toMatchObject({
      routeKey: 'GET /files/{path+}',
      pathParameters: { path: 'a/b c.txt' },
    });
  });

  it('hands a body over in base64', async () => {
    await send('POST', '/items/1', { 'Content-Type': 'application/json' }, '{"id":2}');
    expect(onlyEvent()).toMatchObject({
      routeKey: 'ANY /items/{id}',
      body: Buffer.from('{"id":2}').toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    });
  });

  it("writes back exactly the function's status, headers and body, and no body to HEAD", async () => {
    answer.body = JSON.stringify({
      statusCode: 418,
      headers: { 'X-Answer': 'yes', 'Content-Range': 'items 0-0/1' },
      body: Buffer.from('short and stout').toString('base64'),
      isBase64Encoded: true,
    });
    const got = await send('GET', '/items/1', { Range: 'bytes=0-1' });
    expect(got).toMatchObject({ status: 418, body: 'short and stout' });
    expect(got.headers).toMatchObject({ 'x-answer': 'yes', 'content-range': 'items 0-0/1' });
    expect(got.headers['accept-ranges']).toBeUndefined();
    const head = await send('HEAD', '/items/1');
    expect(head).toMatchObject({ status: 418, body: '' });
    expect(
      invocations.map(({ event }) => (event['requestContext'] as { http: { method: string } }).http.method),
    ).toEqual(['GET', 'HEAD']);
  });

  /** The section 7 headers, as a Node client sees them (lower-case names). */
  const section7 = Object.fromEntries(
    Object.entries(RESPONSE_HEADERS).map(([name, value]) => [name.toLowerCase(), value]),
  );

  it('answers a QRadar 500 with the section 7 headers when the function fails, and tells the console only', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      answer = {
        status: 200,
        headers: { 'X-Amz-Function-Error': 'Unhandled' },
        body: '{"errorMessage":"secret detail"}',
      };
      const got = await send('GET', '/items/1');
      expect(got.status).toBe(500);
      expect(got.headers).toMatchObject(section7);
      expect(JSON.parse(got.body)).toEqual({
        http_response: { code: 500, message: 'Unexpected internal server error' },
        code: 1000,
        message: 'The request could not be completed.',
        description: '',
        details: {},
      });
      expect(got.body).not.toContain('secret');
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('fn-items failed'));

      // An answer that is not a function's answer at all: the same.
      answer = { status: 200, headers: {}, body: 'not json' };
      const broken = await send('GET', '/items/1');
      expect(broken.status).toBe(500);
      expect(broken.headers).toMatchObject(section7);
    } finally {
      logged.mockRestore();
    }
  });

  const tooLarge = {
    http_response: {
      code: 413,
      message: 'The request entity is larger than the server is willing or able to process.',
    },
    code: 413,
    message: `The request body is larger than the ${MAX_BODY_BYTES} bytes the API takes.`,
    description: '',
    details: {},
  };

  it("answers 413 when the invoke endpoint will not take the event (Lambda's 6 MB)", async () => {
    answer = {
      status: 413,
      headers: {},
      body: '{"message":"Payload content length greater than maximum allowed"}',
    };
    const got = await send('POST', '/items/1', {}, 'x'.repeat(5 * 1024 * 1024));
    expect(got.status).toBe(413);
    expect(got.headers).toMatchObject(section7);
    expect(JSON.parse(got.body)).toEqual(tooLarge);
  });

  it('takes a body of exactly 10 MB to the function', async () => {
    const got = await send('POST', '/items/1', {}, 'x'.repeat(MAX_BODY_BYTES));
    expect(got.status).toBe(200);
    expect(Buffer.from(String(onlyEvent()['body']), 'base64').length).toBe(MAX_BODY_BYTES);
  });

  /**
   * A request written on a socket of its own: `head`, then up to `bodyBytes` of body (chunked
   * when `chunked`) while the edge keeps reading. The raw answer, the body bytes that went out,
   * and whether the edge closed the connection.
   */
  const raw = async (head: string, bodyBytes = 0, chunked = false) => {
    const socket = connect(edgePort(edge), '127.0.0.1');
    await once(socket, 'connect');
    let text = '';
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
    });
    socket.on('error', () => undefined);
    let closed = false;
    const ended = new Promise<void>((resolve) =>
      socket.once('close', () => {
        closed = true;
        resolve();
      }),
    );
    socket.write(head);
    const piece = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    while (sent < bodyBytes && !closed && !text) {
      const frame = chunked
        ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
        : piece;
      if (!socket.write(frame))
        await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), ended]);
      sent += piece.length;
    }
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
    socket.destroy();
    const [status = '', ...lines] = (text.split('\r\n\r\n', 1)[0] ?? '').split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 2),
      ]),
    );
    return { status, headers, body: text.slice(text.indexOf('\r\n\r\n') + 4), sent, closed };
  };

  it('refuses a declared body over 10 MB before reading any of it, and closes the connection', async () => {
    const declared = 400 * 1024 * 1024;
    const got = await raw(
      `POST /items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`,
      declared,
    );
    // Only what the sockets' buffers took: the edge read none of it.
    expect(got.sent).toBeLessThan(MAX_BODY_BYTES);
    expect(got.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(got.headers).toMatchObject(section7);
    expect(JSON.parse(got.body)).toEqual(tooLarge);
    expect(got.closed).toBe(true);
    expect(invocations).toEqual([]);
  });

  it('answers "Expect: 100-continue" for a body over 10 MB with 413, not 100 Continue', async () => {
    const got = await raw(
      `PUT /items/1 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`,
    );
    expect(got.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(got.headers).toMatchObject(section7);
    expect(got.closed).toBe(true);
    expect(invocations).toEqual([]);
  });

  it('stops reading a chunked body once it passes 10 MB, answers 413 and closes the connection', async () => {
    const got = await raw(
      'POST /items/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
      200 * 1024 * 1024,
      true,
    );
    expect(got.status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(JSON.parse(got.body)).toEqual(tooLarge);
    expect(got.closed).toBe(true);
    // The cap, and what the sockets' buffers hold: far from the 200 MB on offer.
    expect(got.sent).toBeLessThan(3 * MAX_BODY_BYTES);
    expect(invocations).toEqual([]);
  });
});

describe('the edge without a $default route', () => {
  it("answers API Gateway's own 404 to a path no route takes, invoking nothing", async () => {
    // The Lambda endpoint is never called: an unused port would refuse the connection.
    const edge = await startEdge({ port: 0, lambdaUrl: 'http://127.0.0.1:9', routes: [route('GET /a')] });
    try {
      const response = await fetch(`http://127.0.0.1:${edgePort(edge)}/b`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('{"message":"Not Found"}');
    } finally {
      edge.close();
    }
  });
});
